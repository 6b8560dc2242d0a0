"""Before and after in every panel: "Compare with the base" analyses the held-out check
with the base model, pins that run as A, then opens the variant, whose runs are B (a
base and its variants read the same tokens, so A stays pinned across the switch)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer

from playground.ui.state.session import Session


class FinetuneController(QObject):
    def __init__(self, window: Any, session: Session) -> None:  # window: the MainWindow
        super().__init__(window)
        self.window, self.session = window, session
        self._variant: Path | None = None  # to open once the base's run is pinned
        self._opening = False  # the variant is being opened: its panel comes to the front
        session.analysis_changed.connect(self._pin_and_open)
        session.model_changed.connect(self._show_panel)

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
        self._variant, self._opening = None, True
        s.pin_current()
        self.window.open_model(folder)

    def _show_panel(self) -> None:
        if self._opening:  # after the window has laid out its docks for the new model
            self._opening = False
            QTimer.singleShot(0, lambda: self.window.show_panel("finetune"))
