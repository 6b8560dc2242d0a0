"""The benchmark's fine-tuning figures: seconds per training step (LoRA on every matrix
of every layer, the default settings) for a batch of examples 64 and 128 tokens long,
and the peak memory of the whole training process (model, weights, compiled step)."""

from __future__ import annotations

import itertools
import os
import resource
import statistics
import tempfile
from typing import Any

from playground.commands.bench.timing import token_ids

FINETUNE_LENGTHS = (64, 128)
FINETUNE_EXAMPLES = 4  # examples per step, every token after the first trained
FINETUNE_STEPS = 6  # the first compiles; the others are timed

FINETUNE = """
import json
from playground.commands.bench.finetune import measure_training
print(json.dumps(measure_training({source!r}, {n})))
"""


def measure_training(source: str | None, n: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="bench-compiled-") as empty:
        # an empty compilation cache (read when JAX is imported): the first step compiles,
        # as a model's first training does, not read from the store's cache
        os.environ["JAX_COMPILATION_CACHE_DIR"] = empty
        return _measure_training(source, n)


def _measure_training(source: str | None, n: int) -> dict[str, Any]:
    from playground.engine.finetune.examples import Example, TrainingData
    from playground.engine.finetune.lora_settings import LoraSettings
    from playground.engine.finetune.trainer import train
    from playground.engine.runtime.loader import load_model

    lm = load_model(source)
    ids = tuple(token_ids(lm, n))
    example = Example(ids, (False,) + (True,) * (len(ids) - 1), "")
    data = TrainingData((example,) * FINETUNE_EXAMPLES, (), "")
    reports: list[Any] = []
    result = train(lm, data, LoraSettings(steps=FINETUNE_STEPS), report=reports.append)
    times = [b.seconds - a.seconds for a, b in itertools.pairwise(reports)]
    return {
        f"finetune_{n}_seconds_per_step": statistics.median(times[1:] or times),
        f"finetune_{n}_first_step_seconds": reports[0].seconds,
        f"finetune_{n}_peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "finetune_trainable_parameters": result.trainable_parameters,
    }


def finetune_lines(results: dict[str, Any]) -> list[str]:
    lines = []
    for n in FINETUNE_LENGTHS:
        if f"finetune_{n}_seconds_per_step" not in results:
            continue
        per_step = results[f"finetune_{n}_seconds_per_step"]
        lines.append(
            f"{f'fine-tune step, {FINETUNE_EXAMPLES} x {n} tokens':<34}{per_step:>12.2f} s"
            f"   peak memory {results[f'finetune_{n}_peak_rss_mb']:.0f} MB"
            f" (first step {results[f'finetune_{n}_first_step_seconds']:.1f} s: load + compile)"
        )
    return lines
