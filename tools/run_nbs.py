#!/usr/bin/env python
"""Execute notebooks and save their outputs (figures, tables) into them, for the docs site.

Runs each notebook exactly as `nbdev_test` does (same shell, same skipped flags: cells flagged `slow`, `data` etc. are
not run unless `--flags` names them, and keep the outputs saved when they last ran), then writes the outputs back and
cleans the notebook with `nbdev_clean`.
Usage: python tools/run_nbs.py [nbs/NN_name.ipynb ...]   (default: every notebook)"""
import argparse, os, re, time
from pathlib import Path
from execnb.nbio import read_nb, write_nb
from execnb.shell import CaptureShell
from nbdev.config import get_config
from nbdev.doclinks import nbglob
from nbdev.processors import NBProcessor, FrontmatterProc
from fastcore.xtras import working_directory

_BAR = re.compile(r'(?:Epoch \d+/\d+ : )?\|[█-]{40}\|[^|\n]*?\[\d+/\d+ [^\]]*\]|Epoch \d+/\d+ : +(?=Epoch|\d|█|$)|█')
# The local Python installation and checkout, as they appear in warnings and tracebacks: a reader needs the module path only
_LOCAL = [re.compile(r'(?:[A-Za-z]:)?[^\s"\'()<>]*/(?:site|dist)-packages/'),
          re.compile(r'(?:[A-Za-z]:)?[^\s"\'()<>]*/lib/python3\.\d+/'),
          re.compile(re.escape(str(Path.home())) + r'/(?!\s)')]

def redraw(line:str)->str:
    "What a terminal shows for `line`: each carriage return goes back to column 0 and the text after it overwrites."
    if '\r' not in line: return line
    buf = []
    for seg in line.split('\r'): buf[:len(seg)] = seg
    return ''.join(buf)

def local_paths(text:str, root:Path|None=None)->str:
    "Replace paths of the local Python installation and of the checkout by the paths a reader can look up."
    if root is not None: text = text.replace(str(root) + '/', '')
    for r in _LOCAL: text = r.sub('', text)
    return text

def clean_text(text:str, root:Path|None=None)->str:
    "Clean captured output: progress-bar redraws (`\\r`) and bars dropped, no blank lines left by them, no local paths."
    text = re.sub(r'Epoch \d+/\d+ :[ \t\r]+', '', _BAR.sub('', text))
    out = []
    for l in text.split('\n'):
        shown = redraw(l).rstrip()
        if not shown and '\r' in l: continue   # a line that only held bar redraws
        out.append(shown)
    text = re.sub(r'\n{3,}', '\n\n', '\n'.join(out))   # at most one blank line in a row
    return local_paths(text, root)

clean_bars = clean_text

def clean_outputs(nb, root:Path|None=None):
    "Clean every stream, plain-text and traceback output of `nb` in place with `clean_text`."
    root = root or get_config().config_path
    for c in nb['cells']:
        for o in c.get('outputs', []):
            if o.get('output_type') == 'stream':
                t = o['text'] if isinstance(o['text'], str) else ''.join(o['text'])
                o['text'] = clean_text(t, root)
            elif o.get('output_type') == 'error':
                o['traceback'] = [local_paths(t, root) for t in o.get('traceback', [])]
            elif 'text/plain' in o.get('data', {}):
                t = o['data']['text/plain']; t = t if isinstance(t, str) else ''.join(t)
                o['data']['text/plain'] = local_paths(t, root)

def describe_figure(fig)->str:
    "Alt text for a matplotlib figure, from its titles and axis labels (the saved PNG has no text a reader's tools can see)."
    st = fig._suptitle.get_text() if getattr(fig, '_suptitle', None) else ''
    axes = [a for a in fig.axes if a.get_visible() and (a.get_title() or a.get_xlabel() or a.get_ylabel() or a.has_data())]
    titles = [a.get_title() for a in axes if a.get_title()]
    labels = sorted({' / '.join(l for l in (a.get_xlabel(), a.get_ylabel()) if l) for a in axes if a.get_xlabel() or a.get_ylabel()})
    parts = [st] if st else []
    if titles: parts.append(('panels: ' if len(titles) > 1 else '') + '; '.join(dict.fromkeys(titles)))
    if labels: parts.append('axes: ' + '; '.join(labels))
    n = len(axes)
    return f"Figure{f' ({n} panels)' if n > 1 else ''}: " + ('. '.join(parts) if parts else 'untitled')

def _figure_alt(shell):
    "Make the plain-text form of each displayed figure its description, which the docs build uses as alt text."
    try: from matplotlib.figure import Figure
    except ImportError: return
    shell.display_formatter.formatters['text/plain'].for_type(Figure, lambda fig, p, cycle: p.text(describe_figure(fig)))

def _quiet_warnings():
    "Warnings that say nothing about this library, filtered where the notebooks run."
    import warnings
    warnings.filterwarnings('ignore', message='.*torch.jit.script.*is deprecated')
    warnings.filterwarnings('ignore', message=".*load_learner.*insecure pickle")   # our own file, just written

def run_one(fn:Path, flags:set):
    _quiet_warnings()
    os.environ['IN_TEST'] = '1'
    nb = NBProcessor(fn, procs=FrontmatterProc, process=True).nb
    skipped = set()
    def _no_eval(cell):
        if cell.cell_type != 'code': return True
        if 'nbdev_export(' in cell.source: return True
        d = getattr(cell, 'directives_', {}) or {}
        if d.get('eval:', [''])[0].lower() == 'false' or flags & d.keys():
            skipped.add(id(cell)); return True
        return False
    k = CaptureShell(fn); _figure_alt(k)
    with working_directory(fn.parent): k.run_all(nb, exc_stop=True, preproc=_no_eval)
    raw = read_nb(fn)
    if len(raw.cells) != len(nb.cells): raise RuntimeError(f'{fn}: cell count changed while processing')
    for r, c in zip(raw.cells, nb.cells):
        # a cell not run here (a flag not given, e.g. `slow` or `data`) keeps the outputs saved when it last ran
        if r.cell_type == 'code' and id(c) not in skipped:
            r['outputs'] = c.get('outputs', [])
            r['execution_count'] = c.get('execution_count')
    clean_outputs(raw)
    write_nb(raw, fn)

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('nbs', nargs='*'); ap.add_argument('--flags', default='', help='space-separated flags whose cells to run too')
    ap.add_argument('--clean_only', action='store_true', help='only clean the saved outputs (progress-bar redraws, local paths)')
    a = ap.parse_args()
    cfg = get_config()
    skip = set(re.split(r'[\s|,]+', cfg.get('tst_flags', '').strip())) - set(a.flags.split()) - {''}
    files = [Path(f).resolve() for f in a.nbs] or [Path(f) for f in nbglob(cfg.nbs_path)]
    for f in files:
        if a.clean_only:
            nb = read_nb(f); clean_outputs(nb); write_nb(nb, f); continue
        t = time.time(); run_one(f, skip); print(f'{f.name}: {time.time()-t:.0f} s', flush=True)
    import subprocess   # clean only the notebooks written here: others may be open in an editor
    for f in files: subprocess.run(['nbdev_clean', '--fname', str(f)], check=True)

if __name__ == '__main__': main()
