"""What is done to the network in every run the window makes (heads, a layer's attention
or MLPs knocked out, and what a knocked-out head writes; a steering; activation patches):
one Interventions value, evented; a change is analysed again at once. The knock-out bar,
the attention overview, the Causal lab and the lessons change it through these methods."""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from PySide6.QtCore import QObject, Signal

from playground.engine.runtime.interventions import NO_INTERVENTIONS, Interventions
from playground.engine.runtime.knock_out import KnockOut


class InterventionsState(QObject):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.value = NO_INTERVENTIONS

    @property
    def knock_out(self) -> KnockOut:
        return self.value.knock_out

    def set(self, interventions: Interventions) -> None:
        if interventions != self.value:
            self.value = interventions
            self.changed.emit()

    def set_knocked_out(self, parts: KnockOut) -> None:
        """Switch off exactly these parts (heads, MLPs), keeping the ablation chosen."""
        knock_out = replace(parts, ablation=self.knock_out.ablation, mean_over=())
        self.set(self.value.with_knock_out(knock_out))

    def toggle_head(self, layer: int, head: int) -> None:
        heads = set(self.knock_out.heads) ^ {(layer, head)}
        self.set_knocked_out(replace(self.knock_out, heads=frozenset(heads)))

    def set_ablation(self, ablation: Literal["zero", "mean"]) -> None:
        self.set(self.value.with_ablation(ablation))

    def clear(self) -> None:
        """Every part switched back on (the ablation chosen stays; steering and patches,
        which have their own controls, too)."""
        self.set_knocked_out(KnockOut())

    def reset(self) -> None:
        """Nothing done to the network (a new model: the parts, directions and patches
        belonged to the old one); the ablation chosen stays."""
        self.set(Interventions(KnockOut(ablation=self.knock_out.ablation)))
