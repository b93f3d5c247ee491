#!/usr/bin/env bash
# Run the whole test suite on a fresh machine: installs what the tests need, then pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-test-deps.sh
scripts/bootstrap.sh test
exec .venv/bin/python -m pytest "$@"
