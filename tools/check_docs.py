#!/usr/bin/env python
"""Test the built docs site in a real browser (headless Chromium driven by Selenium), as a reader sees it.

Serves `_docs/` on a local port and opens every page at a desktop (1280 px) and a phone (390 px) width. Fails on
console errors, internal links to missing pages or anchors, images that did not load, maths that KaTeX did not
typeset, pages missing from the sidebar, and on each defect a reader notices (the number is the kind, as in the
issue that listed them):

 1 blank gaps or `\\r` redraws in outputs          8 project process or history in the prose
 2 API links that leave the site (doc_host)        9 display equations wider than the column
 3 raw markdown links in the text                  10 figures without alt text, or shrunk with no zoom
 4 sideways scrolling; docments hidden in code     11 search that finds nothing over file://; LaTeX in it
 5 `NoneType` shown for a `None` default           12 raw `Param(...)`/markdown printed as text
 6 local paths, library warnings in outputs         13 README links that resolve to nothing
 7 table cells without padding

`--selftest` builds a deliberately broken page (tools/docs_selftest/broken.html) into a copy of the site, undoes the
site's fixes for it, and checks that every kind fails. Screenshots of every page at both widths go to `docs_screens/`;
`--full PAGE,...` also saves full-length screenshots."""
import argparse, configparser, functools, http.server, json, re, shutil, sys, tempfile, threading, time
from pathlib import Path
from urllib.parse import urljoin, urlparse, unquote

ROOT = Path(__file__).resolve().parent.parent
WIDTHS = (1280, 390)
KINDS = {1: 'blank gaps / redraws in outputs', 2: 'API links leave the site', 3: 'raw markdown', 4: 'sideways scroll / docments in code',
         5: 'NoneType', 6: 'local paths', 7: 'unpadded tables', 8: 'process prose', 9: 'wide equations', 10: 'figures',
         11: 'search', 12: 'raw objects / markdown printed', 13: 'README links'}

def serve(root:Path):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *a): pass
    handler = functools.partial(Quiet, directory=str(root))
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f'http://127.0.0.1:{srv.server_address[1]}/'

def driver(chromium, chromedriver):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    o = webdriver.ChromeOptions()
    o.binary_location = chromium
    for f in ['--headless=new','--no-sandbox','--disable-gpu','--disable-quic','--no-first-run','--disable-background-networking',
              '--disable-component-update','--disable-sync','--disable-dev-shm-usage',
              '--hide-scrollbars','--window-size=1280,1600']: o.add_argument(f)
    o.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    return webdriver.Chrome(service=Service(chromedriver), options=o)

def set_width(d, w:int):
    "Emulate a device `w` CSS pixels wide (a phone at 390 px: mobile viewport, as a phone lays the page out)."
    d.execute_cdp_cmd('Emulation.setDeviceMetricsOverride', {'width': w, 'height': 900 if w < 600 else 1000,
                      'deviceScaleFactor': 1, 'mobile': w < 600})

