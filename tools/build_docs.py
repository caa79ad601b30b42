#!/usr/bin/env python
"""Build the docs site into `_docs/`, offline.

With Quarto installed this is `nbdev_docs`. Without it (Quarto's installer downloads from the web), nbdev's own
processed notebooks (`nbdev.serve.proc_nbs`: directives applied, `show_doc` added for every exported symbol) are
rendered by `smalldocs`, a Quarto-compatible renderer from PyPI that reads the same `_quarto.yml`/`nbdev.yml`/`sidebar.yml`.
On the way the build makes the site read as nbdev's own would:

- `show_doc` renders a short signature and a Type | Default | Details table (`tools/docs_showdoc.py`);
- pages get nbdev's names (each notebook's `output-file`: `04b_manifold.ipynb` -> `manifold.html`), so the symbol
  links that nbdev writes to `doc_host` (and `_modidx.py` publishes) name real pages; those links are made local;
- outputs are cleaned as `tools/run_nbs.py` cleans them (progress-bar redraws, local paths), in case a notebook was
  saved without it; figures get alt text from their titles; a link nested in a link keeps the inner one;
- search works over `file://` too (the index is also written as a script) and its text has no raw LaTeX;
- maths is typeset by a local KaTeX (Debian's `libjs-katex`, or `$KATEX_DIR`): the CDN is unreachable offline;
- `site_libs/mixup_nb.js` scales wide equations to the column and opens figures at full size on click."""
import argparse, ast, json, os, re, shutil, subprocess, sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from run_nbs import clean_outputs   # one cleaner for saved notebooks and the site

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

# ------------------------------------------------------------------ processing the notebooks

def process_notebooks():
    "nbdev's `proc_nbs`, in this process (so that `show_doc` renders with `docs_showdoc.TableRenderer`)."
    import docs_showdoc; docs_showdoc.install()
    from nbdev.serve import proc_nbs
    return Path(proc_nbs(force=True, n_workers=0))

def _front(nb:dict)->tuple[dict, int]:
    "The notebook's front matter (the raw `---` cell nbdev writes first) and that cell's index."
    import yaml
    for i, c in enumerate(nb['cells'][:3]):
        s = ''.join(c['source'])
        if c['cell_type'] == 'raw' and s.lstrip().startswith('---'):
            return (yaml.safe_load(s.strip().strip('-')) or {}), i
    return {}, -1

def page_names(proc:Path)->dict:
    "{'04b_manifold.ipynb': 'manifold.ipynb', ...}: each notebook renamed after the page nbdev names it (`output-file`)."
    names = {}
    for f in sorted(proc.glob('*.ipynb')):
        of = _front(json.loads(f.read_text(encoding='utf-8')))[0].get('output-file')
        if of and Path(of).stem != f.stem: names[f.name] = Path(of).stem + '.ipynb'
    return names

NESTED_LINK = re.compile(r'\[\[([^\[\]]+)\]\(([^()\s]+)\)\]\([^()\s]+\)')   # [[`X`](doc link)](page): nbdev's linkify in a link text

def fix_markdown(md:str, names:dict, doc_url:str)->str:
    "Links in markdown: a link nested in a link keeps the inner (symbol) link; doc-site and notebook links name built pages."
    md = NESTED_LINK.sub(r'[\1](\2)', md)
    if doc_url: md = re.sub(re.escape(doc_url) + r'/([\w.-]+\.html)', r'\1', md)   # nbdev's symbol links, made local
    def nb_link(m):
        target = m[2]
        return m[1] + names.get(target, target) + m[3]
    return re.sub(r'(\]\(|href=["\'])([\w.-]+\.ipynb)([#)"\'])', nb_link, md)

FIG_DEFAULT = re.compile(r'^<Figure size \d+x\d+ with (\d+) Axes>$')
TITLE_ARGS = re.compile(r"""(?:title|suptitle|set_title|set_xlabel|set_ylabel|xlabel|ylabel)\s*[=(]\s*f?(['"])(.+?)\1""")

