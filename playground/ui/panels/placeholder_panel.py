"""A panel's place in the layout before the panel itself exists."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget


class PlaceholderPanel(QWidget):
    def __init__(self, title: str, what_it_will_show: str) -> None:
        super().__init__()
        label = QLabel(f"<b>{title}</b><br><br>{what_it_will_show}<br><br><i>Not built yet.</i>")
        label.setWordWrap(True)
        label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        label.setStyleSheet("color: palette(mid);")
        layout = QVBoxLayout(self)
        layout.addWidget(label)
