"""Start the window; render it to a PNG for docs, tests and bug reports."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
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


def _wait_until_shown(window: MainWindow, timeout: float) -> Exception | None:
    """Run the event loop until the window shows the analysed prompt (or an error). A real
    loop, not processEvents() in a loop: only a running loop deletes what Qt let go with
    deleteLater() (a spare tab bar Qt 6.11 makes while the docks are built stays on screen
    otherwise)."""
    deadline = time.monotonic() + timeout
    outcome: list[Exception | None] = []
    loop, poll = QEventLoop(), QTimer()

    def check() -> None:
        session = window.session
        if window.loading.retry.isVisible():
            text = window.loading.stage.text()
            outcome.append(RuntimeError(f"the model could not be loaded: {text}"))
        elif session.model_info and session.analysis_is_current and session.extras.done:
            outcome.append(None)
        elif session.error and not session.busy:
            outcome.append(None)  # render the error as the user would see it
        elif time.monotonic() > deadline:
            outcome.append(TimeoutError("the analysis did not finish in time"))
        if outcome:
            loop.quit()

    poll.timeout.connect(check)
    poll.start(10)
    check()
    if not outcome:
        loop.exec()
    poll.stop()
    QTimer.singleShot(50, loop.quit)  # the last repaints and deferred deletes
    loop.exec()
    return outcome[0]


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
    _app = _application()  # (held: the application lives while its window does)
    install_language(chosen_language())  # the system's (LANG=es_ES.UTF-8: Spanish)
    runner = ModelRunner()
    window = MainWindow(runner, persist=False)
    window.resize(*size)
    window.show()
    window.start_loading(model)
    window.session.set_prompt(prompt)
    try:
        failure = _wait_until_shown(window, timeout)
        if failure is not None:
            raise failure
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(out)):
            raise OSError(f"could not write {out}")
    finally:
        window.close()
        runner.shutdown()
    return out
