"""Build the decoding graph: the same network as graph.py, for one generated token.

Inputs are the analysis graph's (see graph.py) with T = 1 and no logit_rows; the outputs
hold every layer at once (fewer, larger outputs cost less per generated token):

  logits      (1, V)              queries  (L, 1, H, hd)  rotated, scaled
  attentions  (L, H, A, P+1)      keys     (L, 1, KVH, hd)  the new token's
  hidden      (L+1, 1, D)         values   (L, 1, KVH, hd)

What makes it fast for one row of activations:

- matrices stay in the GGUF's own blocks: Q4_1 and Q8_0 products run in ONNX Runtime's
  MatMulNBits with 8-bit activations (accuracy_level 4, per block of 32, as llama.cpp
  rounds them), Q4_1's minimums added exactly in fp32 (graph_builder.linear_q4_1); a tied
  Q8_0 output matrix is read as 1 byte per weight (30 MB, not 113 MB of fp32);
- matrices that read the same input are one product (q|k|v, gate|up);
- rotary embedding is one node (RotaryEmbedding) for the queries and keys together, a
  residual add and the norm after it one node (SkipSimplifiedLayerNormalization);
- one query row needs no causal mask.

Other block types (F32, F16, K-quants) multiply as fp32 matrices, exactly.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import onnx
from onnx import TensorProto, helper

from playground.engine.model.architecture import Architecture
from playground.engine.model.graph import QKV, WeightSource, gated, rope_inv_freq
from playground.engine.model.graph_builder import GraphBuilder
from playground.engine.model.quant_blocks import Blocks, CodeBlocks, Q8Blocks
from playground.engine.model.weights_file import WeightsFile

BlockSource = Callable[[str], "Blocks | None"]  # a tensor's own blocks, if any


class _DecodeLayers:
    """The parts of a block for one token, reading weights and blocks by GGUF name."""

    def __init__(
        self, g: GraphBuilder, arch: Architecture, weight: WeightSource, blocks: BlockSource
    ):
        self.g, self.arch, self.weight, self.blocks = g, arch, weight, blocks
        a = arch
        self.scale = g.const("attn.scale", np.array(a.query_scale, np.float32))
        positions = np.arange(a.context_length, dtype=np.float32)[:, None]  # (C, 1)
        self.rotary: dict[bool, tuple[str, str]] = {}  # sliding layers' own (Gemma 3)
        for local in {bool(a.window_of(i)) for i in range(a.n_layer)}:
            angles = positions * rope_inv_freq(a, local)[None, :]  # (C, hd/2), as graph.py's
            tag = "_local" * local
            self.rotary[local] = (
                g.const(f"rope.cos{tag}", np.cos(angles)),
                g.const(f"rope.sin{tag}", np.sin(angles)),
            )
        self.position = g.op("Unsqueeze", "position_ids", g.const("axis0", np.array([0])))  # (1, 1)
        self.window_masks: dict[int, str] = {}  # window -> (S,) 0 for the keys it sees
        # per-layer tensors, stacked into one output each at the end
        self.stacked: dict[str, list[str]] = {
            "queries": [],
            "keys": [],
            "values": [],
            "attentions": [],
            "hidden": [],
        }

    def stack_outputs(self) -> None:
        """One output per kind: the layers' tensors joined along their first axis (of
        size 1, or KVH for attention rows), then reshaped to put the layer first; a
        Reshape each instead of one Unsqueeze per layer and kind (150 fewer nodes)."""
        g, a = self.g, self.arch
        L, H, KVH, hd = a.n_layer, a.n_head, a.n_head_kv, a.head_dim
        shapes = {
            "queries": [L, 1, H, hd],
            "keys": [L, 1, KVH, hd],
            "values": [L, 1, KVH, hd],
            "hidden": [L + 1, 1, a.d_model],
            "attentions": [L, H, 1, -1],
        }
        for kind, parts in self.stacked.items():
            whole = g.op("Concat", *parts, axis=0)
            shape = g.const(f"shape.stacked_{kind}", np.array(shapes[kind]))
            if kind != "attentions":
                g.op("Reshape", whole, shape, name=kind)
                continue
            g.op(
                "Slice",
                g.op("Reshape", whole, shape),
                g.const("first_row", np.array([0])),
                "attention_rows",
                g.const("rows_axis", np.array([2])),
                name=kind,
            )  # (L, H, A, S), A = 0 or 1

    def project(self, x: str, tensors: list[str], bias: np.ndarray | None = None) -> str:
        """x (1, in) @ [W_1; W_2; ...].T (+ bias) -> (1, sum of outs), joined products."""
        return self.g.linear_joined(x, tensors, self.blocks, self.weight, bias=bias)

    def attention(self, h: str, i: int) -> str:
        """The attention of layer i for one token: h (1, D) normed -> (1, D), with the
        query, key, value and attention row outputs of the layer."""
        g, a = self.g, self.arch
        H, KVH, hd = a.n_head, a.n_head_kv, a.head_dim
        p = f"blk.{i}"
        bias = (
            np.concatenate([self.weight(f"{p}.{n}.bias") for n in QKV])
            if a.attention_bias
            else None
        )
        qkv = self.project(h, [f"{p}.{n}" for n in QKV], bias)  # (1, (H+2KVH)*hd)
        qk, v = g.split(qkv, [(H + KVH) * hd, KVH * hd])
        if a.qk_norm:  # Qwen3: every query and key head RMS-normalised, each with its gain
            qk = self.qk_norm(qk, i)
        qk = g.op("Reshape", qk, g.const("shape.qk_3d", np.array([1, 1, -1])))  # (1, 1, (H+KVH)hd)
        cos, sin = self.rotary[bool(a.window_of(i))]
        qk = g.op(
            "RotaryEmbedding",
            qk,
            self.position,
            cos,
            sin,
            interleaved=0,
            num_heads=H + KVH,
            domain="com.microsoft",
        )  # rotate-half form, as graph.py
        q, k = g.split(qk, [H * hd, KVH * hd])  # (1, 1, H*hd), (1, 1, KVH*hd)
        kv_heads = g.const("shape.kv_heads", np.array([1, KVH, hd]))
        # Query heads h = kv*G + g share key/value head kv.
        grouped = g.op(
            "Reshape",
            g.op("Mul", q, self.scale),
            g.const("shape.grouped", np.array([KVH, H // KVH, hd])),
        )  # (KVH, G, hd)
        k = g.op("Reshape", k, kv_heads)  # (1, KVH, hd)
        v = g.op("Reshape", v, kv_heads)
        self.stacked["queries"].append(grouped)  # stacked as (L, 1, H, hd)
        self.stacked["keys"].append(k)
        self.stacked["values"].append(v)
        keys = g.op("Concat", f"past_key.{i}", k, axis=0)  # (S, KVH, hd)
        values = g.op("Concat", f"past_value.{i}", v, axis=0)
        scores = g.op("MatMul", grouped, g.op("Transpose", keys, perm=[1, 2, 0]))  # (KVH, G, S)
        if a.window_of(i):  # a sliding layer sees the last W keys only
            scores = g.op("Add", scores, self.window_mask(a.window_of(i)))
        probs = g.op("Softmax", scores, axis=-1)  # (KVH, G, S): no key lies in the future
        self.stacked["attentions"].append(probs)  # stacked as (L, H, 1, S)
        context = g.op("MatMul", probs, g.op("Transpose", values, perm=[1, 0, 2]))  # (KVH, G, hd)
        context = g.op("Reshape", context, g.const("shape.merged", np.array([1, H * hd])))
        return self.post_norm(self.project(context, [f"{p}.attn_output"]), i, "post_attention_norm")

    def post_norm(self, x: str, i: int, norm: str) -> str:
        """Gemma 3 normalises each block's attention and MLP output before the add."""
        if not self.arch.post_norms:
            return x
        name = f"blk.{i}.{norm}"
        return self.g.rms_norm(x, self.weight(f"{name}.weight"), self.arch.rms_eps, name)

    def window_mask(self, window: int) -> str:
        """(1, S) for the one new token after P = S-1 others: 0 on the last `window` keys,
        -inf before (the analysis graph's causal mask, for one row)."""
        if window not in self.window_masks:
            g = self.g
            one = g.const("one_1d", np.array([1]))
            past = g.op("Shape", "past_key.0", start=0, end=1)  # [P]
            self.window_masks[window] = g.causal_mask(one, past, window)
        return self.window_masks[window]

    def qk_norm(self, qk: str, i: int) -> str:
        """(1, (H+KVH)*hd) -> the same, each head of hd values over its RMS, times the query
        norm's gain (query heads) or the key norm's (key heads): one norm for both."""
        g, a = self.g, self.arch
        H, KVH, hd = a.n_head, a.n_head_kv, a.head_dim
        p = f"blk.{i}"
        heads = g.op("Reshape", qk, g.const("shape.qk_heads", np.array([H + KVH, hd])))
        gains = np.concatenate(
            [
                np.tile(self.weight(f"{p}.attn_q_norm.weight"), (H, 1)),
                np.tile(self.weight(f"{p}.attn_k_norm.weight"), (KVH, 1)),
            ]
        )  # (H+KVH, hd)
        unit = g.rms_norm(heads, np.ones(hd, np.float32), a.rms_eps, "qk_unit")
        return g.op("Mul", unit, g.const(f"{p}.qk_norm.gains", gains.astype(np.float32)))

    def mlp(self, h: str, i: int) -> str:
        """act(h W_gate) * (h W_up) W_down: (1, D) -> (1, D), act SiLU or GELU (Gemma 3)."""
        g, p = self.g, f"blk.{i}"
        gate, up = g.split(
            self.project(h, [f"{p}.ffn_gate", f"{p}.ffn_up"]),
            [self.arch.d_ff, self.arch.d_ff],
        )  # (1, d_ff) each
        act = g.op("Mul", gated(g, gate, self.arch.activation), up)
        return self.post_norm(self.project(act, [f"{p}.ffn_down"]), i, "post_ffw_norm")


