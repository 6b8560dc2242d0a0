"""Tokenization panel: the prompt as the model's tokens, with counts."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

from playground.ui.state.session import Session
from playground.ui.widgets.on_screen import OnScreenUpdates
from playground.ui.widgets.token_chips import TokenChips


class TokenizationPanel(OnScreenUpdates):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.summary = QLabel("No prompt yet.")
        self.summary.setWordWrap(True)
        self.chips = TokenChips()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.chips)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)
        self.chips.hovered.connect(self._on_token_pointed)
        self.chips.clicked.connect(self._on_token_pointed)
        self.follow(session.analysis_changed, self.refresh)
        self.follow(session.selection_changed, self._on_selection_changed)
        self.refresh()

    def refresh(self) -> None:
        analysis = self.session.analysis
        self.chips.set_analysis(analysis)
        self.chips.set_selected(self.session.selected_token)
        if analysis is None or not analysis.ids:
            self.summary.setText("Type a prompt: its tokens appear here.")
            return
        n_chars = len(analysis.text)
        n_special = sum(p.special for p in analysis.pieces)
        split = sum(g.split_character for g in analysis.groups)
        parts = [
            f"<b>{analysis.n_tokens:,}</b> tokens",
            f"{n_chars:,} characters",
            f"{n_chars / analysis.n_tokens:.2f} characters per token",
        ]
        if n_special:
            parts.append(f"{n_special} special")
        if split:
            parts.append(f"{split} character{'s' if split > 1 else ''} split into byte tokens")
        self.summary.setText(" · ".join(parts))

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
