"""Predict, then reveal: which answer is hidden, the class's guesses, and once revealed
the scores. The window's panels that would give the answer away stay behind a curtain
while it is hidden (QuizController); this holds only the state."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from playground.lessons import HIDDEN_ANSWERS

# The panels each answer would show (a dock key per panel). The token count of a word is
# shown by every panel that draws the prompt's tokens, when the prompt holds the word.
GIVEN_AWAY_BY = {
    "next_token": ("next_token", "logit_lens", "attribution", "generation", "causal"),
    "attention": ("attention", "inside_layer"),
    "cosine": ("embeddings",),
    "token_count": (
        "tokenization",
        "attention",
        "embeddings",
        "logit_lens",
        "attribution",
        "inside_layer",
        "generation",
        "causal",
    ),
}


@dataclass(frozen=True)
class QuizResult:
    """What Reveal found: the answer in words and one row per guess (also the export)."""

    kind: str
    answer: str  # e.g. "' mat' (7.1 %)" or "3 tokens: 'st' 'raw' 'berry'"
    answer_value: Any  # the number or token text itself, for the export
    rows: tuple[dict[str, Any], ...]


class QuizState(QObject):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.kind: str | None = None  # the hidden answer (one of HIDDEN_ANSWERS)
        self.word: str | None = None  # for token_count: the word counted
        self.question = ""
        self.guesses: list[str] = []
        self.result: QuizResult | None = None
        self.scoring = False  # a reveal waits for the model

    @property
    def hidden(self) -> bool:
        """An answer is set and not revealed yet."""
        return self.kind is not None and self.result is None

    def hidden_panels(self, prompt: str) -> tuple[str, ...]:
        if not self.hidden or self.kind is None:
            return ()
        if self.kind == "token_count" and not self.word_in(prompt):
            return ()
        return GIVEN_AWAY_BY[self.kind]

    def word_in(self, prompt: str) -> bool:
        return bool(self.word and self.word.strip().casefold() in prompt.casefold())

    def hides_token_count(self, prompt: str) -> bool:
        """The status line's token count would give a token_count answer away."""
        return self.hidden and self.kind == "token_count" and self.word_in(prompt)

    def default_question(self) -> str:
        if self.kind == "next_token":
            return QCoreApplication.translate("QuizState", "Which token comes next?")
        if self.kind == "attention":
            return QCoreApplication.translate(
                "QuizState", "Which token does the selected token look at most?"
            )
        if self.kind == "token_count":
            return QCoreApplication.translate("QuizState", "How many tokens is “{word}”?").format(
                word=self.word or ""
            )
        if self.kind == "cosine":
            return QCoreApplication.translate(
                "QuizState", "How similar are the two words (cosine, from −1 to 1)?"
            )
        return ""

    # --- setters --------------------------------------------------------------------------
    def hide(self, kind: str, word: str | None = None, question: str = "") -> None:
        """Hide an answer for a new round (the guesses start empty)."""
        if kind not in HIDDEN_ANSWERS:
            raise ValueError(f"unknown answer {kind!r}")
        self.kind, self.word, self.guesses, self.result = kind, word, [], None
        self.question = question or self.default_question()
        self.scoring = False
        self.changed.emit()

    def end(self) -> None:
        """No quiz: nothing hidden, nothing to score."""
        self.kind, self.word, self.question, self.guesses, self.result = None, None, "", [], None
        self.scoring = False
        self.changed.emit()

    def add_guess(self, text: str) -> bool:
        text = text.strip("\n")
        if not text.strip() or self.result is not None or self.kind is None:
            return False
        self.guesses.append(text)
        self.changed.emit()
        return True

    def remove_guess(self, index: int) -> None:
        if 0 <= index < len(self.guesses) and self.result is None:
            del self.guesses[index]
            self.changed.emit()

    def set_scoring(self, scoring: bool) -> None:
        self.scoring = scoring
        self.changed.emit()

    def set_result(self, result: QuizResult) -> None:
        self.result, self.scoring = result, False
        self.changed.emit()

    def export_rows(self) -> list[dict[str, Any]]:
        """The round: one row per guess with its score (nothing until revealed)."""
        if self.result is None:
            return []
        return [dict(row) for row in self.result.rows]

    def export_context(self) -> dict[str, Any]:
        result = self.result
        return {
            "question": self.question,
            "hidden": self.kind,
            "word": self.word,
            "answer": None if result is None else result.answer_value,
        }