# Maths delimiters left in the prose (code and typeset maths removed): KaTeX has not (yet) typeset the page
RAW_MATH = r"""const c = (document.querySelector('main') || document.body).cloneNode(true);
c.querySelectorAll('pre, code, .katex, script, style').forEach(e => e.remove());
return /\\\(|\\\[/.test(c.textContent);"""
JS_STATE = r"""
const cut = (t, n) => Array.from(String(t)).slice(0, n).join("");   // by code points: no half surrogate pairs
const main = document.querySelector('main') || document.body;
const imgs = [...main.querySelectorAll('img')].map(i => ({src: cut((i.currentSrc || i.src), 80), ok: i.complete && i.naturalWidth > 0,
  alt: i.getAttribute('alt'), nw: i.naturalWidth, w: i.clientWidth, zoom: i.classList.contains('zoomable')}));
const allImgs = [...document.images].map(i => ({src: cut((i.currentSrc || i.src), 80), ok: i.complete && i.naturalWidth > 0}));
const links = [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'));
const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
const rawMath = /\\\(|\\\[/.test(main.innerText);
const col = (main.querySelector('#quarto-document-content') || main).clientWidth;
const SHOWDOC = '.cell-output-markdown:has(> hr:first-child)';   // show_doc's output starts with a rule
const wide = [...main.querySelectorAll('*')]
  .filter(e => !e.closest('.katex') && !e.matches('.katex-display') && e.offsetParent !== null && e.scrollWidth > e.clientWidth + 1
               && ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(e).overflowX))
  .map(e => ({tag: e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : ''),
              w: e.scrollWidth, have: e.clientWidth, df: (!!(e.matches('table') || e.querySelector('table')) && !e.closest(SHOWDOC)) || e.matches('pre.out-table'),
              text: cut(e.innerText, 60)}));
const overflowPage = document.documentElement.scrollWidth > window.innerWidth + 1;
const colBox = (main.querySelector('#quarto-document-content') || main).getBoundingClientRect();
const clipped = (e) => { for (let a = e.parentElement; a && a !== main; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return true; return false; };
const beyond = [...main.querySelectorAll('pre, table, img, .katex-display, .sourceCode, p, h1, h2, h3, li')]
  .filter(e => e.offsetParent !== null && e.getBoundingClientRect().right > Math.min(colBox.right, window.innerWidth) + 1 && !clipped(e))
  .map(e => ({tag: e.tagName.toLowerCase(), w: Math.round(e.getBoundingClientRect().width), text: cut(e.innerText, 60)}));
const eqs = [...main.querySelectorAll('.katex-display')].map(e => {
  const k = e.querySelector('.katex') || e; return {w: k.scrollWidth, have: e.clientWidth, text: cut((e.querySelector('annotation') || e).textContent, 60)}; });
const outputs = [...main.querySelectorAll('.cell-output pre')].map(p => p.textContent);
const sigs = [...main.querySelectorAll('.cell-output-markdown pre')].map(p => p.textContent);
const tables = [...main.querySelectorAll('table')].filter(t => t.rows.length > 1 && t.rows[1].cells.length > 1).map(t => {
  const c = t.rows[1].cells[1], s = getComputedStyle(c);
  return {pad: parseFloat(s.paddingLeft) + parseFloat(s.paddingRight), text: cut(t.innerText, 40), cls: String(t.className)}; });
const shown = main.cloneNode(true);   // what the page shows but its input code: prose, outputs, signatures
[...shown.querySelectorAll('.cell .sourceCode, .cell details.code-fold')].filter(e => !e.closest('.cell-output')).forEach(e => e.remove());
shown.querySelectorAll('script, style, .katex-mathml').forEach(e => e.remove());
const clone = main.cloneNode(true);
clone.querySelectorAll('pre, code, .katex, script, style').forEach(e => e.remove());
return JSON.stringify({imgs, allImgs, links, ids, rawMath, col, wide, beyond, overflowPage, eqs, outputs, sigs, tables,
        text: main.innerText, shown: shown.textContent, prose: clone.textContent, katex: document.querySelectorAll('.katex').length,
        katexErr: document.querySelectorAll('.katex-error').length, title: document.title,
        sidebar: [...document.querySelectorAll('#quarto-sidebar a[href], nav a[href]')].map(a => a.getAttribute('href'))});
"""

# ---------------------------------------------------------------- what each kind looks like in a page's text
PROCESS = re.compile(r"\b(?:the|this|that) issue(?:'s)?\b|\bissue(?:'s)? (?:asks|setting|goals?|text)\b|\bissue #?\d+|"
                     r"\boffline build\b|\bcould not be (?:retrieved|fetched|downloaded)\b|\bin this session\b|\bthe (?:lead|brief)\b|"
                     r"\b(?:benchmark|measurement|timing) history\b|\b(?:before|after) (?:the|this|these) (?:\w+ ){0,2}(?:fix|fixes|changes?|rewrite|refactor)\b|"
                     r"\b(?:earlier|previous|older|first|old) (?:versions?|revisions?|commits?|implementations?|runs|measurements|timings)\b|"
                     r"\bcommit [0-9a-f]{7,40}\b|\b(?:was|were) (?:previously|formerly)\b|\bno longer\b|\bas of (?:today|now)\b", re.I)
RAW_MD = re.compile(r"\[[^\]\n]{1,200}\]\((?:https?://|[\w./-]+\.(?:ipynb|html|md|png)\b)[^)\s]*\)|\]\{target=|"
                    r"\((?:[\w.-]+/)*\d\d[a-z]?_[\w.-]+\.ipynb(?:#[\w.-]*)?\)")
