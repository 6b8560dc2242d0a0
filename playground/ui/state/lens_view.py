"""The logit lens's reading: asked for only while its panel is on screen, for a window of
positions ending at the selected token (or the last)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from playground.engine.inspect.analysis import Analysis
from playground.engine.inspect.logit_lens import LensReading
from playground.ui.worker.model_jobs import lens_job
from playground.ui.worker.runner import ModelRunner

LENS_POSITIONS = 20  # the logit-lens grid covers this many positions up to the selection


class LensView(QObject):
    changed = Signal()

    def __init__(self, runner: ModelRunner) -> None:
        super().__init__()
        self.runner = runner
        self.reading: LensReading | None = None
        self.wanted = False  # a logit-lens view is on screen
        self._read_from: Analysis | None = None  # the analysis the reading was asked for
        self._ticket = -1  # the latest request's (older readings are dropped by the runner)

    @staticmethod
    def positions(end: int | None) -> list[int]:
        """The grid's positions: a window of tokens ending at `end` (the focus token)."""
        return [] if end is None else list(range(max(0, end + 1 - LENS_POSITIONS), end + 1))

    def request(self, analysis: Analysis | None, focus: int | None) -> None:
        """Ask for the reading of `analysis` if it is wanted and not already there."""
        if not self.wanted or analysis is None or analysis.forward is None:
            return
        positions = self.positions(focus)
        if (
            self.reading is not None
            and list(self.reading.positions) == positions
            and self._read_from is analysis
        ):
            return
        self._read_from = analysis
        job = lens_job(analysis.forward.hidden_states, positions)
        self._ticket = self.runner.submit(job, self._on_ready)

    def clear(self) -> None:
        """A new model: the old reading (and any on its way) belongs to the old one."""
        self.runner.cancel(self._ticket)
        self.reading, self._read_from = None, None

    def _on_ready(self, reading: LensReading) -> None:
        self.reading = reading
        self.changed.emit()
