"""Panels redraw only while they are on screen: a panel hidden behind another tab marks
itself stale and catches up when it is shown. Generation then does not pay for views
nobody is looking at.

A dock behind another tab still reports isVisible(); its dock's visibilityChanged signal
is what tells (the main window forwards it to `set_on_screen`)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QWidget


class OnScreenUpdates(QWidget):
    _on_screen = True
    _stale: dict[Callable[[], None], None]

    def follow(self, signal: SignalInstance, slot: Callable[[], None]) -> None:
        """Call `slot` when `signal` fires if the panel is on screen, else once it is."""
        if not hasattr(self, "_stale"):
            self._stale = {}

        def on_signal(*_args: object) -> None:
            if self._on_screen:
                slot()
            else:
                self._stale[slot] = None

        signal.connect(on_signal)

    def set_on_screen(self, on_screen: bool) -> None:
        self._on_screen = on_screen
        stale = getattr(self, "_stale", {})
        while on_screen and stale:
            slot = next(iter(stale))
            del stale[slot]
            slot()
