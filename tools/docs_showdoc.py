"""`show_doc` for the docs site: a short signature, the docstring, then a Type | Default | Details table of the docments.

nbdev 2.4's default renderer prints the signature as Python source with each docment as a trailing comment: wide
signatures hide their descriptions behind a sideways scroll, links in the comments print as raw markdown, and a
parameter without an annotation shows the type of its default (`modules:NoneType=None`). This renderer shows the
signature as written (no annotation is invented), and each parameter's description in a markdown table, as fastai's
site does; `call_parse` parameters (`Param(help, type)`) show their type and help. The build (`tools/build_docs.py`)
installs it in place of nbdev's `BasicMarkdownRenderer` while it processes the notebooks."""
import inspect, re
from fastcore.docments import docments, qual_name

__all__ = ['TableRenderer', 'install']

SIG_WIDTH = 64   # characters per signature line: fits the text column (and wraps by CSS on a phone)

def _short(s:str)->str: return re.sub(r'\b(?:[A-Za-z_][\w]*\.)+([A-Za-z_]\w*)', r'\1', s)   # torch.nn.Module -> Module

def _is_param(a): return type(a).__name__ == 'Param' and hasattr(a, 'help')

def fmt_anno(a)->str:
    "An annotation as a reader writes it: `int`, `Tensor`, `list[dict]`, `str | None`; '' when there is none."
    if a is inspect.Parameter.empty: return ''
    if _is_param(a):
        if a.action in ('store_true', 'store_false'): return 'bool'
        return fmt_anno(a.type) if a.type is not None else ''
    if isinstance(a, str): return _short(a)
    if isinstance(a, type) and not getattr(a, '__args__', None): return a.__name__
    return _short(inspect.formatannotation(a)).replace('NoneType', 'None')

def fmt_default(d)->str:
    "A default as Python shows it (`None`, `2.0`, `'report'`); functions and classes by name."
    if d is inspect.Parameter.empty: return ''
    if inspect.isfunction(d) or inspect.isclass(d) or inspect.isbuiltin(d): return d.__name__
    r = repr(d)
    r = re.sub(r' at 0x[0-9a-f]+', '', r)
    return r if len(r) <= 40 else r[:37] + '...'

def _cell(s:str)->str: return str(s).replace('|', '\\|').replace('\n', '<br>').strip()

def _params(sym):
    try: sig = inspect.signature(sym, eval_str=True)
    except Exception:
        try: sig = inspect.signature(sym)
        except (ValueError, TypeError): return None, None
    ps = [p for n, p in sig.parameters.items() if n != 'self']
    if inspect.isclass(sym): ps = [p for p in ps if p.name != 'cls']
    return ps, sig.return_annotation

def fmt_sig(name:str, ps, ret)->str:
    "`name(a:int=1, b=None)->T`, wrapped to `SIG_WIDTH` with a hanging indent."
    parts = []
    for p in ps:
        pre = '*' if p.kind == p.VAR_POSITIONAL else '**' if p.kind == p.VAR_KEYWORD else ''
        a, d = fmt_anno(p.annotation), p.default
        if _is_param(p.annotation) and d is inspect.Parameter.empty: d = p.annotation.default
        parts.append(pre + p.name + (f':{a}' if a else '') + (f'={fmt_default(d)}' if d is not inspect.Parameter.empty else ''))
    r = fmt_anno(ret) if ret is not inspect.Signature.empty else ''
    tail = ')' + (f'->{r}' if r else '')
    ind = ' ' * (len(name) + 1 if len(name) < 24 else 4)
    lines, cur = [], name + '('
    for i, s in enumerate(parts):
        s += ', ' if i < len(parts) - 1 else ''
        if len(cur) + len(s.rstrip()) > SIG_WIDTH and cur.strip() and not cur.endswith('('):
            lines.append(cur.rstrip()); cur = ind
        elif cur.endswith('(') and len(cur) + len(s) > SIG_WIDTH and len(name) >= 24:
            lines.append(cur); cur = ind
        cur += s
    lines.append(cur + tail)
    return '\n'.join(lines)

def param_table(sym, ps, ret)->str:
    "The markdown table of the parameters (Type | Default | Details), with a **Returns** row; '' without docments."
    try: dm = docments(sym, full=False)
    except Exception: dm = {}
    rows = []
    for p in ps:
        a, d, doc = p.annotation, p.default, dm.get(p.name) or ''
        if _is_param(a):
            doc = doc or re.sub(r' \(default: .*\)$', '', a.help or '')
            if d is inspect.Parameter.empty: d = a.default
        nm = ('*' if p.kind == p.VAR_POSITIONAL else '**' if p.kind == p.VAR_KEYWORD else '') + p.name
        rows.append([nm, fmt_anno(a), fmt_default(d), doc])
    rdoc = dm.get('return') or ''
    rt = fmt_anno(ret) if ret is not inspect.Signature.empty else ''
    if not any(r[3] for r in rows) and not rdoc: return ''
    out = ['| | **Type** | **Default** | **Details** |', '|---|---|---|---|']
    code = lambda s: f'`{s}`' if s and '`' not in s else s   # literal: no smart quotes, no markdown
    out += [f'| {_cell(n)} | {_cell(code(t))} | {_cell(code(d))} | {_cell(x)} |' for n, t, d, x in rows]
    if rdoc or (rt and rows): out.append(f'| **Returns** | {_cell(code(rt))} | | {_cell(rdoc)} |')
    return '\n'.join(out)

class TableRenderer:
    "Markdown for `show_doc`: source link, heading, short signature, docstring, and the docments table."
    def __init__(self, sym, name:str|None=None, title_level:int=3, maxline:int=110):
        from nbdev.showdoc import BasicMarkdownRenderer
        self.base = BasicMarkdownRenderer(sym, name=name, title_level=title_level)
        self.sym, self.nm, self.title_level = self.base.sym, self.base.nm, title_level

    def __getattr__(self, k): return getattr(self.__dict__['base'], k)

    def _repr_markdown_(self):
        from nbdev.showdoc import NbdevLookup, _ext_link
        sym = self.sym
        doc = '---\n\n'
        src = NbdevLookup().code(self.base.fn)
        if src: doc += _ext_link(src, 'source', 'style="float:right; font-size:smaller"') + '\n\n'
        doc += f"{'#'*self.title_level} {self.nm}\n\n"
        ps, ret = _params(sym) if callable(sym) else (None, None)
        if ps is None: return doc + self.base._repr_markdown_().split(f'{self.nm}\n\n', 1)[-1]
        name = self.nm.split('.')[-1] if not inspect.isclass(sym) else self.nm
        doc += f'```python\n{fmt_sig(name, ps, ret)}\n```\n\n'
        d = self.base.docs
        if d: doc += re.sub(r'^(\s*)(.+)', r'\1*\2*', d, count=1) + '\n\n'
        tbl = param_table(sym, ps, ret)
        return doc + (tbl + '\n' if tbl else '')

    def __repr__(self): return repr(self.base)

def install():
    "Make nbdev's `show_doc` (and `doc`) render with `TableRenderer` in this process."
    import nbdev.showdoc as sd
    sd.BasicMarkdownRenderer_orig = getattr(sd, 'BasicMarkdownRenderer_orig', sd.BasicMarkdownRenderer)
    orig = sd.show_doc
    def show_doc(sym, renderer=None, name:str|None=None, title_level:int=3):
        "Show signature and docstring for `sym`"
        return orig(sym, renderer=renderer or TableRenderer, name=name, title_level=title_level)
    sd.show_doc = show_doc
    return show_doc
