"""The benchmark's retrieval figures: the sentence encoder embedding 100 passages, and a
search (the query embedded, then every passage scored) over an index of 10,000 passages,
with brute-force scoring alone at 100,000 and 1,000,000 vectors to show where it stops
being the right tool."""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from playground.commands.bench.timing import median_seconds
from playground.engine.inspect.passage_collections import BUILT_IN
from playground.engine.inspect.search_index import SearchIndex, rank_by_cosine, split_passages
from playground.engine.runtime.encoder_loader import load_encoder

EMBEDDED_PASSAGES = 100
INDEXED_PASSAGES = 10_000
SCORED_ONLY = (100_000, 1_000_000)
QUERIES = (
    "Which sea creature has more than one heart?",
    "What is the capital of Turkey?",
    "Why does a chatbot miscount the letters in a word?",
)


class _Replay:
    """Stands in for the encoder while the 10,000-passage index is filled: the built-in
    passages' real vectors, each copy nudged and normalised again, so that the index holds
    10,000 distinct unit vectors without 85 s of embedding (the search costs the same)."""

    def __init__(self, vectors: np.ndarray) -> None:
        self.vectors = vectors  # (P, D)
        self.rng = np.random.default_rng(0)

    def embed(
        self,
        texts: Sequence[str],
        progress: Callable[[int, int], None] | None = None,
        cancel: object = None,
    ) -> np.ndarray:
        rows = self.vectors[np.arange(len(texts)) % len(self.vectors)]
        rows = rows + self.rng.normal(scale=0.02, size=rows.shape)
        return (rows / np.linalg.norm(rows, axis=1, keepdims=True)).astype(np.float32)


def built_in_passages() -> list[str]:
    return [
        text
        for path in sorted(BUILT_IN.glob("*.md"))
        for _, text in split_passages(path.read_text("utf-8"))
    ]


def bench_retrieval() -> dict[str, Any]:
    encoder = load_encoder()
    passages = built_in_passages()
    hundred = [passages[i % len(passages)] for i in range(EMBEDDED_PASSAGES)]
    tokens = sum(len(e.ids) for e in encoder.tokenize(hundred))
    results: dict[str, Any] = {
        "encoder": encoder.info.name,
        "embedded_tokens": tokens,
        f"embed_{EMBEDDED_PASSAGES}_passages_seconds": median_seconds(
            partial(encoder.embed, hundred), 3
        ),
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "passages"
        folder.mkdir()
        per_file = 100
        for f in range(INDEXED_PASSAGES // per_file):  # 100 files of 100 paragraphs
            paragraphs = (
                f"Note {f}.{n}: {passages[(f * per_file + n) % len(passages)]}"
                for n in range(per_file)
            )
            (folder / f"notes-{f:03}.txt").write_text("\n\n".join(paragraphs), "utf-8")
        index = SearchIndex(Path(tmp) / "index.sqlite", encoder.info.name, encoder.info.dimensions)
        index.update(folder, _Replay(encoder.embed(passages)))  # type: ignore[arg-type]
        results["indexed_passages"] = index.count()
        load = median_seconds(lambda: (setattr(index, "_matrix", None), index.vectors()), 3)
        results["index_load_seconds"] = load

        def search(query: str) -> object:
            return index.search(encoder.embed([query])[0], top=5)

        results[f"search_{INDEXED_PASSAGES}_seconds"] = float(
            np.median([median_seconds(partial(search, q), 5) for q in QUERIES])
        )
        index.close()
    query = encoder.embed([QUERIES[0]])[0]
    rng = np.random.default_rng(0)
    for n in SCORED_ONLY:  # the scoring alone, on random unit vectors (N, D)
        matrix = rng.standard_normal((n, encoder.info.dimensions), np.float32)
        matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
        results[f"score_{n}_seconds"] = median_seconds(partial(rank_by_cosine, matrix, query, 5), 5)
        results[f"score_{n}_megabytes"] = matrix.nbytes / 1e6
        del matrix
    return results


def retrieval_lines(r: dict[str, Any]) -> list[str]:
    embed = r[f"embed_{EMBEDDED_PASSAGES}_passages_seconds"]
    search = r[f"search_{INDEXED_PASSAGES}_seconds"]
    embed_label = f"embed {EMBEDDED_PASSAGES} passages (MiniLM)"
    search_label = f"search, {r['indexed_passages']:,} passages"
    lines = [
        f"{embed_label:<34}{embed * 1000:>11.0f} ms   {r['embedded_tokens'] / embed:,.0f} tokens/s",
        f"{search_label:<34}{search * 1000:>11.1f} ms   query embedded + every passage scored",
        f"{'  index read from disk (once)':<34}{r['index_load_seconds'] * 1000:>11.1f} ms",
    ]
    for n in SCORED_ONLY:
        label = f"  scoring alone, {n:,} vectors"
        lines.append(
            f"{label:<34}{r[f'score_{n}_seconds'] * 1000:>11.1f} ms"
            f"   {r[f'score_{n}_megabytes']:,.0f} MB of vectors"
        )
    return lines