LOCAL = re.compile(r"(?:/[\w.+-]+)*/(?:site|dist)-packages/|/\.pyenv/|/\.venv/|/(?:home|Users)/[\w.-]+/|/root/|[A-Z]:\\Users\\")
LIB_WARNING = re.compile(r"(?m)^(?:[A-Za-z]:)?/?(?:[\w.+-]+/)+[\w.-]+\.py:\d+: \w*Warning: .*")   # another library's warning, as `warnings` prints it
RAW_OBJ = re.compile(r"\bParam\(|<function [\w.]+ at 0x|<[\w.]+ object at 0x")
MD_TABLE = re.compile(r"^\|.*\|\s*\n\|[-:| ]+\|\s*$", re.M)
MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)\s]+\)")

def _ctx(text, m, n=50): return ' '.join(text[max(0, m.start()-n):m.end()+n].split())

def page_problems(page:str, s:dict, width:int, doc_url:str)->list[tuple[int, str]]:
    "The reader-visible defects of one page at one width, as (kind, message)."
    P = []
    at = f'{page} @{width}px'
    if width == WIDTHS[0]:   # text defects: the same at every width
        for o in s['outputs']:
            if '\r' in o: P.append((1, f'{page}: output with carriage-return redraws: {o[:50]!r}'))
            lines = o.split('\n'); blanks = sum(1 for l in lines if not l.strip())
            if re.search(r'\n[ \t]*\n[ \t]*\n', o) or (blanks >= 3 and blanks * 3 >= len(lines)):
                P.append((1, f'{page}: output with {blanks} blank lines in {len(lines)}: {o.strip()[:50]!r}'))
        for h in s['links']:
            if doc_url and h.startswith(doc_url): P.append((2, f'{page}: API link leaves the site: {h}'))
        for m in RAW_MD.finditer(s['shown']): P.append((3, f'{page}: raw markdown: {_ctx(s["shown"], m)}'))
        for g in s['sigs']:
            if re.search(r'^\s+\**\w+(?::[^=\n]+)?(?:=[^\n]*)?,? # ', g, re.M): P.append((4, f'{page}: docments hidden in a signature\'s comments: {g.splitlines()[0][:60]}'))
        for m in re.finditer(r'NoneType', s['shown']): P.append((5, f'{page}: {_ctx(s["shown"], m, 40)}'))
        for o in s['outputs'] + [s['shown']]:
            for m in LOCAL.finditer(o): P.append((6, f'{page}: local path: {_ctx(o, m, 40)}'))
        for o in s['outputs']:
            for m in LIB_WARNING.finditer(o): P.append((6, f'{page}: a library warning in an output (fix or filter it where it is raised): {m[0][:110]}'))
        for t in s['tables']:
            if t['pad'] < 4: P.append((7, f'{page}: table cells without padding ({t["pad"]:.0f} px): {t["text"]!r}'))
        for m in PROCESS.finditer(s['prose']): P.append((8, f'{page}: process in the prose: "{_ctx(s["prose"], m, 60)}"'))
        for m in RAW_OBJ.finditer(s['shown']): P.append((12, f'{page}: raw object printed: {_ctx(s["shown"], m, 40)}'))
        for o in s['outputs']:
            if MD_TABLE.search(o) or MD_IMAGE.search(o): P.append((12, f'{page}: markdown printed as text: {o.strip()[:60]!r}'))
        for i in s['imgs']:
            if not (i['alt'] or '').strip() or re.fullmatch(r'[\w.-]+\.(?:png|jpe?g|svg)', (i['alt'] or '').strip()):
                P.append((10, f'{page}: figure without alt text: {i["src"][:40]}'))
    for e in s['wide']:
        if e['df'] and width < 600: continue   # a table of numbers (or a training log) may scroll in its own box on a phone
        P.append((4, f'{at}: {e["tag"]} scrolls sideways ({e["w"]} px in {e["have"]} px): {e["text"]!r}'))
    for e in s['beyond']: P.append((4, f'{at}: {e["tag"]} runs past the column ({e["w"]} px wide): {e["text"]!r}'))
    if s['overflowPage']: P.append((4, f'{at}: the page itself scrolls sideways'))
    for e in s['eqs']:
        if e['w'] > e['have'] + 1: P.append((9, f'{at}: equation wider than the column ({e["w"]} px in {e["have"]} px): {e["text"]!r}'))
    for i in s['imgs']:
        if i['ok'] and i['nw'] > i['w'] * 1.05 and not i['zoom']:
            P.append((10, f'{at}: figure shrunk to {i["w"]} px of {i["nw"]} with no way to see it full size'))
    return P

