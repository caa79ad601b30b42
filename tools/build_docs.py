#!/usr/bin/env python
"""Build the docs site into `_docs/`, offline.

With Quarto installed this is `nbdev_docs`. Without it (Quarto's installer downloads from the web), nbdev's own
processed notebooks (`nbdev.serve.proc_nbs`: directives applied, `show_doc` added for every exported symbol) are
rendered by `smalldocs`, a Quarto-compatible renderer from PyPI that reads the same `_quarto.yml`/`nbdev.yml`/`sidebar.yml`.
Maths is typeset by KaTeX; the CDN is unreachable offline, so a local KaTeX (Debian's `libjs-katex`, or
`$KATEX_DIR`) is copied into the site and the pages point at it."""
import argparse, os, re, shutil, subprocess, sys
from pathlib import Path

KATEX_CDN = re.compile(r'https://cdn\.jsdelivr\.net/npm/katex@[0-9.]+/dist/')
KATEX_DIRS = [os.environ.get('KATEX_DIR', ''), '/usr/share/javascript/katex']

def find_katex():
    for d in KATEX_DIRS:
        if d and (Path(d)/'katex.min.css').exists() and (Path(d)/'contrib').is_dir(): return Path(d)
    return None

def vendor_katex(site:Path):
    "Copy a local KaTeX into `site/site_libs/katex` and point every page at it instead of the CDN."
    src = find_katex()
    pages = [p for p in site.rglob('*.html') if KATEX_CDN.search(p.read_text(encoding='utf-8'))]
    if not pages: return 0
    if src is None:
        sys.exit('Pages use maths but no local KaTeX was found (install Debian package libjs-katex or set KATEX_DIR).')
    dst = site/'site_libs'/'katex'
    if dst.exists(): shutil.rmtree(dst)
    shutil.copytree(src, dst, symlinks=False)
    for f in ('auto-render',):   # Debian ships contrib/*.js only; the pages ask for *.min.js
        if not (dst/'contrib'/f'{f}.min.js').exists(): shutil.copy(dst/'contrib'/f'{f}.js', dst/'contrib'/f'{f}.min.js')
    for p in pages:
        rel = os.path.relpath(dst, p.parent).replace(os.sep, '/') + '/'
        p.write_text(KATEX_CDN.sub(rel, p.read_text(encoding='utf-8')), encoding='utf-8')
    return len(pages)

FONT_IMPORT = re.compile(r'@import url\(["\']?https?://fonts\.googleapis\.com[^)]*\);?')

def drop_web_fonts(site:Path):
    "Themes import Google Fonts, unreachable offline: drop the import (pages fall back to the system's sans-serif)."
    for p in (site/'site_libs').rglob('*.css'):
        t = p.read_text(encoding='utf-8')
        if FONT_IMPORT.search(t): p.write_text(FONT_IMPORT.sub('', t), encoding='utf-8')

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--renderer', choices=['auto','quarto','smalldocs'], default='auto', help='auto: Quarto when installed, else smalldocs')
    a = ap.parse_args()
    from nbdev.config import get_config
    cfg = get_config(); root = Path(cfg.config_path); out = root/cfg.doc_path
    use_quarto = a.renderer == 'quarto' or (a.renderer == 'auto' and shutil.which('quarto'))
    if use_quarto:
        subprocess.run(['nbdev_docs'], check=True, cwd=root)
    else:
        from nbdev.serve import proc_nbs
        proc = proc_nbs(force=True)
        if out.exists(): shutil.rmtree(out)
        subprocess.run(['smalldocs', 'render', str(proc)], check=True, cwd=root)
        built = Path(proc)/cfg.doc_path.name
        shutil.move(str(built), str(out))
    n = vendor_katex(out)
    drop_web_fonts(out)
    pages = sorted(p.relative_to(out) for p in out.rglob('*.html'))
    print(f'built {len(pages)} pages into {out} ({"quarto" if use_quarto else "smalldocs"}); local KaTeX on {n} pages')

if __name__ == '__main__': main()
