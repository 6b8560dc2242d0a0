"""The sentence encoder as an ONNX graph: a BERT encoder (all-MiniLM-L6-v2) with mean
pooling over the attention mask and L2 normalisation, as sentence-transformers runs it.

    input_ids, attention_mask (B, T) int64
    -> embeddings (word + position + token type 0), LayerNorm
    -> n_layer x [self-attention (H heads, padded keys masked), Add & LayerNorm,
                  GELU feed-forward, Add & LayerNorm]
    -> token_states (B, T, D); sentence = normalise(mean over unmasked tokens) (B, D)

`with_attention_outputs` makes a second graph on the same weights file that also outputs
attentions (L, B, H, T, T), every head's weights, for the panel; embedding many passages
runs the first (no (L, B, H, T, T) copy).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import onnx
from onnx import TensorProto, helper

from playground.engine.model.graph_builder import GraphBuilder


@dataclass(frozen=True)
class EncoderShape:
    n_layer: int
    d_model: int
    n_head: int
    d_ff: int
    max_positions: int
    layer_norm_eps: float

    @property
    def head_dim(self) -> int:
        return self.d_model // self.n_head


def attention_name(layer: int) -> str:
    return f"layer{layer}.attention"  # (B, H, T, T) after the softmax


def build_encoder_graph(weights: dict[str, np.ndarray], shape: EncoderShape) -> onnx.ModelProto:
    g = GraphBuilder()
    D, H, hd = shape.d_model, shape.n_head, shape.head_dim
    eps = shape.layer_norm_eps

    def w(name: str) -> np.ndarray:
        return np.asarray(weights[name], np.float32)

    def layer_norm(x: str, prefix: str) -> str:
        gamma = g.const(f"{prefix}.weight", w(f"{prefix}.weight"))
        beta = g.const(f"{prefix}.bias", w(f"{prefix}.bias"))
        return g.op("LayerNormalization", x, gamma, beta, axis=-1, epsilon=eps)

    def linear(x: str, prefix: str) -> str:
        return g.linear(x, w(f"{prefix}.weight"), prefix, bias=w(f"{prefix}.bias"))

    # --- embeddings ---------------------------------------------------------------------
    words = g.op(
        "Gather", g.const("word_embeddings", w("embeddings.word_embeddings.weight")), "input_ids"
    )  # (B, T, D)
    ids_shape = g.op("Shape", "input_ids")
    length = g.op("Gather", ids_shape, g.const("one", np.array(1, np.int64)))  # T
    positions = g.op(
        "Range",
        g.const("zero", np.array(0, np.int64)),
        length,
        g.const("one", np.array(1, np.int64)),
    )  # (T,)
    position_table = g.const("position_embeddings", w("embeddings.position_embeddings.weight"))
    placed = g.op("Gather", position_table, positions)  # (T, D)
    type_zero = g.const("token_type_0", w("embeddings.token_type_embeddings.weight")[0])  # (D,)
    x = g.op("Add", g.op("Add", words, placed), type_zero)
    x = layer_norm(x, "embeddings.LayerNorm")  # (B, T, D)

    # --- the mask: padded keys get -1e9 before the softmax ------------------------------
    mask = g.op("Cast", "attention_mask", to=TensorProto.FLOAT)  # (B, T)
    keys_mask = g.op("Unsqueeze", mask, g.const("axes_1_2", np.array([1, 2], np.int64)))
    masked_out = g.op("Sub", g.const("one_f", np.array(1.0, np.float32)), keys_mask)
    bias = g.op("Mul", masked_out, g.const("minus_big", np.array(-1e9, np.float32)))  # (B,1,1,T)

    heads_shape = g.const("heads_shape", np.array([0, 0, H, hd], np.int64))
    merged_shape = g.const("merged_shape", np.array([0, 0, D], np.int64))
    scale = g.const("scale", np.array(1.0 / np.sqrt(hd), np.float32))
    for i in range(shape.n_layer):
        p = f"encoder.layer.{i}"

        def heads(t: str) -> str:  # (B, T, D) -> (B, H, T, hd)
            return g.op("Transpose", g.op("Reshape", t, heads_shape), perm=[0, 2, 1, 3])

        q = heads(linear(x, f"{p}.attention.self.query"))
        k = heads(linear(x, f"{p}.attention.self.key"))
        v = heads(linear(x, f"{p}.attention.self.value"))
        k_t = g.op("Transpose", k, perm=[0, 1, 3, 2])  # (B, H, hd, T)
        scores = g.op("Add", g.op("Mul", g.op("MatMul", q, k_t), scale), bias)  # (B,H,T,T)
        probs = g.op("Softmax", scores, axis=-1, name=attention_name(i))
        context = g.op("MatMul", probs, v)  # (B, H, T, hd)
        context = g.op("Reshape", g.op("Transpose", context, perm=[0, 2, 1, 3]), merged_shape)
        attended = linear(context, f"{p}.attention.output.dense")
        x = layer_norm(g.op("Add", x, attended), f"{p}.attention.output.LayerNorm")
        hidden = g.op("Gelu", linear(x, f"{p}.intermediate.dense"), approximate="none")
        x = layer_norm(g.op("Add", x, linear(hidden, f"{p}.output.dense")), f"{p}.output.LayerNorm")

    token_states = g.op("Identity", x, name="token_states")  # (B, T, D)
    # --- mean pooling over the unmasked tokens, then unit length -----------------------
    weights_3d = g.op("Unsqueeze", mask, g.const("axes_2", np.array([2], np.int64)))  # (B,T,1)
    summed = g.op(
        "ReduceSum", g.op("Mul", x, weights_3d), g.const("axes_1", np.array([1])), keepdims=0
    )  # (B, D)
    counts = g.op("ReduceSum", weights_3d, g.const("axes_1", np.array([1])), keepdims=0)
    counts = g.op("Max", counts, g.const("tiny_count", np.array(1e-9, np.float32)))  # (B, 1)
    pooled = g.op("Div", summed, counts)
    norm = g.op("ReduceL2", pooled, g.const("axes_last", np.array([-1])), keepdims=1)
    norm = g.op("Max", norm, g.const("tiny_norm", np.array(1e-12, np.float32)))
    g.op("Div", pooled, norm, name="sentence")  # (B, D)

    inputs = [
        helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["B", "T"]),
        helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["B", "T"]),
    ]
    outputs = [
        helper.make_tensor_value_info("sentence", TensorProto.FLOAT, ["B", D]),
        helper.make_tensor_value_info(token_states, TensorProto.FLOAT, ["B", "T", D]),
    ]
    return g.model("sentence-encoder", inputs, outputs)


def with_attention_outputs(model: onnx.ModelProto, shape: EncoderShape) -> onnx.ModelProto:
    """A copy of the encoder graph (loaded without its external data, which the copy shares)
    that also outputs every layer's attention weights stacked as (L, B, H, T, T)."""
    extended = onnx.ModelProto()
    extended.CopyFrom(model)
    graph = extended.graph
    axis = helper.make_tensor("attentions_axis", TensorProto.INT64, [1], [0])
    graph.initializer.append(axis)
    stacked = []
    for i in range(shape.n_layer):
        name = f"{attention_name(i)}.stacked"
        graph.node.append(
            helper.make_node("Unsqueeze", [attention_name(i), "attentions_axis"], [name])
        )
        stacked.append(name)
    graph.node.append(helper.make_node("Concat", stacked, ["attentions"], axis=0))
    graph.output.append(
        helper.make_tensor_value_info(
            "attentions", TensorProto.FLOAT, [shape.n_layer, "B", shape.n_head, "T", "T"]
        )
    )
    return extended
