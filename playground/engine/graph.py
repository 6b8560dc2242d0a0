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
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from playground.engine.architecture import Architecture
from playground.engine.gguf_source import Q4Blocks, Q8Blocks

OPSET = 17
QKV = ("attn_q", "attn_k", "attn_v")
MS_OPSET = 1  # com.microsoft: MatMulNBits, ONNX Runtime's kernel for 4-bit block weights
WeightSource = Callable[[str], np.ndarray]  # GGUF tensor name -> fp32 array (HF orientation)
BlockSource = Callable[[str], "Q4Blocks | None"]  # GGUF tensor name -> its Q4_1 blocks, if any
RowSource = Callable[[str], "Q8Blocks | None"]  # GGUF tensor name -> its Q8_0 blocks, if any


class _GraphBuilder:
    """Appends nodes with unique output names; keeps initializers alongside."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self._count = 0
        self._block_sums: dict[tuple[str, int], str] = {}
        self._const_names: set[str] = set()

    def op(self, op_type: str, *inputs: str, name: str | None = None, **attrs: Any) -> str:
        self._count += 1
        output = name or f"{op_type.lower()}_{self._count}"
        self.nodes.append(
            helper.make_node(op_type, list(inputs), [output], name=f"n{self._count}", **attrs)
        )
        return output

    def const(self, name: str, array: np.ndarray) -> str:
        """An initializer; a name already given keeps its first value."""
        if name not in self._const_names:
            self._const_names.add(name)
            self.initializers.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def split(self, x: str, sizes: list[int]) -> list[str]:
        """Split the last axis of x into parts of the given sizes."""
        self._count += 1
        parts = [f"split_{self._count}_{i}" for i in range(len(sizes))]
        sizes_name = self.const(f"split_sizes_{'_'.join(map(str, sizes))}", np.array(sizes))
        node = helper.make_node("Split", [x, sizes_name], parts, name=f"n{self._count}", axis=-1)
        self.nodes.append(node)
        return parts

    def linear(self, x: str, weight: np.ndarray, name: str, bias: np.ndarray | None = None) -> str:
        """x (T, in) @ weight.T -> (T, out); weight is (out, in) as in the checkpoint."""
        w = self.const(f"{name}.weight_t", np.ascontiguousarray(weight.T))  # (in, out)
        y = self.op("MatMul", x, w)
        if bias is not None:
            y = self.op("Add", y, self.const(f"{name}.bias", bias))
        return y

    def linear_q4_1(self, x: str, blocks: Q4Blocks, name: str) -> str:
        """x (T, in) @ w.T -> (T, out) straight from the GGUF's 4-bit blocks.

        MatMulNBits computes sum(scale * code * x) in fp32 (accuracy_level 0: activations
        are not quantized). Its zero point must be an integer, and Q4_1's minimum is not a
        multiple of the scale, so the minimum's share, sum over blocks of
        minimum * (sum of x over the block), is a second, small product (T, in/32) @
        (in/32, out), using block sums shared by every matrix that reads x.
        """
        out_features, n_blocks, block = blocks.codes.shape  # (out, nb, 32)
        codes = blocks.codes.reshape(out_features, n_blocks, block // 2, 2)
        packed = (codes[..., 0] | (codes[..., 1] << 4)).astype(np.uint8)  # (out, nb, 16)
        zero_points = np.zeros((out_features, (n_blocks + 1) // 2), np.uint8)  # 4 bits each
        y = self.op(
            "MatMulNBits",
            x,
            self.const(f"{name}.codes", packed),
            self.const(f"{name}.scales", blocks.scales.reshape(-1)),
            self.const(f"{name}.zero_points", zero_points.reshape(-1)),
            K=n_blocks * block,
            N=out_features,
            bits=4,
            block_size=block,
            accuracy_level=0,
            domain="com.microsoft",
        )  # (T, out) = x @ (scale * code).T
        minimums = self.const(f"{name}.minimums_t", np.ascontiguousarray(blocks.minimums.T))
        return self.op("Add", y, self.op("MatMul", self.block_sums(x, n_blocks, block), minimums))

    def lookup_q8_0(self, table: Q8Blocks, ids: str, name: str, output: str) -> str:
        """Rows `ids` of a Q8_0 table as fp32 (T, D): scale * code, the same fp32 product
        gguf's dequantize computes. Holds 1 byte per weight instead of 4."""
        codes = self.op("Gather", self.const(f"{name}.codes", table.codes), ids, axis=0)
        scales = self.const(f"{name}.scales", table.scales[..., None])  # (V, nb, 1)
        values = self.op(
            "Mul",
            self.op("Cast", codes, to=TensorProto.FLOAT),  # (T, nb, 32)
            self.op("Gather", scales, ids, axis=0),  # (T, nb, 1)
        )
        width = table.codes.shape[1] * table.codes.shape[2]
        return self.op(
            "Reshape", values, self.const(f"{name}.row_shape", np.array([-1, width])), name=output
        )

    def block_sums(self, x: str, n_blocks: int, block: int) -> str:
        """x (T, nb*block) -> (T, nb): the sum of each block of inputs (computed once)."""
        key = (x, block)
        if key not in self._block_sums:
            shape = self.const(f"shape.blocks_{n_blocks}x{block}", np.array([-1, n_blocks, block]))
            last = self.const("axis_last", np.array([-1], np.int64))
            blocked = self.op("Reshape", x, shape)  # (T, nb, block)
            self._block_sums[key] = self.op("ReduceSum", blocked, last, keepdims=0)
        return self._block_sums[key]

    def causal_mask(self, n_new: str, n_past: str) -> str:
        """(T, P+T) additive mask for T new tokens after P earlier ones ([T], [P] int64):
        0 where the key is not in the query's future, -inf where it is."""
        zero, one = (
            self.const("zero", np.array(0, np.int64)),
            self.const("one", np.array(1, np.int64)),
        )
        axis0, axis1 = self.const("axis0", np.array([0])), self.const("axis1", np.array([1]))
        n_total = self.op("Add", n_new, n_past)  # [S]
        key_index = self.op("Range", zero, self.op("Squeeze", n_total, axis0), one)  # (S,)
        query_index = self.op(
            "Add", self.op("Range", zero, self.op("Squeeze", n_new, axis0), one), n_past
        )  # (T,) index of each new token in the whole sequence
        allowed = self.op(
            "LessOrEqual",
            self.op("Unsqueeze", key_index, axis0),  # (1, S)
            self.op("Unsqueeze", query_index, axis1),  # (T, 1)
        )  # (T, S)
        neg_inf = self.const("neg_inf", np.array(-np.inf, np.float32))
        return self.op("Where", allowed, self.const("f_zero", np.array(0.0, np.float32)), neg_inf)

    def rms_norm(
        self, x: str, weight: np.ndarray, eps: float, name: str, output: str | None = None
    ) -> str:
        """x / sqrt(mean(x^2) + eps) * weight over the last axis, in fp32: ONNX Runtime's
        one-node RMSNorm (its SimplifiedLayerNormalization) instead of seven small nodes."""
        scale = self.const(f"{name}.weight", weight)
        return self.op(
            "SimplifiedLayerNormalization",
            x,
            scale,
            name=output,
            axis=-1,
            epsilon=float(eps),
            stash_type=1,  # compute in fp32
        )


