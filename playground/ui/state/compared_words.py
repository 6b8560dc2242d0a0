"""The two words the embedding panel compares (their cosine similarity is shown): state
of their own, so session files and lessons set them without reaching into the panel."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

DEFAULT_WORDS = ("king", "queen")


class ComparedWords(QObject):
    changed = Signal()

    def __init__(self, words: tuple[str, str] = DEFAULT_WORDS) -> None:
        super().__init__()
        self._words = words

    @property
    def words(self) -> tuple[str, str]:
        return self._words

    def set_words(self, first: str, second: str) -> None:
        if (first, second) != self._words:
            self._words = (first, second)
            self.changed.emit()

    def to_dict(self) -> dict[str, Any]:
        return {"compare": list(self._words)}

    def from_dict(self, data: dict[str, Any]) -> None:
        """Set from `to_dict`'s form; a missing or malformed pair keeps the words as they are."""
        pair = data.get("compare")
        if (
            isinstance(pair, list | tuple)
            and len(pair) == 2
            and all(isinstance(w, str) for w in pair)
        ):
            self.set_words(pair[0], pair[1])
