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
for arg in "$@"; do
    if [[ $arg != -* ]]; then  # tests chosen (a path, a -k expression): one run, as asked
        exec .venv/bin/python -m pytest "$@"
    fi
done
# The whole suite: first, alone on a quiet machine, the few tests that measure how the
# window answers while the model works (marked serial); then all the others in two
# processes side by side.
.venv/bin/python -m pytest -m serial "$@"
exec .venv/bin/python -m pytest -n 2 -m "not serial" "$@"
