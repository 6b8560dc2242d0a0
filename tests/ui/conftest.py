"""Window tests: a real window (offscreen) on the real default model."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings

from playground.ui.window.main_window import MainWindow
from playground.ui.worker.runner import ModelRunner
from tests.patience import patience


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path_factory: pytest.TempPathFactory):
    """Every test gets its own QSettings folder: nothing leaks into the user's settings."""
    folder = tmp_path_factory.mktemp("settings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    return folder


@pytest.fixture
def make_window(qtbot, real_model):
    """Open a main window on the (already loaded) default model, ready for input."""
    windows = []

    def make(persist: bool = True, prompt: str | None = None) -> MainWindow:
        runner = ModelRunner()
        window = MainWindow(runner, persist=persist)
        qtbot.addWidget(window)
        window.resize(1400, 900)
        window.show()
        window.start_loading(real_model)
        qtbot.waitUntil(lambda: window.session.model_info is not None, timeout=patience(30_000))
        if prompt is not None:
            window.session.set_prompt(prompt, immediate=True)
        wait_for_analysis(qtbot, window)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.runner.shutdown()


def wait_for_analysis(qtbot, window: MainWindow, timeout: int = 30_000) -> None:
    """Until the run asked for is on screen, with a long prompt's statistics (which follow
    it in a job of their own)."""
    qtbot.waitUntil(
        lambda: (
            window.session.analysis_is_current and not window.session.analysis.statistics_pending
        ),
        timeout=patience(timeout),
    )
