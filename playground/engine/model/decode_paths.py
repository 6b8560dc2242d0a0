"""Which kernel multiplies each matrix of a bundle's decoding graph: ONNX Runtime's
MatMulNBits on the GGUF's own 4-bit or 8-bit blocks (the fast path for one row), or an
fp32 product (quantizations it has no kernel for, or an unquantized model)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from playground.engine.model.bundle import DECODE_MODEL_FILE

FOUR_BIT, EIGHT_BIT, FP32 = "4-bit blocks", "8-bit blocks", "fp32"


def decode_products(folder: Path) -> dict[str, int]:
    """How many of the decoding graph's weight products run on each path."""
    import onnx  # (about 1 s to import: only the bench asks)

    model = onnx.load(str(Path(folder) / DECODE_MODEL_FILE), load_external_data=False)
    weights = {init.name for init in model.graph.initializer}
    counts: Counter[str] = Counter({FOUR_BIT: 0, EIGHT_BIT: 0, FP32: 0})
    for node in model.graph.node:
        if node.op_type == "MatMulNBits":
            bits = next((a.i for a in node.attribute if a.name == "bits"), 4)
            counts[FOUR_BIT if bits == 4 else EIGHT_BIT] += 1
        elif node.op_type in ("MatMul", "Gemm") and any(
            name.endswith((".weight_t", ".weight")) and name in weights for name in node.input
        ):
            counts[FP32] += 1
    return dict(counts)
