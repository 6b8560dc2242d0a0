"""Build the inspectable ONNX graph of a Llama-family decoder from numpy weights.

One graph serves both the full analysis of a prompt and incremental steps: it takes
the new tokens and a key/value cache of earlier ones (length 0 for a fresh prompt).

Inputs                                      Outputs (per layer i, written in place)
  input_ids       int64 (T,)                  logits         (R, V)  the last R rows
  position_ids    int64 (T,)                  attention.i    (H, A, P+T)  softmax rows of
  attention_rows  int64 (1,) A: 0 or T                       the first A new tokens
  logit_rows      int64 (1,) R: 1..T          query.i        (T, H, hd)  rotated, scaled
  past_key.i      f32   (P, KVH, hd)          hidden.j       (T, D)  j = 0..L, HF convention
  past_value.i    f32   (P, KVH, hd)          key.i / value.i (T, KVH, hd)  the new tokens'

Every output is its own tensor, so a caller can have them written straight into slices
of its arrays; the key/value cache is token-major and the graph returns only the new
tokens' rows, so the caller's cache grows in place instead of being copied every step.
A long prompt asks for no attention rows and one row of logits: the
(H, T, T) maps of all layers would not fit in memory, and each layer's can be computed
again from its queries and keys (see attention_maps.py).

No batch dimension: the app always looks at one sequence. Shapes are written beside the
node that makes them; names follow the GGUF tensors (blk.i.attn_q, ...).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import onnx
from onnx import TensorProto, helper

from playground.engine.model.architecture import Architecture
from playground.engine.model.gguf_source import Q8Blocks
from playground.engine.model.graph_builder import OPSET, GraphBuilder

QKV = ("attn_q", "attn_k", "attn_v")
WeightSource = Callable[[str], np.ndarray]  # GGUF tensor name -> fp32 array (HF orientation)
RowSource = Callable[[str], "Q8Blocks | None"]  # GGUF tensor name -> its Q8_0 blocks, if any


def build_graph(
    arch: Architecture,
    weight: WeightSource,
    name: str = "model",
    rows: RowSource | None = None,
) -> onnx.ModelProto:
    """The analysis graph of `arch` with fp32 `weight`s (the fastest kernels for many rows).
    A token embedding table that `rows` returns Q8_0 blocks for is looked up in them
    (exactly the dequantized values), so the fp32 table serves the output layer alone."""
    g = GraphBuilder()
    L, H, KVH, hd, D = arch.n_layer, arch.n_head, arch.n_head_kv, arch.head_dim, arch.d_model

    def i64(*values: int) -> np.ndarray:
        return np.array(values, dtype=np.int64)

    # --- sequence lengths and the causal mask, shared by every layer ---------------------
    n_new = g.op("Shape", "input_ids")  # [T]
    n_past = g.op("Shape", "past_key.0", start=0, end=1)  # [P]
    mask = g.causal_mask(n_new, n_past)  # (T, S)
    squeeze_axes = g.const("axis0", i64(0))
    axis1 = g.const("axis1", i64(1))

    # --- rotary position embedding (rotate-half form), shared by every layer -------------
    angles = g.op(
        "Mul",
        g.op("Unsqueeze", g.op("Cast", "position_ids", to=TensorProto.FLOAT), axis1),
        g.const("rope.inv_freq", rope_inv_freq(arch)[None, :]),
    )  # (T, hd/2)
    angles = g.op("Concat", angles, angles, axis=-1)  # (T, hd)
    angles = g.op("Unsqueeze", angles, axis1)  # (T, 1, hd): the same for every head
    cos, sin = g.op("Cos", angles), g.op("Sin", angles)

    def rotate(x: str, output: str | None = None) -> str:
        """x (T, heads, hd) -> x*cos + rotate_half(x)*sin."""
        x1, x2 = g.split(x, [hd // 2, hd // 2])  # (T, heads, hd/2) each
        rotated = g.op("Concat", g.op("Neg", x2), x1, axis=-1)
        return g.op("Add", g.op("Mul", x, cos), g.op("Mul", rotated, sin), name=output)

    def project(x: str, tensor: str, bias: np.ndarray | None = None) -> str:
        """x (T, in) @ W.T (+ bias) -> (T, out) for the GGUF matrix `tensor`.weight."""
        return g.linear(x, weight(f"{tensor}.weight"), tensor, bias)

    # --- the network ---------------------------------------------------------------------
    embedding = weight("token_embd.weight")  # (V, D)
    embed_table = g.const("token_embd.weight", embedding)
    table_rows = rows("token_embd.weight") if rows is not None else None
    if table_rows is None:
        x = g.op("Gather", embed_table, "input_ids", axis=0, name="hidden.0")  # (T, D)
    else:
        x = g.lookup_q8_0(table_rows, "input_ids", "token_embd", output="hidden.0")  # (T, D)
    first_row = g.const("first_row", i64(0))
    rows_axis = g.const("rows_axis", i64(1))  # (H, T, S): the query axis
    scale = g.const("attn.scale", np.array(1.0 / np.sqrt(hd), np.float32))
    heads_shape = g.const("shape.heads", i64(-1, H, hd))  # (T, H*hd) -> (T, H, hd)
    kv_heads_shape = g.const("shape.kv_heads", i64(-1, KVH, hd))
    grouped_shape = g.const("shape.grouped", i64(KVH, -1, hd))  # (H, T, hd) -> (KVH, G*T, hd)
    grouped_probs_shape = g.const("shape.grouped_probs", i64(KVH, -1, 0))  # (H,T,S)->(KVH,G*T,S)
    per_head_shape = g.const("shape.per_head", i64(H, -1, 0))  # (KVH, G*T, S) -> (H, T, S)
    per_head_context_shape = g.const("shape.per_head_context", i64(H, -1, hd))
    merged_shape = g.const("shape.merged", i64(-1, D))  # (T, H, hd) -> (T, D)

    for i in range(L):
        p = f"blk.{i}"

        def bias(projection: str, p: str = p) -> np.ndarray | None:
            return weight(f"{p}.{projection}.bias") if arch.attention_bias else None

        h = g.rms_norm(x, weight(f"{p}.attn_norm.weight"), arch.rms_eps, f"{p}.attn_norm")
        q, k, v = (project(h, f"{p}.{n}", bias(n)) for n in QKV)  # (T, H*hd), (T, KVH*hd) x2
        # rotated in (T, heads, hd) layout: the query output then grows by whole rows
        q = g.op("Mul", rotate(g.op("Reshape", q, heads_shape)), scale, name=f"query.{i}")
        q = g.op("Transpose", q, perm=[1, 0, 2])  # (T, H, hd) -> (H, T, hd)
        k = rotate(g.op("Reshape", k, kv_heads_shape), output=f"key.{i}")  # (T, KVH, hd)
        v = g.op("Reshape", v, kv_heads_shape, name=f"value.{i}")  # (T, KVH, hd)
        k_all = g.op("Concat", f"past_key.{i}", k, axis=0)  # (S, KVH, hd)
        v_all = g.op("Concat", f"past_value.{i}", v, axis=0)
        k_all = g.op("Transpose", k_all, perm=[1, 0, 2])  # (KVH, S, hd)
        v_all = g.op("Transpose", v_all, perm=[1, 0, 2])
        # Query heads h = kv*G + g share key/value head kv: fold the group into the rows.
        q_grouped = g.op("Reshape", q, grouped_shape)  # (KVH, G*T, hd)
        scores = g.op("MatMul", q_grouped, g.op("Transpose", k_all, perm=[0, 2, 1]))  # (KVH,G*T,S)
        scores = g.op("Reshape", scores, per_head_shape)  # (H, T, S)
        probs = g.op("Softmax", g.op("Add", scores, mask), axis=-1)  # (H, T, S)
        g.op(
            "Slice", probs, first_row, "attention_rows", rows_axis, name=f"attention.{i}"
        )  # (H, A, S)
        context = g.op("MatMul", g.op("Reshape", probs, grouped_probs_shape), v_all)  # (KVH,G*T,hd)
        context = g.op("Reshape", context, per_head_context_shape)  # (H, T, hd)
        context = g.op("Reshape", g.op("Transpose", context, perm=[1, 0, 2]), merged_shape)  # (T,D)
        x = g.op("Add", x, project(context, f"{p}.attn_output"))
        h = g.rms_norm(x, weight(f"{p}.ffn_norm.weight"), arch.rms_eps, f"{p}.ffn_norm")
        gate, up = project(h, f"{p}.ffn_gate"), project(h, f"{p}.ffn_up")  # (T, d_ff) each
        act = g.op("Mul", g.op("Mul", gate, g.op("Sigmoid", gate)), up)  # SiLU(gate) * up
        x = g.op(
            "Add", x, project(act, f"{p}.ffn_down"), name=f"hidden.{i + 1}" if i < L - 1 else None
        )  # (T, D)

    # HF convention: the last hidden state is after the final norm
    x = g.rms_norm(
        x, weight("output_norm.weight"), arch.rms_eps, "output_norm", output=f"hidden.{L}"
    )
    last_rows = g.op(
        "Slice", x, g.op("Neg", "logit_rows"), g.const("rows_end", i64(2**62)), squeeze_axes
    )  # (R, D)
    if arch.tied_embeddings:
        g.op("Gemm", last_rows, embed_table, transB=1, name="logits")  # (R, V)
    else:
        g.op("Identity", g.linear(last_rows, weight("output.weight"), "output"), name="logits")

    return g.model(name, *graph_signature(arch))


def graph_signature(
    arch: Architecture,
) -> tuple[list[onnx.ValueInfoProto], list[onnx.ValueInfoProto]]:
    """The inputs and outputs of the analysis graph, with the names in the table above."""
    L, H, KVH, hd, D = arch.n_layer, arch.n_head, arch.n_head_kv, arch.head_dim, arch.d_model
    f32, i64, T = TensorProto.FLOAT, TensorProto.INT64, "T"
    inputs = [
        helper.make_tensor_value_info("input_ids", i64, [T]),
        helper.make_tensor_value_info("position_ids", i64, [T]),
        helper.make_tensor_value_info("attention_rows", i64, [1]),
        helper.make_tensor_value_info("logit_rows", i64, [1]),
    ]
    outputs = [helper.make_tensor_value_info("logits", f32, ["R", arch.vocab_size])]
    outputs += [
        helper.make_tensor_value_info(f"attention.{i}", f32, [H, "A", "S"]) for i in range(L)
    ]
    outputs += [helper.make_tensor_value_info(f"query.{i}", f32, [T, H, hd]) for i in range(L)]
    outputs += [helper.make_tensor_value_info(f"hidden.{j}", f32, [T, D]) for j in range(L + 1)]
    for i in range(L):
        for kind in ("key", "value"):
            inputs.append(helper.make_tensor_value_info(f"past_{kind}.{i}", f32, ["P", KVH, hd]))
            outputs.append(helper.make_tensor_value_info(f"{kind}.{i}", f32, [T, KVH, hd]))
    return inputs, outputs


def rope_inv_freq(arch: Architecture) -> np.ndarray:
    """(hd/2,) float32: the rotary frequencies, theta^(-2i/hd)."""
    hd = arch.head_dim
    return (1.0 / (arch.rope_theta ** (np.arange(0, hd, 2, dtype=np.float64) / hd))).astype(
        np.float32
    )


def build_attention_graph() -> onnx.ModelProto:
    """queries (G, T, hd) (rotated, scaled) and their shared keys (1, T, hd) -> maps
    (G, T, T): the model graph's own attention operations for a prompt, alone."""
    g = GraphBuilder()
    n_tokens = g.op("Shape", "keys", start=1, end=2)  # [T]
    mask = g.causal_mask(n_tokens, g.const("no_past", np.array([0])))  # (T, T)
    rows = g.op("Reshape", "queries", g.const("shape.rows", np.array([1, -1, 0])))  # (1,G*T,hd)
    scores = g.op("MatMul", rows, g.op("Transpose", "keys", perm=[0, 2, 1]))  # (1, G*T, T)
    maps_shape = g.op(
        "Concat",
        g.op("Shape", "queries", start=0, end=2),  # [G, T]
        g.op("Shape", "keys", start=1, end=2),  # [T]
        axis=0,
    )
    scores = g.op("Reshape", scores, maps_shape)  # (G, T, T)
    g.op("Softmax", g.op("Add", scores, mask), axis=-1, name="maps")
    f32 = TensorProto.FLOAT
    graph = helper.make_graph(
        g.nodes,
        "attention",
        [
            helper.make_tensor_value_info("queries", f32, ["G", "T", "hd"]),
            helper.make_tensor_value_info("keys", f32, [1, "T", "hd"]),
        ],
        [helper.make_tensor_value_info("maps", f32, ["G", "T", "T"])],
        g.initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = 8
    return model
