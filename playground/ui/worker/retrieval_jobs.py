"""The jobs of the sentence encoder: the Sentences panel's vectors, indexing a collection,
a search, and a retrieval-augmented answer. The encoder is loaded (fetched and converted
on first use) by the first job that needs it and kept for the next ones; jobs run one at
a time on the worker thread, which alone touches it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication

from playground.engine.inspect.passage_collections import open_collection
from playground.engine.inspect.rag import RagResult, answer_with_passages
from playground.engine.inspect.search_index import Hit, SearchIndex, UpdateReport
from playground.engine.inspect.sentence_similarity import (
    SimilarityDrivers,
    cosine_matrix,
    similarity_drivers,
)
from playground.engine.runtime.encoder_loader import load_encoder
from playground.engine.runtime.sentence_encoder import EncodedText, SentenceEncoder
from playground.ui.worker.jobs import COLLECTION, RAG, SEARCH, SENTENCES, Job, JobContext
from playground.ui.worker.model_jobs import LoadProgress

_encoder: list[SentenceEncoder] = []  # the one encoder, once loaded (worker thread only)


def _the_encoder(context: JobContext) -> SentenceEncoder:
    if not _encoder:
        report = lambda stage, done, total: context.report(LoadProgress(stage, done, total))  # noqa: E731
        _encoder.append(load_encoder(progress=report))
    return _encoder[0]


@dataclass(frozen=True)
class SentencesResult:
    encoded: list[EncodedText]
    cosine: np.ndarray  # (N, N)
    coords: np.ndarray  # (N, 2) the vectors' first two principal components


def sentences_job(sentences: list[str]) -> Job:
    def work(context: JobContext) -> SentencesResult:
        encoded = _the_encoder(context).encode(sentences)
        vectors = np.array([e.vector for e in encoded], np.float64)  # (N, D)
        return SentencesResult(encoded, cosine_matrix(vectors), principal_axes(vectors))

    return Job(SENTENCES, work, tuple(sentences))


def principal_axes(vectors: np.ndarray) -> np.ndarray:
    """(N, 2) coordinates on the two directions the N vectors vary most along."""
    centred = vectors - vectors.mean(axis=0)
    if len(vectors) < 2 or not np.any(centred):
        return np.zeros((len(vectors), 2))
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    coords = centred @ axes[:2].T
    return np.pad(coords, ((0, 0), (0, 2 - coords.shape[1])))


@dataclass(frozen=True)
class CollectionResult:
    folder: Path | None  # None: the built-in passages
    index: SearchIndex
    report: UpdateReport


def collection_job(folder: Path | None) -> Job:
    """Open a collection's index and embed what changed, reporting (done, total)."""

    def work(context: JobContext) -> CollectionResult:
        encoder = _the_encoder(context)
        stage = QCoreApplication.translate("LoadProgress", "Embedding passages")
        index, report = open_collection(
            encoder,
            folder,
            progress=lambda done, total: context.report(LoadProgress(stage, done, total)),
            cancel=context.stop,
        )
        return CollectionResult(folder, index, report)

    return Job(COLLECTION, work, folder)


@dataclass(frozen=True)
class SearchResult:
    query: str
    hits: list[Hit]
    why: list[SimilarityDrivers]  # per hit: the query's and the passage's words' shares


def search_job(index: SearchIndex, query: str, top: int) -> Job:
    def work(context: JobContext) -> SearchResult:
        encoder = _the_encoder(context)
        hits = index.search(encoder.embed([query])[0], top)
        q, *passages = encoder.encode([query, *(h.passage.text for h in hits)], attentions=False)
        return SearchResult(query, hits, [similarity_drivers(q, p) for p in passages])

    return Job(SEARCH, work, query)


def rag_job(index: SearchIndex, question: str, top: int) -> Job:
    def work(context: JobContext) -> RagResult:
        encoder, lm = _the_encoder(context), context.require_model()
        hits = index.search(encoder.embed([question])[0], top)
        context.check()
        return answer_with_passages(lm, question, hits)

    return Job(RAG, work, question)
