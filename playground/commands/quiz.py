"""`playground quiz`: a class's guesses for the next token, scored against the model."""

from __future__ import annotations

import argparse
import json
from functools import partial
from typing import Any

from playground.commands.experiments import Loader, prompt_ids


def add_quiz_parser(sub: Any, load: Loader) -> None:
    p = sub.add_parser("quiz", help="score guesses for the next token against the model")
    p.add_argument("text", help="the prompt")
    p.add_argument(
        "--guess",
        action="append",
        required=True,
        metavar="TEXT",
        help="a guess (a word, several tokens or a number); give it once for each guess",
    )
    p.add_argument("--model", default=None, help="catalog name, bundle folder or .gguf file")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=partial(quiz, load=load))


def quiz(args: argparse.Namespace, load: Loader) -> int:
    from playground.engine.inspect.quiz import score_guesses

    lm = load(args.model)
    scores, answer = score_guesses(lm, prompt_ids(lm, args.text), args.guess)
    show = lambda token: lm.piece(token).display  # noqa: E731
    if args.json:
        result = {
            "model": lm.name,
            "prompt": args.text,
            "answer": {"text": answer.text, "id": answer.id, "prob": answer.prob},
            "guesses": [
                {
                    "guess": s.guess,
                    "text": s.text,
                    "ids": list(s.ids),
                    "tokens": [show(i) for i in s.ids],
                    "token_probs": list(s.token_probs),
                    "prob": s.prob,
                    "rank": s.rank,
                    "surprise_bits": s.surprise_bits,
                }
                for s in scores
            ],
        }
        print(json.dumps(result, ensure_ascii=False, allow_nan=False, default=str))
        return 0
    print(f"The model's answer: {show(answer.id)!r} ({answer.prob:.1%})")
    print(f"{'guess':<20} {'as tokens':<28} {'probability':>12} {'rank':>7} {'surprise':>10}")
    for s in sorted(scores, key=lambda s: -s.prob):
        tokens = " ".join(repr(show(i)) for i in s.ids)
        print(
            f"{s.guess:<20.20} {tokens:<28.28} {s.prob:>12.4%} {s.rank:>7,} "
            f"{s.surprise_bits:>7.2f} bits"
        )
    return 0