def search_problems(d, site:Path, query:str='mixup')->list[tuple[int, str]]:
    "Search as a reader does it over file:// (no server): type a word, expect results; no raw LaTeX in the index."
    P = []
    f = site/'search.json'
    if f.exists():
        for e in json.loads(f.read_text(encoding='utf-8')):
            t = ' '.join(str(e.get(k, '')) for k in ('title', 'section', 'text'))
            m = re.search(r'\\[A-Za-z]+|\$[^$\s][^$]*\$', t)
            if m: P.append((11, f'search index: raw LaTeX in {e.get("href")}: {_ctx(t, m, 30)}')); break
    from selenium.webdriver.common.by import By
    d.get((site/'index.html').as_uri()); time.sleep(0.5)
    boxes = [b for b in d.find_elements(By.CSS_SELECTOR, '.smalldocs-search input, input[type=search]') if b.is_displayed()]
    if not boxes:
        btn = [b for b in d.find_elements(By.CSS_SELECTOR, '.smalldocs-search button, .sd-search-toggle, [aria-label*=earch]') if b.is_displayed()]
        if btn: btn[0].click(); time.sleep(0.2)
        boxes = [b for b in d.find_elements(By.CSS_SELECTOR, '.smalldocs-search input, input[type=search]') if b.is_displayed()]
    if not boxes: return P + [(11, 'search: no search box on the home page')]
    boxes[0].click(); boxes[0].send_keys(query)
    hits = []
    for _ in range(30):
        time.sleep(0.1)
        hits = d.execute_script("return [...document.querySelectorAll('.search-result')].map(a => a.innerText)")
        if hits: break
    if not hits: P.append((11, f'search over file:// finds nothing for "{query}"'))
    for h in hits:
        if re.search(r'\\[A-Za-z]+', h): P.append((11, f'search result shows raw LaTeX: {h[:80]!r}')); break
    return P

def readme_problems(readme:Path, site:Path|None, doc_url:str, states:dict)->list[tuple[int, str]]:
    "README links: relative ones must name files in the repository; doc-site ones must name built pages and anchors."
    P = []
    if not readme.exists(): return P
    text = readme.read_text(encoding='utf-8')
    for m in re.finditer(r'\]\(([^)\s]+)\)|href="([^"]+)"', text):
        h = m[1] or m[2]
        if re.match(r'[a-z]+:', h) and not (doc_url and h.startswith(doc_url)): continue
        if h.startswith('#'): continue
        if doc_url and h.startswith(doc_url):
            if site is None: continue
            u = urlparse(h); page = u.path[len(urlparse(doc_url).path):].lstrip('/') or 'index.html'
            if not (site/page).exists(): P.append((13, f'README: link to a page the site does not have: {h}'))
            elif u.fragment and page in states and unquote(u.fragment) not in states[page]['ids']:
                P.append((13, f'README: link to a missing anchor: {h}'))
            continue
        if not (readme.parent/unquote(h.split('#')[0])).exists(): P.append((13, f'README: relative link to nothing: {h}'))
    return P

