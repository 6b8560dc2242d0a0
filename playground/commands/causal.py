"""`playground patch` and `playground routes`: the causal lab from the terminal (each
also prints one JSON object with --json). Activation patching restores a clean prompt's
activations into a corrupted one's run, cell by cell; routes are the ways information
reaches a prediction, layer by layer."""

from __future__ import annotations

import argparse
import json
import sys
from functools import partial
from typing import Any

from playground.commands.experiments import Loader, prompt_ids, prompt_run, token_of


def add_causal_parsers(sub: Any, load: Loader) -> None:
    p = sub.add_parser(
        "patch", help="activation patching: which layer, at which token, carries the answer"
    )
    p.add_argument("clean", help="the clean prompt, e.g. 'The Eiffel Tower is in the city of'")
    p.add_argument("corrupted", help="the same length in tokens, one fact changed")
    p.add_argument("--target", default=None, help="the answer (default: the clean run's top)")
    p.add_argument(
        "--contrast",
        default=None,
        help="measured against this token (default: the corrupted run's top, if different)",
    )
    p.add_argument(
        "--site",
        choices=["resid", "attn", "mlp", "head"],
        default="resid",
        help="the stream entering each block (default), its attention or MLP output, or "
        "each head at every position",
    )
    p.add_argument("--model", default=None, help="catalog name, bundle folder or .gguf file")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=partial(patch, load=load))

    p = sub.add_parser("routes", help="the routes information takes to a prediction")
    p.add_argument("text")
    p.add_argument(
        "--position", type=int, default=None, help="the prediction's token (default: last)"
    )
    p.add_argument(
        "--threshold", type=float, default=0.04, help="drop edges with a smaller share (0.04)"
    )
    p.add_argument("--model", default=None, help="catalog name, bundle folder or .gguf file")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=partial(routes, load=load))


def patch(args: argparse.Namespace, load: Loader) -> int:
    from playground.engine.inspect.patching import activation_patching, check_lengths

    lm = load(args.model)
    clean, corrupted = prompt_ids(lm, args.clean), prompt_ids(lm, args.corrupted)
    check_lengths(len(clean), len(corrupted))  # before anything runs
    target = token_of(lm, args.target, "target") if args.target else None
    contrast = token_of(lm, args.contrast, "contrast") if args.contrast else None

    def progress(done: int, total: int) -> None:
        if not args.json and sys.stderr.isatty():
            print(f"\r{done}/{total} cells", end="", file=sys.stderr, flush=True)

    result = activation_patching(
        lm,
        prompt_run(lm, args.clean, clean),
        prompt_run(lm, args.corrupted, corrupted),
        args.site,
        target,
        contrast,
        progress,
    )
    if not args.json and sys.stderr.isatty():
        print(file=sys.stderr)
    tokens_clean = [p.display for p in lm.pieces(clean)]
    tokens_corrupted = [p.display for p in lm.pieces(corrupted)]
    if args.json:
        document = {
            "model": lm.name,
            "tokens_clean": tokens_clean,
            "tokens_corrupted": tokens_corrupted,
            "target": {"id": result.target, "text": lm.piece(result.target).display},
            "contrast": None
            if result.contrast is None
            else {"id": result.contrast, "text": lm.piece(result.contrast).display},
            "metric": "logit difference" if result.contrast is not None else "log p",
            "metric_clean": result.metric_clean,
            "metric_corrupted": result.metric_corrupted,
            "site": result.site,
            "effect": result.effect.tolist(),
            "runs": result.runs,
            "seconds": result.seconds,
        }
        print(json.dumps(document, ensure_ascii=False))
        return 0
    versus = (
        f" - logit({lm.piece(result.contrast).display!r})" if result.contrast is not None else ""
    )
    measure = f"logit({lm.piece(result.target).display!r}){versus}"
    if result.contrast is None:
        measure = f"log p({lm.piece(result.target).display!r})"
    print(f"Model: {lm.info.title}    {result.runs} patched runs in {result.seconds:.1f} s")
    print(
        f"m = {measure}: clean {result.metric_clean:+.3f}, corrupted {result.metric_corrupted:+.3f}"
    )
    print(f"Effect of patching {result.site} (1 = the clean answer fully restored):")
    columns = (
        [f"h{h}" for h in range(result.effect.shape[1])]
        if result.site == "head"
        else [
            f"{a if a == b else a + '/' + b}"[:10]
            for a, b in zip(tokens_clean, tokens_corrupted, strict=True)
        ]
    )
    print(
        "layer "
        + " ".join(f"{c!r:>11}"[-11:] if result.site != "head" else f"{c:>6}" for c in columns)
    )
    width = 11 if result.site != "head" else 6
    for layer, row in enumerate(result.effect):
        print(f"{layer:>5} " + " ".join(f"{v:>{width}.2f}" for v in row))
    return 0


def routes(args: argparse.Namespace, load: Loader) -> int:
    from playground.engine.inspect.routes import information_routes

    lm = load(args.model)
    ids = prompt_ids(lm, args.text)
    result = information_routes(lm, prompt_run(lm, args.text, ids), args.position, args.threshold)
    edges = [
        {"layer": e.layer, "from": e.source, "to": e.target, "share": e.share, "kind": e.kind}
        for e in result.edges
    ]
    if args.json:
        document = {
            "model": lm.name,
            "tokens": result.tokens,
            "position": result.position,
            "threshold": result.threshold,
            "edges": edges,
        }
        print(json.dumps(document, ensure_ascii=False))
        return 0
    print(f"Model: {lm.info.title}")
    print(
        f"Routes to the prediction at token {result.position} "
        f"({result.tokens[result.position]!r}), shares >= {result.threshold:g}:"
    )
    for e in edges:
        if e["kind"] == "attention":
            what = f"{result.tokens[e['from']]!r} -> {result.tokens[e['to']]!r} (attention)"
        else:
            what = f"{result.tokens[e['to']]!r} kept (residual and MLP)"
        print(f"  block {e['layer']:>2}  {e['share']:6.1%}  {what}")
    return 0
