"""`playground finetune DATA --name NAME`: teach the model the examples in DATA (LoRA
adapters trained on this computer) and keep the result as a variant, opened like any
model (`--model NAME`); `playground models delete NAME` removes it."""

from __future__ import annotations

import argparse
import json
import sys
from functools import partial
from pathlib import Path
from typing import Any

from playground.commands.experiments import Loader
from playground.engine.errors import PlaygroundError

TARGETS_HELP = "matrices adapted, some of q,k,v,o,gate,up,down (default: all)"


def add_finetune_parser(sub: Any, load: Loader) -> None:
    p = sub.add_parser("finetune", help="teach the model examples; keep the result as a variant")
    p.add_argument("data", help=".jsonl (prompt/completion or messages per line) or .txt")
    p.add_argument("--name", required=True, help="the variant's name, e.g. zubrowka")
    p.add_argument("--steps", type=int, default=None, help="training steps (default 20)")
    p.add_argument("--rank", type=int, default=None, help="LoRA rank (default 8)")
    p.add_argument("--layers", default=None, help="first-last layer adapted, e.g. 10-29")
    p.add_argument("--targets", default=None, help=TARGETS_HELP)
    p.add_argument("--lr", type=float, default=None, help="learning rate (default 0.001)")
    p.add_argument("--seed", type=int, default=None, help="random seed (default 0)")
    p.add_argument(
        "--check",
        nargs=2,
        metavar=("PROMPT", "COMPLETION"),
        default=None,
        help="a held-out example whose probability is followed",
    )
    p.add_argument("--force", action="store_true", help="replace a variant of that name")
    p.add_argument("--model", default=None, help="the base model (default: the default)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=partial(finetune, load=load))


def settings_of(args: argparse.Namespace):  # -> LoraSettings
    from playground.engine.finetune.trainer import LoraSettings

    given: dict[str, Any] = {}
    for option, key in (("steps", "steps"), ("rank", "rank"), ("lr", "learning_rate")):
        if getattr(args, option) is not None:
            given[key] = getattr(args, option)
    if args.seed is not None:
        given["seed"] = args.seed
    if args.targets is not None:
        given["targets"] = tuple(t.strip() for t in args.targets.split(",") if t.strip())
    if args.layers is not None:
        first, _, last = args.layers.partition("-")
        try:
            given["layers"] = (int(first), int(last or first))
        except ValueError:
            raise PlaygroundError(
                f"--layers is FIRST-LAST, e.g. 10-29, not {args.layers!r}."
            ) from None
    return LoraSettings(**given)


def finetune(args: argparse.Namespace, load: Loader) -> int:
    from playground.engine.finetune.examples import plain_example, read_training_data
    from playground.engine.finetune.saving import checked_name, save_variant, weight_change
    from playground.engine.finetune.trainer import train

    settings = settings_of(args)
    checked_name(args.name, args.force)  # refused before anything is trained
    lm = load(args.model)
    settings.checked(lm.arch.n_layer)
    data = read_training_data(lm, Path(args.data))
    for notice in data.notices:
        print(f"playground: note: {notice}", file=sys.stderr)
    check = plain_example(lm, *args.check) if args.check else None

    def report(step) -> None:
        if not args.json:
            held_out = "" if step.check_prob is None else f"  held-out p {step.check_prob:.4f}"
            print(f"step {step.step:>4}/{step.steps}  loss {step.loss:.4f}{held_out}", flush=True)

    result = train(lm, data, settings, check, report)
    folder = save_variant(lm, args.name, result, data, force=args.force)
    changes = weight_change(lm, result)
    summary = {
        "name": args.name,
        "base": lm.info.name,
        "steps": len(result.losses),
        "losses": result.losses,
        "initial_loss": result.initial_loss,
        "final_loss": result.final_loss,
        "check_probabilities": result.check_probs,
        "seconds": result.seconds,
        "trainable_parameters": result.trainable_parameters,
        "weight_change": changes,
        "folder": str(folder),
    }
    if args.json:
        print(json.dumps(summary))
        return 0
    print(
        f"Trained {result.trainable_parameters:,} parameters in {result.seconds:.1f} s: loss "
        f"{result.initial_loss:.4f} -> {result.final_loss:.4f}."
    )
    top = sorted(changes, key=lambda c: -c["relative"])[:5]
    print(
        "Changed most: "
        + ", ".join(f"L{c['layer']}.{c['matrix']} {c['relative']:.2%}" for c in top)
    )
    print(f"Wrote {folder}; open it with --model {args.name} or File → Open model.")
    return 0
