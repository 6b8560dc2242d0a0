"""The analysis graph's inputs and outputs, by name, shape and type (graph.py's table says
what each one means)."""

from __future__ import annotations

import onnx
from onnx import TensorProto, helper

from playground.engine.model.architecture import Architecture


def graph_signature(
    arch: Architecture,
) -> tuple[list[onnx.ValueInfoProto], list[onnx.ValueInfoProto]]:
    """The inputs and outputs of the analysis graph, with the names in graph.py's table."""
    L, H, KVH, hd, D = arch.n_layer, arch.n_head, arch.n_head_kv, arch.head_dim, arch.d_model
    f32, i64, T = TensorProto.FLOAT, TensorProto.INT64, "T"
    inputs = [
        helper.make_tensor_value_info("input_ids", i64, [T]),
        helper.make_tensor_value_info("position_ids", i64, [T]),
        helper.make_tensor_value_info("attention_rows", i64, [1]),
        helper.make_tensor_value_info("logit_rows", i64, [1]),
        # 1 = intact; 0 knocks out a head's weighted sum of values, or a layer's MLP output
        helper.make_tensor_value_info("head_mask", f32, [L, H]),
        helper.make_tensor_value_info("mlp_mask", f32, [L]),
        # added to what a head, the stream, an attention or an MLP output holds (F: 1 or T)
        helper.make_tensor_value_info("head_fill", f32, [L, "F", H, hd]),
        helper.make_tensor_value_info("stream_add", f32, [L, "F", D]),
        helper.make_tensor_value_info("attn_add", f32, [L, "F", D]),
        helper.make_tensor_value_info("mlp_add", f32, [L, "F", D]),
        helper.make_tensor_value_info("record_rows", i64, [1]),
    ]
    outputs = [helper.make_tensor_value_info("logits", f32, ["R", arch.vocab_size])]
    outputs += [
        helper.make_tensor_value_info(f"attention.{i}", f32, [H, "A", "S"]) for i in range(L)
    ]
    outputs += [helper.make_tensor_value_info(f"query.{i}", f32, [T, H, hd]) for i in range(L)]
    outputs += [helper.make_tensor_value_info(f"hidden.{j}", f32, [T, D]) for j in range(L + 1)]
    for i in range(L):
        outputs.append(helper.make_tensor_value_info(f"attn_record.{i}", f32, ["W", D]))
        outputs.append(helper.make_tensor_value_info(f"mlp_record.{i}", f32, ["W", D]))
        outputs.append(helper.make_tensor_value_info(f"head_record.{i}", f32, ["W", H, hd]))
        for kind in ("key", "value"):
            inputs.append(helper.make_tensor_value_info(f"past_{kind}.{i}", f32, ["P", KVH, hd]))
            outputs.append(helper.make_tensor_value_info(f"{kind}.{i}", f32, [T, KVH, hd]))
    return inputs, outputs
