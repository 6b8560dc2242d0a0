"""How long a test may wait for background work, scaled to this machine's speed.

Window tests wait for analyses and generations running on worker threads. A fixed
time-out tuned to one CPU fails on a slower one (a 2,048-token analysis took over 30 s on
a 2-core AVX2 machine). Instead, the run starts by timing a fixed workload on the kernels
the model itself runs on (ONNX Runtime fp32 matrix products, two threads); every wait is
its base time-out times how much slower than the reference machine this one is (never
less than 1). A wait still ends: a hang still fails, only later on a slow machine.
"""

from __future__ import annotations

import functools
import time

import numpy as np

# the workload's best time on the machine the base time-outs were written on
# (AMD EPYC with AVX-512, 2 cores): see calibration_seconds()
REFERENCE_SECONDS = 0.075


def calibration_seconds() -> float:
    """Best of a few runs of a (512 x 576) @ (576 x 1536) fp32 product in ONNX Runtime,
    repeated 8 times in one graph (about 7 GFLOP)."""
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(0)
    nodes, x = [], "x"
    for i in range(8):
        nodes.append(helper.make_node("MatMul", [x, "w"], [f"h{i}"]))
        nodes.append(helper.make_node("MatMul", [f"h{i}", "w_back"], [f"y{i}"]))
        x = f"y{i}"
    weights = [
        numpy_helper.from_array(rng.random((576, 1536), dtype=np.float32) / 576, "w"),
        numpy_helper.from_array(rng.random((1536, 576), dtype=np.float32) / 1536, "w_back"),
    ]
    graph = helper.make_graph(
        nodes,
        "calibration",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [512, 576])],
        [helper.make_tensor_value_info(x, TensorProto.FLOAT, [512, 576])],
        weights,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    session = ort.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
    feed = {"x": rng.random((512, 576), dtype=np.float32)}
    session.run(None, feed)  # warm-up
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        session.run(None, feed)
        best = min(best, time.perf_counter() - start)
    return best


@functools.cache
def slowness() -> float:
    """How many times slower than the reference machine this one is (at least 1)."""
    return max(1.0, calibration_seconds() / REFERENCE_SECONDS)


def patience(milliseconds: int) -> int:
    """A time-out of `milliseconds` on the reference machine, scaled to this one."""
    return int(milliseconds * slowness())
