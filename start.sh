#!/usr/bin/env bash
# Set everything up (virtual env, install, default model) and start LLM Playground.
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh
# The window itself fetches and converts the default model on first start, with a
# progress bar and a Cancel button.
exec .venv/bin/playground "$@"
