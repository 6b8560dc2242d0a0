"""The logit lens's reading: asked for only while its panel is on screen, for a window of
positions ending at the selected token (or the last)."""

from __future__ import annotations

from collections.abc import Hashable

from playground.engine.inspect.logit_lens import LensReading
from playground.ui.state.derived_result import DerivedResult
from playground.ui.state.on_screen_run import OnScreenRun
from playground.ui.worker.jobs import LENS_OF_A, Job
from playground.ui.worker.model_jobs import lens_job
from playground.ui.worker.runner import ModelRunner

LENS_POSITIONS = 20  # the logit-lens grid covers this many positions up to the selection


class LensView(DerivedResult):
    """The lens of the run on screen (B); `of_a` reads the run pinned as A at the same
    positions, when its tokens line up with B's (a knock-out, a fine-tuned variant)."""

    def __init__(self, runner: ModelRunner, session: OnScreenRun) -> None:
        super().__init__(runner)
        self.session = session
        self.of_a = _LensOfA(runner, self)
        self.showing_a = False  # the panel shows A's reading instead of B's
        for signal in (session.analysis_changed, session.selection_changed):
            signal.connect(self.request)
        session.pinned.changed.connect(self.request)
        session.model_changed.connect(self.forget)
        self.of_a.changed.connect(self.changed.emit)

    @property
    def reading(self) -> LensReading | None:
        return self.result

    @property
    def shown(self) -> LensReading | None:
        """B's reading, or A's when it is asked for and there."""
        return self.of_a.result if self.showing_a and self.of_a.current else self.result

    def show_a(self, on: bool) -> None:
        self.showing_a = on
        self.changed.emit()

    def set_wanted(self, wanted: bool) -> None:
        self.of_a.wanted = wanted
        super().set_wanted(wanted)

    def request(self, again: bool = False) -> None:
        super().request(again)
        self.of_a.request()

    def forget(self) -> None:
        super().forget()
        self.of_a.forget()

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


class _LensOfA(DerivedResult):
    def __init__(self, runner: ModelRunner, view: LensView) -> None:
        super().__init__(runner)
        self.view = view

    def key(self) -> Hashable | None:
        s = self.view.session
        a, b = s.pinned.analysis, s.analysis
        if a is None or a.forward is None or b is None or a.n_tokens != b.n_tokens:
            return None
        return (a.run, tuple(LensView.positions(s.focus_token)))

    def job(self, key: tuple) -> Job:
        run, positions = key
        a = self.view.session.pinned.analysis
        assert a is not None and a.forward is not None and a.run == run
        return lens_job(run, a.forward.hidden_states, list(positions), LENS_OF_A)