def check_site(site:Path, d, shots:Path|None, doc_url:str, readme:Path|None, full=()):
    "Every check on every page; returns (problems as (kind, message), states)."
    pages = sorted(str(p.relative_to(site)) for p in site.rglob('*.html'))
    if not pages: sys.exit(f'no pages in {site}: build the site first (python tools/build_docs.py)')
    srv, base = serve(site)
    problems, states = [], {}
    try:
        for w in WIDTHS:
            set_width(d, w)
            for page in pages:
                d.get(base + page)
                for _ in range(40):   # deferred scripts: KaTeX, then site_libs/mixup_nb.js
                    if d.execute_script("return document.readyState") == 'complete': break
                    time.sleep(0.1)
                time.sleep(0.3)
                for _ in range(50):   # a long page on a loaded machine: wait (up to 5 s) for KaTeX to finish typesetting
                    if not d.execute_script(RAW_MATH): break
                    time.sleep(0.1)
                s = json.loads(d.execute_script(JS_STATE))
                if w == WIDTHS[0]: states[page] = s
                name = page.replace('/', '_')[:-5]
                if shots:
                    d.save_screenshot(str(shots/f'{name}-{w}.png'))
                    if name in full: full_shot(d, shots/f'{name}-{w}-full.png')
                for e in d.get_log('browser'):
                    if e['level'] == 'SEVERE': problems.append((0, f'{page}: console error: {e["message"]}'))
                problems += page_problems(page, s, w, doc_url)
                if w != WIDTHS[0]: continue
                for i in s['allImgs']:
                    if not i['ok']: problems.append((0, f'{page}: image did not load: {i["src"]}'))
                if s['katexErr']: problems.append((0, f'{page}: {s["katexErr"]} KaTeX error(s)'))
                if re.search(r'\\\(|\\\[', s['prose']): problems.append((0, f'{page}: untypeset maths delimiters left in the text'))
        set_width(d, WIDTHS[0])
        for page, s in states.items():
            for h in s['links']:
                u = urlparse(urljoin(base + page, h))
                if u.scheme not in ('http', 'https') or u.netloc != urlparse(base).netloc: continue
                target = unquote(u.path.lstrip('/')) or 'index.html'
                if target.endswith('/'): target += 'index.html'
                if not (site/target).exists(): problems.append((0, f'{page}: broken link {h}')); continue
                if u.fragment and target.endswith('.html') and target in states and unquote(u.fragment) not in states[target]['ids']:
                    problems.append((0, f'{page}: broken anchor {h}'))
        side = {urlparse(h).path.split('/')[-1] for h in states.get('index.html', {'sidebar': []})['sidebar']}
        for p in pages:
            if p not in ('search.html',) and p not in side: problems.append((0, f'sidebar: page {p} is not in the sidebar'))
    finally:
        srv.shutdown()
    problems += search_problems(d, site)
    if readme is not None: problems += readme_problems(readme, site, doc_url, states)
    return problems, states

def full_shot(d, path:Path):
    "A screenshot of the whole page, top to bottom (Chromium's DevTools protocol)."
    import base64
    h = d.execute_script("return document.documentElement.scrollHeight")
    r = d.execute_cdp_cmd('Page.captureScreenshot', {'captureBeyondViewport': True, 'fromSurface': True,
        'clip': {'x': 0, 'y': 0, 'width': d.execute_script("return window.innerWidth"), 'height': min(h, 30000), 'scale': 1}})
    path.write_bytes(base64.b64decode(r['data']))

def doc_url_of(root:Path)->str:
    c = configparser.ConfigParser(); c.read(root/'settings.ini')
    return (c['DEFAULT'].get('doc_host', '') + c['DEFAULT'].get('doc_baseurl', '')).rstrip('/')

# ---------------------------------------------------------------- the self-test: a page with every defect must fail
SELFTEST = [(1, 'blank lines'), (2, 'API link leaves the site'), (3, 'raw markdown'), (4, 'docments hidden'), (4, 'scrolls sideways'), (4, 'runs past the column'),
            (5, 'NoneType'), (6, 'local path'), (6, 'library warning'), (7, 'without padding'), (8, 'process in the prose'), (9, 'equation wider'),
            (10, 'without alt text'), (10, 'no way to see it full size'), (11, 'raw LaTeX'), (11, 'finds nothing'),
            (12, 'raw object printed'), (12, 'markdown printed as text'), (13, 'README: relative link to nothing')]

