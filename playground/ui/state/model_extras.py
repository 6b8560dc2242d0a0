"""What is computed once per model in the background after it loads: the embedding map
(with its 2D projection) and every head's induction score. Both are always wanted; their
key is the model, so a new model asks again and an answer for the old one is dropped."""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from playground.engine.inspect.embeddings import EmbeddingSpace
from playground.engine.inspect.run import ModelId
from playground.ui.state.derived_result import DerivedResult
from playground.ui.state.meaning_map import MeaningMap
from playground.ui.worker.jobs import Job
from playground.ui.worker.model_jobs import embeddings_job, induction_job
from playground.ui.worker.runner import ModelRunner


class _PerModel(DerivedResult):
    def __init__(self, runner: ModelRunner, make_job: Any) -> None:
        super().__init__(runner, wanted=True)
        self.model: ModelId | None = None
        self._make_job = make_job

    def key(self) -> Hashable | None:
        return self.model

    def job(self, key: Any) -> Job:
        return self._make_job()

    def ask_for(self, model: ModelId) -> None:
        self.forget()
        self.model = model
        self.request()

    @property
    def finished(self) -> bool:
        return self.current or (self.error is not None and not self.running)


class ModelExtras(QObject):
    embeddings_changed = Signal()
    induction_changed = Signal()

    def __init__(self, runner: ModelRunner) -> None:
        super().__init__()
        self.embeddings = _PerModel(runner, embeddings_job)
        self.induction = _PerModel(runner, induction_job)
        self.embeddings.changed.connect(self._on_embeddings_changed)
        self.induction.changed.connect(self.induction_changed.emit)
        self.meaning_map = MeaningMap()  # the UMAP map, made on request

    def request(self, model: ModelId) -> None:
        """Forget the previous model's extras and ask for this one's (queued behind the
        analysis already asked for)."""
        self.embeddings.ask_for(model)
        self.induction.ask_for(model)

    @property
    def embedding_space(self) -> EmbeddingSpace | None:
        return self.embeddings.result if self.embeddings.current else None

    @property
    def embeddings_error(self) -> str | None:
        return self.embeddings.error

    @property
    def induction_scores(self) -> np.ndarray | None:  # (L, H), measured once per model
        return self.induction.result if self.induction.current else None

    @property
    def induction_measured(self) -> bool:
        """Measured, or failed (a statistic, not essential: then shown as missing)."""
        return self.induction.finished

    @property
    def done(self) -> bool:
        """Both have arrived or failed."""
        return self.embeddings.finished and self.induction.finished

    def _on_embeddings_changed(self) -> None:
        space = self.embedding_space
        if space is not None and self.meaning_map.folder != Path(space.folder):
            self.meaning_map.set_model(space.folder, space.vocab_size)
        self.embeddings_changed.emit()
