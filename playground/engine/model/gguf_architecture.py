"""A GGUF file's hyper-parameters as an Architecture, by the rules llama.cpp applies to
each family (its llama-model.cpp), refusing clearly what the graphs cannot compute."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from playground.engine.errors import ModelFileError, UnsupportedModelError
from playground.engine.model.architecture import Architecture

# Gemma 3, as llama.cpp runs it: 5 of every 6 layers slide (set_swa_pattern(6)), and
# rotate with base 10,000 unscaled; the others see everything, with the file's base.
GEMMA3_PATTERN = 6
GEMMA3_LOCAL_THETA = 10000.0
GEMMA3_27B_LAYERS = 62  # its queries are scaled by d_model / n_head instead of head_dim


def require_field(path: Path, fields: dict[str, Any], key: str) -> Any:
    value = fields.get(key)
    if value is None:
        raise ModelFileError(f"{path.name}: required metadata {key!r} is missing.")
    return value


def architecture_of(
    path: Path, family: str, fields: dict[str, Any], tensors: dict[str, Any]
) -> Architecture:
    def key(suffix: str) -> str:
        return f"{family}.{suffix}"

    if "rope_factors_long.weight" in tensors:  # Phi-3 128k
        raise UnsupportedModelError(
            f"{path.name}: long-context RoPE factors (rope_factors_long/short, Phi-3 128k) "
            "are not supported; the 4k models are."
        )
    scaling = fields.get(key("rope.scaling.type"))
    if scaling not in (None, "none", "linear"):
        raise UnsupportedModelError(f"{path.name}: RoPE scaling ({scaling}) is not supported.")
    linear = scaling == "linear"  # positions divided by the factor (Gemma 3 4B and up: 8)
    rope_scale = float(fields.get(key("rope.scaling.factor")) or 1.0) if linear else 1.0
    if "token_embd.weight" not in tensors:
        raise ModelFileError(f"{path.name}: tensor 'token_embd.weight' is missing.")
    d_model = int(require_field(path, fields, key("embedding_length")))
    n_layer = int(require_field(path, fields, key("block_count")))
    n_head = int(require_field(path, fields, key("attention.head_count")))
    n_head_kv = int(fields.get(key("attention.head_count_kv")) or n_head)
    head_dim = int(fields.get(key("attention.key_length")) or d_model // n_head)
    rope_dims = int(fields.get(key("rope.dimension_count")) or head_dim)
    q_rows = int(tensors["blk.0.attn_q.weight"].shape[1]) if "blk.0.attn_q.weight" in tensors else 0
    window = int(fields.get(key("attention.sliding_window")) or 0)
    if q_rows and q_rows != head_dim * n_head:  # (Qwen3: H*hd may differ from d_model)
        raise ModelFileError(
            f"{path.name}: attn_q has {q_rows} rows, not {n_head} heads x {head_dim}."
        )
    if rope_dims != head_dim:
        raise UnsupportedModelError(
            f"{path.name}: partial rotary embeddings ({rope_dims} of {head_dim}) are not supported."
        )
    if n_head % n_head_kv:
        raise UnsupportedModelError(
            f"{path.name}: {n_head} query heads cannot share {n_head_kv} key/value heads."
        )
    context = int(fields.get(key("context_length")) or 2048)
    gemma = {}
    if family == "gemma3":
        if window <= 0:  # llama.cpp would soft-cap the logits instead, by a missing factor
            raise UnsupportedModelError(
                f"{path.name}: a Gemma 3 file without a sliding window is not supported."
            )
        scale_dim = d_model / n_head if n_layer == GEMMA3_27B_LAYERS else 0.0
        gemma = dict(
            activation="gelu_tanh",
            post_norms=True,
            embedding_scale=float(np.sqrt(np.float32(d_model))),  # llama.cpp's sqrtf(n_embd)
            attention_scale=1.0 / float(np.sqrt(scale_dim)) if scale_dim else 0.0,
            sliding_window=window,
            sliding_layers=tuple(
                i for i in range(n_layer) if i % GEMMA3_PATTERN < GEMMA3_PATTERN - 1
            ),
            rope_theta_local=GEMMA3_LOCAL_THETA,
        )
    elif window:
        # every layer slides (Phi-3 mini: 2,047): the analysis stays within the window,
        # where every token sees all the others, as the window would let it
        context = min(context, window)
    return Architecture(
        family=family,
        n_layer=n_layer,
        d_model=d_model,
        n_head=n_head,
        n_head_kv=n_head_kv,
        head_dim=head_dim,
        d_ff=int(require_field(path, fields, key("feed_forward_length"))),
        vocab_size=int(tensors["token_embd.weight"].shape[1]),
        context_length=context,
        rope_theta=float(fields.get(key("rope.freq_base")) or 10000.0),
        rms_eps=float(fields.get(key("attention.layer_norm_rms_epsilon")) or 1e-5),
        tied_embeddings="output.weight" not in tensors,
        attention_bias="blk.0.attn_q.bias" in tensors,
        rope_freq_factors=_rope_factors(path, tensors, head_dim),
        qk_norm="blk.0.attn_q_norm.weight" in tensors,
        rope_scale=rope_scale,
        **gemma,  # type: ignore[arg-type]
    )


def _rope_factors(path: Path, tensors: dict[str, Any], head_dim: int) -> tuple[float, ...]:
    """Llama 3.1/3.2's factor per rotary frequency (rope_freqs.weight); () if none."""
    if "rope_freqs.weight" not in tensors:
        return ()
    raw = np.asarray(tensors["rope_freqs.weight"].data, np.float32).reshape(-1)
    if raw.size != head_dim // 2 or not np.all(np.isfinite(raw)) or np.any(raw <= 0):
        raise ModelFileError(
            f"{path.name}: rope_freqs.weight has {raw.size} values, not {head_dim // 2} "
            "positive ones."
        )
    return tuple(float(f) for f in raw)
