"""The causal lab's jobs: activation patching (reporting each cell), a steering
direction and the layer sweep, a prompt continued with and without steering, and the
information routes of the run on screen."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from playground.engine.inspect.run import Run
from playground.engine.runtime.interventions import Interventions
from playground.engine.sampling.distribution import SamplingSettings
from playground.ui.worker.jobs import (
    DIRECTION,
    PATCHING,
    ROUTES,
    STEERED_PAIR,
    STEERING_SWEEP,
    Job,
    JobContext,
)


def patching_job(
    clean: Run, corrupted: Run, site: str, target: int | None, contrast: int | None
) -> Job:
    """Every cell of `site` patched from `clean` into `corrupted` (progress: (done, all))."""

    def work(context: JobContext) -> Any:
        from playground.engine.inspect.patching import activation_patching

        return activation_patching(
            context.require_model(),
            clean,
            corrupted,
            site,  # type: ignore[arg-type]
            target,
            contrast,
            progress=lambda done, total: _report(context, done, total),
            run_options=context.run_options,
        )

    return Job(PATCHING, work, (clean, corrupted, site, target, contrast))


def direction_job(toward: str, away: str, layer: int, strength: float) -> Job:
    """The direction `toward` - `away` at hidden index `layer` (a Direction)."""

    def work(context: JobContext) -> Any:
        from playground.engine.inspect.steering_directions import read_direction

        lm = context.require_model()
        return read_direction(lm, toward, away, layer, strength, context.run_options)

    return Job(DIRECTION, work, (toward, away, layer))


def sweep_job(run: Run, toward: str, away: str, strength: float) -> Job:
    """Steering `run` at each layer in turn (a LayerSweep; progress: (done, all))."""

    def work(context: JobContext) -> Any:
        from playground.engine.inspect.steering_directions import layer_sweep

        return layer_sweep(
            context.require_model(),
            run,
            toward,
            away,
            strength,
            progress=lambda done, total: _report(context, done, total),
            run_options=context.run_options,
        )

    return Job(STEERING_SWEEP, work, (run, toward, away, strength))


def steered_pair_job(
    ids: Sequence[int],
    interventions: Interventions,
    seed: int,
    max_tokens: int,
    settings: SamplingSettings,
) -> Job:
    """(unsteered text, steered text) after `ids`, the same seed and sampler."""

    def work(context: JobContext) -> tuple[str, str]:
        from playground.engine.inspect.steering_directions import continue_steered

        lm = context.require_model()
        return continue_steered(lm, ids, interventions, seed, max_tokens, settings)

    return Job(STEERED_PAIR, work, (tuple(ids), interventions, seed, max_tokens, settings))


def routes_job(run: Run) -> Job:
    """The shares of every route of `run` (a Routes: its edges at any threshold)."""

    def work(context: JobContext) -> Any:
        from playground.engine.inspect.routes import information_routes

        return information_routes(
            context.require_model(), run, None, 0.04, run_options=context.run_options
        )

    return Job(ROUTES, work, run)


def _report(context: JobContext, done: int, total: int) -> None:
    context.check()  # replaced or cancelled: stop between runs
    context.report((done, total))
