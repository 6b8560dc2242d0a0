"""The predict -> sample -> append loop, one token at a time with the key/value cache."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from playground.engine.forward import KVCache
from playground.engine.model import LanguageModel
from playground.engine.sampling import Sampler, SamplingSettings, distribution


@dataclass(frozen=True)
class GeneratedToken:
    token_id: int
    prob: float  # its probability under the sampler's final distribution
    rank: int  # its rank in the model's full distribution (0 = most likely)
    stop: bool  # an end-of-text token: generation ends here


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
    stop_ids = set(lm.info.special.stop_ids)
    step = lm.step(cache or lm.empty_cache(), prompt_ids)
    for _ in range(max_tokens):
        dist = distribution(step.logits[-1], settings)
        token = sampler.choose(dist)
        rank = int((dist.ranked.order == token).nonzero()[0][0])
        prob = float(dist.final_sorted[rank])
        is_stop = token in stop_ids
        yield GeneratedToken(token, prob, rank, is_stop)
        if is_stop:
            return
        step = lm.step(step.cache, [token])
