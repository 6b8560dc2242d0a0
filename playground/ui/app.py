"""Start the window; render it to a PNG for docs, tests and bug reports."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from playground.resources import app_icon_path
from playground.ui.language import chosen_language, install_language
from playground.ui.window.main_window import MainWindow
from playground.ui.worker.runner import ModelRunner


def _application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
        app.setApplicationName("LLM Playground")
        app.setOrganizationName("llm-playground")
        app.setDesktopFileName("llm-playground")  # matches the installed .desktop launcher
        app.setWindowIcon(QIcon(str(app_icon_path())))  # also for dialogs
    assert isinstance(app, QApplication)
    return app


def run_app(model: object = None) -> int:
    app = _application()
    runner = ModelRunner()
    window = MainWindow(runner)
    window.show()
    window.start_loading(model)
    return app.exec()


def render_screenshot(
    prompt: str,
    out: Path,
    size: tuple[int, int] = (1400, 900),
    model: object = None,
    timeout: float = 900.0,
) -> Path:
    """Render the main window offscreen once the prompt is analysed, save it as PNG."""
    if QApplication.instance() is None:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    app = _application()
    install_language(chosen_language())  # the system's (LANG=es_ES.UTF-8: Spanish)
    runner = ModelRunner()
    window = MainWindow(runner, persist=False)
    window.resize(*size)
    window.show()
    window.start_loading(model)
    window.session.set_prompt(prompt)
    deadline = time.monotonic() + timeout
    while not (
        window.session.model_info
        and window.session.analysis_is_current
        and window.session.extras.done
    ):
        if window.loading.retry.isVisible():
            raise RuntimeError(f"the model could not be loaded: {window.loading.stage.text()}")
        if window.session.error and not window.session.busy:
            break  # render the error as the user would see it
        if time.monotonic() > deadline:
            raise TimeoutError("the analysis did not finish in time")
        app.processEvents()
        time.sleep(0.01)
    for _ in range(5):
        app.processEvents()
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(out)):
        raise OSError(f"could not write {out}")
    window.close()
    return out
