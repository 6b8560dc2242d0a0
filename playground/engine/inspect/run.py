"""A run as a value: everything that determines what the model computes and what is
drawn from it. Every result (an Analysis and whatever is derived from it: the logit
lens, attribution, a layer's trace, a receipt, a retrieval answer) carries the Run it was
computed from, so "is this result still the one on screen?" is one comparison, and
pinning a run to compare against is keeping its Run with its results.

    model          which weights: the bundle's name and its source's sha256, and the
                   variant (a fine-tuned copy; "" for the model itself)
    source         what the user asked for: (TEXT, prompt) or (CHAT, message)
    ids            the tokens the model read (after the chat template and the length cut)
    interventions  what was done to the network (knock-outs; patches and steering later)
    sampler        how the next token is drawn; None for what the model computes alone
                   (the sampler only reshapes the last logits)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from playground.engine.prompt.model_input import Source
from playground.engine.runtime.interventions import NO_INTERVENTIONS, Interventions
from playground.engine.runtime.language_model import LanguageModel
from playground.engine.sampling.distribution import SamplingSettings


@dataclass(frozen=True)
class ModelId:
    name: str
    sha256: str
    variant: str = ""

    @classmethod
    def of(cls, lm: LanguageModel) -> ModelId:
        info = lm.info
        if info.variant_base is not None:  # a fine-tuned variant of that model
            return cls(info.variant_base, info.source_sha256, info.name)
        return cls(info.name, info.source_sha256)


@dataclass(frozen=True)
class Run:
    model: ModelId
    source: Source
    ids: tuple[int, ...]
    interventions: Interventions = NO_INTERVENTIONS
    sampler: SamplingSettings | None = None

    @classmethod
    def of(
        cls,
        lm: LanguageModel,
        source: Source,
        ids: Sequence[int],
        interventions: Interventions | None = None,
        sampler: SamplingSettings | None = None,
    ) -> Run:
        ids = tuple(int(i) for i in ids)
        return cls(ModelId.of(lm), source, ids, interventions or NO_INTERVENTIONS, sampler)

    @property
    def model_run(self) -> Run:
        """The part the model computes (no sampler): what an analysis and everything
        read from its internals depend on."""
        return self if self.sampler is None else replace(self, sampler=None)

    def sampled_with(self, sampler: SamplingSettings | None) -> Run:
        return replace(self, sampler=sampler)

    def with_ids(self, ids: Sequence[int]) -> Run:
        """The same run over other tokens (a part of the prompt left out, a longer text)."""
        return replace(self, ids=tuple(int(i) for i in ids))
