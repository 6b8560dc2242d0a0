"""The predict -> sample -> append loop, one token at a time with the key/value cache."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from playground.engine.runtime.forward import KVCache
from playground.engine.runtime.language_model import LanguageModel
from playground.engine.sampling.distribution import (
    Candidate,
    Sampler,
    SamplingSettings,
    distribution,
)

N_ALTERNATIVES = 8


@dataclass(frozen=True)
class GeneratedToken:
    token_id: int
    prob: float  # its probability under the sampler's final distribution when chosen
    model_prob: float  # its probability in the model's own distribution (temperature 1)
    rank: int  # its rank in the model's full distribution (0 = most likely)
    stop: bool  # an end-of-text token: generation ends here
    alternatives: tuple[Candidate, ...]  # the most likely candidates at that moment
    alternative_model_probs: tuple[float, ...]  # their model probabilities (temperature 1)


def choose_next(
    lm: LanguageModel, logits: np.ndarray, settings: SamplingSettings, sampler: Sampler
) -> GeneratedToken:
    """Sample the next token from the last position's logits (V,)."""
    dist = distribution(logits, settings)
    token = sampler.choose(dist)
    rank = int((dist.ranked.order == token).nonzero()[0][0])
    z = dist.ranked.sorted_logits  # (V,) descending
    model_probs = np.exp(z[: max(rank + 1, N_ALTERNATIVES)] - z[0]) / np.exp(z - z[0]).sum()
    return GeneratedToken(
        token_id=token,
        prob=float(dist.final_sorted[rank]),
        model_prob=float(model_probs[rank]),
        rank=rank,
        stop=token in lm.info.special.stop_ids,
        alternatives=tuple(dist.top(N_ALTERNATIVES)),
        alternative_model_probs=tuple(float(p) for p in model_probs[:N_ALTERNATIVES]),
    )


def generate_tokens(
    lm: LanguageModel,
    prompt_ids: Sequence[int],
    max_tokens: int,
    settings: SamplingSettings,
    sampler: Sampler,
    cache: KVCache | None = None,
) -> Iterator[GeneratedToken]:
    """Yield up to `max_tokens` new tokens, stopping after an end-of-text token.

    `prompt_ids` run after the tokens already in `cache` (none by default); each new
    token then costs one token's compute.
    """
    step = lm.step(cache or lm.empty_cache(), prompt_ids, detailed=False)  # logits only
    for _ in range(max_tokens):
        token = choose_next(lm, step.logits[-1], settings, sampler)
        yield token
        if token.stop:
            return
        step = lm.step(step.cache, [token.token_id])
