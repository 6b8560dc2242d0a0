"""A panel behind a curtain: while an answer is hidden for the class to guess, the dock
shows a card instead of the panel (so neither its pictures nor its tooltips can give the
answer away) until it is revealed. In presenter mode (squeezable) the panel moves into a
scroll area: on a small screen with large text (a projector) it then scrolls instead of
pushing the window off the screen."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QStackedWidget, QVBoxLayout, QWidget


class _FillLayout(QVBoxLayout):
    """Holds the panel in the scroll area. A scroll area makes a widget whose layout has
    a height-for-width as tall as that says, the sum of its parts' *preferred* heights (a
    chart asks for 400 px). Asking the panel's layout for its *minimum* height at the
    width instead keeps wrapped text whole and lets the chart shrink before it scrolls."""

    def __init__(self, panel: QWidget, holder: QWidget) -> None:
        super().__init__(holder)
        self.setContentsMargins(0, 0, 0, 0)
        self.panel = panel
        self.addWidget(panel)

    def heightForWidth(self, width: int) -> int:
        layout = self.panel.layout()
        if layout is None or not layout.hasHeightForWidth():
            return self.panel.minimumSizeHint().height()
        return layout.minimumHeightForWidth(width)


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
        self.scroll: QScrollArea | None = None  # (presenter mode)
        self.addWidget(panel)
        self.addWidget(self.card)

    @property
    def closed(self) -> bool:
        return self.currentWidget() is self.card

    def close_over(self, text: str) -> None:
        """Hide the panel behind a card saying `text` (rich text)."""
        self.card.setText(text)
        self.setCurrentWidget(self.card)

    def open(self) -> None:
        self.setCurrentIndex(0)

    def set_squeezable(self, squeezable: bool) -> None:
        """Let the dock be smaller than the panel, which then scrolls (presenter mode)."""
        if squeezable == (self.scroll is not None):
            return
        closed = self.closed
        if squeezable:
            self.removeWidget(self.panel)
            self.scroll = QScrollArea()
            self.scroll.setFrameShape(QFrame.Shape.NoFrame)
            self.scroll.setWidgetResizable(True)
            holder = QWidget()
            _FillLayout(self.panel, holder)
            self.panel.show()  # (the stack hid it when it was not the current page)
            self.scroll.setWidget(holder)
            self.insertWidget(0, self.scroll)
        elif self.scroll is not None:
            holder = self.scroll.takeWidget()
            holder.layout().removeWidget(self.panel)
            self.panel.setParent(None)
            holder.deleteLater()
            self.removeWidget(self.scroll)
            self.scroll.deleteLater()
            self.scroll = None
            self.insertWidget(0, self.panel)
        self.setCurrentWidget(self.card if closed else self.widget(0))
