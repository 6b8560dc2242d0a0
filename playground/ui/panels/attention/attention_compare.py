"""Attention of two runs side by side: with a run pinned as A whose tokens line up with
the current run B (the same prompt with heads knocked out, or one word swapped for
another of one token), the attention panel's matrix and token view can show B, A, or
B - A (how much more, in weight, each token receives in B)."""

from __future__ import annotations

from enum import Enum

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QComboBox

from playground.ui.state.attention_view import AttentionView, ShownMatrix
from playground.ui.state.session import Session


class Showing(Enum):
    B = QT_TRANSLATE_NOOP("AttentionCompare", "This run (B)")
    A = QT_TRANSLATE_NOOP("AttentionCompare", "Pinned run (A)")
    DIFFERENCE = QT_TRANSLATE_NOOP("AttentionCompare", "B − A")


class AttentionCompare:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.choice = QComboBox()
        for showing in Showing:
            self.choice.addItem(QCoreApplication.translate("AttentionCompare", showing.value))
        self.choice.setToolTip(
            QCoreApplication.translate(
                "AttentionCompare",
                "With a run pinned as A (next-token panel) that has as many tokens as this "
                "one: show this run, the pinned one, or the difference (red: more attention "
                "in B, blue: less).",
            )
        )
        self._shown_a = ShownMatrix()

    @property
    def available(self) -> bool:
        return self.session.pinned.aligned_attentions(self.session.analysis) is not None

    @property
    def showing(self) -> Showing:
        if not self.available:
            return Showing.B
        return list(Showing)[self.choice.currentIndex()]

    def matrix(self, b: np.ndarray | None, view: AttentionView) -> np.ndarray | None:
        """(T, T) what to draw: B's matrix `b`, A's under the same view, or B - A."""
        showing = self.showing
        if showing is Showing.B or b is None:
            return b
        a_maps = self.session.pinned.aligned_attentions(self.session.analysis)
        assert a_maps is not None
        a = self._shown_a.of(a_maps, view)  # (T, T)
        return a if showing is Showing.A else b - a

    def title_suffix(self) -> str:
        showing = self.showing
        if showing is Showing.B:
            return ""
        source = self.session.pinned.source
        prompt = source[1][:40] if source is not None else ""
        if showing is Showing.A:
            return QCoreApplication.translate(
                "AttentionCompare", " — pinned run A ({prompt})"
            ).format(prompt=repr(prompt))
        return QCoreApplication.translate(
            "AttentionCompare",
            " — B − A, against {prompt} (red: more attention in B, blue: less)",
        ).format(prompt=repr(prompt))

    def tokens_differ(self) -> list[int]:
        """Positions whose token is not the same in A and B."""
        analysis = self.session.analysis
        a_ids = self.session.pinned.ids
        if analysis is None or not self.available:
            return []
        return [i for i, (a, b) in enumerate(zip(a_ids, analysis.ids, strict=False)) if a != b]
