#!/usr/bin/env bash
# A throwaway Virtuoso on 127.0.0.1 until Ctrl-C (kb/store/virtuoso_local.py):
#   scripts/virtuoso.sh [--dir DIR] [--port 8890] [--memory-mb 512]
# prints the QUOTH_SPARQL_* settings that point quoth at it (the dba password is in DIR/dba-password).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python; [ -x "$PY" ] || PY=python3
exec "$PY" -m kb.store.virtuoso_local "$@"
