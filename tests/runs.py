"""A Run for the engine's inspections in tests: a prompt's tokens read as plain text, with
what is knocked out and the sampler, as the window and the commands make one."""

from __future__ import annotations

from collections.abc import Sequence

from playground.engine.inspect.run import Run
from playground.engine.prompt.model_input import TEXT
from playground.engine.runtime.interventions import Interventions
from playground.engine.runtime.knock_out import KnockOut
from playground.engine.sampling.distribution import SamplingSettings


def run_of(
    lm,
    ids: Sequence[int],
    knock_out: KnockOut | None = None,
    sampler: SamplingSettings | None = None,
) -> Run:
    interventions = Interventions(knock_out) if knock_out is not None else None
    return Run.of(lm, (TEXT, lm.decode(ids)), ids, interventions, sampler)
