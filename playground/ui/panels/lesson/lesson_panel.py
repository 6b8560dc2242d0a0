"""The lesson beside the panels: its title and two or three sentences, with a way on."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from playground.lessons import Lesson


class LessonPanel(QWidget):
    previous_requested = Signal()
    next_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel("No lesson chosen")
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.text = QLabel(
            "Pick a lesson from the Lessons menu (Ctrl+1 … Ctrl+9): it sets up the prompt and "
            "the panels and explains what to look at."
        )
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.position = QLabel()
        self.previous = QPushButton("◀ Previous")
        self.previous.setToolTip("The previous lesson (Ctrl+PgUp).")
        self.next = QPushButton("Next ▶")
        self.next.setToolTip("The next lesson (Ctrl+PgDown).")
        buttons = QHBoxLayout()
        buttons.addWidget(self.previous)
        buttons.addWidget(self.position, 1)
        buttons.addWidget(self.next)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.text, 1)
        layout.addLayout(buttons)
        self.previous.clicked.connect(self.previous_requested)
        self.next.clicked.connect(self.next_requested)
        self.show_lesson(None, 0, 0)

    def show_lesson(self, lesson: Lesson | None, index: int, count: int) -> None:
        if lesson is not None:
            self.title.setText(lesson.title)
            self.text.setText(lesson.text)
            self.position.setText(f"Lesson {index + 1} of {count}")
        self.previous.setEnabled(lesson is not None and index > 0)
        self.next.setEnabled(lesson is not None and index < count - 1)
