"""`playground predict` and `playground generate`: the model run on a prompt, with the
sampler's settings (and the parts knocked out) given as options."""

from __future__ import annotations

import argparse
import codecs
import json
import random
import sys
import time

from playground.commands import experiments as cli_experiments
from playground.commands.loading import load_model_for_command as _load
from playground.commands.steering_options import steering_json, steering_of
from playground.engine.errors import PlaygroundError


def add_model_and_sampler(p: argparse.ArgumentParser) -> None:
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


def sampler_settings(args: argparse.Namespace):  # -> SamplingSettings
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


def _load_prompt(args: argparse.Namespace):  # -> tuple[LanguageModel, list[int]]
    from playground.engine.text.tokens import clean_text

    lm = _load(args.model)
    ids = cli_experiments.prompt_ids(lm, args.text)
    args.text = clean_text(args.text)[0]  # echoed back: must be encodable
    return lm, ids


def predict(args: argparse.Namespace) -> int:
    from playground.engine.sampling.distribution import distribution

    settings = sampler_settings(args)  # a bad value is refused before the model loads
    lm, ids = _load_prompt(args)
    from playground.engine.runtime.interventions import Interventions

    interventions = Interventions.parse({"knocked_out": args.knock_out}, lm.arch, args.ablation)
    steering = steering_of(args, lm)
    interventions = interventions.with_steering(steering)
    knock_out = interventions.knock_out
    fw = lm.forward(ids, interventions=interventions)
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
            "steering": steering_json(steering),
        }
        print(json.dumps(result, ensure_ascii=False))
        return 0
    print(f"Model: {lm.info.title}    forward: {fw.seconds * 1000:.0f} ms")
    if not knock_out.empty:
        print(f"Knocked out: {knock_out.explain()}")
    if steering is not None:
        print(f"Steered: {steering.explain()} (|v| = {steering.direction.norm:.1f})")
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


def generate(args: argparse.Namespace) -> int:
    from playground.engine.sampling.distribution import Sampler
    from playground.engine.sampling.generation import Generation, generate_tokens

    settings = sampler_settings(args)  # a bad value is refused before the model loads
    lm, ids = _load_prompt(args)
    from playground.engine.runtime.interventions import NO_INTERVENTIONS

    steering = steering_of(args, lm)
    seed = args.seed if args.seed is not None else random.randrange(2**31)
    sampler = Sampler(seed)
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    generated = []
    generation = Generation(lm, settings, sampler)
    start = time.perf_counter()
    if steering is not None and not args.json:
        print(
            f"Steered: {steering.explain()} (|v| = {steering.direction.norm:.1f})", file=sys.stderr
        )
    if not args.json:
        sys.stdout.write(args.text)
        sys.stdout.flush()
    interventions = NO_INTERVENTIONS.with_steering(steering)
    for token in generate_tokens(
        lm,
        ids,
        args.max_tokens,
        settings,
        sampler,
        generation=generation,
        interventions=interventions,
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
                    "steering": steering_json(steering),
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
