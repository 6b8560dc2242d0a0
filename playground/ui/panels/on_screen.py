"""Panels redraw only while they are on screen: a panel hidden behind another tab marks
itself stale and catches up when it is shown. Generation then does not pay for views
nobody is looking at."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import SignalInstance
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget


class OnScreenUpdates(QWidget):
    def follow(self, signal: SignalInstance, slot: Callable[[], None]) -> None:
        """Call `slot` when `signal` fires if the panel is visible, else once it is shown."""
        if not hasattr(self, "_stale"):
            self._stale: dict[Callable[[], None], None] = {}

        def on_signal(*_args: object) -> None:
            if self.isVisible():
                slot()
            else:
                self._stale[slot] = None

        signal.connect(on_signal)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        stale = getattr(self, "_stale", {})
        while stale:
            slot = next(iter(stale))
            del stale[slot]
            slot()
