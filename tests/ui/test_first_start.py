"""The first start: the window (not a terminal) fetches and converts, and can cancel."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QTabBar

from playground.ui.app import render_screenshot
from playground.ui.window.main_window import MainWindow
from playground.ui.worker.runner import ModelRunner
from tests.patience import patience
from tests.tiny_models import write_tiny_gguf


@pytest.fixture
def empty_store(tmp_path, monkeypatch):
    root = tmp_path / "store"
    monkeypatch.setenv("PLAYGROUND_HOME", str(root))
    return root


def _window(qtbot) -> MainWindow:
    runner = ModelRunner()
    window = MainWindow(runner, persist=False)
    qtbot.addWidget(window)
    window.show()
    return window


def test_cancelling_the_first_fetch_keeps_nothing_and_offers_a_retry(qtbot, empty_store):
    window = _window(qtbot)
    stages: list[str] = []
    window.runner.load_progress.connect(lambda stage, done, total: stages.append(stage))
    window.start_loading()
    assert window.pages.currentWidget() is window.loading
    qtbot.waitUntil(
        lambda: any(s.startswith("Downloading") for s in stages), timeout=patience(60_000)
    )
    qtbot.mouseClick(window.loading.cancel, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.loading.retry.isVisible(), timeout=patience(60_000))
    assert "Cancelled" in window.loading.stage.text()
    assert not (empty_store / "smollm2-135m-instruct").exists()
    assert not any((empty_store / ".tmp").iterdir())
    assert window.session.model_info is None
    window.runner.shutdown()


def test_first_start_converts_with_progress_then_opens_the_app(qtbot, empty_store, tmp_path):
    gguf = write_tiny_gguf(tmp_path / "tiny-start.gguf")
    window = _window(qtbot)
    stages: list[str] = []
    window.runner.load_progress.connect(lambda stage, done, total: stages.append(stage))
    window.start_loading(gguf)
    qtbot.waitUntil(lambda: window.session.analysis_is_current, timeout=patience(60_000))
    assert "Converting the weights" in stages and "Loading the model" in stages
    assert window.pages.currentIndex() == 1
    assert window.docks["next_token"].isVisible()
    assert window.session.analysis.text == "The cat sat on the"
    assert (empty_store / "tiny-start" / "model.onnx").exists()
    window.runner.shutdown()


def test_a_model_that_cannot_load_is_explained_in_the_window(qtbot, empty_store, tmp_path):
    bogus = tmp_path / "broken.gguf"
    bogus.write_bytes(b"GGUF" + b"\x00" * 64)
    window = _window(qtbot)
    window.start_loading(bogus)
    qtbot.waitUntil(lambda: window.loading.retry.isVisible(), timeout=patience(30_000))
    assert "broken.gguf" in window.loading.stage.text()
    window.runner.shutdown()


@pytest.mark.real_model
def test_screenshot_command_writes_the_window(real_model, tmp_path):
    out = tmp_path / "shot.png"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "playground",
            "screenshot",
            "--prompt",
            "The cat sat on the",
            "--out",
            str(out),
            "--size",
            "1200x800",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1200, 800)


@pytest.mark.real_model
def test_the_screenshot_shows_one_tab_bar_per_group_of_tabbed_panels(
    real_model, tmp_path, monkeypatch
):
    """Qt 6.11 makes a spare "Tokenization | Generation" bar while the docks are built and
    lets it go with deleteLater(); waiting with processEvents() alone kept it, drawn under
    the docks in every screenshot."""
    monkeypatch.setattr("playground.ui.app.chosen_language", lambda: "en")
    seen: list[int] = []
    grab = MainWindow.grab

    def counting_grab(window: MainWindow):
        groups = {
            frozenset([d.windowTitle(), *(t.windowTitle() for t in window.tabifiedDockWidgets(d))])
            for d in window.docks.values()
            if d.isVisible() and window.tabifiedDockWidgets(d)
        }
        bars = [b for b in window.findChildren(QTabBar) if b.parent() is window]
        for group in groups:
            seen.append(
                sum(
                    b.isVisible() and {b.tabText(i) for i in range(b.count())} == group
                    for b in bars
                )
            )
        return grab(window)

    monkeypatch.setattr(MainWindow, "grab", counting_grab)
    render_screenshot("The cat sat on the", tmp_path / "shot.png", model=real_model)
    assert seen == [1, 1]  # the big panels, and tokenization with generation
