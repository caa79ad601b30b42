#!/usr/bin/env python
"""Execute notebooks and save their outputs (figures, tables) into them, for the docs site.

Runs each notebook exactly as `nbdev_test` does (same shell, same skipped flags: cells flagged `slow` etc. are not
run unless `--flags` names them), then writes the outputs back and cleans the notebook with `nbdev_clean`.
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

def clean_bars(text:str)->str:
    "Drop fastprogress's console bars from captured output, keeping the metrics table."
    text = re.sub(r'Epoch \d+/\d+ :[ \t\r]+', '', _BAR.sub('', text))
    return '\n'.join(l.rstrip() for l in text.split('\n'))

def clean_outputs(nb):
    for c in nb.cells:
        for o in c.get('outputs', []):
            if o.get('output_type') == 'stream':
                t = o['text'] if isinstance(o['text'], str) else ''.join(o['text'])
                o['text'] = clean_bars(t)

def run_one(fn:Path, flags:set):
    import warnings
    warnings.filterwarnings('ignore', message='.*torch.jit.script.*is deprecated')
    os.environ['IN_TEST'] = '1'
    nb = NBProcessor(fn, procs=FrontmatterProc, process=True).nb
    def _no_eval(cell):
        if cell.cell_type != 'code': return True
        if 'nbdev_export(' in cell.source: return True
        d = getattr(cell, 'directives_', {}) or {}
        if d.get('eval:', [''])[0].lower() == 'false': return True
        return flags & d.keys()
    k = CaptureShell(fn)
    with working_directory(fn.parent): k.run_all(nb, exc_stop=True, preproc=_no_eval)
    raw = read_nb(fn)
    if len(raw.cells) != len(nb.cells): raise RuntimeError(f'{fn}: cell count changed while processing')
    for r, c in zip(raw.cells, nb.cells):
        if r.cell_type == 'code':
            r['outputs'] = c.get('outputs', [])
            r['execution_count'] = c.get('execution_count')
    clean_outputs(raw)
    write_nb(raw, fn)

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('nbs', nargs='*'); ap.add_argument('--flags', default='', help='space-separated flags whose cells to run too')
    ap.add_argument('--clean_only', action='store_true', help='only strip progress bars from the saved outputs')
    a = ap.parse_args()
    cfg = get_config()
    skip = set(re.split(r'[\s|,]+', cfg.get('tst_flags', '').strip())) - set(a.flags.split()) - {''}
    files = [Path(f).resolve() for f in a.nbs] or [Path(f) for f in nbglob(cfg.nbs_path)]
    for f in files:
        if a.clean_only:
            nb = read_nb(f); clean_outputs(nb); write_nb(nb, f); continue
        t = time.time(); run_one(f, skip); print(f'{f.name}: {time.time()-t:.0f} s', flush=True)
    import subprocess; subprocess.run(['nbdev_clean'], check=True)

if __name__ == '__main__': main()
