"""The logit lens's reading: asked for only while its panel is on screen, for a window of
positions ending at the selected token (or the last)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from playground.engine.inspect.analysis import Analysis
from playground.engine.inspect.logit_lens import LensReading
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
        self._request = -1  # the latest request: older readings are dropped
        runner.lens_ready.connect(self._on_ready)

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
        self._request = self.runner.request_lens(analysis.forward.hidden_states, positions)

    def clear(self) -> None:
        """A new model: the old reading (and any on its way) belongs to the old one."""
        self.reading, self._read_from, self._request = None, None, -1

    def _on_ready(self, request: int, reading: LensReading) -> None:
        if request != self._request:
            return
        self.reading = reading
        self.changed.emit()
