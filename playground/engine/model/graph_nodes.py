"""The bare means of writing an ONNX graph: nodes with unique output names, constants
kept once as initializers, and the model they make. The opsets are those every graph of
the app is written in; the transformer's parts are graph_builder's."""

from __future__ import annotations

from typing import Any

import numpy as np
import onnx
from onnx import helper, numpy_helper

from playground.engine.model.weights_file import WeightsFile

OPSET = 21  # 21: QuantizeLinear / DequantizeLinear in blocks (graph_builder.split_8bit)
IR_VERSION = 10  # the ONNX file format of opset 21
MS_OPSET = 1  # com.microsoft: ONNX Runtime's own operators (MatMulNBits, RMSNorm, RoPE)


class GraphNodes:
    """Appends nodes with unique output names; keeps initializers alongside, the large ones
    written into `weights` as they come when given (a bundle's graphs: weights_file.py)."""

    def __init__(self, weights: WeightsFile | None = None) -> None:
        self.weights = weights
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self._count = 0
        self._const_names: set[str] = set()

    def op(self, op_type: str, *inputs: str, name: str | None = None, **attrs: Any) -> str:
        return self.op_outputs(op_type, list(inputs), [name or ""], **attrs)[0]

    def op_outputs(
        self, op_type: str, inputs: list[str], outputs: list[str | None], **attrs: Any
    ) -> list[str]:
        """A node with several outputs; "" names one that is made up here, None one that
        is not wanted (left unconnected)."""
        self._count += 1
        named = [
            "" if out is None else out or f"{op_type.lower()}_{self._count}_{i}"
            for i, out in enumerate(outputs)
        ]
        self.nodes.append(helper.make_node(op_type, inputs, named, name=f"n{self._count}", **attrs))
        return named

    def const(self, name: str, array: np.ndarray) -> str:
        """An initializer; a name already given keeps its first value."""
        if name not in self._const_names:
            self._const_names.add(name)
            array = np.asarray(array)
            self.initializers.append(
                self.weights.tensor(name, array)
                if self.weights
                else numpy_helper.from_array(array, name)
            )
        return name

    def split(self, x: str, sizes: list[int], names: list[str] | None = None) -> list[str]:
        """Split the last axis of x into parts of the given sizes (named `names`)."""
        sizes_name = self.const(f"split_sizes_{'_'.join(map(str, sizes))}", np.array(sizes))
        outputs: list[str | None] = list(names or [""] * len(sizes))
        return self.op_outputs("Split", [x, sizes_name], outputs, axis=-1)

    def model(
        self,
        name: str,
        inputs: list[onnx.ValueInfoProto],
        outputs: list[onnx.ValueInfoProto],
    ) -> onnx.ModelProto:
        graph = helper.make_graph(self.nodes, name, inputs, outputs, self.initializers)
        model = helper.make_model(
            graph,
            opset_imports=[
                helper.make_opsetid("", OPSET),
                helper.make_opsetid("com.microsoft", MS_OPSET),
            ],
            producer_name="llm-playground",
        )
        model.ir_version = IR_VERSION
        return model
