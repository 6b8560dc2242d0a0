"""Build the inspectable ONNX graph of a Llama-family decoder from numpy weights.

One graph serves both the full analysis of a prompt and incremental steps: it takes
the new tokens and a key/value cache of earlier ones (length 0 for a fresh prompt).

Inputs                                      Outputs
  input_ids     int64 (T,)                    logits         (T, V)
  position_ids  int64 (T,)                    attentions     (L, H, T, P+T)  softmax rows
  past_key.i    f32   (KVH, P, hd)            hidden_states  (L+1, T, D)  HF convention
  past_value.i  f32   (KVH, P, hd)            present_key.i / present_value.i (KVH, P+T, hd)

No batch dimension: the app always looks at one sequence. Shapes are written beside the
node that makes them; names follow the GGUF tensors (blk.i.attn_q, ...).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from playground.engine.architecture import Architecture

OPSET = 17
WeightSource = Callable[[str], np.ndarray]  # GGUF tensor name -> fp32 array (HF orientation)


class _GraphBuilder:
    """Appends nodes with unique output names; keeps initializers alongside."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self._count = 0

    def op(self, op_type: str, *inputs: str, name: str | None = None, **attrs: Any) -> str:
        self._count += 1
        output = name or f"{op_type.lower()}_{self._count}"
        self.nodes.append(
            helper.make_node(op_type, list(inputs), [output], name=f"n{self._count}", **attrs)
        )
        return output

    def const(self, name: str, array: np.ndarray) -> str:
        self.initializers.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def split2(self, x: str, sizes: str) -> tuple[str, str]:
        """Split the last axis of x in two parts of the given sizes."""
        self._count += 1
        a, b = f"split_{self._count}_a", f"split_{self._count}_b"
        node = helper.make_node("Split", [x, sizes], [a, b], name=f"n{self._count}", axis=-1)
        self.nodes.append(node)
        return a, b

    def linear(self, x: str, weight: np.ndarray, name: str, bias: np.ndarray | None = None) -> str:
        """x (T, in) @ weight.T -> (T, out); weight is (out, in) as in the checkpoint."""
        w = self.const(f"{name}.weight_t", np.ascontiguousarray(weight.T))  # (in, out)
        y = self.op("MatMul", x, w)
        if bias is not None:
            y = self.op("Add", y, self.const(f"{name}.bias", bias))
        return y

    def rms_norm(self, x: str, weight: np.ndarray, eps: float, name: str) -> str:
        """x / sqrt(mean(x^2) + eps) * weight, over the last axis."""
        mean_square = self.op("ReduceMean", self.op("Mul", x, x), axes=[-1], keepdims=1)
        eps_c = self.const(f"{name}.eps", np.array(eps, np.float32))
        inv_rms = self.op("Reciprocal", self.op("Sqrt", self.op("Add", mean_square, eps_c)))
        return self.op("Mul", self.op("Mul", x, inv_rms), self.const(f"{name}.weight", weight))


