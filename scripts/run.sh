#!/usr/bin/env bash
# The main job: install, load the example articles into the embedded store, serve.
# Usage: scripts/run.sh [--host H] [--port N]   (env: QUOTH_STORE, QUOTH_TOKEN)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
STORE=${QUOTH_STORE:-quoth-data}
# Idempotent: re-ingesting the same articles changes nothing.
.venv/bin/quoth --store "$STORE" ingest examples/articles/*.txt
exec .venv/bin/quoth --store "$STORE" serve "$@"
