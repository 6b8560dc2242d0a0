"""Leave-one-out attribution of the next-token prediction: which parts of the prompt it
depends on. Computed in the background while its panel is on screen, for a target token
(the model's top one unless one is chosen), leaving out each token, word or line."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, Signal

from playground.engine.inspect.analysis import Analysis
from playground.engine.inspect.direct_logit import LogitComponents
from playground.engine.inspect.leave_one_out import UNITS, LeaveOneOut, prompt_parts
from playground.engine.runtime.knock_out import NOTHING_KNOCKED_OUT
from playground.ui.state.session import Session
from playground.ui.worker.model_jobs import attribution_job, components_job
from playground.ui.worker.runner import ModelRunner

MAX_PARTS = 100  # more would take too long to feel like an answer (each part is a run)


class AttributionView(QObject):
    changed = Signal()  # a result, progress, an error, or the unit or target changed

    def __init__(self, runner: ModelRunner, session: Session) -> None:
        super().__init__()
        self.runner, self.session = runner, session
        self.unit = "word"
        self.chosen_target: int | None = None  # None: the model's top token
        self.result: LeaveOneOut | None = None
        self.components: LogitComponents | None = None  # the same target's logit, by part
        self.result_ids: tuple[int, ...] = ()  # the tokens the result is about
        self.progress = (0, 0)  # parts done, parts in all, while it runs
        self.running = False
        self.error: str | None = None
        self.wanted = False  # its panel is on screen
        self._ticket = -1
        self._of: Analysis | None = None  # the analysis `components` belongs to
        self._knock_out = NOTHING_KNOCKED_OUT  # what the result ran without
        session.analysis_changed.connect(self.request)
        # new model work comes first: an attribution under way is dropped (asked for again
        # once the new analysis is there)
        session.prompt_changed.connect(self._drop_running)
        session.generation_changed.connect(self._drop_if_generating)
        session.model_changed.connect(self._forget)

    @property
    def target(self) -> int | None:
        analysis = self.session.analysis
        if self.chosen_target is not None:
            return self.chosen_target
        if analysis is None or analysis.next_token is None:
            return None
        return int(np.argmax(analysis.next_token.raw_logits))

    def token_scores(self) -> np.ndarray | None:
        """(T,) each token's part's score for the analysis on screen (NaN: never left out),
        or None if the result is not that analysis's."""
        analysis, result = self.session.analysis, self.result
        if result is None or analysis is None or self.result_ids != analysis.ids:
            return None
        return result.token_scores(analysis.n_tokens, missing=np.nan)

    def set_wanted(self, wanted: bool) -> None:
        self.wanted = wanted
        self.request()

    def set_unit(self, unit: str) -> None:
        if unit in UNITS and unit != self.unit:
            self.unit = unit
            self.request(again=True)

    def set_target(self, token_id: int | None) -> None:
        if token_id != self.chosen_target:
            self.chosen_target = token_id
            self.request(again=True)

    def request(self, again: bool = False) -> None:
        """Ask for the attribution of the analysis on screen, if wanted and not there."""
        s, target = self.session, self.target
        analysis = s.analysis
        if not self.wanted or s.generating or analysis is None or target is None:
            return
        result, ids, knock_out = self.result, analysis.ids, s.knock_outs.knock_out
        self._request_components(analysis, target)
        same = result is not None and self.result_ids == ids and result.target == target
        if not again and same and self._knock_out == knock_out:
            return
        lm = s.model
        parts = len(prompt_parts(lm, ids, self.unit)) if lm is not None else 0
        if parts > MAX_PARTS:
            self.result, self.running = None, False
            self.error = QCoreApplication.translate(
                "AttributionView",
                "{parts:,} parts: leaving each out would run the prompt {parts:,} times. "
                "Choose a coarser unit (each line or sentence).",
            ).format(parts=parts)
            self.changed.emit()
            return
        self.running, self.error, self.progress = True, None, (0, 0)

        def done(result: LeaveOneOut) -> None:
            self.result, self.result_ids, self.running = result, ids, False
            self._knock_out = knock_out
            self.changed.emit()

        self._ticket = self.runner.submit(
            attribution_job(ids, target, self.unit, s.knock_outs.knock_out),
            done,
            self._on_failed,
            self._on_progress,
        )
        self.changed.emit()

    def _request_components(self, analysis: Analysis, target: int) -> None:
        c = self.components
        if analysis.forward is None or (
            c is not None and c.target == target and self._of is analysis
        ):
            return

        def done(components: LogitComponents) -> None:
            self.components, self._of = components, analysis
            self.changed.emit()

        job = components_job(analysis.forward, target, self.session.knock_outs.knock_out)
        self.runner.submit(job, done, self._on_failed)

    def _drop_running(self) -> None:
        if self.running:
            self.runner.cancel(self._ticket)
            self.running = False
            self.changed.emit()

    def _drop_if_generating(self) -> None:
        if self.session.generating:
            self._drop_running()

    def _forget(self) -> None:
        self._drop_running()
        self.result, self.result_ids, self.chosen_target = None, (), None
        self.changed.emit()

    def _on_progress(self, progress: tuple[int, int]) -> None:
        self.progress = progress
        self.changed.emit()

    def _on_failed(self, message: str) -> None:
        self.error, self.running = message, False
        self.changed.emit()
