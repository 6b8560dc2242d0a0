"""What the attention panel shows: which head (or mean), and how."""

from __future__ import annotations

from dataclasses import dataclass, replace

from playground.engine.inspect.attention_view import Scope
from playground.engine.model.architecture import Architecture


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
