#!/usr/bin/env bash
# Set up everything the tests need on a fresh machine, then run them.
#   ./scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian's Chromium drives the playground's end-to-end test (never a downloaded browser).
if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
        echo "note: chromium is not installed; the playground's browser test will be skipped" >&2
    fi
fi

python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -e '.[dev]'

.venv/bin/ruff check service tests scripts examples
.venv/bin/python -m service rules check
exec .venv/bin/python -m pytest -q "$@"
