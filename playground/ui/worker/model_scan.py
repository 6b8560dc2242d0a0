"""The search for GGUF models on the machine, on a thread of its own: reading the headers
of a few large files can take seconds, and must wait neither for the window nor behind a
generation on the model thread."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from playground.engine.model.found_models import FoundModel, scan


class ModelScan(QObject):
    finished = Signal(list)  # list[FoundModel], delivered on the GUI thread

    def __init__(self, home: Path | None = None) -> None:
        super().__init__()
        self.home = home  # None: the user's own home and the tools' variables
        self.models: list[FoundModel] | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="model-scan", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            found = scan(self.home)
        except Exception:  # an unreadable place must not take the dialog down: list nothing
            found = []
        self.finished.emit(found)  # queued to the GUI thread (the receiver lives there)
