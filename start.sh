#!/usr/bin/env bash
# Set everything up (virtual env, install, default model) and start LLM Playground.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
.venv/bin/playground models fetch
exec .venv/bin/playground "$@"
