"""The search for GGUF models on the machine, beside the window: reading the headers of a
few large files can take seconds, and must wait neither for the window nor behind a
generation on the model thread. It runs in a plain thread that touches no Qt object; the
GUI thread polls for its answer, so a dialog closed meanwhile leaves nothing to call."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from playground.engine.model.found_models import FoundModel, scan

POLL_MS = 50


class ModelScan(QObject):
    finished = Signal(list)  # list[FoundModel], on the GUI thread

    def __init__(self, home: Path | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.home = home  # None: the user's own home and the tools' variables
        self.models: list[FoundModel] | None = None
        self._future: Future[list[FoundModel]] | None = None
        self._poll = QTimer(self, interval=POLL_MS)
        self._poll.timeout.connect(self._check)

    def start(self) -> None:
        if self._future is None:
            executor = ThreadPoolExecutor(1, thread_name_prefix="model-scan")
            self._future = executor.submit(_found_models, self.home)
            executor.shutdown(wait=False)  # the thread ends with its one task
            self._poll.start()

    def _check(self) -> None:
        if self._future is None or not self._future.done():
            return
        self._poll.stop()
        try:
            self.models = self._future.result()
        except Exception:  # an unreadable place must not take the dialog down: list nothing
            self.models = []
        self.finished.emit(self.models)


def _found_models(home: Path | None) -> list[FoundModel]:
    """The store's models with fine-tuned variants (each followed by its variants), then
    the GGUF files found on the machine."""
    from playground.engine.finetune.saving import variant_rows

    return variant_rows() + scan(home)
