"""Parts of the analysis graph as small graphs of their own, built in memory when first
asked for (never stored in a bundle): one block alone, with every value inside it as an
output (the "Inside a layer" panel: block_runs.py), and the attention maps computed from
queries and keys (a long prompt's, a layer at a time: LanguageModel.attention_maps)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import onnx
from onnx import TensorProto, helper

from playground.engine.model.architecture import Architecture
from playground.engine.model.graph import (
    AnalysisParts,
    WeightSource,
    analysis_block,
)
from playground.engine.model.graph_builder import GraphBuilder
from playground.engine.model.graph_nodes import IR_VERSION, OPSET
from playground.engine.model.graph_signature import graph_signature


def stored_weights(tensors: dict[str, np.ndarray]) -> WeightSource:
    """A bundle's tensors (read_initializers) as the graph builder asks for them: in the
    converter's orientation (out, in), a stored `_t` matrix transposed back."""

    def weight(name: str) -> np.ndarray:
        stored = tensors.get(f"{name}_t")
        return np.asarray(stored.T if stored is not None else tensors[name])

    return weight


def build_block_graph(arch: Architecture, weight: WeightSource, layer: int) -> onnx.ModelProto:
    """Block `layer` alone, with every value inside it as an output (the "Inside a layer"
    panel's numbers): the analysis graph's own block (graph.analysis_block, the same
    operations and weights), fed the stream entering the block (hidden_in (T, D)). Its
    inputs are the analysis graph's, for one layer: head_mask (1, H), mlp_mask (1,),
    head_fill (1, F, H, hd), attn_add and mlp_add (1, F, D), past_key.0 / past_value.0
    (0, KVH, hd); input_ids (T,) is read for its length only."""
    sliding = (0,) if arch.window_of(layer) else ()  # the one block is layer 0 here
    one = replace(arch, n_layer=1, sliding_layers=sliding)
    block = f"blk.{layer}."

    def layer_weight(name: str) -> np.ndarray:  # blk.0.* of the one-block graph
        return weight(name.replace("blk.0.", block, 1))

    g = GraphBuilder()
    parts = AnalysisParts(g, one, layer_weight)
    analysis_block(g, parts, layer_weight, "hidden_in", 0, "hidden_out")
    inputs, _ = graph_signature(one)
    T, D, f32 = "T", arch.d_model, TensorProto.FLOAT
    unused = ("logit_rows", "stream_add", "record_rows")  # hidden_in holds the stream's edit
    inputs = [i for i in inputs if i.name not in unused]
    inputs.append(helper.make_tensor_value_info("hidden_in", f32, [T, D]))
    H, KVH, hd, F = arch.n_head, arch.n_head_kv, arch.head_dim, arch.d_ff
    shapes: dict[str, list[str | int]] = {
        "attn_norm": [T, D],
        "query_raw": [T, H, hd],
        "query_rotated": [T, H, hd],
        "query": [T, H, hd],
        "key_raw": [T, KVH, hd],
        "key": [T, KVH, hd],
        "value": [T, KVH, hd],
        "head_output": [T, H, hd],
        "attn_out": [T, D],
        "mlp_norm": [T, D],
        "gate": [T, F],
        "up": [T, F],
        "act": [T, F],
        "mlp_out": [T, D],
    }
    outputs = [helper.make_tensor_value_info(f"{k}.0", f32, s) for k, s in shapes.items()]
    outputs.append(helper.make_tensor_value_info("hidden_out", f32, [T, D]))
    return g.model(f"block-{layer}", inputs, outputs)


def build_attention_graph() -> onnx.ModelProto:
    """queries (G, Tq, hd) (rotated, scaled) of the last Tq of S tokens and their shared
    keys (1, S, hd) -> maps (G, Tq, S), and each row's entropy (G, Tq) in bits: the model
    graph's own attention operations for a prompt, alone (Tq = S: the whole maps; fewer: a
    block of query rows, which sees only the keys up to its last); mask (Tq, S): 0 where
    a query sees the key, -inf elsewhere (made once for every head: map_computer)."""
    g = GraphBuilder()
    rows = g.op("Reshape", "queries", g.const("shape.rows", np.array([1, -1, 0])))  # (1,G*T,hd)
    scores = g.op("MatMul", rows, g.op("Transpose", "keys", perm=[0, 2, 1]))  # (1, G*T, T)
    maps_shape = g.op(
        "Concat",
        g.op("Shape", "queries", start=0, end=2),  # [G, T]
        g.op("Shape", "keys", start=1, end=2),  # [T]
        axis=0,
    )
    scores = g.op("Reshape", scores, maps_shape)  # (G, Tq, S)
    seen = g.op("Add", scores, "mask")  # -inf where a query does not see the key
    maps = g.op("Softmax", seen, axis=-1, name="maps")
    # Each row's entropy from its scores, without a log of every weight: with
    # p = exp(s - lse), -sum p ln p = lse - sum p s, and lse = max s - ln(max p) (the
    # largest weight is exp(max s - lse)). A masked key has p = 0 (and s finite).
    last = g.const("axis_last", np.array([-1]))
    lse = g.op(
        "Sub",
        g.op("ReduceMax", seen, last, keepdims=0),
        g.op("Log", g.op("ReduceMax", maps, last, keepdims=0)),
    )  # (G, Tq)
    expected_score = g.op("ReduceSum", g.op("Mul", maps, scores), last, keepdims=0)
    g.op(
        "Mul",
        g.op("Sub", lse, expected_score),
        g.const("bits_per_nat", np.array(1 / np.log(2), np.float32)),
        name="entropy",
    )  # (G, Tq) bits
    f32 = TensorProto.FLOAT
    graph = helper.make_graph(
        g.nodes,
        "attention",
        [
            helper.make_tensor_value_info("queries", f32, ["G", "Tq", "hd"]),
            helper.make_tensor_value_info("keys", f32, [1, "S", "hd"]),
            helper.make_tensor_value_info("mask", f32, ["Tq", "S"]),
        ],
        [
            helper.make_tensor_value_info("maps", f32, ["G", "Tq", "S"]),
            helper.make_tensor_value_info("entropy", f32, ["G", "Tq"]),
        ],
        g.initializers,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)])
    model.ir_version = IR_VERSION
    return model
