#!/usr/bin/env bash
# Build the docs site offline and test it in headless Chromium (then check that the test catches a broken page).
# Installs what it needs itself. Arguments go to check_docs.py (e.g. --full index,manifold for full-length screenshots).
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v chromedriver >/dev/null || need+=(chromium-driver)
[ -f /usr/share/javascript/katex/katex.min.css ] || [ -n "${KATEX_DIR:-}" ] || need+=(libjs-katex)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
python -c "import smalldocs, selenium" 2>/dev/null || python -m pip install -q smalldocs selenium
python tools/build_docs.py 2>&1 | grep -v '^warning: .*output-file is not read\|html-math-method is ignored'
python tools/check_docs.py "$@"
# the test must be able to fail: a page with every defect it looks for has to fail every check
python tools/check_docs.py --selftest
