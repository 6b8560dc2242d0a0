"""Steering (activation addition): a direction added, times a strength, to the residual
stream at one hidden index, at every position of the prompt and of what is generated.
The direction is usually the difference of the streams of two short texts ("I love
you" minus "I hate you"), read at their last token where the stream was read."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from playground.engine.errors import PlaygroundError
from playground.engine.model.architecture import Architecture
from playground.engine.runtime.frozen_array import FrozenArray


@dataclass(frozen=True)
class Steering:
    layer: int  # J: the hidden state (HF convention, 1..L-1), the stream leaving block J-1
    strength: float  # c: the run adds c * direction
    direction: FrozenArray  # v (D,)
    toward: str  # the text the direction points to (with no `away`: its first token's
    away: str = ""  # embedding row); the text it points away from

    @property
    def added(self) -> np.ndarray:
        """(D,) float32: c * v."""
        return (self.strength * self.direction.array).astype(np.float32)

    def with_strength(self, strength: float) -> Steering:
        return replace(self, strength=float(strength))

    def explain(self) -> str:
        """For a person: "+4 × ('I love you' − 'I hate you') at hidden 6"."""
        what = f"{self.toward!r} − {self.away!r}" if self.away else f"embedding of {self.toward!r}"
        return f"{self.strength:+g} × ({what}) added at hidden {self.layer}"

    def to_dict(self) -> dict[str, Any]:
        """As session files and lessons keep it (the direction itself included: it was
        read on one model, and is its own record of what was added)."""
        return {
            "layer": self.layer,
            "strength": self.strength,
            "toward": self.toward,
            "away": self.away,
            "direction": [float(x) for x in self.direction.array],
        }

    @classmethod
    def parse(cls, data: dict[str, Any], arch: Architecture) -> Steering:
        """`to_dict`'s form read back; PlaygroundError says what does not fit the model."""
        try:
            layer, strength = int(data["layer"]), float(data["strength"])
            direction = np.asarray(data["direction"], np.float32)
            toward, away = str(data.get("toward", "")), str(data.get("away", ""))
        except (KeyError, TypeError, ValueError):
            raise PlaygroundError("The steering saved here is incomplete.") from None
        check_layer(layer, arch)
        if direction.shape != (arch.d_model,) or not np.isfinite(direction).all():
            raise PlaygroundError(
                f"The saved steering direction has {direction.size} numbers; this model's "
                f"stream has {arch.d_model}."
            )
        return cls(layer, strength, FrozenArray.of(direction), toward, away)


def check_layer(layer: int, arch: Architecture) -> None:
    """PlaygroundError unless `layer` is a hidden index steering can add to (1..L-1)."""
    if not 1 <= layer <= arch.n_layer - 1:
        raise PlaygroundError(
            f"Steering adds to a hidden state between blocks: 1-{arch.n_layer - 1}, not {layer}."
        )