def build_decode_graph(
    arch: Architecture,
    weight: WeightSource,
    blocks: BlockSource,
    name: str = "decode",
    weights: WeightsFile | None = None,
) -> onnx.ModelProto:
    """The decoding graph of `arch`: `blocks` gives a tensor's own Q4_1 / Q8_0 blocks
    (rotary rows already un-permuted), `weight` any tensor as fp32; its large constants
    written into `weights` if given."""
    g = GraphBuilder(weights)
    layers = _DecodeLayers(g, arch, weight, blocks)
    L, eps = arch.n_layer, arch.rms_eps
    table = blocks("token_embd.weight")
    coded = isinstance(table, CodeBlocks) and table.bits == 8  # e.g. Q6_K embeddings
    if isinstance(table, Q8Blocks):  # the codes the tied output product reads, too
        x = g.lookup_q8_0_offset(table, "input_ids", "token_embd", output="")  # (1, D)
    elif coded:
        x = g.lookup_code_blocks(table, "input_ids", "token_embd")  # type: ignore[arg-type]
    else:
        embedding = g.const("token_embd.weight", weight("token_embd.weight"))  # (V, D)
        x = g.op("Gather", embedding, "input_ids", axis=0)
    if arch.embedding_scale != 1.0:  # Gemma 3: sqrt(D)
        x = g.op("Mul", x, g.const("embed.scale", np.array(arch.embedding_scale, np.float32)))
    layers.stacked["hidden"].append(x)
    h = g.rms_norm(x, weight("blk.0.attn_norm.weight"), eps, "blk.0.attn_norm")
    for i in range(L):
        p = f"blk.{i}"
        x, h = g.add_rms_norm(
            x, layers.attention(h, i), weight(f"{p}.ffn_norm.weight"), eps, f"{p}.ffn_norm"
        )
        last = i == L - 1
        norm = "output_norm" if last else f"blk.{i + 1}.attn_norm"
        x, h = g.add_rms_norm(
            x,
            layers.mlp(h, i),
            weight(f"{norm}.weight"),
            eps,
            norm,
        )  # (1, D): the residual stream after block i, and the next norm of it
        layers.stacked["hidden"].append(h if last else x)  # HF: the last is after the norm
    layers.stack_outputs()
    if arch.tied_embeddings and not (isinstance(table, Q8Blocks) or coded):
        g.op("Gemm", h, "token_embd.weight", transB=1, name="logits")  # (1, V), one table
    else:
        output = "token_embd" if arch.tied_embeddings else "output"
        g.op("Identity", layers.project(h, [output]), name="logits")  # (1, V)
    return g.model(name, *decode_signature(arch))


