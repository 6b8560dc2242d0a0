"""The presenter's notes, on the laptop while the panels fill the projector: the step's
words, its question and the guesses so far, what comes next, and the keys."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from playground.ui.panels.lesson.lesson_panel import lesson_text
from playground.ui.state.quiz import QuizState
from playground.ui.window.lesson_controller import LessonController


class PresenterNotes(QWidget):
    def __init__(self, lessons: LessonController, quiz: QuizState) -> None:
        super().__init__()
        self.lessons, self.quiz = lessons, quiz
        self.setWindowTitle(self.tr("LLM Playground — presenter's notes"))
        self.where = QLabel()
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.RichText)
        self.notes.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.coming = QLabel()
        self.coming.setWordWrap(True)
        self.keys = QLabel(
            self.tr(
                "→ or Page Down: next step · ← or Page Up: previous · Space: reveal · Esc: leave"
            )
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.addWidget(self.where)
        layout.addWidget(self.notes, 1)
        layout.addWidget(self.coming)
        layout.addWidget(self.keys)
        self.refresh()

    def refresh(self) -> None:
        lessons = self.lessons
        step = lessons.shown_step
        if step is None or lessons.current is None:
            self.where.setText(self.tr("No lesson open: the panels show the prompt as it is."))
            self.notes.setText("")
            self.coming.setText("")
            return
        lesson = lessons.lessons[lessons.current]
        self.where.setText(
            self.tr("Lesson {n}: {title} · step {step} of {steps}").format(
                n=lessons.current + 1,
                title=lesson_text(lesson.title),
                step=lessons.step_index + 1,
                steps=len(lesson.steps),
            )
        )
        parts = []
        if step.title:
            parts.append(f"<h2>{html.escape(lesson_text(step.title))}</h2>")
        parts.append(f"<p>{html.escape(lesson_text(step.text))}</p>")
        if self.quiz.kind is not None:
            guesses = ", ".join(html.escape(g) for g in self.quiz.guesses) or "—"
            state = self.tr("revealed") if self.quiz.result is not None else self.tr("hidden")
            parts.append(
                self.tr("<p><b>Quiz ({state}):</b> {question}<br>Guesses: {guesses}</p>").format(
                    state=state, question=html.escape(self.quiz.question), guesses=guesses
                )
            )
        self.notes.setText("".join(parts))
        self.coming.setText(self._coming())

    def _coming(self) -> str:
        lessons = self.lessons
        assert lessons.current is not None
        lesson = lessons.lessons[lessons.current]
        if lessons.step_index + 1 < len(lesson.steps):
            upcoming = lesson.steps[lessons.step_index + 1]
            name = lesson_text(upcoming.title) or lesson_text(upcoming.text)[:80]
            return self.tr("Next: {name}").format(name=name)
        if lessons.current + 1 < len(lessons.lessons):
            title = lesson_text(lessons.lessons[lessons.current + 1].title)
            return self.tr("Next: lesson {n}, {title}").format(n=lessons.current + 2, title=title)
        return self.tr("This is the last step.")
