"""Tokenization panel: the prompt as the model's tokens, with counts; optionally each
token coloured by the attribution of the prediction (the Attribution panel's result)."""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QBoxLayout, QCheckBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from playground.ui.state.attribution_view import AttributionView
from playground.ui.state.session import Session
from playground.ui.widgets.on_screen import OnScreenUpdates
from playground.ui.widgets.score_chips import ScoreChips


class TokenizationPanel(OnScreenUpdates):
    def __init__(
        self,
        session: Session,
        attribution: AttributionView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session, self.attribution = session, attribution
        self.summary = QLabel(self.tr("No prompt yet."))
        self.summary.setWordWrap(True)
        self.by_attribution = QCheckBox(self.tr("Colour by attribution"))
        self.by_attribution.setToolTip(
            self.tr(
                "Blue: the prediction relies on the token (leaving it out lowers the target's "
                "log-probability by the number shown); red: it argued against it. Computed in "
                "the Attribution panel."
            )
        )
        self.chips = ScoreChips()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.chips)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.top = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.top.addWidget(self.summary, 1)
        self.top.addWidget(self.by_attribution)
        layout.addLayout(self.top)
        layout.addWidget(scroll, 1)
        self.chips.hovered.connect(self._on_token_pointed)
        self.chips.clicked.connect(self._on_token_pointed)
        self.follow(session.analysis_changed, self.refresh)
        self.follow(session.selection_changed, self._on_selection_changed)
        self.by_attribution.toggled.connect(self._colour)
        if attribution is not None:
            self.follow(attribution.changed, self._colour)
        else:
            self.by_attribution.hide()
        self.refresh()

    def refresh(self) -> None:
        analysis = self.session.analysis
        self.chips.set_analysis(analysis)
        self.chips.set_selected(self.session.selected_token)
        self._colour()
        if analysis is None or not analysis.ids:
            self.summary.setText(self.tr("Type a prompt: its tokens appear here."))
            return
        n_chars = len(analysis.text)
        n_special = sum(p.special for p in analysis.pieces)
        split = sum(g.split_character for g in analysis.groups)
        parts = [
            self.tr("<b>{n}</b> tokens").format(n=f"{analysis.n_tokens:,}"),
            self.tr("{n} characters").format(n=f"{n_chars:,}"),
            self.tr("{n} characters per token").format(n=f"{n_chars / analysis.n_tokens:.2f}"),
        ]
        if n_special:
            parts.append(self.tr("{n} special").format(n=n_special))
        if split > 1:
            parts.append(self.tr("{n} characters split into byte tokens").format(n=split))
        elif split:
            parts.append(self.tr("{n} character split into byte tokens").format(n=split))
        self.summary.setText(" · ".join(parts))
        self._place_check_box()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_check_box()

    def _place_check_box(self) -> None:
        """Beside the counts while they get their line (or most of the width), else
        under them: a narrow panel (presenter mode) would wrap them a word per line."""
        line = self.summary.fontMetrics().horizontalAdvance(
            re.sub(r"<[^>]+>", "", self.summary.text())
        )
        room = self.width() - self.by_attribution.sizeHint().width() - 24
        beside = room >= min(line * 1.05, 0.6 * self.width())
        direction = QBoxLayout.Direction.LeftToRight if beside else QBoxLayout.Direction.TopToBottom
        if self.top.direction() != direction:
            self.top.setDirection(direction)

    def _colour(self) -> None:
        """Each token by its part's attribution score, when wanted and computed for it."""
        view = self.attribution
        scores = view.token_scores() if view is not None else None
        wanted = self.by_attribution.isChecked()
        self.chips.set_scores(scores if wanted else None)
        if wanted and scores is not None and view is not None and view.result is not None:
            label = self.session.token_label(view.result.target)
            self.by_attribution.setToolTip(
                self.tr("Scores: why {token} (Attribution panel).").format(token=repr(label))
            )
        elif wanted:
            self.by_attribution.setToolTip(
                self.tr("Open the Attribution panel to compute the scores.")
            )

    def _on_selection_changed(self) -> None:
        self.chips.set_selected(self.session.selected_token)

    def _on_token_pointed(self, index: int) -> None:
        self.session.select_token(index)

    def export_rows(self) -> list[dict[str, Any]]:
        """One row per token: what File > Export > data saves."""
        analysis, _ = self.session.exportable()
        return [
            {
                "index": i,
                "id": p.token_id,
                "text": p.display,
                "vocab_entry": p.vocab_entry,
                "bytes": p.data.hex(" "),
                "special": p.special,
            }
            for i, p in enumerate(analysis.pieces)
        ]
