"""The logit lens's reading: asked for only while its panel is on screen, for a window of
positions ending at the selected token (or the last)."""

from __future__ import annotations

from collections.abc import Hashable

from playground.engine.inspect.logit_lens import LensReading
from playground.ui.state.derived_result import DerivedResult
from playground.ui.state.on_screen_run import OnScreenRun
from playground.ui.worker.jobs import Job
from playground.ui.worker.model_jobs import lens_job
from playground.ui.worker.runner import ModelRunner

LENS_POSITIONS = 20  # the logit-lens grid covers this many positions up to the selection


class LensView(DerivedResult):
    def __init__(self, runner: ModelRunner, session: OnScreenRun) -> None:
        super().__init__(runner)
        self.session = session
        session.analysis_changed.connect(self.request)
        session.selection_changed.connect(self.request)
        session.model_changed.connect(self.forget)

    @property
    def reading(self) -> LensReading | None:
        return self.result

    @staticmethod
    def positions(end: int | None) -> list[int]:
        """The grid's positions: a window of tokens ending at `end` (the focus token)."""
        return [] if end is None else list(range(max(0, end + 1 - LENS_POSITIONS), end + 1))

    def key(self) -> Hashable | None:
        analysis = self.session.analysis
        if analysis is None or analysis.forward is None:
            return None
        return (analysis.run, tuple(self.positions(self.session.focus_token)))

    def job(self, key: tuple) -> Job:
        run, positions = key
        analysis = self.session.analysis
        assert analysis is not None and analysis.forward is not None and analysis.run == run
        return lens_job(run, analysis.forward.hidden_states, list(positions))
