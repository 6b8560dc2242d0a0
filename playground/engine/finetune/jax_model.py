"""The model's forward pass in JAX, for training: the same computation as the analysis
graph (graph.py) on the bundle's fp32 weights, with a LoRA adapter's low-rank update
added to the matrices it adapts. JAX differentiates it (jax.grad), so no backward pass is
written by hand; only the adapters are trained, the base weights stay as they are.

Weights use the bundle's names and layout: `blk.{i}.attn_q.weight_t` (in, out), norm
gains `blk.{i}.attn_norm.weight` (D,), `token_embd.weight` (V, D). Llama-family models
(Llama, SmolLM, Qwen2/3, Phi-3: RMSNorm, rotary embedding in rotate-half form, grouped
keys and values, a SiLU-gated MLP) are covered; others are refused by `check_trainable`.
"""

from __future__ import annotations

from collections.abc import Mapping

import jax
import jax.numpy as jnp
import numpy as np

from playground.engine.errors import PlaygroundError
from playground.engine.model.architecture import Architecture
from playground.engine.model.graph import rope_inv_freq

# The layers' weights stacked, (L, ...) each, so that one compiled layer runs L times
# (jax.lax.scan): "attn_q" -> (L, D, H*hd) (the bundle's weight_t), "attn_norm" -> (L, D)...
# and the rest by bundle name: "token_embd.weight" (V, D), "output_norm.weight" (D,).
Weights = dict[str, jax.Array]
# The adapters, stacked over the layers: "attn_q" -> {"a": (L, r, in), "b": (L, out, r)};
# a layer that is not adapted has scale 0 (its adapter stays as it began, B = 0).
Adapters = dict[str, dict[str, jax.Array]]


def check_trainable(arch: Architecture) -> None:
    """PlaygroundError if this model's blocks are not the ones written here."""
    differs = {
        "GELU-gated MLP": arch.activation != "silu",
        "post-norms": arch.post_norms,
        "sliding-window layers": bool(arch.sliding_window),
        "scaled embeddings": arch.embedding_scale != 1.0,
    }
    found = [name for name, present in differs.items() if present]
    if found:
        raise PlaygroundError(
            f"Fine-tuning covers Llama-family models; this one ({arch.family}) has "
            f"{', '.join(found)}."
        )


def rms_norm(x: jax.Array, gain: jax.Array, eps: float) -> jax.Array:
    return x * jax.lax.rsqrt(jnp.mean(x * x, axis=-1, keepdims=True) + eps) * gain


def _rotate(x: jax.Array, cos: jax.Array, sin: jax.Array) -> jax.Array:
    """x (N, T, heads, hd): x*cos + rotate_half(x)*sin, angles (T, 1, hd)."""
    half = x.shape[-1] // 2
    rotated = jnp.concatenate([-x[..., half:], x[..., :half]], axis=-1)
    return x * cos + rotated * sin


LAYER_WEIGHTS = ("attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down")
LAYER_GAINS = ("attn_norm", "ffn_norm", "attn_q_norm", "attn_k_norm")


def stack_weights(arch: Architecture, weights: Mapping[str, np.ndarray]) -> Weights:
    """The bundle's weights (by name) stacked over the layers (see Weights)."""
    stacked: Weights = {}
    for kind in LAYER_WEIGHTS:
        stacked[kind] = jnp.asarray(
            np.stack([weights[f"blk.{i}.{kind}.weight_t"] for i in range(arch.n_layer)])
        )
        if arch.attention_bias and kind in ("attn_q", "attn_k", "attn_v"):
            stacked[f"{kind}.bias"] = jnp.asarray(
                np.stack([weights[f"blk.{i}.{kind}.bias"] for i in range(arch.n_layer)])
            )
    for kind in LAYER_GAINS:
        if f"blk.0.{kind}.weight" in weights:
            stacked[kind] = jnp.asarray(
                np.stack([weights[f"blk.{i}.{kind}.weight"] for i in range(arch.n_layer)])
            )
    for name in ("token_embd.weight", "output_norm.weight", "output.weight_t"):
        if name in weights:
            stacked[name] = jnp.asarray(weights[name])
    return stacked


def _linear(x: jax.Array, w: Weights, kind: str, ad: Adapters, scale: jax.Array) -> jax.Array:
    """x (..., in) @ W_t (in, out) [+ bias] + scale * x A^T B^T, for one layer's slices."""
    y = x @ w[kind]
    if f"{kind}.bias" in w:
        y = y + w[f"{kind}.bias"]
    adapter = ad.get(kind)
    if adapter is not None:
        y = y + scale * ((x @ adapter["a"].T) @ adapter["b"].T)  # (..., r) -> (..., out)
    return y