def selftest_site(site:Path, tmp:Path)->tuple[Path, Path]:
    "A copy of `site` plus `broken.html` (tools/docs_selftest/broken.html in a real page's shell), with the site's fixes undone."
    st = Path(__file__).parent/'docs_selftest'
    dst = tmp/'site'; shutil.copytree(site, dst)
    shell_page = next((p for p in sorted(dst.glob('*.html')) if 'katex' in p.read_text(encoding='utf-8')), dst/'index.html')
    shell = shell_page.read_text(encoding='utf-8')
    body = (st/'broken.html').read_text(encoding='utf-8')
    m = re.search(r'(<main\b[^>]*>)(.*)(</main>)', shell, re.S)
    if not m: sys.exit(f'selftest: no <main> in {shell_page.name}')
    page = shell[:m.start(2)] + body + shell[m.end(2):]
    page = re.sub(r'<nav id="TOC".*?</nav>', '', page, flags=re.S)   # the shell page's own table of contents
    page = re.sub(r'<script src="[^"]*mixup_nb\.js"[^>]*></script>', '', page)   # the page without the site's fixes
    (dst/'broken.html').write_text(page, encoding='utf-8')
    for p in dst.glob('*.html'):   # list it in the sidebar, as a real page would be
        t = p.read_text(encoding='utf-8')
        p.write_text(t.replace('href="index.html"', 'href="index.html"></a><a href="broken.html"', 1), encoding='utf-8')
    (dst/'search.js').unlink(missing_ok=True)
    js = dst/'site_libs'/'smalldocs.js'
    t = js.read_text(encoding='utf-8')
    js.write_text(re.sub(r'index = await new Promise\(.*?\n      if \(!index\) \{ (const r = await fetch\(offset \+ "search\.json"\);) (index = await r\.json\(\);) \}',
                         r'\1\n      \2', t, flags=re.S), encoding='utf-8')
    entries = json.loads((dst/'search.json').read_text(encoding='utf-8'))
    entries.append({'objectID': 'broken.html', 'href': 'broken.html', 'title': 'Broken', 'section': '', 'text': r'$\lambda \sim \mathrm{Beta}(\alpha, \alpha)$'})
    (dst/'search.json').write_text(json.dumps(entries), encoding='utf-8')
    readme = tmp/'README.md'
    readme.write_text((st/'README.md').read_text(encoding='utf-8'), encoding='utf-8')
    return dst, readme

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--site', default='_docs'); ap.add_argument('--shots', default='docs_screens')
    ap.add_argument('--chromium', default='/usr/bin/chromium'); ap.add_argument('--chromedriver', default='/usr/bin/chromedriver')
    ap.add_argument('--selftest', action='store_true', help='check that a page with every defect fails every check')
    ap.add_argument('--full', default='', help='pages (without .html) to also screenshot full length, e.g. index,manifold')
    a = ap.parse_args()
    site = Path(a.site).resolve()
    doc_url = doc_url_of(ROOT)
    d = driver(a.chromium, a.chromedriver)
    try:
        if a.selftest:
            with tempfile.TemporaryDirectory() as tmp:
                ssite, readme = selftest_site(site, Path(tmp))
                problems, _ = check_site(ssite, d, None, doc_url, readme)
            ours = [(k, msg) for k, msg in problems if k and ('broken.html' in msg or k in (11, 13))]
            for k, msg in ours: print(f'  caught [{k}] {msg[:150]}')
            missed = [(k, w) for k, w in SELFTEST if not any(k == j and w in msg for j, msg in ours)]
            if missed: sys.exit('selftest: the broken page passed these checks: ' + '; '.join(f'[{k}] {KINDS[k]}: "{w}"' for k, w in missed))
            print(f'selftest OK: the broken page fails all {len(SELFTEST)} checks, of all {len(KINDS)} kinds'); return
        shots = Path(a.shots); shots.mkdir(exist_ok=True)
        problems, states = check_site(site, d, shots, doc_url, ROOT/'README.md', full=set(filter(None, a.full.split(','))))
    finally:
        d.quit()
    maths = {p: s['katex'] for p, s in states.items() if s['katex']}
    print(f'checked {len(states)} pages in Chromium at {" and ".join(f"{w} px" for w in WIDTHS)}; typeset maths on {len(maths)} pages '
          f'({sum(maths.values())} formulas); {sum(len(s["imgs"]) for s in states.values())} figures; screenshots in {a.shots}/')
    if problems:
        by = {}
        for k, msg in problems: by.setdefault(k, []).append(msg)
        for k in sorted(by):
            print(f'== [{k}] {KINDS.get(k, "site")}: {len(by[k])}')
            print('\n'.join(by[k]), flush=True)
        sys.exit(f'{len(problems)} problem(s) in the docs site')
    print('docs site OK')

if __name__ == '__main__': main()
