#!/usr/bin/env bash
# The one test command (README, CI): installs what the tests need, then lint, data check and the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ] && [ "${CDI_SKIP_BROWSER:-0}" != "1" ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "== installing Debian's chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is missing: run 'sudo apt-get install chromium' or set CDI_SKIP_BROWSER=1" >&2
    exit 1
  fi
fi

if [ ! -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ]; then
  if [ "$(id -u)" = "0" ]; then
    echo "== installing Debian's fonts-dejavu-core for the PDF reports"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-dejavu-core >/dev/null
  else
    echo "DejaVu Sans is missing: run 'sudo apt-get install fonts-dejavu-core' (the PDF reports need it)" >&2
    exit 1
  fi
fi

echo "== installing Python packages"
python -m pip install -q --disable-pip-version-check -r requirements-dev.txt

echo "== ruff"
python -m ruff check .

echo "== pip-audit: known vulnerabilities in requirements.txt (fails on any; warns if the service is unreachable)"
python scripts/audit_deps.py requirements.txt

echo "== the committed index matches its inputs"
python -m cdi_core build --check

echo "== the committed snapshots match the index"
python -m explorer.snapshots --check

echo "== the committed PDF reports match the index"
python -m explorer.report --check

echo "== pytest"
set +e
python -m pytest "$@"
code=$?
set -e
if [ "$code" = "5" ]; then
  echo "pytest collected no tests: that is a failure here" >&2
  exit 1
fi
exit "$code"
