#!/usr/bin/env python
"""Fail when an exported module uses a name that its exported cells never define.

A notebook can pass `nbdev_test` while `mixup_nb/` is broken: a name imported only in a hidden test cell exists in the
notebook's namespace but not in the exported module. This runs pyflakes on `mixup_nb/` and reports its undefined
names. String annotations are skipped: fastcore's `Param("Help text", ...)` puts prose there, not type names.
Usage: python tools/check_names.py [package dir, default mixup_nb]"""
import ast, sys
from pathlib import Path
from pyflakes import checker, messages

class _Checker(checker.Checker):
    def handleStringAnnotation(self, *args, **kwargs): pass

def undefined_names(pkg:Path)->list:
    out = []
    for f in sorted(pkg.glob('*.py')):
        src = f.read_text()
        for m in _Checker(ast.parse(src, filename=str(f)), filename=str(f)).messages:
            if isinstance(m, messages.UndefinedName): out.append(str(m))
    return out

if __name__ == '__main__':
    bad = undefined_names(Path(sys.argv[1] if len(sys.argv) > 1 else 'mixup_nb'))
    print('\n'.join(bad) or 'no undefined names')
    sys.exit(1 if bad else 0)