def figure_alt(out:dict, src:str, heading:str)->str:
    "Alt text for an image output: its plain-text description (from `tools/run_nbs.py`), else the titles in its code."
    plain = out.get('data', {}).get('text/plain', '')
    plain = (''.join(plain) if isinstance(plain, list) else plain).strip()
    m = FIG_DEFAULT.match(plain)
    if plain and not m and not plain.startswith('<'): return plain
    n = int(m[1]) if m else 1
    titles = [re.sub(r'\{[^}]*\}', '…', t[1]) for t in TITLE_ARGS.findall(src)]
    what = '; '.join(dict.fromkeys(titles)) or heading or 'untitled'
    return f"Figure{f' ({n} panels)' if n > 1 else ''}: {what}"

def fix_notebook(nb:dict, names:dict, doc_url:str, root:Path):
    "Clean outputs, fix links, give figures alt text; drop `output-file` (smalldocs names pages after files)."
    front, i = _front(nb)
    if i >= 0 and 'output-file' in front:
        import yaml
        del front['output-file']
        nb['cells'][i]['source'] = '---\n' + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + '---\n'
    clean_outputs(nb, root)
    heading = ''
    for c in nb['cells']:
        src = ''.join(c['source']) if isinstance(c['source'], list) else c['source']
        if c['cell_type'] == 'markdown':
            c['source'] = fix_markdown(src, names, doc_url)
            h = re.findall(r'^#+\s+(.+)$', src, re.M)
            if h: heading = h[-1].strip()
            continue
        if c['cell_type'] != 'code': continue
        alts = []
        for o in c.get('outputs', []):
            d = o.get('data', {})
            if 'text/markdown' in d:
                t = d['text/markdown']; d['text/markdown'] = fix_markdown(''.join(t) if isinstance(t, list) else t, names, doc_url)
            if 'text/html' in d:
                t = d['text/html']; d['text/html'] = fix_markdown(''.join(t) if isinstance(t, list) else t, names, doc_url)
            if any(k.startswith('image/') for k in d): alts.append(figure_alt(o, src, heading))
        if alts and 'fig-alt' not in src:
            alt = alts[0] if len(set(alts)) == 1 else ' | '.join(dict.fromkeys(alts))
            c['source'] = f'#| fig-alt: {json.dumps(alt, ensure_ascii=False)}\n' + src

def fix_proc(proc:Path, names:dict, doc_url:str, root:Path):
    "Apply `fix_notebook` to every processed notebook, rename them to nbdev's page names, and fix the sidebar."
    for f in sorted(proc.glob('*.ipynb')):
        nb = json.loads(f.read_text(encoding='utf-8'))
        fix_notebook(nb, names, doc_url, root)
        dst = proc/names.get(f.name, f.name)
        f.unlink(); dst.write_text(json.dumps(nb, ensure_ascii=False, indent=1), encoding='utf-8')
    for y in proc.glob('*.yml'):
        t = y.read_text(encoding='utf-8')
        for old, new in names.items(): t = re.sub(rf'(?<![\w.-]){re.escape(old)}\b', new, t)
        y.write_text(t, encoding='utf-8')

# ------------------------------------------------------------------ the rendered site

