"""Generation branches: every continuation the learner has generated, kept side by side."""

from __future__ import annotations

from dataclasses import dataclass, field

from playground.engine.sampling.distribution import Sampler
from playground.engine.sampling.generation import GeneratedToken


@dataclass
class Branch:
    mode: str  # TEXT or CHAT, as the base was analysed
    base_prompt: str  # the prompt (or chat message) the branch continues
    base_ids: tuple[int, ...]  # what the model read before the first generated token
    tokens: list[GeneratedToken]
    seed: int
    parent: tuple[int, int] | None = None  # (branch index, token position) it split from
    sampler: Sampler = field(default_factory=Sampler, repr=False)

    @property
    def ids(self) -> tuple[int, ...]:
        return self.base_ids + tuple(t.token_id for t in self.tokens)

    def describe(self, index: int) -> str:
        origin = (
            f"from branch {self.parent[0] + 1} at token {self.parent[1] + 1}"
            if self.parent is not None
            else "from the prompt"
        )
        return f"Branch {index + 1}: {len(self.tokens)} tokens, {origin}, seed {self.seed}"
