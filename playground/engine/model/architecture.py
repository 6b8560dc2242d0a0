"""The hyper-parameters of a decoder-only transformer, as the graph and panels need them."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Architecture:
    family: str  # GGUF general.architecture: "llama", "qwen2", "qwen3", "phi3", "gemma3"
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
    # Gemma 3 (each default is every other family's):
    activation: str = "silu"  # the MLP's gate: SiLU, or "gelu_tanh" (GeGLU)
    post_norms: bool = False  # attention and MLP outputs RMS-normalised before the add
    embedding_scale: float = 1.0  # token embeddings times sqrt(d_model)
    attention_scale: float = 0.0  # queries times this; 0: 1 / sqrt(head_dim)
    sliding_window: int = 0  # sliding layers see only the last this-many tokens
    sliding_layers: tuple[int, ...] = ()  # which layers slide (5 of every 6 in Gemma 3)
    rope_theta_local: float = 0.0  # the rotary base on sliding layers; 0: rope_theta
    rope_scale: float = 1.0  # linear RoPE scaling of full layers: positions / rope_scale

    @property
    def group_size(self) -> int:
        """Query heads per key/value head."""
        return self.n_head // self.n_head_kv

    @property
    def query_scale(self) -> float:
        return self.attention_scale or 1.0 / float(self.head_dim) ** 0.5

    @property
    def gate_name(self) -> str:
        """The MLP gate's activation as the panels write it."""
        return "GELU" if self.activation == "gelu_tanh" else "SiLU"

    def window_of(self, layer: int) -> int:
        """How many tokens (the query's own included) a query of `layer` sees; 0: all."""
        return self.sliding_window if layer in self.sliding_layers else 0

    def rows_of(self, tensor: str) -> int:
        """The output width of a layer matrix by its GGUF name (blk.i.attn_q, ...)."""
        kind = tensor.rsplit(".", 1)[-1]
        heads = {"attn_q": self.n_head, "attn_k": self.n_head_kv, "attn_v": self.n_head_kv}
        if kind in heads:
            return heads[kind] * self.head_dim
        if kind in ("ffn_gate", "ffn_up"):
            return self.d_ff
        if kind in ("token_embd", "output"):
            return self.vocab_size
        return self.d_model  # attn_output, ffn_down

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Architecture:
        fields = cls.__dataclass_fields__
        known = {name: data[name] for name in fields if name in data}  # older bundles: defaults
        if "rope_freq_factors" in known:
            known["rope_freq_factors"] = tuple(float(f) for f in known["rope_freq_factors"])
        if "sliding_layers" in known:
            known["sliding_layers"] = tuple(int(i) for i in known["sliding_layers"])
        return cls(**known)
