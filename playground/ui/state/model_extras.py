"""What is computed once per model in the background after it loads: the embedding map
(with its 2D projection) and every head's induction score."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject, Signal

from playground.engine.inspect.embeddings import EmbeddingSpace
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
        runner.embeddings_ready.connect(self._on_embeddings_ready)
        runner.embeddings_failed.connect(self._on_embeddings_failed)
        runner.induction_ready.connect(self._on_induction_ready)

    def request(self) -> None:
        """Forget the previous model's extras and ask for this one's (queued behind the
        analysis already asked for)."""
        self.embedding_space, self.embeddings_error = None, None
        self.induction_scores, self.induction_measured = None, False
        self.runner.request_embeddings()
        self.runner.request_induction_scores()

    @property
    def done(self) -> bool:
        """Both have arrived or failed."""
        embeddings_done = self.embedding_space is not None or self.embeddings_error is not None
        return embeddings_done and self.induction_measured

    def _on_embeddings_ready(self, space: EmbeddingSpace) -> None:
        self.embedding_space, self.embeddings_error = space, None
        self.embeddings_changed.emit()

    def _on_embeddings_failed(self, message: str) -> None:
        self.embeddings_error = message
        self.embeddings_changed.emit()

    def _on_induction_ready(self, scores: np.ndarray | None) -> None:
        self.induction_scores, self.induction_measured = scores, True
        self.induction_changed.emit()
