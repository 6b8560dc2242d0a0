"""`playground compare` and `playground attribute`: experiments on prompts, from the
terminal (each also prints one JSON object with --json)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from playground.engine.errors import PlaygroundError

if TYPE_CHECKING:
    from playground.engine.inspect.run import Run
    from playground.engine.runtime.language_model import LanguageModel

Loader = Callable[[str | None], "LanguageModel"]


def prompt_ids(lm: LanguageModel, text: str) -> list[int]:
    """The tokens the model reads for `text` (cut to the model's limit, with a note)."""
    from playground.engine.prompt.model_input import TEXT, model_input

    given = model_input(lm, (TEXT, text))
    for notice in given.notices:
        print(f"playground: note: {notice}", file=sys.stderr)
    if not given.ids:
        raise PlaygroundError("The prompt is empty: there is nothing to start from.")
    return list(given.ids)


def prompt_run(lm: LanguageModel, text: str, ids: list[int]) -> Run:
    """The run of a prompt typed on the command line, as it is read (no interventions)."""
    from playground.engine.inspect.run import Run
    from playground.engine.prompt.model_input import TEXT

    return Run.of(lm, (TEXT, text), ids)


def token_of(lm: LanguageModel, text: str, role: str) -> int:
    """The first token of `text` (e.g. " Paris"), with a note if it is several."""
    ids = lm.encode(text, continues=True)  # a token after the prompt
    if not ids:
        raise PlaygroundError(f"The {role} is empty: give the text of a token, e.g. ' Paris'.")
    if len(ids) > 1:
        shown = lm.piece(ids[0]).display
        print(
            f"playground: note: the {role} {text!r} is {len(ids)} tokens; its first, "
            f"{shown!r}, is used.",
            file=sys.stderr,
        )
    return ids[0]


def compare(args: argparse.Namespace, load: Loader) -> int:
    from playground.engine.inspect.comparison import compare_logits, softmax

    lm = load(args.model)
    runs = [lm.forward(prompt_ids(lm, text)).next_token_logits for text in (args.a, args.b)]
    c = compare_logits(runs[0], runs[1], top=args.top)

    def table(logits: Any) -> list[dict[str, Any]]:
        probs = softmax(logits)
        order = probs.argsort()[::-1][: args.top]
        return [
            {"id": int(i), "text": lm.piece(int(i)).display, "prob": float(probs[i])} for i in order
        ]

    changes = [
        {
            "id": x.token_id,
            "text": lm.piece(x.token_id).display,
            "prob_a": x.prob_a,
            "prob_b": x.prob_b,
            "change": x.change,
        }
        for x in c.changes
    ]
    if args.json:
        print(
            json.dumps(
                {
                    "model": lm.name,
                    "a": {"prompt": args.a, "next": table(runs[0])},
                    "b": {"prompt": args.b, "next": table(runs[1])},
                    "kl_bits": c.kl_bits,  # D(A || B)
                    "kl_bits_reverse": c.kl_bits_reverse,  # D(B || A)
                    "total_variation": c.total_variation,
                    "changes": changes,
                },
                ensure_ascii=False,
            )
        )
        return 0
    print(f"Model: {lm.info.title}")
    for label, text, logits in (("A", args.a, runs[0]), ("B", args.b, runs[1])):
        print(f"\n{label}: {text!r}")
        for row in table(logits):
            print(f"  {row['prob']:7.2%}  {row['text']!r}")
    print(
        f"\nKL(A || B) = {c.kl_bits:.3f} bits, KL(B || A) = {c.kl_bits_reverse:.3f} bits, "
        f"total variation {c.total_variation:.3f}"
    )
    print("Biggest changes (A -> B):")
    for row in changes:
        print(f"  {row['prob_a']:7.2%} -> {row['prob_b']:7.2%}  {row['text']!r}")
    return 0


def attribute(args: argparse.Namespace, load: Loader) -> int:
    import numpy as np

    from playground.engine.inspect.leave_one_out import leave_one_out

    lm = load(args.model)
    ids = prompt_ids(lm, args.text)
    run = prompt_run(lm, args.text, ids)
    logits = lm.forward(ids).next_token_logits
    target = token_of(lm, args.target, "target") if args.target else int(np.argmax(logits))
    contrast = token_of(lm, args.contrast, "contrast") if args.contrast else None
    if args.method == "components":
        return _components(args, lm, run, target)
    result = leave_one_out(lm, run, target, contrast, unit=args.unit)
    measure = "logit difference" if contrast is not None else "log p"
    parts: list[dict[str, Any]] = [
        {
            "positions": list(p.positions),
            "text": p.text,
            "score": None if np.isnan(s) else float(s),
        }
        for p, s in zip(result.parts, result.scores, strict=True)
    ]
    if args.json:
        document: dict[str, Any] = {
            "model": lm.name,
            "prompt": args.text,
            "method": "leave-one-out",
            "unit": args.unit,
            "target": {"id": target, "text": lm.piece(target).display},
            "contrast": None
            if contrast is None
            else {"id": contrast, "text": lm.piece(contrast).display},
            "score": measure,
            "base": result.base,
            "parts": parts,
        }
        if args.unit == "token":
            document["tokens"] = [
                {
                    "index": p["positions"][0],
                    "id": ids[p["positions"][0]],
                    "text": p["text"],
                    "score": p["score"],
                }
                for p in parts
            ]
        print(json.dumps(document, ensure_ascii=False))
        return 0
    versus = f" rather than {lm.piece(contrast).display!r}" if contrast is not None else ""
    print(f"Model: {lm.info.title}")
    print(f"Why {lm.piece(target).display!r}{versus} after {args.text!r}?")
    print(f"{measure} with the whole prompt: {result.base:+.3f}")
    print(f"Each {args.unit} left out in turn: how much the {measure} drops (nats)")
    for p in sorted(parts, key=lambda p: -(p["score"] or 0.0)):
        score = "   n/a" if p["score"] is None else f"{p['score']:+7.3f}"
        print(f"  {score}  {p['text']!r}")
    return 0


def _components(args: argparse.Namespace, lm: LanguageModel, run: Run, target: int) -> int:
    """The target's logit split into the embedding's, each layer's attention's and MLP's
    (and each head's) shares: direct logit attribution."""
    from playground.engine.inspect.direct_logit import logit_components

    parts = logit_components(lm, run, lm.forward(run.ids), target)
    components: list[dict[str, Any]] = [
        {"name": n, "logit": float(v)} for n, v in zip(parts.names, parts.values, strict=True)
    ]
    heads: list[dict[str, Any]] = [
        {"layer": layer, "head": head, "logit": float(parts.heads[layer, head])}
        for layer in range(parts.heads.shape[0])
        for head in range(parts.heads.shape[1])
    ]
    if args.json:
        document = {
            "model": lm.name,
            "prompt": args.text,
            "method": "components",
            "target": {"id": target, "text": lm.piece(target).display},
            "logit": parts.logit,
            "final_norm_scale": parts.scale,
            "components": components,
            "heads": heads,
        }
        print(json.dumps(document, ensure_ascii=False))
        return 0
    print(f"Model: {lm.info.title}")
    print(f"The logit of {lm.piece(target).display!r} after {args.text!r}: {parts.logit:.3f},")
    print("the sum of what each part wrote into the residual stream (largest first):")
    for row in sorted(components, key=lambda c: -abs(c["logit"]))[:12]:
        print(f"  {row['logit']:+8.3f}  {row['name']}")
    print("Heads that wrote most:")
    for row in sorted(heads, key=lambda h: -abs(h["logit"]))[:8]:
        print(f"  {row['logit']:+8.3f}  layer {row['layer']} head {row['head']}")
    return 0
