"""A run pinned as A, to compare the current one (B) against: its Run (prompt, tokens,
interventions, sampler) and its Analysis (next-token logits, attention maps). The
next-token panel shows both distributions, the KL divergence and total variation, and
the tokens whose probability changed most; the attention panel shows A, B or B - A where
the two runs' tokens align."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal

from playground.engine.inspect.analysis import Analysis, Source
from playground.engine.inspect.comparison import Comparison, compare_logits
from playground.engine.inspect.run import Run
from playground.engine.runtime.attention_maps import AttentionMaps
from playground.engine.runtime.interventions import NO_INTERVENTIONS, Interventions
from playground.engine.runtime.knock_out import KnockOut
from playground.engine.sampling.distribution import SamplingSettings

CHANGES_LISTED = 5


@dataclass(frozen=True)
class PinnedPlan:
    """A pinned run as a session file holds it, to be run again."""

    source: Source
    ids: tuple[int, ...]
    interventions: dict[str, Any]  # Interventions.to_dict()'s form, checked on restore
    settings: SamplingSettings | None


class PinnedRun(QObject):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.run: Run | None = None  # A's run, with the sampler it was shown with
        self.analysis: Analysis | None = None  # A's analysis (logits, maps)
        self._compared: tuple[np.ndarray, Comparison] | None = None

    # --- A's parts, read by the panels ------------------------------------------------------
    @property
    def pinned(self) -> bool:
        return self.analysis is not None

    source = property(lambda self: None if self.run is None else self.run.source)
    ids = property(lambda self: () if self.run is None else self.run.ids)
    settings = property(lambda self: None if self.run is None else self.run.sampler)

    @property
    def interventions(self) -> Interventions:
        return NO_INTERVENTIONS if self.run is None else self.run.interventions

    @property
    def knock_out(self) -> KnockOut:  # what A ran without
        return self.interventions.knock_out

    @property
    def logits(self) -> np.ndarray | None:  # (V,) A's next-token logits
        a = self.analysis
        return None if a is None or a.next_token is None else a.next_token.raw_logits

    @property
    def attentions(self) -> AttentionMaps | None:  # (L, H, T, T) A's maps
        a = self.analysis
        return None if a is None or a.forward is None else a.forward.attentions

    def pin(self, analysis: Analysis | None, sampler: SamplingSettings | None = None) -> None:
        """Pin `analysis` (shown with `sampler`) as A (an empty prompt has nothing to pin)."""
        if analysis is None or analysis.next_token is None:
            return
        self.run, self.analysis = analysis.run.sampled_with(sampler), analysis
        self._compared = None
        self.changed.emit()

    def clear(self) -> None:
        if self.pinned:
            self.run, self.analysis, self._compared = None, None, None
            self.changed.emit()

    def to_dict(self) -> dict[str, Any]:
        """What A was (its prompt, tokens, interventions and sampler; its logits are
        computed again on restore)."""
        if self.run is None:
            return {"pinned": None}
        run = self.run
        pinned = {"mode": run.source[0], "prompt": run.source[1], "ids": list(run.ids)}
        pinned |= run.interventions.to_dict()
        if run.sampler is not None:
            pinned["sampling"] = run.sampler.to_dict()
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
            {
                "knocked_out": str(pinned.get("knocked_out", "")),
                "ablation": str(pinned.get("ablation", "zero")),
            },
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
