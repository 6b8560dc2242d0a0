"""Leave-one-out attribution of the next-token prediction: which parts of the prompt it
depends on, and the same target's logit split by component. Computed in the background
while its panel is on screen, for a target token (the model's top one unless one is
chosen), leaving out each token, word or line, with the run's interventions."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, Signal

from playground.engine.errors import PlaygroundError
from playground.engine.inspect.direct_logit import LogitComponents
from playground.engine.inspect.leave_one_out import UNITS, LeaveOneOut, prompt_parts
from playground.ui.state.derived_result import DerivedResult
from playground.ui.state.on_screen_run import OnScreenRun
from playground.ui.worker.jobs import Job
from playground.ui.worker.model_jobs import attribution_job, components_job
from playground.ui.worker.runner import ModelRunner

MAX_PARTS = 100  # more would take too long to feel like an answer (each part is a run)


class _LeftOut(DerivedResult):
    """Each part left out in turn: one run each, with progress."""

    def __init__(self, runner: ModelRunner, owner: AttributionView) -> None:
        super().__init__(runner)
        self.owner = owner

    def key(self) -> Hashable | None:
        s, target = self.owner.session, self.owner.target
        if s.generating or s.analysis is None or not s.analysis.ids or target is None:
            return None
        return (s.analysis.run, target, self.owner.unit)

    def job(self, key: Any) -> Job:
        run, target, unit = key
        lm = self.owner.session.model
        parts = len(prompt_parts(lm, run.ids, unit)) if lm is not None else 0
        if parts > MAX_PARTS:
            raise PlaygroundError(
                QCoreApplication.translate(
                    "AttributionView",
                    "{parts:,} parts: leaving each out would run the prompt {parts:,} times. "
                    "Choose a coarser unit (each line or sentence).",
                ).format(parts=parts)
            )
        return attribution_job(run, target, unit)


class _Components(DerivedResult):
    """The target's logit split by embedding, layer and head (no new model run)."""

    def __init__(self, runner: ModelRunner, owner: AttributionView) -> None:
        super().__init__(runner)
        self.owner = owner

    def key(self) -> Hashable | None:
        analysis, target = self.owner.session.analysis, self.owner.target
        if analysis is None or analysis.forward is None or target is None:
            return None
        return (analysis.run, target)

    def job(self, key: Any) -> Job:
        run, target = key
        analysis = self.owner.session.analysis
        assert analysis is not None and analysis.forward is not None and analysis.run == run
        return components_job(run, analysis.forward, target)


class AttributionView(QObject):
    changed = Signal()  # a result, progress, an error, or the unit or target changed

    def __init__(self, runner: ModelRunner, session: OnScreenRun) -> None:
        super().__init__()
        self.session = session
        self.unit = "word"
        self.chosen_target: int | None = None  # None: the model's top token
        self.left_out = _LeftOut(runner, self)
        self.split = _Components(runner, self)
        for part in (self.left_out, self.split):
            part.changed.connect(self.changed.emit)
        session.analysis_changed.connect(self.request)
        # new model work comes first: an attribution under way is dropped (asked for again
        # once the new analysis is there)
        session.prompt_changed.connect(self.left_out.drop_running)
        session.generation_changed.connect(self._drop_if_generating)
        session.model_changed.connect(self._forget)

    # --- what the panel reads ------------------------------------------------------------
    wanted = property(lambda self: self.left_out.wanted)
    result = property(lambda self: self.left_out.result)  # LeaveOneOut | None
    components = property(lambda self: self.split.result)  # LogitComponents | None
    running = property(lambda self: self.left_out.running)
    progress = property(lambda self: self.left_out.progress or (0, 0))  # parts done, in all
    error = property(lambda self: self.left_out.error or self.split.error)

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
        if not isinstance(result, LeaveOneOut) or analysis is None or result.run != analysis.run:
            return None
        return result.token_scores(analysis.n_tokens, missing=np.nan)

    def components_of_screen(self) -> LogitComponents | None:
        return self.components if self.split.current else None

    # --- settings ----------------------------------------------------------------------------
    def set_wanted(self, wanted: bool) -> None:
        self.left_out.wanted = self.split.wanted = wanted
        self.request()

    def set_unit(self, unit: str) -> None:
        if unit in UNITS and unit != self.unit:
            self.unit = unit
            self.request()

    def set_target(self, token_id: int | None) -> None:
        if token_id != self.chosen_target:
            self.chosen_target = token_id
            self.request()

    def request(self) -> None:
        self.split.request()
        self.left_out.request()

    def to_dict(self) -> dict[str, Any]:
        return {"unit": self.unit, "target": self.chosen_target}

    def restore(self, data: dict[str, Any]) -> None:
        """`to_dict`'s form (a session file's); unknown values keep the defaults."""
        unit, target = data.get("unit", "word"), data.get("target")
        self.unit = unit if unit in UNITS else "word"
        self.chosen_target = None if target is None else int(target)
        self.changed.emit()
        self.request()

    def _drop_if_generating(self) -> None:
        if self.session.generating:
            self.left_out.drop_running()

    def _forget(self) -> None:
        self.chosen_target = None
        self.left_out.forget()
        self.split.forget()
