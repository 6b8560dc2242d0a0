"""Tensors some families store joined: Phi-3 keeps q|k|v as one matrix (attn_qkv) and
gate|up as another (ffn_up). The converter reads each part as its rows, so the graphs and
panels see the same attn_q, attn_k, attn_v, ffn_gate and ffn_up as for any other model."""

from __future__ import annotations

import re

from playground.engine.model.architecture import Architecture

# Phi-3 stores q|k|v as one matrix and gate|up as another: each part is read as its rows
FUSED_LAYER_TENSORS = {
    "attn_norm.weight",
    "attn_qkv.weight",
    "attn_output.weight",
    "ffn_norm.weight",
    "ffn_up.weight",
    "ffn_down.weight",
}
_FUSED_PART = re.compile(r"(blk\.\d+)\.(attn_q|attn_k|attn_v|ffn_gate|ffn_up)\.weight")


def fused_part(arch: Architecture, name: str) -> tuple[str, slice] | None:
    """Phi-3: the stored tensor holding `name`'s rows, and which rows (q, k, v of
    attn_qkv; gate then up of ffn_up), or None when `name` is stored as it is."""
    found = _FUSED_PART.fullmatch(name) if arch.family == "phi3" else None
    if found is None:
        return None
    block, part = found.groups()
    q, kv, ff = arch.n_head * arch.head_dim, arch.n_head_kv * arch.head_dim, arch.d_ff
    rows = {
        "attn_q": ("attn_qkv", 0, q),
        "attn_k": ("attn_qkv", q, q + kv),
        "attn_v": ("attn_qkv", q + kv, q + 2 * kv),
        "ffn_gate": ("ffn_up", 0, ff),
        "ffn_up": ("ffn_up", ff, 2 * ff),
    }
    stored, start, stop = rows[part]
    return f"{block}.{stored}.weight", slice(start, stop)
