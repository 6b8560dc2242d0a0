"""A run pinned as A, to compare the current one (B) against: its prompt, its next-token
logits and its attention maps. The next-token panel shows both distributions, the KL
divergence and total variation, and the tokens whose probability changed most; the
attention panel shows A, B or B - A where the two runs' tokens align."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from playground.engine.inspect.analysis import Analysis, Source
from playground.engine.inspect.comparison import Comparison, compare_logits
from playground.engine.runtime.attention_maps import AttentionMaps
from playground.engine.runtime.knock_out import NOTHING_KNOCKED_OUT, KnockOut
from playground.engine.sampling.distribution import SamplingSettings
from playground.ui.state.knock_outs import knock_out_dict

CHANGES_LISTED = 5


@dataclass(frozen=True)
class PinnedPlan:
    """A pinned run as a session file holds it, to be run again."""

    source: Source
    ids: tuple[int, ...]
    knocked_out: str  # KnockOut.describe()'s form
    ablation: str
    settings: SamplingSettings | None


class PinnedRun(QObject):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.source: Source | None = None
        self.ids: tuple[int, ...] = ()
        self.logits: np.ndarray | None = None  # (V,) A's next-token logits
        self.attentions: AttentionMaps | None = None  # (L, H, T, T) A's maps
        self.knock_out = NOTHING_KNOCKED_OUT  # what A ran without
        self.settings: SamplingSettings | None = None  # A's sampler (for a swap back)
        self._compared: tuple[np.ndarray, Comparison] | None = None

    @property
    def pinned(self) -> bool:
        return self.logits is not None

    def pin(
        self,
        analysis: Analysis | None,
        knock_out: KnockOut = NOTHING_KNOCKED_OUT,
        settings: SamplingSettings | None = None,
    ) -> None:
        """Pin `analysis` (run with `knock_out`, shown with `settings`) as A (an empty
        prompt has nothing to pin)."""
        if analysis is None or analysis.next_token is None:
            return
        self.source, self.ids = analysis.source, analysis.ids
        self.knock_out, self.settings = knock_out, settings
        self.logits = analysis.next_token.raw_logits
        self.attentions = analysis.forward.attentions if analysis.forward is not None else None
        self._compared = None
        self.changed.emit()

    def clear(self) -> None:
        if self.pinned:
            self.source, self.ids, self.logits, self._compared = None, (), None, None
            self.attentions, self.knock_out, self.settings = None, NOTHING_KNOCKED_OUT, None
            self.changed.emit()

    def to_dict(self) -> dict[str, Any]:
        """What A was (its prompt, tokens, knock-out and sampler; its logits are computed
        again on restore)."""
        if self.source is None:
            return {"pinned": None}
        pinned = {"mode": self.source[0], "prompt": self.source[1], "ids": list(self.ids)}
        pinned |= knock_out_dict(self.knock_out)
        if self.settings is not None:
            pinned["sampling"] = self.settings.to_dict()
        return {"pinned": pinned}

    @staticmethod
    def checked(data: dict[str, Any]) -> PinnedPlan | None:
        """`to_dict`'s form read back (KeyError, TypeError or ValueError if damaged)."""
        pinned = data.get("pinned")
        if pinned is None:
            return None
        sampling = pinned.get("sampling")
        return PinnedPlan(
            (str(pinned["mode"]), str(pinned["prompt"])),
            tuple(int(i) for i in pinned["ids"]),
            str(pinned.get("knocked_out", "")),
            str(pinned.get("ablation", "zero")),
            None if sampling is None else SamplingSettings.from_dict(sampling),
        )

    def aligned_attentions(self, analysis: Analysis | None) -> AttentionMaps | None:
        """A's maps, if A and `analysis` have as many tokens (position i of one is position
        i of the other: the same prompt knocked out, or one word swapped for another)."""
        if self.attentions is None or analysis is None or analysis.forward is None:
            return None
        same_length = self.attentions.n_tokens == analysis.forward.attentions.n_tokens
        return self.attentions if same_length else None

    def against(self, analysis: Analysis | None) -> Comparison | None:
        """A against `analysis` as B (computed once per B)."""
        if self.logits is None or analysis is None or analysis.next_token is None:
            return None
        b = analysis.next_token.raw_logits
        if self._compared is None or self._compared[0] is not b:
            self._compared = (b, compare_logits(self.logits, b, top=CHANGES_LISTED))
        return self._compared[1]
