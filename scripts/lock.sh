#!/usr/bin/env bash
# Re-lock the dependencies: every transitive package pinned with its hashes, for Python 3.11 on Linux x86_64.
#   requirements.in     -> requirements.txt      (the explorer: README, Dockerfile)
#   requirements-dev.in -> requirements-dev.txt  (tests and CI; the runtime packages held at requirements.txt's)
# Needs uv (pip install uv). Install with: pip install --require-hashes -r requirements.txt
set -euo pipefail
cd "$(dirname "$0")/.."
lock() {
  uv pip compile "$1" --generate-hashes --python-version 3.11 --python-platform x86_64-unknown-linux-gnu \
    --no-header --quiet -o "$2"
  { printf '# Locked by scripts/lock.sh from %s: every package with its hashes. Do not edit; edit %s and re-lock.\n' "$1" "$1"
    cat "$2"; } > "$2.tmp" && mv "$2.tmp" "$2"
}
lock requirements.in requirements.txt
lock requirements-dev.in requirements-dev.txt
