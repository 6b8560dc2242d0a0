"""The Quiz panel: hide an answer, type the class's guesses, reveal and see each scored."""

from __future__ import annotations

import math
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from playground.ui.state.quiz import QuizState

_COLUMNS = {  # the result table's columns per kind: (row key, header)
    "next_token": ("guess", "probability", "rank", "surprise_bits"),
    "attention": ("guess", "attention", "rank", "surprise_bits"),
    "token_count": ("guess", "value", "off_by"),
    "cosine": ("guess", "value", "off_by"),
}


class QuizPanel(QWidget):
    hide_requested = Signal(str, str)  # kind, word (for a token count)
    end_requested = Signal()
    reveal_requested = Signal()
    export_requested = Signal()

    def __init__(self, quiz: QuizState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.quiz = quiz
        self.question = QLabel()
        self.question.setWordWrap(True)
        font = self.question.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.question.setFont(font)
        self.kind = QComboBox()
        for kind, text in (
            ("next_token", self.tr("the next token")),
            ("attention", self.tr("the attention of the selected token")),
            ("token_count", self.tr("how many tokens a word becomes")),
            ("cosine", self.tr("the cosine of the two compared words")),
        ):
            self.kind.addItem(text, kind)
        self.kind.setToolTip(self.tr("The answer to hide until the class has guessed."))
        self.word = QLineEdit()
        self.word.setPlaceholderText(self.tr("word to count"))
        self.word.setToolTip(self.tr("The word whose tokens the class counts."))
        self.hide_button = QPushButton(self.tr("Hide"))
        self.hide_button.setToolTip(self.tr("Hide the answer and start a new round."))
        self.end_button = QPushButton(self.tr("Show all"))
        self.end_button.setToolTip(self.tr("End the quiz: every panel shows its answer again."))
        self.guess = QLineEdit()
        self.guess.setPlaceholderText(self.tr("A guess of the class: a word, a token or a number"))
        self.guess.setToolTip(self.tr("Type one guess and press Enter; add as many as you like."))
        self.add_button = QPushButton(self.tr("Add"))
        self.add_button.setToolTip(self.tr("Add the guess to the list (Enter)."))
        self.guesses = QListWidget()
        self.guesses.setToolTip(self.tr("The class's guesses. Delete removes the selected one."))
        self.reveal_button = QPushButton(self.tr("Reveal"))
        self.reveal_button.setToolTip(self.tr("Show the answer and score every guess (Space)."))
        self.export_button = QPushButton(self.tr("Export round…"))
        self.export_button.setToolTip(self.tr("Save the guesses and their scores (CSV or JSON)."))
        self.answer = QLabel()
        self.answer.setWordWrap(True)
        self.answer.setTextFormat(Qt.TextFormat.RichText)
        self.table = QTableWidget(0, 0)
        self.table.setToolTip(self.tr("Each guess scored against the model."))
        self.table.verticalHeader().hide()
        # every column as wide as its words and numbers (16 pt on a projector): nothing is
        # cut short, and a narrow panel scrolls sideways
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)

        self.hide_row = QWidget()  # (presenter mode leaves it out: the lesson hides)
        hide_rows = QVBoxLayout(self.hide_row)
        hide_rows.setContentsMargins(0, 0, 0, 0)
        what = QHBoxLayout()
        what.addWidget(QLabel(self.tr("Hide:")))
        what.addWidget(self.kind, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.word, 1)
        buttons.addWidget(self.hide_button)
        buttons.addWidget(self.end_button)
        hide_rows.addLayout(what)
        hide_rows.addLayout(buttons)
        guess_row = QHBoxLayout()
        guess_row.addWidget(self.guess, 1)
        guess_row.addWidget(self.add_button)
        action_row = QHBoxLayout()
        action_row.addWidget(self.reveal_button, 1)
        action_row.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addWidget(self.hide_row)
        layout.addWidget(self.question)
        layout.addLayout(guess_row)
        layout.addWidget(self.guesses, 1)
        layout.addLayout(action_row)
        layout.addWidget(self.answer)
        layout.addWidget(self.table, 1)

        self.kind.currentIndexChanged.connect(self._show_word_field)
        self.hide_button.clicked.connect(self._on_hide)
        self.end_button.clicked.connect(self.end_requested)
        self.guess.returnPressed.connect(self._on_add)
        self.add_button.clicked.connect(self._on_add)
        self.reveal_button.clicked.connect(self.reveal_requested)
        self.export_button.clicked.connect(self.export_requested)
        remove = QShortcut(QKeySequence.StandardKey.Delete, self.guesses)
        remove.setContext(Qt.ShortcutContext.WidgetShortcut)
        remove.activated.connect(lambda: self.quiz.remove_guess(self.guesses.currentRow()))
        quiz.changed.connect(self.refresh)
        self._show_word_field()
        self.refresh()

    def export_rows(self) -> list[dict[str, Any]]:
        """The round: each guess and its score (File > Export, or Export round…)."""
        return self.quiz.export_rows()

    def export_context(self) -> dict[str, Any]:
        return self.quiz.export_context()

    def _show_word_field(self) -> None:
        self.word.setVisible(self.kind.currentData() == "token_count")

    def _on_hide(self) -> None:
        self.hide_requested.emit(str(self.kind.currentData()), self.word.text())

    def _on_add(self) -> None:
        if self.quiz.add_guess(self.guess.text()):
            self.guess.clear()

    def refresh(self) -> None:
        quiz = self.quiz
        if quiz.kind is not None:
            self.kind.setCurrentIndex(max(self.kind.findData(quiz.kind), 0))
            if quiz.word:
                self.word.setText(quiz.word)
        self.question.setText(
            quiz.question
            or self.tr("No answer is hidden. Choose one above and press Hide, or open a quiz step.")
        )
        self.guesses.clear()
        self.guesses.addItems(quiz.guesses)
        self.guesses.setVisible(quiz.result is None)  # after Reveal the table lists them
        self.table.setVisible(quiz.result is not None)
        open_round = quiz.hidden and not quiz.scoring
        for widget in (self.guess, self.add_button):
            widget.setEnabled(open_round)
        self.reveal_button.setEnabled(open_round)
        self.reveal_button.setText(self.tr("Scoring…") if quiz.scoring else self.tr("Reveal"))
        self.end_button.setEnabled(quiz.kind is not None)
        self.export_button.setEnabled(quiz.result is not None)
        self._show_result()

    def _show_result(self) -> None:
        result = self.quiz.result
        if result is None:
            self.answer.setText(self.tr("The answer is hidden.") if self.quiz.hidden else "")
            self.table.setRowCount(0)
            self.table.setColumnCount(0)
            return
        self.answer.setText(self.tr("<b>Answer:</b> {answer}").format(answer=result.answer))
        columns = _COLUMNS[result.kind]
        headers = {
            "guess": self.tr("Guess"),
            "probability": self.tr("Probability"),
            "attention": self.tr("Attention"),
            "rank": self.tr("Rank"),
            "surprise_bits": self.tr("Surprise\n(bits)"),
            "value": self.tr("Value"),
            "off_by": self.tr("Off by"),
        }
        self.table.setColumnCount(len(columns))
        self.table.setHorizontalHeaderLabels([headers[c] for c in columns])
        self.table.setRowCount(len(result.rows))
        for r, row in enumerate(result.rows):
            for c, key in enumerate(columns):
                self.table.setItem(r, c, QTableWidgetItem(self._cell(key, row.get(key))))

    def _cell(self, key: str, value: Any) -> str:
        if value is None:
            return self.tr("not in the prompt") if key in ("attention", "rank") else "—"
        if key in ("probability", "attention"):
            return probability_text(value)
        if key == "surprise_bits":
            return "∞" if math.isinf(value) else f"{value:.2f}"
        if key == "off_by":
            return f"{value:+.3g}" if value else self.tr("exact")
        if key == "value":
            return f"{value:g}"
        return str(value)


def probability_text(p: float) -> str:
    """A probability as a class reads it: 0.50%, or below 0.01% the odds, "1 in 120,000"
    (two figures), rather than 8.20e-06."""
    if p >= 1e-4:
        return f"{p:.2%}"
    if p <= 0:
        return "0"
    odds = 1 / p
    power = math.floor(math.log10(odds))
    # two significant figures; past a trillion, too many digits to read: a power of ten
    n = f"{int(round(odds, 1 - power)):,}" if power < 12 else f"10^{power}"
    return QCoreApplication.translate("QuizPanel", "1 in {n}").format(n=n)
