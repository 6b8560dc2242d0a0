"""What is computed once per model in the background after it loads: the embedding map
(with its 2D projection) and every head's induction score."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from playground.engine.inspect.embeddings import EmbeddingSpace
from playground.ui.state.meaning_map import MeaningMap
from playground.ui.worker.model_jobs import embeddings_job, induction_job
from playground.ui.worker.runner import ModelRunner


class ModelExtras(QObject):
    embeddings_changed = Signal()
    induction_changed = Signal()

    def __init__(self, runner: ModelRunner) -> None:
        super().__init__()
        self.runner = runner
        self.embedding_space: EmbeddingSpace | None = None
        self.embeddings_error: str | None = None
        self.induction_scores: np.ndarray | None = None  # (L, H), measured once per model
        self.induction_measured = False  # True once measured (scores stay None if it failed)
        self.meaning_map = MeaningMap()  # the UMAP map, made on request

    def request(self) -> None:
        """Forget the previous model's extras and ask for this one's (queued behind the
        analysis already asked for)."""
        self.embedding_space, self.embeddings_error = None, None
        self.induction_scores, self.induction_measured = None, False
        self.runner.submit(embeddings_job(), self._on_embeddings_ready, self._on_embeddings_failed)
        self.runner.submit(induction_job(), self._on_induction_ready, self._on_induction_failed)

    @property
    def done(self) -> bool:
        """Both have arrived or failed."""
        embeddings_done = self.embedding_space is not None or self.embeddings_error is not None
        return embeddings_done and self.induction_measured

    def _on_embeddings_ready(self, space: EmbeddingSpace) -> None:
        self.embedding_space, self.embeddings_error = space, None
        self.meaning_map.set_model(space.folder, space.vocab_size)
        self.embeddings_changed.emit()

    def _on_embeddings_failed(self, message: str) -> None:
        self.embeddings_error = message
        self.embeddings_changed.emit()

    def _on_induction_failed(self, _message: str) -> None:
        self._on_induction_ready(None)  # a statistic, not essential: shown as missing

    def _on_induction_ready(self, scores: np.ndarray | None) -> None:
        self.induction_scores, self.induction_measured = scores, True
        self.induction_changed.emit()
