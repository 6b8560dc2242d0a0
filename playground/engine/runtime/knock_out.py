"""Parts of the network switched off for a run: heads (their weighted sum of values is
zero, before the output projection), a layer's whole attention, or a layer's MLP. The
analysis graph takes them as its head_mask (L, H) and mlp_mask (L,) inputs.

Mean ablation keeps a knocked-out head writing its mean output over the prompt instead
of zero (the graph's head_fill input): the head stops telling tokens apart but still adds
the constant it always adds, so what breaks is what it does per token."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

import numpy as np

from playground.engine.errors import PlaygroundError
from playground.engine.model.architecture import Architecture


@dataclass(frozen=True)
class KnockOut:
    heads: frozenset[tuple[int, int]] = frozenset()  # (layer, head)
    mlps: frozenset[int] = frozenset()  # layers whose MLP writes nothing
    ablation: Literal["zero", "mean"] = "zero"  # what a knocked-out head writes
    mean_over: tuple[int, ...] = ()  # mean ablation: the prompt the means are taken over

    @property
    def empty(self) -> bool:
        return not self.heads and not self.mlps

    @property
    def needs_means(self) -> bool:
        return self.ablation == "mean" and bool(self.heads)

    def over(self, ids: tuple[int, ...] | list[int]) -> KnockOut:
        """The same knock-out with its means taken over `ids` (a prompt), if it has any."""
        return replace(self, mean_over=tuple(map(int, ids))) if self.needs_means else self

    def with_ablation(self, ablation: Literal["zero", "mean"]) -> KnockOut:
        return replace(self, ablation=ablation, mean_over=())

    def masks(self, arch: Architecture) -> tuple[np.ndarray, np.ndarray]:
        """(head_mask (L, H), mlp_mask (L,)) float32: 1 = intact, 0 = knocked out."""
        heads = np.ones((arch.n_layer, arch.n_head), np.float32)
        for layer, head in self.heads:
            heads[layer, head] = 0.0
        mlps = np.ones(arch.n_layer, np.float32)
        mlps[list(self.mlps)] = 0.0
        return heads, mlps

    def describe(self) -> str:
        """The parts in `parse`'s form ("13.8,20.mlp"); the ablation is not part of it."""
        parts = [f"{layer}.{head}" for layer, head in sorted(self.heads)]
        parts += [f"{layer}.mlp" for layer in sorted(self.mlps)]
        return ",".join(parts)

    def explain(self) -> str:
        """For a person: what is off, and what a knocked-out head writes."""
        if self.empty:
            return "nothing"
        if not self.heads:
            return self.describe()
        writes = "its mean output over the prompt" if self.ablation == "mean" else "zero"
        return f"{self.describe()} (a knocked-out head writes {writes})"

    @classmethod
    def parse(
        cls, text: str, arch: Architecture, ablation: Literal["zero", "mean"] = "zero"
    ) -> KnockOut:
        """ "13.8,13.7,5.attn,20.mlp": head 8 of layer 13, ..., layer 5's attention (all its
        heads), layer 20's MLP. PlaygroundError names a part the model does not have."""
        if ablation not in ("zero", "mean"):
            raise PlaygroundError(f"Ablation is 'zero' or 'mean', not {ablation!r}.")
        heads: set[tuple[int, int]] = set()
        mlps: set[int] = set()
        for part in (p.strip() for p in text.split(",") if p.strip()):
            layer_text, _, what = part.partition(".")
            try:
                layer = int(layer_text)
                if not 0 <= layer < arch.n_layer:
                    raise ValueError
                if what == "mlp":
                    mlps.add(layer)
                elif what == "attn":
                    heads.update((layer, h) for h in range(arch.n_head))
                else:
                    head = int(what)
                    if not 0 <= head < arch.n_head:
                        raise ValueError
                    heads.add((layer, head))
            except ValueError:
                raise PlaygroundError(
                    f"Cannot knock out {part!r}: write LAYER.HEAD, LAYER.attn or LAYER.mlp "
                    f"with layers 0-{arch.n_layer - 1} and heads 0-{arch.n_head - 1}."
                ) from None
        return cls(frozenset(heads), frozenset(mlps), ablation)


NOTHING_KNOCKED_OUT = KnockOut()
