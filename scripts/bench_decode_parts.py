"""Where a generated token's time goes: the whole decoding graph against its matrix
products alone (ONNX Runtime's MatMulNBits kernels, nothing else in the graph).

    .venv/bin/python scripts/bench_decode_parts.py [BUNDLE_FOLDER]

The products alone are a floor for any graph built on those kernels: if llama.cpp decodes
a token in less time than that floor, no rearrangement of the other nodes can match it.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper

from playground.commands.bench.cpu_info import cpu_description
from playground.engine.model.bundle import DECODE_MODEL_FILE
from playground.engine.store.catalog import default_model_name
from playground.engine.store.folders import bundle_dir

PAST = 64  # keys and values already in the cache
RUNS = 200


def session(model: onnx.ModelProto | str) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    options.add_session_config_entry("session.intra_op.allow_spinning", "1")
    options.add_session_config_entry("session.disable_quant_qdq", "1")
    source = model if isinstance(model, str) else model.SerializeToString()
    return ort.InferenceSession(source, options, providers=["CPUExecutionProvider"])


def ms_per_run(s: ort.InferenceSession, feeds: dict[str, np.ndarray]) -> float:
    for _ in range(20):
        s.run(None, feeds)
    start = time.perf_counter()
    for _ in range(RUNS):
        s.run(None, feeds)
    return (time.perf_counter() - start) / RUNS * 1e3


def products_only(graph: onnx.ModelProto, rows: int) -> tuple[onnx.ModelProto, dict]:
    """A graph of the decoding graph's MatMulNBits nodes alone, each reading a random
    (rows, K) input: what the kernels cost without anything between them."""
    initializers = {t.name: t for t in graph.graph.initializer}
    nodes, inputs, used = [], {}, []
    for node in graph.graph.node:
        if node.op_type != "MatMulNBits":
            continue
        attrs = {a.name: helper.get_attribute_value(a) for a in node.attribute}
        x = f"x{attrs['K']}"
        inputs[x] = helper.make_tensor_value_info(x, TensorProto.FLOAT, [rows, attrs["K"]])
        inputs_of_node = [x, *node.input[1:]]
        nodes.append(helper.make_node("MatMulNBits", inputs_of_node, node.output[:1], **attrs))
        nodes[-1].domain = "com.microsoft"
        used += [name for name in node.input[1:] if name in initializers]
    outputs = [helper.make_tensor_value_info(n.output[0], TensorProto.FLOAT, None) for n in nodes]
    body = helper.make_graph(
        nodes, "products", list(inputs.values()), outputs, [initializers[u] for u in set(used)]
    )
    model = helper.make_model(
        body, opset_imports=[helper.make_opsetid("", 21), helper.make_opsetid("com.microsoft", 1)]
    )
    model.ir_version = 10
    rng = np.random.default_rng(0)
    feeds = {name: rng.standard_normal((rows, int(name[1:])), dtype=np.float32) for name in inputs}
    return model, feeds


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else bundle_dir(default_model_name())
    path = str(folder / DECODE_MODEL_FILE)
    whole = session(path)
    past = [i for i in whole.get_inputs() if i.name.startswith("past_")]
    _, kv_heads, head_dim = past[0].shape
    rng = np.random.default_rng(0)
    feeds = {
        "input_ids": np.array([42], np.int64),
        "position_ids": np.array([PAST], np.int64),
        "attention_rows": np.array([1], np.int64),
    }
    for i in past:
        feeds[i.name] = rng.standard_normal((PAST, kv_heads, head_dim), dtype=np.float32)
    graph = onnx.load(path)
    print(f"cpu: {cpu_description()}; 2 threads; {len(graph.graph.node)} nodes")
    print(f"whole decoding graph, one token after {PAST}: {ms_per_run(whole, feeds):6.2f} ms")
    for rows in (1, 2):
        model, product_feeds = products_only(graph, rows)
        count = len(model.graph.node)
        took = ms_per_run(session(model), product_feeds)
        print(f"its {count} MatMulNBits alone, {rows} activation row(s): {took:6.2f} ms")


if __name__ == "__main__":
    main()
