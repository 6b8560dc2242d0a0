"""`playground ...` subcommands. With no arguments, the window opens."""

from __future__ import annotations

import argparse
import codecs
import json
import os
import random
import sys
import time
from collections.abc import Sequence
from functools import partial

from playground import cli_experiments
from playground.cli_explain import add_explain_parser
from playground.cli_loading import DEVICE_HELP
from playground.cli_loading import load_model_for_command as _load
from playground.cli_loading import set_device as _set_device
from playground.cli_models import (
    models_convert,
    models_fetch,
    models_list,
    models_scan,
)
from playground.cli_quiz import add_quiz_parser
from playground.cli_retrieval import add_retrieval_parsers
from playground.engine.errors import PlaygroundError


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if args.command is None:
        if not _display_available():
            print(
                "playground: no display to open the window on (DISPLAY and WAYLAND_DISPLAY "
                "are unset). Run it in a desktop session, or use the commands "
                "(`playground --help`), e.g. `playground screenshot`.",
                file=sys.stderr,
            )
            return 1
        from playground.ui.app import run_app

        return run_app(model=None)
    try:
        if getattr(args, "device", None):
            _set_device(args.device)
        return int(args.handler(args) or 0)
    except PlaygroundError as error:
        print(f"playground: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("playground: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # the output was piped into a program that stopped reading
        return 0


def gui_main() -> int:
    """The double-click entry point (`llm-playground`): the window, nothing else."""
    if not _display_available():
        print("playground: no display to open the window on.", file=sys.stderr)
        return 1
    from playground.ui.app import run_app

    return run_app(model=None)


def _display_available() -> bool:
    """On Linux a window needs X11 or Wayland (or an explicit Qt platform such as offscreen)."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="playground",
        description="Watch a real small language model think. No command: open the window.",
    )
    parser.add_argument("--device", default=None, help=DEVICE_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    models = sub.add_parser("models", help="list, fetch and convert models").add_subparsers(
        dest="models_command", metavar="ACTION", required=True
    )
    p = models.add_parser("list", help="known and converted models, with sizes")
    p.set_defaults(handler=models_list)
    p = models.add_parser("fetch", help="download a catalog model and convert it")
    p.add_argument("name", nargs="?", help="catalog name (default: the default model)")
    p.set_defaults(handler=models_fetch)
    p = models.add_parser("convert", help="convert a GGUF file into a bundle in the store")
    p.add_argument("file", help="path to a .gguf file")
    p.add_argument("--name", help="bundle name (default: from the file name)")
    blocks_help = "analyse prompts on the quantized matrices too (default: if fp32 won't fit)"
    p.add_argument("--analysis-on-blocks", action="store_true", default=None, help=blocks_help)
    p.set_defaults(handler=models_convert)
    p = models.add_parser(
        "scan", help="GGUF models already on this machine (LM Studio, Ollama, HF cache, ...)"
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(handler=models_scan)

    p = sub.add_parser(
        "install-desktop", help="add LLM Playground to the desktop's application menu"
    )
    p.set_defaults(handler=_install_desktop)

    p = sub.add_parser("predict", help="the prompt's tokens and the next-token table")
    p.add_argument("text")
    p.add_argument("--top", type=int, default=10, help="rows to show (default 10)")
    p.add_argument(
        "--knock-out",
        default="",
        help="parts switched off, e.g. 13.8,13.7,5.attn,20.mlp (layer.head, a layer's "
        "attention, a layer's MLP)",
    )
    p.add_argument(
        "--ablation",
        choices=("zero", "mean"),
        default="zero",
        help="what a knocked-out head writes: zero (default) or its mean output over the prompt",
    )
    _add_model_and_sampler(p)
    p.set_defaults(handler=_predict)

    p = sub.add_parser("generate", help="continue a prompt token by token")
    p.add_argument("text")
    p.add_argument("--max-tokens", type=int, default=40)
    p.add_argument("--seed", type=int, default=None, help="random seed (default: a new one)")
    _add_model_and_sampler(p)
    p.set_defaults(handler=_generate)

    p = sub.add_parser("compare", help="two prompts' next-token distributions compared")
    p.add_argument("a", help="prompt A")
    p.add_argument("b", help="prompt B")
    p.add_argument("--top", type=int, default=10, help="rows of each table (default 10)")
    p.add_argument("--model", default=None, help="catalog name, bundle folder or .gguf file")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=partial(cli_experiments.compare, load=_load))

    p = sub.add_parser("attribute", help="which parts of the prompt a prediction depends on")
    p.add_argument("text")
    p.add_argument("--target", default=None, help="the token explained (default: the top one)")
    p.add_argument("--contrast", default=None, help="why the target rather than this token")
    p.add_argument(
        "--method",
        choices=["leave-one-out", "components"],
        default="leave-one-out",
        help="leave each part out, or split the logit by layer and head (components)",
    )
    p.add_argument(
        "--unit",
        choices=["token", "word", "line", "message"],
        default="token",
        help="what is left out in turn (default: each token)",
    )
    p.add_argument("--model", default=None, help="catalog name, bundle folder or .gguf file")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(handler=partial(cli_experiments.attribute, load=_load))

    add_explain_parser(sub, _load, _add_model_and_sampler, _settings)
    add_quiz_parser(sub, _load)
    add_retrieval_parsers(sub, _load)

    p = sub.add_parser("bench", help="measure speed and memory on this machine")
    p.add_argument("--model", default=None, help="catalog name, bundle folder or .gguf file")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument(
        "--compare",
        choices=["transformers", "llama.cpp"],
        default=None,
        help="also run Hugging Face transformers (pip install -e '.[compare]') or llama.cpp "
        "(pip install -e '.[llama-cpp]': builds llama-cpp-python from source, ~10 minutes)",
    )
    p.set_defaults(handler=_bench)

    p = sub.add_parser("screenshot", help="render the window offscreen to a PNG")
    p.add_argument("--prompt", required=True)
    p.add_argument("--out", required=True, help="PNG file to write")
    p.add_argument("--size", default="1400x900", help="window size WxH (default 1400x900)")
    p.add_argument("--model", default=None, help="catalog name, bundle folder or .gguf file")
    p.set_defaults(handler=_screenshot)
    for command in sub.choices.values():  # every command that runs a model takes it too
        if "--model" in command._option_string_actions:
            command.add_argument("--device", default=argparse.SUPPRESS, help=DEVICE_HELP)
    return parser


def _add_model_and_sampler(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", default=None, help="catalog name, bundle folder or .gguf file")
    p.add_argument("--temperature", type=float, default=1.0, help="0 = greedy (default 1)")
    p.add_argument("--top-p", type=float, default=1.0, help="nucleus mass (default 1 = off)")
    p.add_argument("--top-k", type=int, default=0, help="keep the k best (default 0 = off)")
    p.add_argument("--min-p", type=float, default=0.0, help="relative floor (default 0 = off)")
    p.add_argument("--json", action="store_true", help="print one JSON object")


# option -> (lowest, highest, what it means): anything outside is refused with this range
SAMPLER_RANGES = {
    "--temperature": (0.0, 1e6, "0 = greedy"),
    "--top-k": (0, float("inf"), "0 = off"),
    "--top-p": (0.0, 1.0, "1 = off"),
    "--min-p": (0.0, 1.0, "0 = off"),
}


def _settings(args: argparse.Namespace):  # -> SamplingSettings
    from playground.engine.sampling.distribution import SamplingSettings

    values = {
        "--temperature": args.temperature,
        "--top-k": args.top_k,
        "--top-p": args.top_p,
        "--min-p": args.min_p,
    }
    for option, value in values.items():
        low, high, meaning = SAMPLER_RANGES[option]
        if not low <= value <= high:  # NaN fails both comparisons
            raise PlaygroundError(
                f"{option} must be at least {low:g} ({meaning}), not {value}."
                if high == float("inf")
                else f"{option} must lie between {low:g} and {high:g} ({meaning}), not {value}."
            )
    return SamplingSettings(args.temperature, args.top_k, args.top_p, args.min_p)


def _install_desktop(args: argparse.Namespace) -> int:
    from playground.desktop_entry import install_desktop_entry

    for path in install_desktop_entry():
        print(f"Wrote {path}")
    print("LLM Playground is now in your application menu (log out and in if it is not).")
    return 0


def _load_prompt(args: argparse.Namespace):  # -> tuple[LanguageModel, list[int]]
    from playground.engine.text.tokens import clean_text

    lm = _load(args.model)
    ids = cli_experiments.prompt_ids(lm, args.text)
    args.text = clean_text(args.text)[0]  # echoed back: must be encodable
    return lm, ids


def _predict(args: argparse.Namespace) -> int:
    from playground.engine.sampling.distribution import distribution

    settings = _settings(args)  # a bad value is refused before the model loads
    lm, ids = _load_prompt(args)
    from playground.engine.runtime.knock_out import KnockOut

    knock_out = KnockOut.parse(args.knock_out, lm.arch, args.ablation)
    fw = lm.forward(ids, knock_out=knock_out)
    dist = distribution(fw.next_token_logits, settings)
    top = dist.top(args.top)
    pieces = lm.pieces(ids)
    if args.json:
        result = {
            "model": lm.name,
            "tokens": [{"id": p.token_id, "text": p.display} for p in pieces],
            "next": [
                {
                    "id": c.token_id,
                    "text": lm.piece(c.token_id).display,
                    "prob": c.prob,
                    "logit": c.logit,
                    "tempered_prob": c.tempered_prob,
                    "kept": c.kept,
                }
                for c in top
            ],
            "kept_count": dist.kept_count,
            "kept_mass": dist.kept_mass,
            "entropy_bits": dist.entropy_bits,
            "forward_seconds": fw.seconds,
            "knocked_out": knock_out.describe(),
            "ablation": knock_out.ablation,
        }
        print(json.dumps(result, ensure_ascii=False))
        return 0
    print(f"Model: {lm.info.title}    forward: {fw.seconds * 1000:.0f} ms")
    if not knock_out.empty:
        print(f"Knocked out: {knock_out.explain()}")
    print(f"Prompt: {len(ids)} tokens")
    for p in pieces:
        marker = " (special)" if p.special else ""
        print(f"  {p.token_id:>6}  {p.display!r}{marker}")
    print(
        f"\nNext token ({dist.kept_count:,} of {lm.vocab_size:,} kept, "
        f"kept mass {dist.kept_mass:.1%}, entropy {dist.entropy_bits:.2f} bits):"
    )
    print(f"  {'rank':>4}  {'token':<20} {'id':>6}  {'prob':>8}  {'logit':>8}")
    for c in top:
        text = repr(lm.piece(c.token_id).display)
        prob = f"{c.prob:8.2%}" if c.kept else "  (cut)"
        print(f"  {c.rank + 1:>4}  {text:<20} {c.token_id:>6}  {prob}  {c.logit:8.3f}")
    rest = lm.vocab_size - len(top)
    print(f"  other {rest:,} tokens: {dist.mass_outside_top(len(top)):.1%} (before the filters)")
    return 0


def _generate(args: argparse.Namespace) -> int:
    from playground.engine.sampling.distribution import Sampler
    from playground.engine.sampling.generation import Generation, generate_tokens

    settings = _settings(args)  # a bad value is refused before the model loads
    lm, ids = _load_prompt(args)
    seed = args.seed if args.seed is not None else random.randrange(2**31)
    sampler = Sampler(seed)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    generated = []
    generation = Generation(lm, settings, sampler)
    start = time.perf_counter()
    if not args.json:
        sys.stdout.write(args.text)
        sys.stdout.flush()
    for token in generate_tokens(
        lm, ids, args.max_tokens, settings, sampler, generation=generation
    ):
        piece = lm.piece(token.token_id)
        generated.append(
            {
                "id": token.token_id,
                "text": piece.display,
                "prob": token.prob,
                "model_prob": token.model_prob,
                "rank": token.rank,
            }
        )
        if token.stop:
            break
        if not args.json:
            sys.stdout.write(decoder.decode(piece.data))
            sys.stdout.flush()
    seconds = time.perf_counter() - start
    stop_reason = generation.reason.replace(" ", "-")  # limit, end-of-text, context-full
    if args.json:
        new_ids = [g["id"] for g in generated if g["id"] not in lm.info.special.stop_ids]
        print(
            json.dumps(
                {
                    "model": lm.name,
                    "seed": seed,
                    "prompt": args.text,
                    "tokens": [{"id": p.token_id, "text": p.display} for p in lm.pieces(ids)],
                    "generated": generated,
                    "text": lm.decode(new_ids),
                    "stop_reason": stop_reason,
                    "seconds": seconds,
                },
                ensure_ascii=False,
            )
        )
    else:
        sys.stdout.write(decoder.decode(b"", final=True) + "\n")
        rate = len(generated) / seconds
        print(
            f"({len(generated)} tokens, stop: {stop_reason}, seed {seed}, {rate:.1f} tokens/s)",
            file=sys.stderr,
        )
    return 0


def _screenshot(args: argparse.Namespace) -> int:
    from pathlib import Path

    try:
        width, height = (int(v) for v in args.size.lower().split("x"))
    except ValueError:
        raise PlaygroundError(f"--size must look like 1400x900, not {args.size!r}") from None
    from playground.ui.app import render_screenshot

    out = render_screenshot(args.prompt, Path(args.out), (width, height), model=args.model)
    print(f"Wrote {out}")
    return 0


def _bench(args: argparse.Namespace) -> int:
    from playground.bench import run_bench

    if args.compare == "transformers":
        try:
            import torch  # noqa: F401
            import transformers  # noqa: F401
        except ImportError:
            raise PlaygroundError(
                "--compare transformers needs torch and transformers: pip install -e '.[compare]'"
            ) from None
    if args.compare == "llama.cpp":
        try:
            import llama_cpp  # noqa: F401
        except ImportError:
            raise PlaygroundError(
                "--compare llama.cpp needs llama-cpp-python: pip install -e '.[llama-cpp]' "
                "(it builds llama.cpp from source, about ten minutes on two cores)"
            ) from None
    return run_bench(args.model, args.compare, args.json)
