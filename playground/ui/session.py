"""The Session: the one source of truth of the window.

Panels read it and change it only through its setters; it tells them what changed
through signals. Typing is debounced; slider changes are applied at once (they only
re-shape the cached distribution, no model run).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from playground.engine.analysis import Analysis
from playground.engine.attention import Scope
from playground.engine.bundle import BundleInfo
from playground.engine.embeddings import EmbeddingSpace
from playground.engine.model import LanguageModel
from playground.engine.sampling import Distribution, SamplingSettings, distribution
from playground.ui.runner import ModelRunner

DEBOUNCE_MS = 150


@dataclass(frozen=True)
class AttentionView:
    """What the attention panel shows: which head (or mean), and how."""

    scope: Scope = Scope.HEAD
    layer: int = 0
    head: int = 0
    hide_first: bool = False  # drop the first token (attention sink), renormalise rows
    all_layers: bool = False  # the overview shows every layer, not just `layer`


class Session(QObject):
    prompt_changed = Signal()
    analysis_changed = Signal()
    sampling_changed = Signal()  # settings or top-N: the distribution view must redraw
    selection_changed = Signal()
    model_changed = Signal()
    status_changed = Signal()  # busy flag, error message
    attention_view_changed = Signal()
    induction_changed = Signal()
    embeddings_changed = Signal()

    def __init__(self, runner: ModelRunner, debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__()
        self.runner = runner
        self.prompt = ""
        self.analysis: Analysis | None = None
        self.sampling = SamplingSettings()
        self.top_n = 15
        self.selected_token: int | None = None  # index into analysis.ids
        self.model_info: BundleInfo | None = None
        self.error: str | None = None  # why the latest prompt could not be analysed
        self.busy = False
        self.last_latency: float | None = None  # seconds from the edit to the result
        self.attention_view = AttentionView()
        self.induction_scores: np.ndarray | None = None  # (L, H), measured once per model
        self.induction_measured = False  # True once measured (scores stay None if it failed)
        self.embedding_space: EmbeddingSpace | None = None
        self.embeddings_error: str | None = None
        self._lm: LanguageModel | None = None
        self._distribution: Distribution | None = None
        self._pending_generation = 0
        self._edit_time = 0.0
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(debounce_ms)
        self._debounce.timeout.connect(self._request_analysis)
        runner.loaded.connect(self._on_model_loaded)
        runner.analysed.connect(self._on_analysed)
        runner.analysis_failed.connect(self._on_analysis_failed)
        runner.induction_ready.connect(self._on_induction_ready)
        runner.embeddings_ready.connect(self._on_embeddings_ready)
        runner.embeddings_failed.connect(self._on_embeddings_failed)

    # --- setters (the only way panels change state) ---------------------------------------
    def set_prompt(self, text: str, immediate: bool = False) -> None:
        if text == self.prompt and not immediate:
            return
        self.prompt = text
        self._edit_time = time.perf_counter()
        self.prompt_changed.emit()
        if self.model_info is None:
            return  # analysed as soon as the model is ready
        if immediate:
            self._debounce.stop()
            self._request_analysis()
        else:
            self._debounce.start()

    def set_sampling(self, settings: SamplingSettings) -> None:
        settings = settings.normalised()
        if settings == self.sampling:
            return
        self.sampling = settings
        self._distribution = None
        self.sampling_changed.emit()

    def set_top_n(self, n: int) -> None:
        n = max(1, min(int(n), 200))
        if n != self.top_n:
            self.top_n = n
            self.sampling_changed.emit()

    def select_token(self, index: int | None) -> None:
        if index is not None and (self.analysis is None or not 0 <= index < self.analysis.n_tokens):
            index = None
        if index != self.selected_token:
            self.selected_token = index
            self.selection_changed.emit()

    def set_attention_view(self, view: AttentionView | None = None, **changes: object) -> None:
        """Replace the attention view, or change some of its fields (clamped to the model)."""
        view = replace(view or self.attention_view, **changes)  # type: ignore[arg-type]
        if self.model_info is not None:
            arch = self.model_info.architecture
            view = replace(
                view,
                layer=min(max(view.layer, 0), arch.n_layer - 1),
                head=min(max(view.head, 0), arch.n_head - 1),
            )
        if view != self.attention_view:
            self.attention_view = view
            self.attention_view_changed.emit()

    def append_token(self, token_id: int) -> None:
        """Append a candidate's text to the prompt and analyse again at once."""
        if self._lm is None or self.analysis is None:
            return
        ids = list(self.analysis.ids)
        addition = self._lm.decode([*ids, token_id])[len(self._lm.decode(ids)) :]
        self.set_prompt(self.prompt + addition, immediate=True)

    # --- derived state ---------------------------------------------------------------------
    @property
    def distribution(self) -> Distribution | None:
        """The next-token distribution under the current settings (cached)."""
        if self.analysis is None or self.analysis.next_token is None:
            return None
        if self._distribution is None:
            self._distribution = distribution(self.analysis.next_token, self.sampling)
        return self._distribution

    @property
    def model(self) -> LanguageModel | None:
        """The loaded model, for read-only lookups (token texts); runs go via the runner."""
        return self._lm

    @property
    def background_work_done(self) -> bool:
        """The per-model extras (embedding map, induction scores) have arrived or failed."""
        return (
            self.embedding_space is not None or self.embeddings_error is not None
        ) and self.induction_measured

    @property
    def analysis_is_current(self) -> bool:
        return not self.busy and self.analysis is not None and self.analysis.text == self.prompt

    # --- model runner results ----------------------------------------------------------------
    def _request_analysis(self) -> None:
        self._pending_generation = self.runner.request_analysis(self.prompt)
        if not self.busy:
            self.busy = True
            self.status_changed.emit()

    def _on_model_loaded(self, lm: LanguageModel) -> None:
        self._lm = lm
        self.model_info = lm.info
        self.induction_scores = None
        self.induction_measured = False
        self.embedding_space = None
        self.model_changed.emit()
        self._request_analysis()
        self.runner.request_embeddings()  # both queued behind the first analysis
        self.runner.request_induction_scores()

    def _on_analysed(self, generation: int, analysis: Analysis) -> None:
        if generation != self._pending_generation:
            return  # an older prompt's result: a newer one is on its way
        self.analysis = analysis
        self._distribution = None
        self.busy = False
        self.error = None
        self.last_latency = time.perf_counter() - self._edit_time
        if self.selected_token is not None and self.selected_token >= analysis.n_tokens:
            self.selected_token = None
            self.selection_changed.emit()
        self.analysis_changed.emit()
        self.sampling_changed.emit()
        self.status_changed.emit()

    def _on_embeddings_ready(self, space: EmbeddingSpace) -> None:
        self.embedding_space = space
        self.embeddings_error = None
        self.embeddings_changed.emit()

    def _on_embeddings_failed(self, message: str) -> None:
        self.embeddings_error = message
        self.embeddings_changed.emit()

    def _on_induction_ready(self, scores: np.ndarray | None) -> None:
        self.induction_scores = scores
        self.induction_measured = True
        self.induction_changed.emit()

    def _on_analysis_failed(self, generation: int, message: str) -> None:
        if generation != self._pending_generation:
            return
        self.busy = False
        self.error = message
        self.status_changed.emit()
