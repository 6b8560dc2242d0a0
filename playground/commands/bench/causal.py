"""The benchmark's causal lab figures: a full activation-patching heatmap of the stream at
12 tokens (the prompts differing at their second token: every later cell needs a run),
a move of the steering slider (the prompt analysed again, steered, as the window does),
and the information routes of a 50-token prompt."""

from __future__ import annotations

from functools import partial

from playground.commands.bench.timing import median_seconds, token_ids
from playground.engine.inspect.analysis import analysis_of
from playground.engine.inspect.patching import activation_patching
from playground.engine.inspect.routes import information_routes
from playground.engine.inspect.run import Run
from playground.engine.inspect.steering_directions import text_direction
from playground.engine.prompt.model_input import TEXT
from playground.engine.runtime.interventions import NO_INTERVENTIONS
from playground.engine.runtime.language_model import LanguageModel

PATCHING_TOKENS = 12
STEERING_TOKENS = 20
ROUTES_TOKENS = 50


def bench_causal(lm: LanguageModel) -> dict[str, float]:
    clean = token_ids(lm, PATCHING_TOKENS)
    corrupted = list(clean)
    corrupted[1] = (clean[1] + 1) % lm.vocab_size  # the earliest difference: the most runs
    runs = Run.of(lm, (TEXT, ""), clean), Run.of(lm, (TEXT, ""), corrupted)
    patching = activation_patching(lm, *runs, "resid")  # (its own warm-up)
    results = {
        "patching_12_seconds": median_seconds(
            partial(activation_patching, lm, *runs, "resid"), 2, warmup=0
        ),
        "patching_12_runs": float(patching.runs),
    }
    ids = token_ids(lm, STEERING_TOKENS)
    layer = max(1, round(lm.arch.n_layer / 5))
    steering = text_direction(lm, "I love you", "I hate you", layer, 2.0)
    strengths = iter(x / 10 for x in range(10_000))  # each move a new strength

    def slider_move() -> object:  # what the window does: the prompt analysed again
        interventions = NO_INTERVENTIONS.with_steering(steering.with_strength(next(strengths)))
        run = Run.of(lm, (TEXT, ""), ids, interventions)
        return analysis_of(lm, run, lm.forward(ids, interventions=interventions))

    results["steering_move_seconds"] = median_seconds(slider_move, 7)
    routes_run = Run.of(lm, (TEXT, ""), token_ids(lm, ROUTES_TOKENS))
    results["routes_50_seconds"] = median_seconds(partial(information_routes, lm, routes_run), 5)
    return results


def causal_lines(ours: dict[str, float]) -> list[str]:
    if "patching_12_seconds" not in ours:
        return []
    runs = int(ours["patching_12_runs"])
    return [
        f"{f'patching heatmap, {PATCHING_TOKENS} tokens':<34}"
        f"{ours['patching_12_seconds']:>12.2f} s   ({runs} patched runs)",
        f"{f'steering slider move, {STEERING_TOKENS} tokens':<34}"
        f"{ours['steering_move_seconds'] * 1000:>11.0f} ms   (a rerun of the analysis)",
        f"{f'routes, {ROUTES_TOKENS} tokens':<34}{ours['routes_50_seconds'] * 1000:>11.0f} ms",
    ]
