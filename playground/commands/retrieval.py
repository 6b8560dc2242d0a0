"""`playground embed | search | rag`: sentence vectors, semantic search and retrieval-
augmented answers on the command line, each with `--json`."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from playground.commands.models import TerminalProgress
from playground.engine.errors import PlaygroundError


def add_retrieval_parsers(sub: Any, load: Callable[[str | None], Any]) -> None:
    p = sub.add_parser("embed", help="sentence vectors and their cosine similarities")
    p.add_argument("sentences", nargs="+", help="two or more sentences")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=embed)

    p = sub.add_parser("search", help="semantic search over passages")
    p.add_argument("query")
    _add_collection(p)
    p.set_defaults(handler=search)

    p = sub.add_parser("rag", help="answer a question with the passages found for it")
    p.add_argument("question")
    _add_collection(p)
    p.add_argument("--model", default=None, help="catalog name, bundle folder or .gguf file")
    p.set_defaults(handler=lambda args: rag(args, load))


def _add_collection(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--collection",
        default=None,
        help="a folder of .txt / .md files (default: the passages built into the app)",
    )
    p.add_argument("--top", type=int, default=3, help="passages to show (default 3)")
    p.add_argument("--json", action="store_true", help="print one JSON object")


def _encoder():  # -> SentenceEncoder
    from playground.engine.runtime.encoder_loader import load_encoder

    progress = TerminalProgress()
    try:
        return load_encoder(progress=progress)
    finally:
        progress.close()


def embed(args: argparse.Namespace) -> int:
    import numpy as np

    from playground.engine.inspect.sentence_similarity import cosine_matrix

    encoder = _encoder()
    vectors = encoder.embed(args.sentences)
    cosine = cosine_matrix(vectors)
    if args.json:
        print(
            json.dumps(
                {
                    "model": encoder.info.name,
                    "dimensions": encoder.dimensions,
                    "sentences": args.sentences,
                    "cosine": np.round(cosine, 6).tolist(),
                },
                ensure_ascii=False,
            )
        )
        return 0
    print(f"{encoder.info.title}: {encoder.dimensions} dimensions, cosine similarity\n")
    width = len(str(len(args.sentences)))
    for i, sentence in enumerate(args.sentences):
        print(f"  [{i + 1:>{width}}] {sentence}")
    print(
        "\n  "
        + " " * (width + 2)
        + "".join(f"[{j + 1:>{width}}]".rjust(8) for j in range(len(cosine)))
    )
    for i, row in enumerate(cosine):
        print(f"  [{i + 1:>{width}}]" + "".join(f"{c:8.3f}" for c in row))
    return 0


def _collection(encoder, folder: str | None):  # -> SearchIndex
    from playground.engine.inspect.passage_collections import open_collection

    if folder is not None and not Path(folder).is_dir():
        raise PlaygroundError(f"{folder} is not a folder of .txt / .md files.")
    bar = TerminalProgress()
    try:
        index, report = open_collection(
            encoder,
            Path(folder) if folder else None,
            progress=lambda done, total: bar("Embedding passages", done, total),
        )
    finally:
        bar.close()
    for line in report.messages():
        print(f"playground: {line}", file=sys.stderr)
    if report.passages == 0:
        raise PlaygroundError(f"No passages to search in {folder or 'the built-in collection'}.")
    return index


def _hits(args: argparse.Namespace, encoder) -> list:
    if args.top < 1:
        raise PlaygroundError("--top must be at least 1.")
    index = _collection(encoder, args.collection)
    return index.search(
        encoder.embed([args.query if "query" in args else args.question])[0], args.top
    )


def search(args: argparse.Namespace) -> int:
    from playground.engine.inspect.sentence_similarity import matching_words, similarity_drivers

    encoder = _encoder()
    hits = _hits(args, encoder)
    query, *passages = encoder.encode(
        [args.query, *(h.passage.text for h in hits)], attentions=False
    )
    results = []
    for hit, passage in zip(hits, passages, strict=True):
        words = similarity_drivers(query, passage).words_b
        matching = [text for text, _ in matching_words(words)]
        results.append(
            {
                "source": hit.passage.source,
                "text": hit.passage.text,
                "score": round(hit.score, 6),
                "matching_words": matching,
            }
        )
    if args.json:
        print(
            json.dumps(
                {"query": args.query, "model": encoder.info.name, "results": results},
                ensure_ascii=False,
            )
        )
        return 0
    for rank, r in enumerate(results, 1):
        print(f"{rank}. {r['score']:.3f}  {r['source']}")
        print(f"   {r['text']}")
        print(f"   matching words: {', '.join(r['matching_words'])}\n")
    return 0


def rag(args: argparse.Namespace, load: Callable[[str | None], Any]) -> int:
    from playground.engine.inspect.rag import answer_with_passages

    encoder = _encoder()
    hits = _hits(args, encoder)
    lm = load(args.model)
    result = answer_with_passages(lm, args.question, hits)
    passages = [
        {
            "source": h.passage.source,
            "text": h.passage.text,
            "score": round(h.score, 6),
            "attention_share": round(share, 6),
            "attribution_nats": round(nats, 6),
        }
        for h, share, nats in zip(hits, result.attention_share, result.attribution, strict=True)
    ]
    if args.json:
        print(
            json.dumps(
                {
                    "question": args.question,
                    "passages": passages,
                    "prompt": result.prompt.text,
                    "answer": result.answer,
                    "answer_without_context": result.answer_without_context,
                },
                ensure_ascii=False,
            )
        )
        return 0
    print(f"Question: {args.question}\n")
    for i, p in enumerate(passages, 1):
        print(
            f"[{i}] {p['score']:.3f}  {p['source']}  "
            f"(attention {100 * p['attention_share']:.1f} %, "
            f"without it the answer loses {p['attribution_nats']:.2f} nats)"
        )
        print(f"    {p['text']}\n")
    print(f"Answer with the passages:    {result.answer.strip()}")
    print(f"Answer without them:         {result.answer_without_context.strip()}")
    return 0
