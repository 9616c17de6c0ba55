#!/usr/bin/env bash
# Install everything the tests need, then run the whole suite. Exits non-zero when a test fails.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/python -m pytest "$@"
