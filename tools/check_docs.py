#!/usr/bin/env python
"""Test the built docs site in a real browser (headless Chromium driven by Selenium).

Serves `_docs/` on a local port, opens every page, and fails on: console errors, internal links to missing pages or
anchors, images that did not load, maths that KaTeX did not typeset (or typeset with errors), and pages missing from
the sidebar. Saves a screenshot of every page to `docs_screens/`."""
import argparse, functools, http.server, sys, threading, time
from pathlib import Path
from urllib.parse import urljoin, urlparse, unquote

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
              '--disable-component-update','--disable-sync','--disable-dev-shm-usage','--window-size=1280,1600']: o.add_argument(f)
    o.set_capability('goog:loggingPrefs', {'browser': 'ALL'})
    return webdriver.Chrome(service=Service(chromedriver), options=o)

JS_STATE = """
const imgs = [...document.images].map(i => ({src: i.currentSrc || i.src, ok: i.complete && i.naturalWidth > 0}));
const links = [...document.querySelectorAll('a[href]')].map(a => a.getAttribute('href'));
const ids = [...document.querySelectorAll('[id]')].map(e => e.id);
const body = document.querySelector('main') || document.body;
const rawMath = /\\\\\\(|\\\\\\[/.test(body.innerText);
return {imgs, links, ids, rawMath, katex: document.querySelectorAll('.katex').length,
        katexErr: document.querySelectorAll('.katex-error').length, title: document.title,
        sidebar: [...document.querySelectorAll('#quarto-sidebar a[href], nav a[href]')].map(a => a.getAttribute('href'))};
"""

def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--site', default='_docs'); ap.add_argument('--shots', default='docs_screens')
    ap.add_argument('--chromium', default='/usr/bin/chromium'); ap.add_argument('--chromedriver', default='/usr/bin/chromedriver')
    a = ap.parse_args()
    site, shots = Path(a.site).resolve(), Path(a.shots); shots.mkdir(exist_ok=True)
    pages = sorted(str(p.relative_to(site)) for p in site.rglob('*.html'))
    if not pages: sys.exit(f'no pages in {site}: build the site first (python tools/build_docs.py)')
    srv, base = serve(site)
    d = driver(a.chromium, a.chromedriver)
    problems, states = [], {}
    try:
        for page in pages:
            d.get(base + page)
            time.sleep(0.3)
            for _ in range(20):   # wait for deferred scripts (KaTeX auto-render) to finish
                if d.execute_script("return document.readyState") == 'complete': break
                time.sleep(0.1)
            s = d.execute_script(JS_STATE); states[page] = s
            d.save_screenshot(str(shots/(page.replace('/', '_')[:-5] + '.png')))
            for e in d.get_log('browser'):
                if e['level'] == 'SEVERE': problems.append(f'{page}: console error: {e["message"]}')
            for i in s['imgs']:
                if not i['ok']: problems.append(f'{page}: image did not load: {i["src"]}')
            if s['katexErr']: problems.append(f'{page}: {s["katexErr"]} KaTeX error(s)')
            if s['rawMath']: problems.append(f'{page}: untypeset maths delimiters left in the text')
        for page, s in states.items():
            for h in s['links']:
                u = urlparse(urljoin(base + page, h))
                if u.scheme not in ('http', 'https') or u.netloc != urlparse(base).netloc: continue
                target = unquote(u.path.lstrip('/')) or 'index.html'
                if target.endswith('/'): target += 'index.html'
                if not (site/target).exists(): problems.append(f'{page}: broken link {h}'); continue
                if u.fragment and target.endswith('.html') and target in states and unquote(u.fragment) not in states[target]['ids']:
                    problems.append(f'{page}: broken anchor {h}')
        nbs = [p for p in pages if p not in ('search.html',)]
        side = {urlparse(h).path.split('/')[-1] for h in states.get('index.html', {'sidebar': []})['sidebar']}
        for p in nbs:
            if p not in side: problems.append(f'sidebar: page {p} is not in the sidebar')
    finally:
        d.quit(); srv.shutdown()
    maths = {p: s['katex'] for p, s in states.items() if s['katex']}
    print(f'checked {len(pages)} pages in Chromium; typeset maths on {len(maths)} pages ({sum(maths.values())} formulas); '
          f'{sum(len(s["imgs"]) for s in states.values())} images; screenshots in {shots}/')
    if problems:
        print("\n".join(problems), flush=True); sys.exit(f'{len(problems)} problem(s) in the docs site')
    print('docs site OK')

if __name__ == '__main__': main()
