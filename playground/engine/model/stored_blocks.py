"""A matrix stored in a graph as MatMulNBits blocks (graph_builder's layout) read back as
fp32, for the inspections that read a bundle's weights (the logit split, the layer
trace, a block run alone) when its analysis graph keeps matrices in their blocks."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

# codes initializer suffix -> bits a code (graph_builder: linear_q4_1, linear_q8_0,
# linear_code_blocks)
CODE_KINDS = {"codes": 4, "codes4": 4, "codes_u8": 8, "codes8": 8}


def stored_bases(names: list[str]) -> list[str]:
    """The matrices (names without a suffix) stored as blocks among initializer names."""
    return [n.rsplit(".", 1)[0] for n in names if n.rsplit(".", 1)[-1] in CODE_KINDS]


def dense_from_blocks(tensors: Mapping[str, np.ndarray], base: str) -> np.ndarray | None:
    """(out, in) float32 of the matrix `base` kept as blocks in `tensors`, else None:
    scale * (code - zero point) (+ minimum) per block, as the product multiplies."""
    kind = next((k for k in CODE_KINDS if f"{base}.{k}" in tensors), None)
    if kind is None:
        return None
    bits = CODE_KINDS[kind]
    codes = np.asarray(tensors[f"{base}.{kind}"])  # (out, nb, bytes of a block)
    out, nb = codes.shape[:2]
    zero = np.asarray(tensors[f"{base}.zero_points"]).reshape(out, -1)
    if bits == 4:  # two codes a byte (low nibble first), two zero points a byte
        codes = np.stack([codes & 0x0F, codes >> 4], axis=-1).reshape(out, nb, -1)
        zero = np.stack([zero & 0x0F, zero >> 4], axis=-1).reshape(out, -1)[:, :nb]
    scales = np.asarray(tensors[f"{base}.scales"], np.float32).reshape(out, nb)
    w = scales[..., None] * (codes.astype(np.float32) - zero[..., None].astype(np.float32))
    minimums = tensors.get(f"{base}.minimums_t")  # (nb, out)
    if minimums is not None:
        w = w + np.asarray(minimums, np.float32).T[..., None]
    return w.reshape(out, -1).astype(np.float32)
