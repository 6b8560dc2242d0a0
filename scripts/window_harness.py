"""What the benchmark and screenshot scripts share: the real window, offscreen, on the
default model, and ways to wait for it and time it."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from playground.commands.bench.suite import median_seconds
from playground.engine import LanguageModel, load_model
from playground.ui.window.main_window import MainWindow
from playground.ui.worker.runner import ModelRunner


def run_until(condition: Callable[[], bool], timeout: float = 120.0) -> None:
    """Run the real event loop (it sleeps while idle, leaving the cores to the model's
    threads) until `condition()` holds, checking it every millisecond."""
    if condition():
        return
    loop, poll = QEventLoop(), QTimer()
    poll.setInterval(1)
    deadline = time.perf_counter() + timeout
    poll.timeout.connect(lambda: (condition() or time.perf_counter() > deadline) and loop.quit())
    poll.start()
    loop.exec()
    poll.stop()
    if not condition():
        raise TimeoutError("the window did not get there in time")


def run_for(seconds: float) -> None:
    """Let the window process events (repaints, queued signals) for a while."""
    end = time.perf_counter() + seconds
    run_until(lambda: time.perf_counter() >= end)


def offscreen_window(size: tuple[int, int] = (1600, 1000)) -> tuple[LanguageModel, MainWindow]:
    """The main window on the default model, with its per-model extras loaded."""
    if QApplication.instance() is None:
        QApplication(sys.argv[:1])
    lm = load_model()
    window = MainWindow(ModelRunner(), persist=False)
    window.resize(*size)
    window.show()
    window.start_loading(lm)
    session = window.session
    run_until(lambda: session.model_info is not None and session.extras.done)
    return lm, window


def median_ms(action: Callable[[], object], repeats: int = 7) -> float:
    """Median wall time of `action` in milliseconds, after one warm-up run."""
    return median_seconds(action, repeats) * 1000
