"""The first start: the window (not a terminal) fetches and converts, and can cancel."""

from __future__ import annotations

import subprocess
import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

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
