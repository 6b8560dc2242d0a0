"""Before and after in every panel: "Compare with the base" analyses the held-out check
with the base model, pins that run as A, then opens the variant, whose runs are B (a
base and its variants read the same tokens, so A stays pinned across the switch)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject

from playground.ui.state.session import Session


class FinetuneController(QObject):
    def __init__(self, window: Any, session: Session) -> None:  # window: the MainWindow
        super().__init__(window)
        self.window, self.session = window, session
        self._variant: Path | None = None  # to open once the base's run is pinned
        session.analysis_changed.connect(self._pin_and_open)

    def open(self, folder: Path) -> None:
        self.window.open_model(Path(folder))

    def compare(self, folder: Path, prompt: str) -> None:
        """A = the base on `prompt` (its chat mode as it is), then B = the variant."""
        self._variant = Path(folder)
        if prompt and prompt != self.session.prompt:
            self.session.set_prompt(prompt, immediate=True)
        else:
            self._pin_and_open()

    def _pin_and_open(self) -> None:
        s, folder = self.session, self._variant
        if folder is None or not s.analysis_is_current:
            return
        self._variant = None
        s.pin_current()
        self.window.open_model(folder)
