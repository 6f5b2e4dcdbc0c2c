#!/usr/bin/env bash
# Set up everything the tests need on a fresh machine, then run them.
#   ./scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's packages: Chromium drives the playground's end-to-end test (never a downloaded
# browser); wrk drives the load smoke test.
missing=""
command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
command -v wrk >/dev/null 2>&1 || missing="$missing wrk"
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    else
        echo "note: not installed:$missing; the tests that need them will be skipped" >&2
    fi
fi

python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -e '.[dev]'

.venv/bin/ruff check service tests scripts examples training
.venv/bin/python -m service rules check
exec .venv/bin/python -m pytest -q "$@"