def build_graph(
    arch: Architecture,
    weight: WeightSource,
    name: str = "model",
    blocks: BlockSource | None = None,
    rows: RowSource | None = None,
) -> onnx.ModelProto:
    """The graph of `arch` with `weight`s; matrices that `blocks` returns Q4_1 blocks for
    are multiplied straight from their 4-bit codes (a quarter of fp32's memory traffic).
    A token embedding table that `rows` returns Q8_0 blocks for is looked up in them
    (exactly the dequantized values), so the fp32 table serves the output layer alone."""
    g = _GraphBuilder()
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
    inv_freq = 1.0 / (arch.rope_theta ** (np.arange(0, hd, 2, dtype=np.float64) / hd))
    angles = g.op(
        "Mul",
        g.op("Unsqueeze", g.op("Cast", "position_ids", to=TensorProto.FLOAT), axis1),
        g.const("rope.inv_freq", inv_freq.astype(np.float32)[None, :]),
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
        q4 = blocks(f"{tensor}.weight") if blocks is not None else None
        if q4 is None:
            return g.linear(x, weight(f"{tensor}.weight"), tensor, bias)
        y = g.linear_q4_1(x, q4, tensor)
        return y if bias is None else g.op("Add", y, g.const(f"{tensor}.bias", bias))

    def project_together(x: str, tensors: list[str], biases: list[np.ndarray | None]) -> list[str]:
        """Several Q4_1 matrices that read the same x, as one 4-bit product split
        afterwards (fewer kernel calls for a generated token). fp32 matrices stay separate:
        joining them measured no faster."""
        q4 = [blocks(f"{t}.weight") for t in tensors] if blocks is not None else []
        if not q4 or any(b is None for b in q4):
            return [project(x, t, b) for t, b in zip(tensors, biases, strict=True)]
        parts: list[Q4Blocks] = q4  # type: ignore[assignment]  # none is None here
        joined = Q4Blocks(
            np.concatenate([b.codes for b in parts]),  # (sum of outs, nb, 32)
            np.concatenate([b.scales for b in parts]),
            np.concatenate([b.minimums for b in parts]),
        )
        name = "+".join(tensors)
        y = g.linear_q4_1(x, joined, name)  # (T, sum of outs)
        sizes = [len(b.scales) for b in parts]
        if any(b is not None for b in biases):
            full = [
                b if b is not None else np.zeros(n, np.float32)
                for b, n in zip(biases, sizes, strict=True)
            ]
            y = g.op("Add", y, g.const(f"{name}.bias", np.concatenate(full)))
        return g.split(y, sizes)

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
        q, k, v = project_together(
            h, [f"{p}.attn_q", f"{p}.attn_k", f"{p}.attn_v"], [bias(n) for n in QKV]
        )  # (T, H*hd), (T, KVH*hd), (T, KVH*hd)
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
        gate, up = project_together(h, [f"{p}.ffn_gate", f"{p}.ffn_up"], [None, None])  # (T, d_ff)
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

    f32, i64_t = TensorProto.FLOAT, TensorProto.INT64
    inputs = [
        helper.make_tensor_value_info("input_ids", i64_t, ["T"]),
        helper.make_tensor_value_info("position_ids", i64_t, ["T"]),
        helper.make_tensor_value_info("attention_rows", i64_t, [1]),
        helper.make_tensor_value_info("logit_rows", i64_t, [1]),
    ]
    outputs = [helper.make_tensor_value_info("logits", f32, ["R", arch.vocab_size])]
    outputs += [
        helper.make_tensor_value_info(f"attention.{i}", f32, [H, "A", "S"]) for i in range(L)
    ]
    outputs += [helper.make_tensor_value_info(f"query.{i}", f32, ["T", H, hd]) for i in range(L)]
    outputs += [helper.make_tensor_value_info(f"hidden.{j}", f32, ["T", D]) for j in range(L + 1)]
    for i in range(L):
        for kind in ("key", "value"):
            inputs.append(helper.make_tensor_value_info(f"past_{kind}.{i}", f32, ["P", KVH, hd]))
            outputs.append(helper.make_tensor_value_info(f"{kind}.{i}", f32, ["T", KVH, hd]))
    graph = helper.make_graph(g.nodes, name, inputs, outputs, g.initializers)
    model = helper.make_model(
        graph,
        opset_imports=[
            helper.make_opsetid("", OPSET),
            helper.make_opsetid("com.microsoft", MS_OPSET),
        ],
        producer_name="llm-playground",
    )
    model.ir_version = 8
    return model


def build_attention_graph() -> onnx.ModelProto:
    """queries (G, T, hd) (rotated, scaled) and their shared keys (1, T, hd) -> maps
    (G, T, T): the model graph's own attention operations for a prompt, alone."""
    g = _GraphBuilder()
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