def decode_signature(
    arch: Architecture,
) -> tuple[list[onnx.ValueInfoProto], list[onnx.ValueInfoProto]]:
    L, H, KVH, hd, D = arch.n_layer, arch.n_head, arch.n_head_kv, arch.head_dim, arch.d_model
    f32, i64 = TensorProto.FLOAT, TensorProto.INT64
    inputs = [
        helper.make_tensor_value_info("input_ids", i64, [1]),
        helper.make_tensor_value_info("position_ids", i64, [1]),
        helper.make_tensor_value_info("attention_rows", i64, [1]),
    ]
    for i in range(L):
        for kind in ("key", "value"):
            inputs.append(helper.make_tensor_value_info(f"past_{kind}.{i}", f32, ["P", KVH, hd]))
    outputs = [
        helper.make_tensor_value_info("logits", f32, [1, arch.vocab_size]),
        helper.make_tensor_value_info("attentions", f32, [L, H, "A", "S"]),
        helper.make_tensor_value_info("queries", f32, [L, 1, H, hd]),
        helper.make_tensor_value_info("hidden", f32, [L + 1, 1, D]),
        helper.make_tensor_value_info("keys", f32, [L, 1, KVH, hd]),
        helper.make_tensor_value_info("values", f32, [L, 1, KVH, hd]),
    ]
    return inputs, outputs
