"""What the Search panel shows: the collection searched (the built-in passages or a
folder), its indexing progress and messages, a query's ranked passages with why, and a
retrieval-augmented answer with and without the passages. Three results computed on
demand: the collection (key: its folder), the search and the answer (key: folder, query
and how many passages); the last two wait for the first."""

from __future__ import annotations

from collections.abc import Hashable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from playground.ui.state.derived_result import DerivedResult
from playground.ui.worker.jobs import Job
from playground.ui.worker.model_jobs import LoadProgress
from playground.ui.worker.retrieval_jobs import (
    CollectionResult,
    collection_job,
    rag_job,
    search_job,
)
from playground.ui.worker.runner import ModelRunner

DEFAULT_TOP = 3  # passages found (and put into the prompt) unless the user asks otherwise


class _Collection(DerivedResult):
    def __init__(self, runner: ModelRunner, owner: SearchView) -> None:
        super().__init__(runner)
        self.owner = owner

    def key(self) -> Hashable | None:
        return ("collection", self.owner.folder)

    def job(self, key: Any) -> Job:
        return collection_job(self.owner.folder)


class _Query(DerivedResult):
    """A search (`answer` False) or a RAG answer of a query, once the collection is there."""

    def __init__(self, runner: ModelRunner, owner: SearchView, answer: bool) -> None:
        super().__init__(runner)
        self.owner, self.answer = owner, answer

    def key(self) -> Hashable | None:
        owner = self.owner
        text = owner.question if self.answer else owner.query
        if not text or owner.collection is None:
            return None
        return (owner.folder, text, owner.top)

    def job(self, key: Any) -> Job:
        _, text, top = key
        collection = self.owner.collection
        assert collection is not None
        return (rag_job if self.answer else search_job)(collection.index, text, top)


class SearchView(QObject):
    changed = Signal()

    def __init__(self, runner: ModelRunner) -> None:
        super().__init__()
        self.folder: Path | None = None  # None: the built-in passages
        self.query = ""  # the text searched last
        self.question = ""  # the text asked last (answered with the passages)
        self.top = DEFAULT_TOP
        self._refusal: str | None = None  # e.g. an empty query
        self.indexing = _Collection(runner, self)
        self.searching = _Query(runner, self, answer=False)
        self.answering = _Query(runner, self, answer=True)
        self.indexing.changed.connect(self._on_collection_changed)
        for part in (self.searching, self.answering):
            part.changed.connect(self.changed.emit)

    # --- what the panel reads --------------------------------------------------------------
    @property
    def collection(self) -> CollectionResult | None:
        return self.indexing.result if self.indexing.current else None

    @property
    def progress(self) -> LoadProgress | None:
        if not self.indexing.running:
            return None
        stage = QCoreApplication.translate("SearchView", "Opening the collection")
        return self.indexing.progress or LoadProgress(stage, 0, 0)

    result = property(lambda self: self.searching.result)  # SearchResult | None
    rag = property(lambda self: self.answering.result)  # engine RagResult | None
    asking = property(lambda self: self.answering.running)

    @property
    def error(self) -> str | None:
        parts = (self.indexing, self.searching, self.answering)
        return self._refusal or next((p.error for p in parts if p.error), None)

    # --- what the user does ----------------------------------------------------------------
    def open(self, folder: Path | None = None) -> None:
        """Index (or bring up to date) a collection; a search asked for meanwhile waits."""
        self.folder, self._refusal = folder, None
        for part in (self.indexing, self.searching, self.answering):
            part.forget()
        self.indexing.set_wanted(True)
        self.changed.emit()

    def search(self, query: str) -> None:
        if self._accept(query):
            self.query = query.strip()
            self._run(self.searching)

    def ask(self, question: str) -> None:
        """Answer with the passages found (the search behind the answer runs too)."""
        if self._accept(question):
            self.query = self.question = question.strip()
            self._run(self.searching)
            self._run(self.answering)

    def set_top(self, top: int) -> None:
        self.top = top

    def _accept(self, text: str) -> bool:
        self._refusal = None
        if not text.strip():
            self._refusal = QCoreApplication.translate("SearchView", "Type a query first.")
        self.changed.emit()
        return self._refusal is None

    def _run(self, part: DerivedResult) -> None:
        self.indexing.set_wanted(True)  # (the collection first, if it is not open yet)
        part.set_wanted(True)
        self.changed.emit()

    def _on_collection_changed(self) -> None:
        self.searching.request()
        self.answering.request()
        self.changed.emit()

    # --- session files -----------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        folder = None if self.folder is None else str(self.folder)
        return {"folder": folder, "query": self.query, "question": self.question, "top": self.top}

    def restore(self, data: dict[str, Any]) -> None:
        """`to_dict`'s form: the collection opened again, the last search and answer run
        again (only if there was one: the encoder is not fetched for nothing)."""
        folder = data.get("folder")
        self.top = min(max(int(data.get("top", DEFAULT_TOP)), 1), 10)
        query, question = str(data.get("query", "")), str(data.get("question", ""))
        self.folder = None if folder is None else Path(folder)
        self.query, self.question = query, question
        if query or question or folder is not None:
            self.open(self.folder)
            if question:
                self.ask(question)
            if query and query != question:
                self.search(query)
        self.changed.emit()
