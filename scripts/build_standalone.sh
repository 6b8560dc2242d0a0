#!/usr/bin/env bash
# Build a one-folder standalone app with PyInstaller: dist/llm-playground/llm-playground.
# It carries Python, Qt, ONNX Runtime and the app; the model is fetched (from PyPI) and
# converted on its first start, like the installed app, into the same per-user store.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/python -m pip install --disable-pip-version-check -q "pyinstaller>=6.6"
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
    --onedir --windowed --name llm-playground --paths . \
    --add-data "resources:resources" \
    --add-data "models/catalog.json:models" \
    --collect-submodules playground \
    --collect-all gguf \
    --collect-binaries onnxruntime \
    --exclude-module torch --exclude-module transformers --exclude-module tkinter \
    --exclude-module matplotlib --exclude-module IPython --exclude-module pytest \
    scripts/standalone_entry.py
du -sh dist/llm-playground
echo "Built dist/llm-playground/llm-playground"
