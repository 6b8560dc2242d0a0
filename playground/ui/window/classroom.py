"""The classroom in the main window: the quiz (predict, then reveal) and presenter mode,
wired to the panels, the status line, the lessons and the menus."""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow

from playground.ui.panels.embeddings.embedding_panel import EmbeddingPanel
from playground.ui.panels.quiz.quiz_panel import QuizPanel
from playground.ui.panels.tokenization.tokenization_panel import TokenizationPanel
from playground.ui.state.appearance import Appearance
from playground.ui.state.session import Session
from playground.ui.window.docks import curtains
from playground.ui.window.lesson_controller import LessonController
from playground.ui.window.presenter import Presenter
from playground.ui.window.quiz_controller import QuizController
from playground.ui.window.status_line import StatusLine


class ClassroomWindow(Protocol):
    session: Session
    docks: dict[str, QDockWidget]
    quiz: QuizPanel
    embeddings: EmbeddingPanel
    tokenization: TokenizationPanel
    lessons: LessonController
    status_line: StatusLine
    appearance: Appearance

    def choose_export(self, key: str, picture: bool) -> None: ...


class Classroom:
    def __init__(self, window: ClassroomWindow) -> None:
        assert isinstance(window, QMainWindow)
        self.window = window
        quiz = window.quiz.quiz
        self.quiz = quiz

        def cosine() -> float | None:
            found = window.embeddings.compare_words()
            return None if found is None else found[0]

        self.controller = QuizController(
            window.session, quiz, curtains(window.docks), cosine, self._on_change
        )
        panel = window.quiz
        panel.hide_requested.connect(self.hide)
        panel.end_requested.connect(quiz.end)
        panel.reveal_requested.connect(self.controller.reveal)
        panel.export_requested.connect(lambda: window.choose_export("quiz", picture=False))
        window.status_line.hides_token_count = lambda: quiz.hides_token_count(window.session.prompt)
        self.presenter = Presenter(
            window, window.lessons, quiz, window.appearance, self.controller.reveal, panel
        )
        window.lessons.quiz = quiz
        show_quiz = QAction(
            QCoreApplication.translate("Classroom", "&Quiz: hide an answer…"), window
        )
        show_quiz.setShortcut(QKeySequence("Ctrl+Shift+Q"))
        show_quiz.setToolTip(
            QCoreApplication.translate(
                "Classroom", "Hide an answer until the class has guessed it."
            )
        )
        show_quiz.triggered.connect(self.show_quiz)
        self.presenter_action = QAction(
            QCoreApplication.translate("Classroom", "&Presenter mode"), window
        )
        self.presenter_action.setShortcut(QKeySequence("F5"))
        self.presenter_action.setToolTip(
            QCoreApplication.translate(
                "Classroom",
                "Full screen, the lesson's panels large, the keyboard alone (Esc leaves).",
            )
        )
        self.presenter_action.triggered.connect(self.presenter.toggle)
        window.addAction(self.presenter_action)  # F5 works with the menu bar hidden too
        window.lessons.extra_actions = [show_quiz, self.presenter_action]
        window.lessons.reload()

    def show_quiz(self) -> None:
        dock = self.window.docks["quiz"]
        dock.show()
        dock.raise_()
        self.window.quiz.kind.setFocus()

    def hide(self, kind: str, word: str) -> None:
        if kind == "token_count" and not word.strip():
            self.window.quiz.word.setFocus()
            return
        self.quiz.hide(kind, word or None)
        self.window.docks["quiz"].show()
        self.window.quiz.guess.setFocus()

    def _on_change(self) -> None:
        """What else a hidden answer reaches: the status line's token count, and the
        tokenization panel's colouring by attribution (its tooltip names the prediction)."""
        window = self.window
        window.status_line.update()
        colouring = window.tokenization.by_attribution
        hidden = "attribution" in self.controller.hidden_panels()
        if hidden:
            colouring.setChecked(False)
        colouring.setEnabled(not hidden)
