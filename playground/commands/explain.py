"""`playground explain`: every number inside one layer for one token, or the receipt of
one next-token probability, as a table or one JSON object."""

from __future__ import annotations

import argparse
import json
from functools import partial
from typing import Any

import numpy as np

from playground.commands.experiments import Loader, prompt_ids, prompt_run, token_of


def add_explain_parser(sub: Any, load: Loader, add_sampler: Any, settings: Any) -> None:
    """`explain`'s arguments; `add_sampler` adds --model and the sampler's options, which
    `settings` reads back."""
    p = sub.add_parser("explain", help="every number inside a layer, or a probability's receipt")
    p.add_argument("text")
    p.add_argument("--layer", type=int, default=None, help="the block to follow the token through")
    p.add_argument(
        "--position", type=int, default=None, help="the token followed (default: the last)"
    )
    p.add_argument(
        "--receipt",
        default=None,
        metavar="TOKEN",
        help="how the next-token probability of TOKEN (e.g. ' Paris') is computed",
    )
    add_sampler(p)
    p.set_defaults(handler=partial(explain, load=load, settings_of=settings))


def explain(args: argparse.Namespace, load: Loader, settings_of: Any) -> int:
    from playground.engine.errors import PlaygroundError

    if (args.layer is None) == (args.receipt is None):
        raise PlaygroundError("Give --layer L (inside a layer) or --receipt TOKEN, not both.")
    settings = settings_of(args)  # a bad value is refused before the model loads
    lm = load(args.model)
    run = prompt_run(lm, args.text, prompt_ids(lm, args.text)).sampled_with(settings)
    if args.receipt is not None:
        return _receipt(args, lm, run, token_of(lm, args.receipt, "receipt token"))
    return _layer(args, lm, run)


def _layer(args: argparse.Namespace, lm: Any, run: Any) -> int:
    from playground.engine.inspect.layer_trace import trace_layer

    t = trace_layer(lm, run, args.layer, args.position)
    ids = run.ids
    text = lambda token: lm.piece(token).display  # noqa: E731
    if args.json:
        fields = ("residual_in", "attn_norm", "q", "k", "v", "probs")
        fields += ("head_outputs", "attn_out", "residual_mid", "mlp_norm", "gate", "up")
        fields += ("act", "mlp_out", "residual_out")
        result: dict[str, Any] = {
            "model": lm.name,
            "layer": t.layer,
            "position": t.position,
            "token": text(ids[t.position]),
            "attn_rms": t.attn_rms,
            "mlp_rms": t.mlp_rms,
            **{name: np.asarray(getattr(t, name)).tolist() for name in fields},
            # keys before a sliding layer's window are masked out: null, not -Infinity
            "scores": [[float(v) if np.isfinite(v) else None for v in row] for row in t.scores],
            "window": lm.arch.window_of(t.layer) or None,
            "q_before_rotary": t.q_raw.tolist(),
            "k_before_rotary": t.k_raw.tolist(),
            "top_neurons": [
                {
                    "index": n.index,
                    "activation": n.activation,
                    "promotes": [text(i) for i in n.promotes],
                }
                for n in t.top_neurons
            ],
        }
        print(json.dumps(result, ensure_ascii=False))
        return 0
    norm = lambda v: float(np.linalg.norm(v))  # noqa: E731
    P = t.position
    print(f"Layer {t.layer}, token #{P} {text(ids[P])!r} ({lm.info.title})")
    print(f"  residual stream in        length {norm(t.residual_in):8.2f}")
    print(f"  RMSNorm                   divides by {t.attn_rms:.4f}, times the learned gain")
    for head in range(len(t.q)):
        weights = t.probs[head]
        best = int(np.argmax(weights))
        print(
            f"  head {head}: q . k / sqrt(d) max {t.scores[head].max():7.2f} -> softmax: "
            f"{weights[best]:6.1%} on #{best} {text(ids[best])!r}"
        )
    print(f"  attention output          length {norm(t.attn_out):8.2f} (added to the stream)")
    print(f"  stream after attention    length {norm(t.residual_mid):8.2f}")
    print(f"  MLP RMSNorm               divides by {t.mlp_rms:.4f}")
    for n in t.top_neurons:
        promoted = ", ".join(repr(text(i)) for i in n.promotes)
        gate = f"{lm.arch.gate_name}(gate) x up"
        print(f"  neuron {n.index:5d}  {gate} = {n.activation:+8.3f}  promotes {promoted}")
    print(f"  MLP output                length {norm(t.mlp_out):8.2f} (added to the stream)")
    print(f"  residual stream out       length {norm(t.residual_out):8.2f}")
    return 0


def _receipt(args: argparse.Namespace, lm: Any, run: Any, token: int) -> int:
    from playground.engine.inspect.receipt import receipt

    r = receipt(lm, run, token)
    if args.json:
        result = {
            "model": lm.name,
            "token": lm.piece(token).display,
            "id": token,
            "final_hidden": r.final_hidden.tolist(),
            "final_norm": r.final_norm.tolist(),
            "rms": r.rms,
            "logit": r.logit,
            "model_logit": r.model_logit,
            "max_logit": r.max_logit,
            "temperature": r.temperature,
            "log_sum_exp": r.log_sum_exp,
            "tempered_prob": r.tempered_prob,
            "kept": r.kept,
            "kept_mass": r.kept_mass,
            "prob": r.prob,
        }
        print(json.dumps(result, ensure_ascii=False))
        return 0
    for line in r.lines(lm.piece(token).display):
        print(line)
    return 0
