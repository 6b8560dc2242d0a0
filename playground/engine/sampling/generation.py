"""The predict -> sample -> append loop, one token at a time with the key/value cache: one
loop for the command line and the window."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np

from playground.engine.runtime.forward import KVCache
from playground.engine.runtime.interventions import Interventions
from playground.engine.runtime.language_model import LanguageModel
from playground.engine.sampling.distribution import Candidate, Sampler, SamplingSettings
from playground.engine.sampling.next_choice import choose

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
    """Sample the next token from the last position's logits (V,) (next_choice.py: the
    whole vocabulary is ranked only when the draw or a filter needs it)."""
    choice = choose(logits, settings, sampler, N_ALTERNATIVES)
    return GeneratedToken(
        token_id=choice.token_id,
        prob=choice.prob,
        model_prob=choice.model_prob,
        rank=choice.rank,
        stop=choice.token_id in lm.info.special.stop_ids,
        alternatives=choice.alternatives,
        alternative_model_probs=choice.alternative_model_probs,
    )


class Generation:
    """The predict -> sample -> append loop, shared by `playground generate` and the window.

    `advance(token_id)` appends a chosen token to whatever the caller keeps (a bare cache
    for the command line, a whole Forward for the window) and returns the next logits
    (V,). After the loop, `reason` says why it ended: "limit", "end of text", "stopped"
    (`stop` was set) or "context full".
    """

    def __init__(
        self,
        lm: LanguageModel,
        settings: SamplingSettings,
        sampler: Sampler,
        stop: threading.Event | None = None,
    ) -> None:
        self.lm, self.settings, self.sampler, self.stop = lm, settings, sampler, stop
        self.reason = "limit"

    def tokens(
        self,
        logits: np.ndarray,
        length: int,
        advance: Callable[[int], np.ndarray],
        max_tokens: int,
    ) -> Iterator[GeneratedToken]:
        """Up to `max_tokens` tokens after a sequence of `length` tokens whose last logits
        are `logits` (V,); each is yielded once `advance` has appended it."""
        self.reason = "limit"
        for _ in range(max_tokens):
            if self.stop is not None and self.stop.is_set():
                self.reason = "stopped"
                return
            if length >= self.lm.context_length:
                self.reason = "context full"
                return
            token = choose_next(self.lm, logits, self.settings, self.sampler)
            logits = advance(token.token_id)
            length += 1
            yield token
            if token.stop:
                self.reason = "end of text"
                return


def generate_tokens(
    lm: LanguageModel,
    prompt_ids: Sequence[int],
    max_tokens: int,
    settings: SamplingSettings,
    sampler: Sampler,
    cache: KVCache | None = None,
    generation: Generation | None = None,
    interventions: Interventions | None = None,
) -> Iterator[GeneratedToken]:
    """Yield up to `max_tokens` new tokens after `prompt_ids`, which run after the tokens
    already in `cache` (none by default); each new token then costs one token's compute.
    Only logits are computed (no attention rows): what the command line needs. Pass a
    `generation` to learn why it ended (its `reason`). `interventions` (knock-outs,
    steering) act on the prompt and on every generated token."""
    if interventions is not None:  # a mean ablation's means: over the prompt
        interventions = interventions.over(list(prompt_ids))
    step = lm.step(cache or lm.empty_cache(), prompt_ids, None, False, interventions)

    def advance(token_id: int) -> np.ndarray:
        nonlocal step
        step = lm.step(step.cache, [token_id], None, False, interventions)
        return step.logits[-1]  # (V,)

    loop = generation or Generation(lm, settings, sampler)
    yield from loop.tokens(step.logits[-1], step.cache.length, advance, max_tokens)