def build_graph(arch: Architecture, weight: WeightSource, name: str = "model") -> onnx.ModelProto:
    g = _GraphBuilder()
    L, H, KVH, hd, D = arch.n_layer, arch.n_head, arch.n_head_kv, arch.head_dim, arch.d_model

    def i64(*values: int) -> np.ndarray:
        return np.array(values, dtype=np.int64)

    # --- sequence lengths and the causal mask, shared by every layer ---------------------
    n_new = g.op("Shape", "input_ids")  # [T]
    n_past = g.op("Shape", "past_key.0", start=1, end=2)  # [P]
    n_total = g.op("Add", n_new, n_past)  # [S]
    zero, one = g.const("zero", np.array(0, np.int64)), g.const("one", np.array(1, np.int64))
    squeeze_axes = g.const("axis0", i64(0))
    axis1 = g.const("axis1", i64(1))
    key_index = g.op("Range", zero, g.op("Squeeze", n_total, squeeze_axes), one)  # (S,)
    query_index = g.op(
        "Add", g.op("Range", zero, g.op("Squeeze", n_new, squeeze_axes), one), n_past
    )  # (T,) index of each new token in the whole sequence
    allowed = g.op(
        "LessOrEqual",
        g.op("Unsqueeze", key_index, squeeze_axes),  # (1, S)
        g.op("Unsqueeze", query_index, axis1),  # (T, 1)
    )  # (T, S) True where the key is not in the query's future
    neg_inf = g.const("neg_inf", np.array(-np.inf, np.float32))
    mask = g.op("Where", allowed, g.const("f_zero", np.array(0.0, np.float32)), neg_inf)

    # --- rotary position embedding (rotate-half form), shared by every layer -------------
    inv_freq = 1.0 / (arch.rope_theta ** (np.arange(0, hd, 2, dtype=np.float64) / hd))
    angles = g.op(
        "Mul",
        g.op("Unsqueeze", g.op("Cast", "position_ids", to=TensorProto.FLOAT), axis1),
        g.const("rope.inv_freq", inv_freq.astype(np.float32)[None, :]),
    )  # (T, hd/2)
    angles = g.op("Concat", angles, angles, axis=-1)  # (T, hd)
    cos, sin = g.op("Cos", angles), g.op("Sin", angles)
    half = g.const("rope.half", i64(hd // 2, hd // 2))

    def rotate(x: str) -> str:
        """x (heads, T, hd) -> x*cos + rotate_half(x)*sin."""
        x1, x2 = g.split2(x, half)  # (heads, T, hd/2) each
        rotated = g.op("Concat", g.op("Neg", x2), x1, axis=-1)
        return g.op("Add", g.op("Mul", x, cos), g.op("Mul", rotated, sin))

    # --- the network ---------------------------------------------------------------------
    embedding = weight("token_embd.weight")  # (V, D)
    embed_table = g.const("token_embd.weight", embedding)
    x = g.op("Gather", embed_table, "input_ids", axis=0)  # (T, D)
    hidden = [x]
    attentions = []
    presents = []
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
        q = g.linear(h, weight(f"{p}.attn_q.weight"), f"{p}.attn_q", bias("attn_q"))  # (T, H*hd)
        k = g.linear(h, weight(f"{p}.attn_k.weight"), f"{p}.attn_k", bias("attn_k"))
        v = g.linear(h, weight(f"{p}.attn_v.weight"), f"{p}.attn_v", bias("attn_v"))
        q = g.op("Transpose", g.op("Reshape", q, heads_shape), perm=[1, 0, 2])  # (H, T, hd)
        k = g.op("Transpose", g.op("Reshape", k, kv_heads_shape), perm=[1, 0, 2])  # (KVH, T, hd)
        v = g.op("Transpose", g.op("Reshape", v, kv_heads_shape), perm=[1, 0, 2])
        q = g.op("Mul", rotate(q), scale)
        k = rotate(k)
        k_all = g.op("Concat", f"past_key.{i}", k, axis=1, name=f"present_key.{i}")  # (KVH,S,hd)
        v_all = g.op("Concat", f"past_value.{i}", v, axis=1, name=f"present_value.{i}")
        presents += [k_all, v_all]
        # Query heads h = kv*G + g share key/value head kv: fold the group into the rows.
        q_grouped = g.op("Reshape", q, grouped_shape)  # (KVH, G*T, hd)
        scores = g.op("MatMul", q_grouped, g.op("Transpose", k_all, perm=[0, 2, 1]))  # (KVH,G*T,S)
        scores = g.op("Reshape", scores, per_head_shape)  # (H, T, S)
        probs = g.op("Softmax", g.op("Add", scores, mask), axis=-1)  # (H, T, S)
        attentions.append(g.op("Unsqueeze", probs, squeeze_axes))  # (1, H, T, S)
        context = g.op("MatMul", g.op("Reshape", probs, grouped_probs_shape), v_all)  # (KVH,G*T,hd)
        context = g.op("Reshape", context, per_head_context_shape)  # (H, T, hd)
        context = g.op("Reshape", g.op("Transpose", context, perm=[1, 0, 2]), merged_shape)  # (T,D)
        x = g.op("Add", x, g.linear(context, weight(f"{p}.attn_output.weight"), f"{p}.attn_output"))
        h = g.rms_norm(x, weight(f"{p}.ffn_norm.weight"), arch.rms_eps, f"{p}.ffn_norm")
        gate = g.linear(h, weight(f"{p}.ffn_gate.weight"), f"{p}.ffn_gate")  # (T, d_ff)
        up = g.linear(h, weight(f"{p}.ffn_up.weight"), f"{p}.ffn_up")
        act = g.op("Mul", g.op("Mul", gate, g.op("Sigmoid", gate)), up)  # SiLU(gate) * up
        x = g.op("Add", x, g.linear(act, weight(f"{p}.ffn_down.weight"), f"{p}.ffn_down"))
        if i < L - 1:
            hidden.append(x)

    x = g.rms_norm(x, weight("output_norm.weight"), arch.rms_eps, "output_norm")
    hidden.append(x)  # HF convention: the last entry is after the final norm
    if arch.tied_embeddings:
        g.op("Gemm", x, embed_table, transB=1, name="logits")  # (T, V)
    else:
        g.op("Identity", g.linear(x, weight("output.weight"), "output"), name="logits")
    g.op("Concat", *attentions, axis=0, name="attentions")  # (L, H, T, S)
    g.op(
        "Concat",
        *[g.op("Unsqueeze", h_i, squeeze_axes) for h_i in hidden],
        axis=0,
        name="hidden_states",
    )  # (L+1, T, D)

    f32, i64_t = TensorProto.FLOAT, TensorProto.INT64
    inputs = [
        helper.make_tensor_value_info("input_ids", i64_t, ["T"]),
        helper.make_tensor_value_info("position_ids", i64_t, ["T"]),
    ]
    outputs = [
        helper.make_tensor_value_info("logits", f32, ["T", arch.vocab_size]),
        helper.make_tensor_value_info("attentions", f32, [L, H, "T", "S"]),
        helper.make_tensor_value_info("hidden_states", f32, [L + 1, "T", D]),
    ]
    for i in range(L):
        for kind in ("key", "value"):
            inputs.append(helper.make_tensor_value_info(f"past_{kind}.{i}", f32, [KVH, "P", hd]))
            present = helper.make_tensor_value_info(f"present_{kind}.{i}", f32, [KVH, "S", hd])
            outputs.append(present)
    graph = helper.make_graph(g.nodes, name, inputs, outputs, g.initializers)
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="llm-playground"
    )
    model.ir_version = 8
    return model
