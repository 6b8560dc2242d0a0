"""Timing helpers of the benchmark: the median of repeated runs, and a prompt of n tokens
(the same English text on every model)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from playground.engine.runtime.language_model import LanguageModel

ANALYSIS_LENGTHS = (8, 32, 128, 512)  # prompt lengths of the analysis forward
DECODE_PROMPT, DECODE_NEW = 16, 64  # decoding: a 16-token prompt, then 64 tokens

TEXT = (
    "In the beginning the universe was created. This has made a lot of people very angry "
    "and been widely regarded as a bad move. Many were increasingly of the opinion that "
    "they'd all made a big mistake in coming down from the trees in the first place. "
)


def median_seconds(action: Callable[[], object], repeats: int, warmup: int = 1) -> float:
    for _ in range(warmup):
        action()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def token_ids(lm: LanguageModel, n: int) -> list[int]:
    ids: list[int] = []
    while len(ids) < n:
        ids += lm.encode(TEXT)
    return ids[:n]
