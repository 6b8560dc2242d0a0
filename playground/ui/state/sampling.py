"""The sampler's settings and how many candidates the chart lists: a small evented state
(the next-token and generation panels show it; session files and settings store it)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from playground.engine.sampling.distribution import (
    Distribution,
    RankedLogits,
    SamplingSettings,
    distribution,
)

DEFAULT_TOP_N = 15
MIN_TOP_N, MAX_TOP_N = 1, 200


class SamplingState(QObject):
    changed = Signal()  # settings or top-N: the distribution view must redraw

    def __init__(self) -> None:
        super().__init__()
        self._settings = SamplingSettings()
        self._top_n = DEFAULT_TOP_N
        self._shown: tuple[RankedLogits, SamplingSettings, Distribution] | None = None

    @property
    def settings(self) -> SamplingSettings:
        return self._settings

    @property
    def top_n(self) -> int:
        return self._top_n

    def set_settings(self, settings: SamplingSettings, vocab_size: int | None = None) -> bool:
        """Clamp to meaningful ranges (top-k to the vocabulary); True if anything changed."""
        settings = settings.normalised(vocab_size)
        if settings == self._settings:
            return False
        self._settings = settings
        self.changed.emit()
        return True

    def set_top_n(self, n: int) -> None:
        n = max(MIN_TOP_N, min(int(n), MAX_TOP_N))
        if n != self._top_n:
            self._top_n = n
            self.changed.emit()

    def distribution_of(self, ranked: RankedLogits) -> Distribution:
        """The distribution of `ranked` under the settings, computed once per pair (every
        panel and the export read it)."""
        shown = self._shown
        if shown is None or shown[0] is not ranked or shown[1] != self._settings:
            shown = self._shown = (ranked, self._settings, distribution(ranked, self._settings))
        return shown[2]

    def to_dict(self) -> dict[str, Any]:
        return {"sampling": self._settings.to_dict(), "top_n": self._top_n}

    @staticmethod
    def checked(data: dict[str, Any]) -> tuple[SamplingSettings, int]:
        """`to_dict`'s form read back (ValueError, TypeError or KeyError if damaged)."""
        return SamplingSettings.from_dict(data["sampling"]), int(data["top_n"])
