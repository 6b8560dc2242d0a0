"""The steering options `predict` and `generate` share: a direction from two texts,
added at one hidden index with a strength (activation addition)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from playground.engine.errors import PlaygroundError

if TYPE_CHECKING:
    from playground.engine.runtime.language_model import LanguageModel
    from playground.engine.runtime.steering import Steering


def add_steering_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--steer-to", default=None, help="steer toward this text (e.g. 'I love you')")
    p.add_argument("--steer-from", default=None, help="... and away from this one ('I hate you')")
    p.add_argument(
        "--steer-layer",
        type=int,
        default=None,
        help="the hidden state the direction is read at and added to, 1..layers-1 "
        "(default: a fifth of the way in)",
    )
    p.add_argument(
        "--steer-strength", type=float, default=2.0, help="c in c * v, negative too (default 2)"
    )


def steering_of(args: argparse.Namespace, lm: LanguageModel) -> Steering | None:
    """The steering the options ask for, or None; PlaygroundError for half of a pair."""
    if args.steer_to is None and args.steer_from is None:
        return None
    if args.steer_to is None or args.steer_from is None:
        raise PlaygroundError("Steering needs both --steer-to TEXT and --steer-from TEXT.")
    from playground.engine.inspect.steering_directions import text_direction

    layer = args.steer_layer if args.steer_layer is not None else default_layer(lm)
    return text_direction(lm, args.steer_to, args.steer_from, layer, args.steer_strength)


def default_layer(lm: LanguageModel) -> int:
    """A fifth of the way in (6 of SmolLM2-135M's 30): where a sentiment steers well."""
    return max(1, round(lm.arch.n_layer / 5))


def steering_json(steering: Steering | None) -> dict[str, Any] | None:
    if steering is None:
        return None
    return {
        "layer": steering.layer,
        "strength": steering.strength,
        "vector_norm": steering.direction.norm,
        "toward": steering.toward,
        "away": steering.away,
    }
