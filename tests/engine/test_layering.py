"""The engine never imports Qt (DESIGN.md: playground/engine is Qt-free)."""

from __future__ import annotations

import subprocess
import sys

IMPORT_EVERY_ENGINE_MODULE = """
import importlib, pkgutil, sys
import playground.engine as engine
for module in pkgutil.walk_packages(engine.__path__, "playground.engine."):
    importlib.import_module(module.name)
qt = {"PySide6", "pyqtgraph", "shiboken6"}
print(",".join(m for m in sys.modules if m.split(".")[0] in qt))
"""


def test_importing_the_whole_engine_loads_no_qt():
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_EVERY_ENGINE_MODULE], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
