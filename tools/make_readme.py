#!/usr/bin/env python
"""Generate README.md from nbs/index.ipynb without Quarto (which `nbdev_readme` needs).

The notebook goes through nbdev's own processors first (the same ones `nbdev_docs` uses:
directives honoured, `#| hide` cells dropped, `show_doc` cells removed), then is written as GitHub markdown:
markdown cells as they are, code cells as ```python blocks, text outputs as plain blocks.
`--check` exits 1 when README.md differs from what the notebook gives."""
import sys, argparse
from pathlib import Path
from nbdev.config import get_config
from nbdev.processors import NBProcessor, populate_language, clean_magics, hide_, hide_line, filter_stream_, rm_export, strip_ansi
from execnb.nbio import read_nb

def _directives(cell): return getattr(cell, 'directives_', {}) or {}

def render(nb_path):
    nb = read_nb(nb_path)
    proc = NBProcessor(nb_path, [populate_language, clean_magics, hide_, hide_line, filter_stream_, rm_export, strip_ansi], nb=nb)
    proc.process()
    out = []
    for c in proc.nb.cells:
        src = c.source.strip('\n')
        d = _directives(c)
        if c.cell_type == 'markdown':
            if src: out.append(src)
            continue
        if c.cell_type != 'code' or 'hide' in d or 'include' in d and d['include'] == ['false']: continue
        if 'echo' not in d or d.get('echo') != ['false']:
            lines = [l for l in src.splitlines() if not l.lstrip().startswith('#|')]
            code = '\n'.join(lines).strip('\n')
            if code: out.append('```python\n' + code + '\n```')
        for o in c.get('outputs', []):
            txt = ''
            if o.get('output_type') == 'stream': txt = ''.join(o.get('text', ''))
            elif 'data' in o:
                data = o['data']
                if 'text/markdown' in data: out.append(''.join(data['text/markdown']).strip('\n')); continue
                txt = ''.join(data.get('text/plain', ''))
            txt = txt.replace('\r', '')
            if txt.strip(): out.append('    ' + txt.strip('\n').replace('\n', '\n    '))
    return '\n\n'.join(out).rstrip() + '\n'

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--check', action='store_true', help='fail if README.md is out of sync instead of writing it')
    a = p.parse_args()
    cfg = get_config()
    root = cfg.config_path
    text = '<!-- Generated from nbs/index.ipynb by tools/make_readme.py (or nbdev_readme): do not edit by hand. -->\n\n' + render(cfg.nbs_path/'index.ipynb')
    readme = Path(root)/'README.md'
    if a.check:
        if not readme.exists() or open(readme, encoding='utf-8', newline='').read() != text:
            sys.exit('README.md is out of sync with nbs/index.ipynb: run `python tools/make_readme.py` and commit.')
        print('README.md is in sync with nbs/index.ipynb')
    else:
        with open(readme, 'w', encoding='utf-8', newline='') as f: f.write(text)
        print(f'wrote {readme}')

if __name__ == '__main__': main()
