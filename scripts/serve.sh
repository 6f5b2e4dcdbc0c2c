#!/usr/bin/env bash
# Set up (virtual environment, the package and its dependencies) and serve on port 8080.
#   ./scripts/serve.sh            # 127.0.0.1:8080
#   HOST=0.0.0.0 ./scripts/serve.sh
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet -e .
exec .venv/bin/python -m service serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8080}"
