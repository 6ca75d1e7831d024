#!/usr/bin/env bash
# The one test command (README, CI): installs what the tests need, then lint, data check and the test suite.
# --fast (first argument): only ruff and the fast tier (core, sources, view models, i18n, supply, reliability without
# the fuzz tests), no installs, audit or publishing; the tiers are in tests/conftest.py. Other arguments
# go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

# run_pytest ARGS...: pytest, then exit with its code; no test collected (code 5) is a failure here.
run_pytest() {
  set +e
  python -m pytest "$@"
  code=$?
  set -e
  if [ "$code" = "5" ]; then
    echo "pytest collected no tests: that is a failure here" >&2
    exit 1
  fi
  exit "$code"
}

if [ "${1:-}" = "--fast" ]; then
  shift
  marks="not apptest and not browser and not deploy and not fuzz and not slow"
  echo "== ruff"
  python -m ruff check .
  if [ "${CDI_TEST_SERIAL:-0}" = "1" ]; then
    echo "== pytest, the fast tier"
    run_pytest -m "$marks" "$@"
  fi
  # Two processes, one per core: half 1 (sources, view models, i18n; tests/conftest.py HALF_ONE) in the background,
  # its output shown after half 2's. Each half in its own temporary folder, without the shared cache.
  echo "== pytest, the fast tier in two halves (CDI_TEST_SERIAL=1 for one process)"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  CDI_TEST_HALF=1 python -m pytest -p no:cacheprovider --basetemp="$tmp/1" -m "$marks" "$@" >"$tmp/half1.log" 2>&1 &
  pid=$!
  set +e
  CDI_TEST_HALF=2 python -m pytest -p no:cacheprovider --basetemp="$tmp/2" -m "$marks" "$@"
  two=$?
  wait "$pid"
  one=$?
  set -e
  echo "== pytest, the fast tier's half 1 (tests/sources, tests/explorer, tests/i18n)"
  cat "$tmp/half1.log"
  if [ "$one" = "5" ] && [ "$two" = "5" ]; then
    echo "pytest collected no tests: that is a failure here" >&2
    exit 1
  fi
  for code in "$two" "$one"; do
    if [ "$code" != "0" ] && [ "$code" != "5" ]; then exit "$code"; fi
  done
  exit 0
fi

# need_deb FILE PACKAGE WHY: install Debian's PACKAGE (as root) unless FILE exists; fail with a hint otherwise.
need_deb() {
  if [ ! -e "$1" ]; then
    if [ "$(id -u)" = "0" ]; then
      echo "== installing Debian's $2 ($3)"
      if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq; APT_UPDATED=1; fi
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
    else
      echo "$2 is missing: run 'sudo apt-get install $2' ($3)" >&2
      exit 1
    fi
  fi
}

if [ "${CDI_SKIP_BROWSER:-0}" != "1" ]; then
  need_deb /usr/bin/chromium chromium "the browser tests"
fi
need_deb /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf fonts-dejavu-core "the preview cards and PDF reports"
need_deb /usr/sbin/nginx nginx "the load-balancer configuration test"
need_deb /usr/lib/x86_64-linux-gnu/libjemalloc.so.2 libjemalloc2 "the production allocator (deploy/, benchmarks)"

echo "== installing Python packages (the lock: every package pinned and hash-checked)"
python -m pip install -q --disable-pip-version-check --require-hashes -r requirements-dev.txt

echo "== ruff"
python -m ruff check .

echo "== pip-audit, offline: the locks against the vendored advisories (security/advisories; fails on any)"
python scripts/audit_deps.py requirements.txt requirements-dev.txt

echo "== the committed index matches its inputs"
python -m cdi_core build --check

echo "== publishing the snapshots, preview cards and PDF reports (generated, never committed; root-relative links)"
env -u CDI_PUBLIC_URL python -m explorer.publish
export CDI_REQUIRE_PUBLISHED=1  # the tests over the whole published set fail, rather than skip, without it

echo "== pytest, every tier"
run_pytest "$@"