TEX_SYMBOLS = {'alpha':'α','beta':'β','gamma':'γ','delta':'δ','epsilon':'ε','varepsilon':'ε','theta':'θ','lambda':'λ','mu':'μ',
    'pi':'π','sigma':'σ','tau':'τ','phi':'φ','varphi':'φ','omega':'ω','Gamma':'Γ','Delta':'Δ','Lambda':'Λ','Sigma':'Σ','Omega':'Ω',
    'Phi':'Φ','nabla':'∇','partial':'∂','infty':'∞','sim':'~','approx':'≈','le':'≤','leq':'≤','ge':'≥','geq':'≥','ne':'≠','neq':'≠',
    'in':'∈','times':'×','cdot':'·','to':'→','rightarrow':'→','mapsto':'↦','sum':'Σ','prod':'Π','int':'∫','sqrt':'√','pm':'±',
    'ldots':'…','dots':'…','cdots':'…','mid':'|','top':'ᵀ','Vert':'‖','lVert':'‖','rVert':'‖','vert':'|','langle':'⟨','rangle':'⟩','odot':'⊙','otimes':'⊗',
    'propto':'∝','equiv':'≡','forall':'∀','exists':'∃','subset':'⊂','cup':'∪','cap':'∩','quad':' ','qquad':' ',
    'sin':'sin','cos':'cos','tanh':'tanh','arg':'arg','argmax':'argmax','argmin':'argmin','sup':'sup','inf':'inf','lim':'lim','Pr':'Pr','rank':'rank','tr':'tr','operatorname':'','log':'log','exp':'exp','min':'min','max':'max','det':'det','ell':'ℓ'}

def _tex(t:str, braces:bool)->str:
    t = re.sub(r'\\(?:mathrm|mathbf|mathbb|mathcal|text|textrm|operatorname|boldsymbol|bm|mathit|hat|tilde|bar|underbrace|overbrace|underset|overset)\s*\{([^{}]*)\}', r'\1', t)
    t = re.sub(r'\\frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}', r'(\1)/(\2)', t)
    t = re.sub(r'([_^])\{([^{}]*)\}', r'\1\2', t)
    t = re.sub(r'\\(?:left|right|big|Big|bigg|Bigg)\b', '', t)
    t = re.sub(r'\\([A-Za-z]+)', lambda k: TEX_SYMBOLS.get(k[1], ''), t)
    t = re.sub(r'\\[,;:!| ]|\\\\', ' ', t)
    if braces: t = t.replace('{', '').replace('}', '').replace('&', ' ')
    return t.replace('\\', '')

def tex_to_text(s:str)->str:
    "Maths as a reader reads it in plain text: `\\lambda \\sim \\mathrm{Beta}(\\alpha,\\alpha)` -> `λ ~ Beta(α,α)`."
    s = re.sub(r'\$\$(.+?)\$\$|\\\[(.+?)\\\]|\\\((.+?)\\\)|\$([^$\n]+?)\$',
               lambda m: ' '.join(_tex(next(g for g in m.groups() if g is not None), True).split()), s, flags=re.S)
    return _tex(s, False)   # smalldocs drops the delimiters from the search text: the commands are left bare

SEARCH_FETCH = 'const r = await fetch(offset + "search.json");\n      index = await r.json();'
SEARCH_SCRIPT = ('index = await new Promise((ok) => {  // search.js: a script loads over file:// too, where fetch() is refused\n'
    '        if (window.SEARCH_INDEX) return ok(window.SEARCH_INDEX);\n'
    '        const s = document.createElement("script"); s.src = offset + "search.js";\n'
    '        s.onload = () => ok(window.SEARCH_INDEX || null); s.onerror = () => ok(null); document.head.appendChild(s);\n'
    '      });\n'
    '      if (!index) { const r = await fetch(offset + "search.json"); index = await r.json(); }')

def fix_search(site:Path):
    "Search text without LaTeX; the index also as `search.js` (pages load it as a script, which works over file://)."
    f = site/'search.json'
    if not f.exists(): return 0
    entries = json.loads(f.read_text(encoding='utf-8'))
    for e in entries:
        for k in ('text', 'section', 'title'):
            if e.get(k): e[k] = tex_to_text(e[k])
    f.write_text(json.dumps(entries, ensure_ascii=False), encoding='utf-8')
    (site/'search.js').write_text('window.SEARCH_INDEX = ' + json.dumps(entries, ensure_ascii=False) + ';\n', encoding='utf-8')
    js = site/'site_libs'/'smalldocs.js'
    t = js.read_text(encoding='utf-8')
    if SEARCH_FETCH not in t: sys.exit(f'{js}: its search no longer fetches search.json as this build expects; update fix_search')
    js.write_text(t.replace(SEARCH_FETCH, SEARCH_SCRIPT), encoding='utf-8')
    return len(entries)

