"""What is done to the network during a run, as one value: the parts knocked out (and
what a knocked-out head writes), a steering direction added to the stream, activations
patched in from another prompt's run. A run takes it whole (LanguageModel.step; the
graph's inputs are made in intervention_feeds.py), so every experiment that reads a run
sees the same network, and a result can say exactly what it was computed with."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np

from playground.engine.errors import PlaygroundError
from playground.engine.model.architecture import Architecture
from playground.engine.runtime.frozen_array import FrozenArray
from playground.engine.runtime.knock_out import NOTHING_KNOCKED_OUT, KnockOut
from playground.engine.runtime.patches import SITES, Patch
from playground.engine.runtime.steering import Steering


@dataclass(frozen=True)
class Interventions:
    knock_out: KnockOut = NOTHING_KNOCKED_OUT
    steering: Steering | None = None
    patches: tuple[Patch, ...] = ()

    @property
    def empty(self) -> bool:
        """The network as it was trained."""
        return self.knock_out.empty and self.steering is None and not self.patches

    @property
    def adds(self) -> bool:
        """Something is added to the stream, an attention or MLP output (steering, patches)."""
        return self.steering is not None or bool(self.patches)

    def over(self, ids: tuple[int, ...] | list[int]) -> Interventions:
        """The same interventions with whatever they measure on the prompt (a mean
        ablation's means) taken over `ids`."""
        return replace(self, knock_out=self.knock_out.over(ids))

    def for_prompt(self, ids: np.ndarray, past: int) -> Interventions:
        """As they run on `ids` after `past` tokens: a mean ablation with no prompt of its
        own takes its means over a fresh prompt (one with tokens before cannot)."""
        if not self.knock_out.needs_means or self.knock_out.mean_over:
            return self
        if past:
            raise PlaygroundError("Mean ablation needs the prompt its means are taken over.")
        return self.over(ids.tolist())

    def with_knock_out(self, knock_out: KnockOut) -> Interventions:
        return replace(self, knock_out=knock_out)

    def with_ablation(self, ablation: Literal["zero", "mean"]) -> Interventions:
        return replace(self, knock_out=self.knock_out.with_ablation(ablation))

    def with_steering(self, steering: Steering | None) -> Interventions:
        return replace(self, steering=steering)

    def with_patches(self, patches: tuple[Patch, ...]) -> Interventions:
        return replace(self, patches=patches)

    def explain(self) -> str:
        """For a person: what is changed ("nothing" when nothing is)."""
        parts = [] if self.knock_out.empty else [f"knocked out {self.knock_out.explain()}"]
        if self.steering is not None:
            parts.append(f"steered: {self.steering.explain()}")
        parts += [f"patched: {patch.explain()}" for patch in self.patches]
        return "; ".join(parts) or "nothing"

    def to_dict(self) -> dict[str, Any]:
        """As session files and lessons keep it."""
        data: dict[str, Any] = {
            "knocked_out": self.knock_out.describe(),
            "ablation": self.knock_out.ablation,
        }
        if self.steering is not None:
            data["steering"] = self.steering.to_dict()
        if self.patches:
            data["patches"] = [_patch_dict(p) for p in self.patches]
        return data

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
        knock_out = KnockOut.parse(text, arch, mode)  # type: ignore[arg-type]
        steering = data.get("steering")
        steered = Steering.parse(steering, arch) if isinstance(steering, dict) else None
        patches = tuple(_parse_patch(p, arch) for p in data.get("patches") or ())
        return cls(knock_out, steered, patches)


def _patch_dict(patch: Patch) -> dict[str, Any]:
    return {
        "site": patch.site,
        "layer": patch.layer,
        "position": patch.position,
        "head": patch.head,
        "source": patch.source,
        "change": patch.change.array.tolist(),
    }


def _parse_patch(data: Any, arch: Architecture) -> Patch:
    try:
        site, layer, position = str(data["site"]), int(data["layer"]), int(data["position"])
        head, source = int(data.get("head", -1)), str(data.get("source", ""))
        change = np.asarray(data["change"], np.float32)
    except (KeyError, TypeError, ValueError):
        raise PlaygroundError("A patch saved here is incomplete.") from None
    width = arch.head_dim if site == "head" else arch.d_model
    fits = (
        site in SITES
        and 0 <= layer < arch.n_layer
        and (0 <= head < arch.n_head if site == "head" else position >= 0)
        and change.shape[-1:] == (width,)
        and change.ndim == (2 if site == "head" else 1)
        and np.isfinite(change).all()
    )
    if not fits:
        raise PlaygroundError(f"A saved patch ({site} {layer}) does not fit this model.")
    return Patch(site, layer, position, FrozenArray.of(change), source, head)  # type: ignore[arg-type]


NO_INTERVENTIONS = Interventions()
