"""Activation patching's one change to a run: one activation of this prompt's run set to
the value it had in another prompt's run (the clean one), at one site of one block.

A patch holds the change (clean value minus this run's value), which the graph adds
(graph.py's stream_add, attn_add, mlp_add, head_fill): on the prompt it was measured
for, the patched activation then holds the clean value (to float rounding)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from playground.engine.runtime.frozen_array import FrozenArray

Site = Literal["resid", "attn", "mlp", "head"]
SITES: tuple[Site, ...] = ("resid", "attn", "mlp", "head")
SITE_NAMES = {
    "resid": "the stream entering block",
    "attn": "the attention output of block",
    "mlp": "the MLP output of block",
    "head": "head",
}


@dataclass(frozen=True)
class Patch:
    site: Site
    layer: int  # block l (resid: the stream entering it, hidden state l)
    position: int  # the token patched; -1 for a head: every position
    change: FrozenArray  # (D,) at one position; (T, hd) for a head, every position's
    source: str  # the prompt the value came from (for a person)
    head: int = -1  # the head, for site "head"

    def explain(self) -> str:
        where = f"{self.layer}.{self.head}" if self.site == "head" else str(self.layer)
        at = "" if self.site == "head" else f" at token {self.position}"
        return f"{SITE_NAMES[self.site]} {where}{at} taken from {self.source!r}"
