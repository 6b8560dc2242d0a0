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
    # Llama 3.1/3.2's RoPE scaling, as llama.cpp stores it (the tensor rope_freqs.weight):
    # each rotary frequency divided by its factor (hd/2 of them); () for none
    rope_freq_factors: tuple[float, ...] = ()
    # Qwen3: each query and key head RMS-normalised (its own gain) before the rotation
    qk_norm: bool = False

    @property
    def group_size(self) -> int:
        """Query heads per key/value head."""
        return self.n_head // self.n_head_kv

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Architecture:
        fields = cls.__dataclass_fields__
        known = {name: data[name] for name in fields if name in data}  # older bundles: defaults
        if "rope_freq_factors" in known:
            known["rope_freq_factors"] = tuple(float(f) for f in known["rope_freq_factors"])
        return cls(**known)
