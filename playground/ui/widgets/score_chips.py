"""Token chips coloured by a signed score per token (an attribution): blue where the token
helped the prediction, red where it argued against it, deeper for larger scores; the
score itself is written under the token's text."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor

from playground.ui.widgets.token_chips import TokenChips

HELPED = QColor("#3d7be0")
HURT = QColor("#d1205f")
PAPER = QColor("#f4f5f8")


def score_color(score: float, largest: float) -> QColor:
    """The chip's fill: paper at 0, the full colour at the largest |score| shown."""
    strength = 0.0 if largest <= 0 else min(abs(score) / largest, 1.0)
    end = HELPED if score >= 0 else HURT
    mix = np.sqrt(strength)  # small but real scores stay visible
    paper, full = PAPER.getRgb()[:3], end.getRgb()[:3]
    return QColor(*(round(a + (b - a) * mix) for a, b in zip(paper, full, strict=True)))


class ScoreChips(TokenChips):
    def __init__(self, parent=None, top_margin: float = 0.0) -> None:
        super().__init__(parent, top_margin)
        self.scores: np.ndarray | None = None  # (T,) or None: plain chips
        self._largest = 0.0

    def set_scores(self, scores: np.ndarray | None) -> None:
        """(T,) one score per token (NaN: not scored), or None for plain chips."""
        self.scores = None if scores is None else np.asarray(scores, dtype=float)
        finite = self.scores[np.isfinite(self.scores)] if self.scores is not None else []
        self._largest = float(np.abs(finite).max()) if len(finite) else 0.0
        self.update()

    def custom_style(self, index: int) -> tuple[QColor, QColor, str] | None:
        scores = self.scores
        if scores is None or index >= len(scores) or not np.isfinite(scores[index]):
            return None
        score = float(scores[index])
        fill = score_color(score, self._largest)
        ink = QColor("white") if fill.lightness() < 140 else QColor("#1d1f2b")
        return fill, ink, f"{score:+.1f}"
