"""The parts of the network switched off for every run the window makes (heads, a layer's
attention, MLPs) and what a knocked-out head writes (zero or its mean output): a small
evented state; a change is analysed again at once."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Literal

from PySide6.QtCore import QObject, Signal

from playground.engine.model.architecture import Architecture
from playground.engine.runtime.knock_out import NOTHING_KNOCKED_OUT, KnockOut


class KnockOuts(QObject):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.knock_out = NOTHING_KNOCKED_OUT

    def set(self, knock_out: KnockOut) -> None:
        if knock_out != self.knock_out:
            self.knock_out = knock_out
            self.changed.emit()

    def toggle_head(self, layer: int, head: int) -> None:
        heads = set(self.knock_out.heads) ^ {(layer, head)}
        self.set(replace(self.knock_out, heads=frozenset(heads)))

    def set_ablation(self, ablation: Literal["zero", "mean"]) -> None:
        self.set(self.knock_out.with_ablation(ablation))

    def clear(self) -> None:
        """Everything switched back on (the ablation chosen stays)."""
        self.set(KnockOut(ablation=self.knock_out.ablation))

    def to_dict(self) -> dict[str, Any]:
        return knock_out_dict(self.knock_out)

    @staticmethod
    def checked(data: dict[str, Any], arch: Architecture | None) -> KnockOut:
        """`to_dict`'s form read back (PlaygroundError names a part the model lacks or an
        unknown ablation)."""
        text, ablation = str(data.get("knocked_out", "")), data.get("ablation", "zero")
        if arch is None:
            return NOTHING_KNOCKED_OUT
        return KnockOut.parse(text, arch, ablation)


def knock_out_dict(knock_out: KnockOut) -> dict[str, Any]:
    """A knock-out as session files keep it (the window's, and a pinned run's)."""
    return {"knocked_out": knock_out.describe(), "ablation": knock_out.ablation}
