"""Compare two words: two fields and examples that set the Session's compared words
(the fields follow it without signalling back), and a typed word read as the model meets
it inside a sentence. The embedding panel shows their cosine and places them on its map."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QGridLayout, QGroupBox, QLabel, QLineEdit

from playground.engine.runtime.language_model import LanguageModel
from playground.ui.state.compared_words import ComparedWords
from playground.ui.widgets.signals_blocked import signals_blocked

COMPARE_PRESETS = [
    ("king", "queen"),
    ("king", "apple"),
    ("queen", "apple"),
    ("cat", "dog"),
    ("Paris", "France"),
    ("Paris", "London"),
    ("happy", "sad"),
]


@dataclass(frozen=True)
class WordTokens:
    text: str  # what the user typed
    ids: list[int]  # the tokens used: the word as it appears inside a sentence


def word_tokens(lm: LanguageModel | None, text: str) -> WordTokens | None:
    """A typed word as the model meets it inside a sentence: with a leading space
    (" king", one token) unless the user typed one or the text is empty."""
    stripped = text.strip()
    if lm is None or not stripped:
        return None
    ids = lm.encode(text if text.startswith(" ") else " " + stripped, continues=True)
    return WordTokens(text, ids) if ids else None


class CompareWordsBox(QGroupBox):
    def __init__(self, words: ComparedWords) -> None:
        super().__init__(
            QCoreApplication.translate("EmbeddingPanel", "Compare two words (cosine similarity)")
        )
        self.words = words
        first, second = words.words
        self.compare_a = QLineEdit(first)
        self.compare_b = QLineEdit(second)
        self.presets = QComboBox()
        self.presets.addItem(QCoreApplication.translate("EmbeddingPanel", "Examples…"))
        for a, b in COMPARE_PRESETS:
            self.presets.addItem(f"{a} / {b}")
        self.compare_result = QLabel()
        self.compare_result.setWordWrap(True)
        grid = QGridLayout(self)
        grid.addWidget(self.compare_a, 0, 0)
        grid.addWidget(self.compare_b, 0, 1)
        grid.addWidget(self.presets, 1, 0, 1, 2)
        grid.addWidget(self.compare_result, 2, 0, 1, 2)
        self.compare_a.textChanged.connect(self._on_words_edited)
        self.compare_b.textChanged.connect(self._on_words_edited)
        self.presets.activated.connect(self._on_preset)
        words.changed.connect(self._show_words)

    def _on_preset(self, index: int) -> None:
        if index == 0:
            return
        self.words.set_words(*COMPARE_PRESETS[index - 1])
        self.presets.setCurrentIndex(0)

    def _on_words_edited(self) -> None:
        self.words.set_words(self.compare_a.text(), self.compare_b.text())

    def _show_words(self) -> None:
        """The words as the state holds them (set by a preset, lesson or session file);
        the fields are written without signalling back."""
        for field, word in zip((self.compare_a, self.compare_b), self.words.words, strict=True):
            if field.text() != word:
                with signals_blocked(field):
                    field.setText(word)
