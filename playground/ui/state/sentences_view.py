"""What the Sentences panel shows: the sentences (a preset or the user's), their vectors'
similarities and map, the selected pair, computed by the sentence encoder in the
background."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from playground.engine.inspect.sentence_similarity import SimilarityDrivers, similarity_drivers
from playground.ui.state.derived_result import DerivedResult
from playground.ui.worker.jobs import Job
from playground.ui.worker.model_jobs import LoadProgress
from playground.ui.worker.retrieval_jobs import SentencesResult, sentences_job
from playground.ui.worker.runner import ModelRunner

# The teaching material's example first: its numbers are "about 0.95" and "about 0.15".
# The names are shown translated; the sentences stay English (the encoder reads English).
PRESETS = {
    QT_TRANSLATE_NOOP("SentencesView", "Deploying React (the teaching example)"): [
        "How to deploy React",
        "Deploying a React application",
        "Best pizza in New York",
    ],
    QT_TRANSLATE_NOOP("SentencesView", "Same meaning, different words"): [
        "The cat sat on the mat.",
        "A kitten was sitting on the rug.",
        "The stock market fell sharply today.",
        "Shares dropped steeply this afternoon.",
        "I love eating pizza.",
    ],
    QT_TRANSLATE_NOOP("SentencesView", "Questions and their answers"): [
        "What is the capital of Australia?",
        "Canberra is the capital city of Australia.",
        "How many hearts does an octopus have?",
        "An octopus has three hearts.",
        "Sydney is the largest city in Australia.",
    ],
    QT_TRANSLATE_NOOP("SentencesView", "Same words, different meaning"): [
        "The bank of the river was muddy.",
        "I deposited money at the bank.",
        "We walked along the shore of the lake.",
        "The loan was approved by the lender.",
    ],
}
MAX_SENTENCES = 12
OWN = ""  # the preset of sentences the user typed (the others: a key of PRESETS)
FIRST_PRESET = next(iter(PRESETS))


class SentencesView(DerivedResult):
    """The sentences shown (a preset's, or the lines the user typed), their result, the
    pair chosen. The result's key is the cleaned sentences: the encoder alone reads them."""

    def __init__(self, runner: ModelRunner) -> None:
        super().__init__(runner, wanted=True)  # computed once the panel asks (it exists)
        self.preset = FIRST_PRESET  # a key of PRESETS, or OWN
        self.lines: list[str] = list(PRESETS[FIRST_PRESET])  # as typed, one a line
        self.sentences = list(self.lines)  # the lines compared: stripped, non-empty, <= 12
        self.pair = (0, 1)
        self.notice: str | None = None
        self.progress: LoadProgress | None  # (while running) the encoder fetched or converted

    def set_sentences(self, lines: list[str], preset: str = OWN) -> None:
        self.preset, self.lines = preset, list(lines)
        cleaned = [s.strip() for s in lines if s.strip()]
        self.notice = None
        if len(cleaned) > MAX_SENTENCES:
            self.notice = QCoreApplication.translate(
                "SentencesView", "Only the first {count} sentences are compared."
            ).format(count=MAX_SENTENCES)
            cleaned = cleaned[:MAX_SENTENCES]
        if cleaned != self.sentences:
            self.sentences = cleaned
            self.pair = (0, 1) if len(cleaned) > 1 else (0, 0)
        self.error = None
        self.changed.emit()
        self.request()

    def set_pair(self, i: int, j: int) -> None:
        if (i, j) != self.pair:
            self.pair = (i, j)
            self.changed.emit()

    def key(self) -> Hashable | None:
        return tuple(self.sentences) if self.sentences else None

    def job(self, key: Any) -> Job:
        return sentences_job(list(key))

    def drivers(self) -> SimilarityDrivers | None:
        if not self.current or self.result is None:
            return None
        i, j = self.pair
        encoded = self.result.encoded
        if max(i, j) >= len(encoded):
            return None
        return similarity_drivers(encoded[i], encoded[j])

    @property
    def shown(self) -> SentencesResult | None:
        """The result of the sentences shown (None while they are being computed)."""
        return self.result if self.current else None

    def to_dict(self) -> dict[str, Any]:
        return {"preset": self.preset, "lines": self.lines, "pair": list(self.pair)}

    def restore(self, data: dict[str, Any]) -> None:
        preset = str(data.get("preset", FIRST_PRESET))
        preset = preset if preset in PRESETS or preset == OWN else OWN
        lines = [str(line) for line in data.get("lines", PRESETS.get(preset, []))]
        self.set_sentences(lines, preset)
        i, j = (int(v) for v in data.get("pair", (0, 1)))
        if 0 <= i < len(self.sentences) and 0 <= j < len(self.sentences):
            self.set_pair(i, j)
