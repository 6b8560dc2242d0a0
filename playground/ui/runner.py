"""Model work off the GUI thread: loading (with progress and cancel) and analysis.

The GUI thread asks through queued signals; a single worker thread answers in order.
Every analysis request carries a generation number; the worker skips requests that a
newer one has already replaced, and the Session drops results that arrive late.
"""

from __future__ import annotations

import threading
import traceback

from PySide6.QtCore import QObject, QThread, Signal, Slot

from playground.engine.analysis import analyse
from playground.engine.attention import induction_scores
from playground.engine.embeddings import EmbeddingSpace
from playground.engine.errors import Cancelled, PlaygroundError
from playground.engine.loader import resolve_bundle
from playground.engine.model import LanguageModel


class _Worker(QObject):
    load_progress = Signal(str, int, int)
    loaded = Signal(object)  # LanguageModel
    load_failed = Signal(str, bool)  # message, cancelled
    analysed = Signal(int, object)  # generation, Analysis
    analysis_failed = Signal(int, str)
    induction_ready = Signal(object)  # (L, H) induction scores of the loaded model
    embeddings_ready = Signal(object)  # EmbeddingSpace
    embeddings_failed = Signal(str)

    def __init__(self, runner: ModelRunner) -> None:
        super().__init__()
        self._runner = runner
        self.model: LanguageModel | None = None

    @Slot(object, object)
    def load(self, source: object, cancel: threading.Event) -> None:
        if isinstance(source, LanguageModel):  # already loaded (tests, model switching)
            self.model = source
            self.loaded.emit(source)
            return
        try:
            folder = resolve_bundle(
                source,  # type: ignore[arg-type]
                progress=lambda stage, done, total: self.load_progress.emit(stage, done, total),
                cancel=cancel,
            )
            self.load_progress.emit("Loading the model", 0, 0)
            self.model = LanguageModel(folder)
            self.loaded.emit(self.model)
        except Cancelled:
            self.load_failed.emit("Cancelled.", True)
        except PlaygroundError as error:
            self.load_failed.emit(str(error), False)
        except Exception as error:  # never let a surprise kill the worker thread
            traceback.print_exc()
            self.load_failed.emit(f"Unexpected error while loading the model: {error!r}", False)

    @Slot(int, str)
    def analyse(self, generation: int, text: str) -> None:
        if generation != self._runner.latest_generation or self.model is None:
            return  # a newer request is queued behind this one
        try:
            result = analyse(self.model, text)
        except PlaygroundError as error:
            self.analysis_failed.emit(generation, str(error))
            return
        except Exception as error:
            traceback.print_exc()
            self.analysis_failed.emit(generation, f"Unexpected error: {error!r}")
            return
        self.analysed.emit(generation, result)

    @Slot()
    def measure_induction(self) -> None:
        if self.model is None:
            return
        try:
            scores = induction_scores(self.model)
        except Exception:  # a statistic, not essential: the table shows it as missing
            traceback.print_exc()
            scores = None
        self.induction_ready.emit(scores)

    @Slot()
    def load_embeddings(self) -> None:
        if self.model is None:
            return
        try:
            self.embeddings_ready.emit(EmbeddingSpace(self.model.folder))
        except PlaygroundError as error:
            self.embeddings_failed.emit(str(error))
        except Exception as error:
            traceback.print_exc()
            self.embeddings_failed.emit(f"Unexpected error: {error!r}")


class ModelRunner(QObject):
    """Owns the worker thread. Lives on the GUI thread."""

    load_progress = Signal(str, int, int)
    loaded = Signal(object)  # LanguageModel (use it only through this runner)
    load_failed = Signal(str, bool)
    analysed = Signal(int, object)
    analysis_failed = Signal(int, str)
    induction_ready = Signal(object)
    embeddings_ready = Signal(object)
    embeddings_failed = Signal(str)
    _request_load = Signal(object, object)
    _request_analysis = Signal(int, str)
    _request_induction = Signal()
    _request_embeddings = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.latest_generation = 0
        self._cancel = threading.Event()
        self._thread = QThread()
        self._thread.setObjectName("model-worker")
        self._worker = _Worker(self)
        self._worker.moveToThread(self._thread)
        self._request_load.connect(self._worker.load)
        self._request_analysis.connect(self._worker.analyse)
        self._request_induction.connect(self._worker.measure_induction)
        self._worker.induction_ready.connect(self.induction_ready)
        self._request_embeddings.connect(self._worker.load_embeddings)
        self._worker.embeddings_ready.connect(self.embeddings_ready)
        self._worker.embeddings_failed.connect(self.embeddings_failed)
        self._worker.load_progress.connect(self.load_progress)
        self._worker.loaded.connect(self.loaded)
        self._worker.load_failed.connect(self.load_failed)
        self._worker.analysed.connect(self.analysed)
        self._worker.analysis_failed.connect(self.analysis_failed)
        self._thread.start()

    def load(self, source: object = None) -> None:
        self._cancel = threading.Event()
        self._request_load.emit(source, self._cancel)

    def cancel_load(self) -> None:
        self._cancel.set()

    def request_analysis(self, text: str) -> int:
        self.latest_generation += 1
        self._request_analysis.emit(self.latest_generation, text)
        return self.latest_generation

    def request_induction_scores(self) -> None:
        """Measure every head's induction score (one extra forward, after queued work)."""
        self._request_induction.emit()

    def request_embeddings(self) -> None:
        """Load the embedding matrix and its 2D map (cached in the bundle)."""
        self._request_embeddings.emit()

    def shutdown(self) -> None:
        self._cancel.set()
        self.latest_generation += 1  # queued analyses become stale and are skipped
        self._thread.quit()
        self._thread.wait()
