#!/usr/bin/env bash
# The README's test command: installs everything the tests need, starts PostgreSQL if it is not
# running, and runs the whole suite (solver, service on SQLite and PostgreSQL, browser) on two
# cores. Exits non-zero when a test fails. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/services.sh
export CI="${CI:-1}"  # under CI a missing PostgreSQL or browser fails instead of skipping
exec .venv/bin/python -m pytest -n 2 -p no:cacheprovider "$@"
