#!/usr/bin/env bash
# Create .venv (if needed) and install the project with its dev tools. Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
quiet_pip() {  # pip, without the notes about package-index folders missing on this machine
  set +e
  .venv/bin/python -m pip --disable-pip-version-check -q "$@" 2>&1 | grep -v '^WARNING: Location'
  local status=${PIPESTATUS[0]}
  set -e
  return "$status"
}
quiet_pip install -U "pip>=25.1"
quiet_pip install -e . --group dev
.venv/bin/python -c "import solver, app, ortools, fastapi, playwright"
