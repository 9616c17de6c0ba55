#!/usr/bin/env bash
# Create .venv (if needed) and install the project with its dev tools. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --disable-pip-version-check -U "pip>=25.1" 2>&1 | grep -v '^WARNING: Location' || true
.venv/bin/python -m pip install -q --disable-pip-version-check -e . --group dev 2>&1 | grep -v '^WARNING: Location' || true
.venv/bin/python -c "import solver, app, ortools, fastapi" 
