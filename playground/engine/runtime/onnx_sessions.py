"""ONNX Runtime sessions of a bundle: the analysis and decoding graphs (each with the
options its work runs fastest with) and the small graph that computes attention maps
of long prompts a layer at a time."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import onnxruntime as ort

from playground.engine.errors import ModelFileError

if TYPE_CHECKING:  # onnx takes ~1 s to import: only graphs built in memory need it
    import onnx


def in_memory_session(model: onnx.ModelProto, threads: int) -> ort.InferenceSession:
    """A session of a small graph built in memory (a block alone, the attention graph)."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.log_severity_level = 3
    return ort.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )


def attention_session(threads: int) -> ort.InferenceSession:
    from playground.engine.model.part_graphs import build_attention_graph

    return in_memory_session(build_attention_graph(), threads)


def open_session(
    path: Path,
    threads: int,
    outputs: tuple[str, ...],
    prompts: bool,
    providers: list[str] | None = None,
    replaced: dict[str, np.ndarray] | None = None,
) -> ort.InferenceSession:
    """The graph at `path` with its weights; `replaced`: initializers to use instead of
    the file's (a variant's merged matrices), of the same names, shapes and types."""
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = threads
    options.log_severity_level = 3
    if prompts:
        # Run each layer's attention.i Slice right after its softmax: in the default order
        # the Slices (leaves of the graph) ran last and kept every layer's (H, T, T) maps
        # alive (5.8 GB at 2,048 tokens instead of 1.5).
        options.execution_order = ort.ExecutionOrder.PRIORITY_BASED
    else:
        # One token holds little memory, and the default order ran it ~2% faster. The
        # 8-bit split's DequantizeLinear (graph_builder.split_8bit) stays one node: ONNX
        # Runtime's QDQ passes would copy it for each reader, for no faster kernel.
        options.add_session_config_entry("session.disable_quant_qdq", "1")
    values = [ort.OrtValue.ortvalue_from_numpy(v) for v in (replaced or {}).values()]
    if values:
        options.add_external_initializers(list(replaced or {}), values)
    try:
        session = ort.InferenceSession(
            str(path), options, providers=providers or ["CPUExecutionProvider"]
        )
    except Exception as error:
        raise ModelFileError(f"{path}: cannot load ({error}).") from error
    names = {o.name for o in session.get_outputs()}
    missing = [n for n in outputs if n not in names]
    if missing:
        raise ModelFileError(f"{path}: the graph lacks the outputs {', '.join(missing)}.")
    return session
