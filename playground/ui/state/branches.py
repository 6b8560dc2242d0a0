"""Generation branches: every continuation the learner has generated, kept side by side."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from PySide6.QtCore import QCoreApplication

from playground.engine.sampling.distribution import Candidate, Sampler
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

    @classmethod
    def starting(cls, mode: str, prompt: str, ids: tuple[int, ...], seed: int) -> Branch:
        """A new branch continuing `prompt` (read as `ids`), with its own sampler."""
        return cls(mode, prompt, ids, [], seed, None, Sampler(seed))

    @property
    def ids(self) -> tuple[int, ...]:
        return self.base_ids + tuple(t.token_id for t in self.tokens)

    def describe(self, index: int) -> str:
        origin = (
            QCoreApplication.translate("Branch", "from branch {branch} at token {token}").format(
                branch=self.parent[0] + 1, token=self.parent[1] + 1
            )
            if self.parent is not None
            else QCoreApplication.translate("Branch", "from the prompt")
        )
        return QCoreApplication.translate(
            "Branch", "Branch {index}: {tokens} tokens, {origin}, seed {seed}"
        ).format(index=index + 1, tokens=len(self.tokens), origin=origin, seed=self.seed)

    def split_at(
        self, origin: tuple[int, int], token_id: int, stop_ids: tuple[int, ...], seed: int
    ) -> Branch:
        """A new branch: this one's tokens up to `origin`'s position, then the candidate
        `token_id` that was offered there instead of the one drawn."""
        position = origin[1]
        chosen = self.tokens[position]
        k = next(i for i, c in enumerate(chosen.alternatives) if c.token_id == token_id)
        candidate = chosen.alternatives[k]
        token = GeneratedToken(
            token_id,
            candidate.prob,
            chosen.alternative_model_probs[k],
            candidate.rank,
            token_id in stop_ids,
            chosen.alternatives,
            chosen.alternative_model_probs,
        )
        return Branch(
            self.mode,
            self.base_prompt,
            self.base_ids,
            [*self.tokens[:position], token],
            seed,
            origin,
            Sampler(seed),
        )

    def to_dict(self) -> dict[str, Any]:
        """The branch as JSON data, with its sampler's exact random state (continuing it
        later draws the same tokens)."""
        return {
            "mode": self.mode,
            "base_prompt": self.base_prompt,
            "base_ids": list(self.base_ids),
            "seed": self.seed,
            "parent": list(self.parent) if self.parent else None,
            "sampler_state": self.sampler.state,
            "tokens": [
                {
                    "id": t.token_id,
                    "prob": t.prob,
                    "model_prob": t.model_prob,
                    "rank": t.rank,
                    "stop": t.stop,
                    "alternatives": [asdict(c) for c in t.alternatives],
                    "alternative_model_probs": list(t.alternative_model_probs),
                }
                for t in self.tokens
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Branch:
        """A branch from `to_dict`'s form (KeyError, TypeError or ValueError if damaged)."""
        sampler = Sampler(int(data["seed"]))
        sampler.state = data["sampler_state"]
        tokens = [
            GeneratedToken(
                int(t["id"]),
                float(t["prob"]),
                float(t["model_prob"]),
                int(t["rank"]),
                bool(t["stop"]),
                tuple(Candidate(**c) for c in t["alternatives"]),
                tuple(float(p) for p in t["alternative_model_probs"]),
            )
            for t in data["tokens"]
        ]
        parent = data.get("parent")
        return cls(
            str(data["mode"]),
            str(data["base_prompt"]),
            tuple(int(i) for i in data["base_ids"]),
            tokens,
            int(data["seed"]),
            (int(parent[0]), int(parent[1])) if parent else None,
            sampler,
        )
