"""The hyper-parameters of a decoder-only transformer, as the graph and panels need them."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Architecture:
    family: str  # GGUF general.architecture: "llama" or "qwen2"
    n_layer: int
    d_model: int
    n_head: int  # query heads
    n_head_kv: int  # key/value heads (grouped-query attention when < n_head)
    head_dim: int
    d_ff: int
    vocab_size: int
    context_length: int
    rope_theta: float
    rms_eps: float
    tied_embeddings: bool
    attention_bias: bool  # q/k/v projections carry a bias (Qwen2)

    @property
    def group_size(self) -> int:
        """Query heads per key/value head."""
        return self.n_head // self.n_head_kv

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Architecture:
        return cls(**{name: data[name] for name in cls.__dataclass_fields__})
