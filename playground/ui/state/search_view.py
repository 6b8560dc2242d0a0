"""What the Search panel shows: the collection searched (the built-in passages or a
folder), its indexing progress and messages, a query's ranked passages with why, and a
retrieval-augmented answer with and without the passages."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal

from playground.engine.inspect.rag import RagResult
from playground.ui.worker.model_jobs import LoadProgress
from playground.ui.worker.retrieval_jobs import (
    CollectionResult,
    SearchResult,
    collection_job,
    rag_job,
    search_job,
)
from playground.ui.worker.runner import ModelRunner

DEFAULT_TOP = 3  # passages found (and put into the prompt) unless the user asks otherwise


class SearchView(QObject):
    changed = Signal()

    def __init__(self, runner: ModelRunner) -> None:
        super().__init__()
        self.runner = runner
        self.folder: Path | None = None  # None: the built-in passages
        self.collection: CollectionResult | None = None
        self.progress: LoadProgress | None = None
        self.result: SearchResult | None = None
        self.rag: RagResult | None = None
        self.asking = False
        self.error: str | None = None
        self.top = DEFAULT_TOP
        self._pending: tuple[str, str] | None = None  # ("search" | "rag", text) once indexed

    def open(self, folder: Path | None = None) -> None:
        """Index (or bring up to date) a collection; a search asked for meanwhile waits."""
        self.folder, self.collection, self.result, self.rag = folder, None, None, None
        stage = QCoreApplication.translate("SearchView", "Opening the collection")
        self.error, self.progress = None, LoadProgress(stage, 0, 0)
        self.runner.submit(
            collection_job(folder), self._on_indexed, self._on_failed, self._on_progress
        )
        self.changed.emit()

    def search(self, query: str) -> None:
        self._run("search", query)

    def ask(self, question: str) -> None:
        self._run("rag", question)

    def _run(self, kind: str, text: str) -> None:
        text = text.strip()
        if not text:
            self.error = QCoreApplication.translate("SearchView", "Type a query first.")
            self.changed.emit()
            return
        self.error = None
        if self.collection is None:
            self._pending = (kind, text)
            if self.progress is None:
                self.open(self.folder)
            return
        index = self.collection.index
        # an answer comes with the search behind it: the list shows the passages it reads
        self.runner.submit(search_job(index, text, self.top), self._on_searched, self._on_failed)
        if kind == "rag":
            self.asking, self.rag = True, None
            self.runner.submit(
                rag_job(index, text, self.top), self._on_answered, self._on_rag_failed
            )
        self.changed.emit()

    def _on_indexed(self, collection: CollectionResult) -> None:
        self.collection, self.progress = collection, None
        self.changed.emit()
        if self._pending is not None:
            kind, text = self._pending
            self._pending = None
            self._run(kind, text)

    def _on_searched(self, result: SearchResult) -> None:
        self.result = result
        self.changed.emit()

    def _on_answered(self, result: RagResult) -> None:
        self.rag, self.asking = result, False
        self.changed.emit()

    def _on_rag_failed(self, message: str) -> None:
        self.asking = False
        self._on_failed(message)

    def _on_failed(self, message: str) -> None:
        self.error, self.progress = message, None
        self.changed.emit()

    def _on_progress(self, progress: LoadProgress) -> None:
        self.progress = progress
        self.changed.emit()