def hidden(
    arch: Architecture, w: Weights, ids: jax.Array, adapters: Adapters, scales: jax.Array
) -> jax.Array:
    """ids (N, T) -> the final-normed stream (N, T, D); `scales` (L,): each layer's
    adapter scale (0 where not adapted). Padding after an example's end never reaches its
    tokens (causal attention)."""
    n, t = ids.shape
    H, KVH, hd, eps = arch.n_head, arch.n_head_kv, arch.head_dim, arch.rms_eps
    inv_freq = jnp.asarray(rope_inv_freq(arch))  # (hd/2,)
    angles = jnp.arange(t, dtype=jnp.float32)[:, None] * inv_freq[None, :]  # (T, hd/2)
    angles = jnp.concatenate([angles, angles], axis=-1)[:, None, :]  # (T, 1, hd)
    cos, sin = jnp.cos(angles), jnp.sin(angles)
    causal = jnp.tril(jnp.ones((t, t), bool))  # (T, S)
    group = H // KVH  # query heads h = kv*G + g share key/value head kv

    def block(x: jax.Array, layer: tuple[Weights, Adapters, jax.Array]) -> tuple:
        lw, ad, scale = layer
        h = rms_norm(x, lw["attn_norm"], eps)
        q = _linear(h, lw, "attn_q", ad, scale).reshape(n, t, H, hd)
        k = _linear(h, lw, "attn_k", ad, scale).reshape(n, t, KVH, hd)
        v = _linear(h, lw, "attn_v", ad, scale).reshape(n, t, KVH, hd)
        if arch.qk_norm:
            q, k = rms_norm(q, lw["attn_q_norm"], eps), rms_norm(k, lw["attn_k_norm"], eps)
        q = _rotate(q, cos, sin) * arch.query_scale
        k = jnp.repeat(_rotate(k, cos, sin), group, axis=2)  # (N, S, H, hd)
        v = jnp.repeat(v, group, axis=2)
        scores = jnp.einsum("nthd,nshd->nhts", q, k)  # (N, H, T, S)
        probs = jax.nn.softmax(jnp.where(causal, scores, -jnp.inf), axis=-1)
        context = jnp.einsum("nhts,nshd->nthd", probs, v).reshape(n, t, H * hd)
        x = x + _linear(context, lw, "attn_output", ad, scale)
        h = rms_norm(x, lw["ffn_norm"], eps)
        gate, up = _linear(h, lw, "ffn_gate", ad, scale), _linear(h, lw, "ffn_up", ad, scale)
        return x + _linear(jax.nn.silu(gate) * up, lw, "ffn_down", ad, scale), None

    layers = {k: v for k, v in w.items() if k.split(".")[0] in LAYER_WEIGHTS + LAYER_GAINS}
    x = w["token_embd.weight"][ids]  # (N, T, D)
    x, _ = jax.lax.scan(block, x, (layers, adapters, scales))
    return rms_norm(x, w["output_norm.weight"], eps)


def logits_at(arch: Architecture, w: Weights, normed: jax.Array) -> jax.Array:
    """normed rows (..., D) -> logits (..., V)."""
    if arch.tied_embeddings:
        return normed @ w["token_embd.weight"].T
    return normed @ w["output.weight_t"]


def token_loss(
    arch: Architecture,
    w: Weights,
    adapters: Adapters,
    scales: jax.Array,
    batch: tuple[jax.Array, jax.Array, jax.Array, jax.Array],
) -> jax.Array:
    """The mean cross-entropy (nats) of the trained tokens. batch: ids (N, T); rows (R,)
    the flat positions (n*T + t) whose next token is trained, targets (R,) those tokens,
    kept (R,) 1 for a real row and 0 for padding. Logits are made for these rows only
    (the output matrix is the largest product: 49,152 rows on the default model)."""
    ids, rows, targets, kept = batch
    normed = hidden(arch, w, ids, adapters, scales)  # (N, T, D)
    picked = normed.reshape(-1, normed.shape[-1])[rows]  # (R, D)
    log_probs = jax.nn.log_softmax(logits_at(arch, w, picked), axis=-1)  # (R, V)
    chosen = jnp.take_along_axis(log_probs, targets[:, None], axis=-1)[:, 0]  # (R,)
    return -jnp.sum(chosen * kept) / jnp.maximum(jnp.sum(kept), 1.0)
