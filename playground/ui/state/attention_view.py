"""What the attention panel shows: which head (or mean), and how."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from playground.engine.inspect.attention_view import Scope, attention_matrix
from playground.engine.model.architecture import Architecture
from playground.engine.runtime.attention_maps import AttentionMaps


@dataclass(frozen=True)
class AttentionView:
    """What the attention panel shows: which head (or mean), and how."""

    scope: Scope = Scope.HEAD
    layer: int = 0
    head: int = 0
    hide_first: bool = False  # drop the first token (attention sink), renormalise rows
    all_layers: bool = False  # the overview shows every layer, not just `layer`

    def within(self, arch: Architecture) -> AttentionView:
        """The same view with its layer and head clamped to the model's."""
        return replace(
            self,
            layer=min(max(self.layer, 0), arch.n_layer - 1),
            head=min(max(self.head, 0), arch.n_head - 1),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "scope": self.scope.value,
            "layer": self.layer,
            "head": self.head,
            "hide_first": self.hide_first,
            "all_layers": self.all_layers,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AttentionView:
        """A view from `to_dict`'s form; a key left out keeps its default, a bad value
        raises ValueError (KeyError/TypeError for a malformed document)."""
        default = cls()
        return cls(
            Scope(data.get("scope", default.scope.value)),
            int(data.get("layer", default.layer)),
            int(data.get("head", default.head)),
            bool(data.get("hide_first", default.hide_first)),
            bool(data.get("all_layers", default.all_layers)),
        )


class ShownMatrix:
    """The (T, T) matrix an attention view shows, computed once per maps and view (the
    detail, the token view and the export all read it; a mean of every head is 30 layers
    of work)."""

    def __init__(self) -> None:
        self._key: tuple[AttentionMaps, int, AttentionView] | None = None
        self._matrix: np.ndarray | None = None

    def of(self, attentions: AttentionMaps, view: AttentionView) -> np.ndarray:
        key = (attentions, attentions.n_tokens, view)
        if self._key is None or not (self._key[0] is attentions and self._key[1:] == key[1:]):
            self._matrix = attention_matrix(
                attentions, view.scope, view.layer, view.head, view.hide_first
            )  # (T, T)
            self._key = key
        assert self._matrix is not None
        return self._matrix
