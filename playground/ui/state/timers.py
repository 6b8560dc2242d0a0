"""Qt timers the state uses: debouncing typing, pacing redraws while generating."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


def single_shot_timer(parent: QObject, interval_ms: int, slot: Callable[[], None]) -> QTimer:
    """A timer that calls `slot` once, `interval_ms` after each start()."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(interval_ms)
    timer.timeout.connect(slot)
    return timer
