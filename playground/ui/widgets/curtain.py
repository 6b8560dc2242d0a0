"""A panel behind a curtain: while an answer is hidden for the class to guess, the dock
shows a card instead of the panel (so neither its pictures nor its tooltips can give the
answer away) until it is revealed. The panel sits in a scroll area: on a small screen
with large text (a projector) it scrolls instead of pushing the window off the screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QStackedWidget, QWidget


class Curtained(QStackedWidget):
    def __init__(self, panel: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.panel = panel
        self.card = QLabel()
        self.card.setObjectName("curtain")
        self.card.setWordWrap(True)
        self.card.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.card.setMargin(24)
        self.card.setStyleSheet("QLabel#curtain { border: 2px dashed #888; border-radius: 8px; }")
        self.scroll = QScrollArea()
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(panel)
        self.addWidget(self.scroll)
        self.addWidget(self.card)

    @property
    def closed(self) -> bool:
        return self.currentWidget() is self.card

    def close_over(self, text: str) -> None:
        """Hide the panel behind a card saying `text` (rich text)."""
        self.card.setText(text)
        self.setCurrentWidget(self.card)

    def open(self) -> None:
        self.setCurrentWidget(self.scroll)