def _other_docs(lib:str)->dict:
    "{'show_batch': 'https://docs.fast.ai/data.core.html#show_batch', ...}: symbols documented by the other nbdev libraries installed."
    try:
        from nbdev.doclinks import NbdevLookup
        syms = NbdevLookup().syms
    except Exception: return {}
    out = {}
    for k, v in sorted(syms.items(), key=lambda kv: kv[0].count('.')):   # a module's function before a method of the same name
        if '.' in k and not k.startswith(lib + '.') and isinstance(v, tuple) and v and v[0]: out.setdefault(k.rsplit('.', 1)[1].lower(), v[0])
    return out

def fix_pages(site:Path, doc_url:str, lib:str=''):
    """Symbol links to the doc site made local (where the page exists); a symbol link to an anchor that no page has
    (a `typedispatch` extension of another library's function gets no `show_doc`) goes to that library's docs, else
    loses its link; `site_libs/mixup_nb.js` added to every page."""
    shutil.copy(Path(__file__).parent/'docs_site.js', site/'site_libs'/'mixup_nb.js')
    ids = {p.name: set(re.findall(r'\bid="([^"]+)"', p.read_text(encoding='utf-8'))) for p in site.glob('*.html')}
    other = None
    for p in site.rglob('*.html'):
        t = p.read_text(encoding='utf-8')
        rel = os.path.relpath(site, p.parent).replace(os.sep, '/')
        pre = '' if rel == '.' else rel + '/'
        if doc_url:
            t = re.sub(r'href="' + re.escape(doc_url) + r'/([\w.-]+\.html)',
                       lambda m: f'href="{pre}{m[1]}' if (site/m[1]).exists() else m[0], t)
        def anchor(m):
            nonlocal other
            page, frag = m[2] or p.name, m[3]
            if page not in ids or frag in ids[page]: return m[0]
            if other is None: other = _other_docs(lib)
            url = other.get(frag.lower())
            return f'<a href="{url}"{m[4]}>{m[5]}</a>' if url else m[5]
        t = re.sub(r'<a href="((?:\.\./)*)([\w.-]+\.html)?#([^"]+)"([^>]*)>(.*?)</a>', anchor, t, flags=re.S)
        if 'mixup_nb.js' not in t:
            t = t.replace('</body>', f'<script src="{pre}site_libs/mixup_nb.js" defer></script>\n</body>', 1)
        p.write_text(t, encoding='utf-8')

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--renderer', choices=['auto','quarto','smalldocs'], default='auto', help='auto: Quarto when installed, else smalldocs')
    a = ap.parse_args()
    from nbdev.config import get_config
    cfg = get_config(); root = Path(cfg.config_path); out = root/cfg.doc_path
    doc_url = (cfg.get('doc_host', '') + cfg.get('doc_baseurl', '')).rstrip('/')
    use_quarto = a.renderer == 'quarto' or (a.renderer == 'auto' and shutil.which('quarto'))
    if use_quarto:
        subprocess.run(['nbdev_docs'], check=True, cwd=root)
    else:
        proc = process_notebooks()
        names = page_names(proc)
        fix_proc(proc, names, doc_url, root)
        if out.exists(): shutil.rmtree(out)
        subprocess.run(['smalldocs', 'render', str(proc)], check=True, cwd=root)
        built = Path(proc)/cfg.doc_path.name
        shutil.move(str(built), str(out))
        fix_search(out)
    fix_pages(out, doc_url, cfg.lib_name)
    n = vendor_katex(out)
    drop_web_fonts(out)
    pages = sorted(p.relative_to(out) for p in out.rglob('*.html'))
    print(f'built {len(pages)} pages into {out} ({"quarto" if use_quarto else "smalldocs"}); local KaTeX on {n} pages')

if __name__ == '__main__': main()
