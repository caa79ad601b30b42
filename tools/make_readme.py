#!/usr/bin/env python
"""Generate README.md from nbs/index.ipynb without Quarto (which `nbdev_readme` needs).

The notebook goes through nbdev's own processors first (the same ones `nbdev_docs` uses:
directives honoured, `#| hide` cells dropped, `show_doc` cells removed), then is written as GitHub markdown:
markdown cells as they are, code cells as ```python blocks, text outputs as plain blocks.
The README is read at the repository root (on a code host) and on PyPI (as the long description), where no notebook
is: links to notebooks become absolute links to their pages on the docs site (nbdev's page names, `doc_host` +
`doc_baseurl`), and links to other files in `nbs/` are made relative to the root.
`--check` exits 1 when README.md differs from what the notebook gives, or when one of its relative links names no file."""
import re, sys, argparse
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

LINK = re.compile(r'(\]\(|href=")(?![a-zA-Z][\w+.-]*:|#|/)([^)"\s#]+)(#[^)"\s]*)?([)"])')

def absolute_links(md:str, cfg)->str:
    "Notebook links -> their docs pages (absolute); links to files under nbs/ -> relative to the repository root."
    from nbdev.doclinks import _nbpath2html
    root, nbs = Path(cfg.config_path), Path(cfg.nbs_path)
    site = (cfg.get('doc_host', '') + cfg.get('doc_baseurl', '')).rstrip('/')
    def fix(m):
        pre, path, frag, post = m[1], m[2], m[3] or '', m[4]
        if path.endswith('.ipynb') and (nbs/path).exists(): return f'{pre}{site}/{_nbpath2html(Path(path)).name}{frag}{post}'
        if not (root/path).exists() and (nbs/path).exists(): return f'{pre}{(nbs/path).relative_to(root).as_posix()}{frag}{post}'
        return m[0]
    return LINK.sub(fix, md)

def broken_links(md:str, root:Path)->list:
    "Relative links of `md` that name no file under `root`."
    return [m[2] for m in LINK.finditer(md) if not (root/m[2]).exists()]

def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument('--check', action='store_true', help='fail if README.md is out of sync instead of writing it')
    a = p.parse_args()
    cfg = get_config()
    root = cfg.config_path
    text = '<!-- Generated from nbs/index.ipynb by tools/make_readme.py (or nbdev_readme): do not edit by hand. -->\n\n' + render(cfg.nbs_path/'index.ipynb')
    text = absolute_links(text, cfg)
    readme = Path(root)/'README.md'
    bad = broken_links(text, Path(root))
    if bad: sys.exit(f'README links to files that do not exist from the repository root: {", ".join(bad)}')
    if a.check:
        if not readme.exists() or open(readme, encoding='utf-8', newline='').read() != text:
            sys.exit('README.md is out of sync with nbs/index.ipynb: run `python tools/make_readme.py` and commit.')
        print('README.md is in sync with nbs/index.ipynb')
    else:
        with open(readme, 'w', encoding='utf-8', newline='') as f: f.write(text)
        print(f'wrote {readme}')

if __name__ == '__main__': main()
