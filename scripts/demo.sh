#!/usr/bin/env bash
# The README's main command: installs, loads the Zhangye sample week into the embedded SQLite
# database (var/roster.sqlite3), generates and publishes the week's roster with a progress bar,
# and serves the API and web UI on http://127.0.0.1:8000 (it prints how to log in).
# Extra arguments go to `roster demo` (see `roster demo --help`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/roster demo "$@"
