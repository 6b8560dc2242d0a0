"""The base and its variant continuing the same prompt with the same seed, side by side:
the quickest way to see what fine-tuning did to the model's behaviour."""

from __future__ import annotations

from pathlib import Path

from playground.engine.prompt.model_input import Source, model_input
from playground.engine.runtime.language_model import LanguageModel
from playground.engine.sampling.distribution import Sampler, SamplingSettings
from playground.engine.sampling.generation import generate_tokens

SIDE_BY_SIDE_TOKENS = 30
SIDE_BY_SIDE_SAMPLER = SamplingSettings(temperature=0.7)


def continue_both(
    base: LanguageModel,
    variant: LanguageModel,
    source: Source,
    seed: int,
    max_tokens: int = SIDE_BY_SIDE_TOKENS,
    settings: SamplingSettings = SIDE_BY_SIDE_SAMPLER,
) -> tuple[str, str]:
    """What each model writes after `source` (a prompt, or a chat message in the
    template), sampled with the same settings and seed."""
    texts = []
    for lm in (base, variant):
        ids = model_input(lm, source).ids
        tokens = generate_tokens(lm, ids, max_tokens, settings, Sampler(seed))
        texts.append(lm.decode([t.token_id for t in tokens if not t.stop]))
    return texts[0], texts[1]


def open_beside(folder: Path, threads: int) -> LanguageModel:
    """Another model (a base, or its variant) opened beside the one in use."""
    return LanguageModel(folder, threads)
