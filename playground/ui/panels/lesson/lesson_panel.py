"""The lesson beside the panels: its title, the step's heading and two or three
sentences, with a way back and on (step by step, then into the next lesson)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from playground.lessons import Lesson


def lesson_text(text: str) -> str:
    """A built-in lesson's words in the interface's language (a teacher's own: as written)."""
    return QCoreApplication.translate("Lesson", text) if text else text


class LessonPanel(QWidget):
    previous_requested = Signal()
    next_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel(self.tr("No lesson chosen"))
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.step_title = QLabel()
        self.step_title.setWordWrap(True)
        bold = self.step_title.font()
        bold.setBold(True)
        self.step_title.setFont(bold)
        self.text = QLabel(
            self.tr(
                "Pick a lesson from the Lessons menu (Ctrl+1 … Ctrl+9): it sets up the prompt "
                "and the panels and explains what to look at."
            )
        )
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.position = QLabel()
        self.previous = QPushButton(self.tr("◀ Previous"))
        self.previous.setToolTip(self.tr("The previous step (Alt+Left; in presenter mode ←)."))
        self.next = QPushButton(self.tr("Next ▶"))
        self.next.setToolTip(self.tr("The next step (Alt+Right; in presenter mode →)."))
        buttons = QHBoxLayout()
        buttons.addWidget(self.previous)
        buttons.addWidget(self.position, 1)
        buttons.addWidget(self.next)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.title)
        layout.addWidget(self.step_title)
        scroll = QScrollArea()  # a long text (or large text on a projector) scrolls
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.text)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.previous.clicked.connect(self.previous_requested)
        self.next.clicked.connect(self.next_requested)
        self.step_title.hide()
        self.show_lesson(None, 0, 0)

    def show_lesson(self, lesson: Lesson | None, index: int, count: int, step: int = 0) -> None:
        if lesson is not None:
            steps = len(lesson.steps)
            shown = lesson.steps[step]
            self.title.setText(lesson_text(lesson.title))
            self.step_title.setText(lesson_text(shown.title))
            self.step_title.setVisible(bool(shown.title))
            self.text.setText(lesson_text(shown.text))
            self.position.setText(
                self.tr("Lesson {n} of {count} · step {step} of {steps}").format(
                    n=index + 1, count=count, step=step + 1, steps=steps
                )
                if steps > 1
                else self.tr("Lesson {n} of {count}").format(n=index + 1, count=count)
            )
        at_start = lesson is None or (index == 0 and step == 0)
        at_end = lesson is None or (index == count - 1 and step == len(lesson.steps) - 1)
        self.previous.setEnabled(not at_start)
        self.next.setEnabled(not at_end)
