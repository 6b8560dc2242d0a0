"""What is done to the network during a run, as one value: today the parts knocked out
(and what a knocked-out head writes); activation patches and steering vectors join here.
A run takes it whole (LanguageModel.step), so every experiment that reads a run sees the
same network, and a result can say exactly what it was computed with."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from playground.engine.model.architecture import Architecture
from playground.engine.runtime.knock_out import NOTHING_KNOCKED_OUT, KnockOut


@dataclass(frozen=True)
class Interventions:
    knock_out: KnockOut = NOTHING_KNOCKED_OUT

    @property
    def empty(self) -> bool:
        """The network as it was trained."""
        return self.knock_out.empty

    def over(self, ids: tuple[int, ...] | list[int]) -> Interventions:
        """The same interventions with whatever they measure on the prompt (a mean
        ablation's means) taken over `ids`."""
        return replace(self, knock_out=self.knock_out.over(ids))

    def with_knock_out(self, knock_out: KnockOut) -> Interventions:
        return replace(self, knock_out=knock_out)

    def with_ablation(self, ablation: Literal["zero", "mean"]) -> Interventions:
        return replace(self, knock_out=self.knock_out.with_ablation(ablation))

    def explain(self) -> str:
        """For a person: what is changed ("nothing" when nothing is)."""
        return self.knock_out.explain()

    def to_dict(self) -> dict[str, Any]:
        """As session files and lessons keep it."""
        return {"knocked_out": self.knock_out.describe(), "ablation": self.knock_out.ablation}

    @classmethod
    def parse(
        cls, data: dict[str, Any], arch: Architecture | None, ablation: str | None = None
    ) -> Interventions:
        """`to_dict`'s form read back, checked against the model (PlaygroundError names a
        part it lacks or an unknown ablation); with no model, nothing. `ablation`, when
        given, replaces the saved one (a lesson's `ablation:` key)."""
        text = str(data.get("knocked_out", ""))
        mode = ablation if ablation is not None else data.get("ablation", "zero")
        if arch is None:
            return NO_INTERVENTIONS
        return cls(KnockOut.parse(text, arch, mode))  # type: ignore[arg-type]


NO_INTERVENTIONS = Interventions()
