"""What the Sentences panel shows: the sentences (a preset or the user's), their vectors'
similarities and map, the selected pair, computed by the sentence encoder in the
background."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, Signal

from playground.engine.inspect.sentence_similarity import SimilarityDrivers, similarity_drivers
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


class SentencesView(QObject):
    changed = Signal()  # new sentences, a result, an error or another pair

    def __init__(self, runner: ModelRunner) -> None:
        super().__init__()
        self.runner = runner
        self.sentences: list[str] = []
        self.result: SentencesResult | None = None
        self.error: str | None = None
        self.progress: LoadProgress | None = None  # the encoder being fetched or converted
        self.pair = (0, 1)
        self.notice: str | None = None

    def set_sentences(self, sentences: list[str]) -> None:
        cleaned = [s.strip() for s in sentences if s.strip()]
        self.notice = None
        if len(cleaned) > MAX_SENTENCES:
            self.notice = QCoreApplication.translate(
                "SentencesView", "Only the first {count} sentences are compared."
            ).format(count=MAX_SENTENCES)
            cleaned = cleaned[:MAX_SENTENCES]
        if cleaned == self.sentences and (self.result is not None or self.error):
            return
        self.sentences = cleaned
        self.pair = (0, 1) if len(cleaned) > 1 else (0, 0)
        self.error = None
        if not cleaned:
            self.result = None
            self.changed.emit()
            return
        self.runner.submit(
            sentences_job(cleaned), self._on_done, self._on_failed, self._on_progress
        )
        self.changed.emit()

    def set_pair(self, i: int, j: int) -> None:
        if (i, j) != self.pair:
            self.pair = (i, j)
            self.changed.emit()

    @property
    def current(self) -> bool:
        return self.result is not None and [e.text for e in self.result.encoded] == self.sentences

    def drivers(self) -> SimilarityDrivers | None:
        if not self.current or self.result is None:
            return None
        i, j = self.pair
        encoded = self.result.encoded
        if max(i, j) >= len(encoded):
            return None
        return similarity_drivers(encoded[i], encoded[j])

    def _on_done(self, result: SentencesResult) -> None:
        self.result, self.progress = result, None
        self.changed.emit()

    def _on_failed(self, message: str) -> None:
        self.error, self.progress = message, None
        self.changed.emit()

    def _on_progress(self, progress: LoadProgress) -> None:
        self.progress = progress
        self.changed.emit()
