"""The benchmark's experiment figures: leave-one-out attribution at 20 and 200 tokens,
the logit split by component, and a prompt run again with heads knocked out."""

from __future__ import annotations

from functools import partial

import numpy as np

from playground.commands.bench.timing import median_seconds, token_ids
from playground.engine.errors import PlaygroundError
from playground.engine.inspect.direct_logit import logit_components
from playground.engine.inspect.leave_one_out import leave_one_out
from playground.engine.inspect.run import Run
from playground.engine.prompt.model_input import TEXT
from playground.engine.runtime.interventions import Interventions
from playground.engine.runtime.knock_out import KnockOut
from playground.engine.runtime.language_model import LanguageModel

LEAVE_ONE_OUT_RUNS = ((20, "token"), (200, "line"))  # a long prompt is left out by line
EXPERIMENT_TOKENS = 20  # the prompt the components and knock-out reruns are timed on
KNOCKED_OUT = "23.4,17.3,18.6"  # heads of the default model; layer 0's on another model


def bench_experiments(lm: LanguageModel) -> dict[str, float]:
    results: dict[str, float] = {}
    for n, unit in LEAVE_ONE_OUT_RUNS:  # each part left out in turn: one run each
        run = Run.of(lm, (TEXT, ""), token_ids(lm, n))
        results[f"leave_one_out_{n}_seconds"] = median_seconds(
            partial(leave_one_out, lm, run, run.ids[-1], unit=unit), 3, warmup=1
        )
    results.update(_components_and_knock_outs(lm, token_ids(lm, EXPERIMENT_TOKENS)))
    return results


def _components_and_knock_outs(lm: LanguageModel, ids: list[int]) -> dict[str, float]:
    """The logit split by component on an analysed prompt, and the prompt run again with
    heads knocked out: zero ablation, and mean ablation with its means computed afresh."""
    arch = lm.arch
    try:
        parts = KnockOut.parse(KNOCKED_OUT, arch)
    except PlaygroundError:
        parts = KnockOut.parse("0.0", arch)
    forward = lm.forward(ids)
    target = int(np.argmax(forward.logits[-1]))
    mean = Interventions(parts.with_ablation("mean"))
    run = Run.of(lm, (TEXT, ""), ids)

    def knocked_out_rerun() -> object:
        return lm.forward(ids, interventions=Interventions(parts))

    def mean_rerun() -> object:
        lm.forget_mean_outputs()  # as for a prompt seen for the first time
        return lm.forward(ids, interventions=mean)

    return {
        "components_seconds": median_seconds(
            partial(logit_components, lm, run, forward, target), 5, warmup=1
        ),
        "knock_out_rerun_seconds": median_seconds(
            partial(lm.forward, ids, interventions=Interventions(parts)), 5
        ),
        "mean_ablation_rerun_seconds": median_seconds(mean_rerun, 5),
    }
