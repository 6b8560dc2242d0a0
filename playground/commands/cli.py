"""`playground ...` subcommands. With no arguments, the window opens."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from functools import partial

from playground.commands import experiments as cli_experiments
from playground.commands.causal import add_causal_parsers
from playground.commands.explain import add_explain_parser
from playground.commands.finetune import add_finetune_parser
from playground.commands.loading import DEVICE_HELP
from playground.commands.loading import load_model_for_command as _load
from playground.commands.loading import set_device as _set_device
from playground.commands.models import (
    models_convert,
    models_delete,
    models_fetch,
    models_list,
    models_scan,
)
from playground.commands.predict import add_model_and_sampler, generate, predict, sampler_settings
from playground.commands.quiz import add_quiz_parser
from playground.commands.retrieval import add_retrieval_parsers
from playground.commands.steering_options import add_steering_options
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
        return _window()
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
    return _window()


def _window() -> int:
    """The window on the default model, opened meanwhile on another core (preload.py)."""
    from playground.engine.runtime.preload import start_preload

    start_preload()
    from playground.ui.app import run_app  # Qt and the panels: ~2 s of imports

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
    analysis = p.add_mutually_exclusive_group()
    analysis.add_argument(
        "--analysis-on-blocks",
        action="store_true",
        default=None,
        help="analyse prompts on the quantized matrices too (default: for models of 0.5 B "
        "parameters or more, or if fp32 ones won't fit; numbers within ~1e-2 of fp32)",
    )
    analysis.add_argument(
        "--analysis-in-fp32",
        action="store_false",
        dest="analysis_on_blocks",
        help="analyse prompts on fp32 matrices, exactly, even for a big model (4 bytes a "
        "weight on disk and in memory)",
    )
    p.set_defaults(handler=models_convert)
    p = models.add_parser("delete", help="remove a fine-tuned variant")
    p.add_argument("name", help="the variant's name")
    p.set_defaults(handler=models_delete)
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
    add_steering_options(p)
    add_model_and_sampler(p)
    p.set_defaults(handler=predict)

    p = sub.add_parser("generate", help="continue a prompt token by token")
    p.add_argument("text")
    p.add_argument("--max-tokens", type=int, default=40)
    p.add_argument("--seed", type=int, default=None, help="random seed (default: a new one)")
    add_steering_options(p)
    add_model_and_sampler(p)
    p.set_defaults(handler=generate)

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

    add_causal_parsers(sub, _load)
    add_explain_parser(sub, _load, add_model_and_sampler, sampler_settings)
    add_quiz_parser(sub, _load)
    add_finetune_parser(sub, _load)
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


def _install_desktop(args: argparse.Namespace) -> int:
    from playground.desktop_entry import install_desktop_entry

    for path in install_desktop_entry():
        print(f"Wrote {path}")
    print("LLM Playground is now in your application menu (log out and in if it is not).")
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
    from playground.commands.bench.suite import run_bench

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
