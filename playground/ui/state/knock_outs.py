"""The parts of the network switched off for every run the window makes (heads, a layer's
attention, MLPs): a small evented state; a change is analysed again at once."""

from __future__ import annotations

from typing import Any

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
        self.set(KnockOut(frozenset(heads), self.knock_out.mlps))

    def clear(self) -> None:
        self.set(NOTHING_KNOCKED_OUT)

    def to_dict(self) -> dict[str, Any]:
        return {"knocked_out": self.knock_out.describe()}

    @staticmethod
    def checked(data: dict[str, Any], arch: Architecture | None) -> KnockOut:
        """`to_dict`'s form read back (PlaygroundError names a part the model lacks)."""
        text = str(data.get("knocked_out", ""))
        return KnockOut.parse(text, arch) if arch is not None and text else NOTHING_KNOCKED_OUT
