#!/usr/bin/env bash
# Set everything up (virtual env, install, default model) and run the whole test suite:
# lint, type check, then pytest (engine tests, real-model tests, window tests offscreen).
set -euo pipefail
cd "$(dirname "$0")"
scripts/setup.sh test
.venv/bin/playground models fetch
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy
.venv/bin/lint-imports --no-cache
exec .venv/bin/python -m pytest "$@"
