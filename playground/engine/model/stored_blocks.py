"""A matrix stored in a graph as MatMulNBits blocks (graph_builder's layout) read back as
fp32, for the inspections that read a bundle's weights (the logit split, the layer
trace, a block run alone) when its analysis graph keeps matrices in their blocks."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

# codes initializer suffix -> bits a code (graph_builder: linear_q4_1, linear_q8_0,
# linear_code_blocks)
CODE_KINDS = {"codes": 4, "codes4": 4, "codes_u8": 8, "codes8": 8}
ROWS_AT_ONCE = 4096


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
    codes = tensors[f"{base}.{kind}"]  # (out, nb, bytes of a block)
    out, nb = codes.shape[:2]
    if f"{base}.scales" in tensors:  # multiplied by MatMulNBits
        zero = np.asarray(tensors[f"{base}.zero_points"]).reshape(out, -1)
        scales = np.asarray(tensors[f"{base}.scales"], np.float32).reshape(out, nb)
        minimums = tensors.get(f"{base}.minimums_t")  # (nb, out)
    else:  # a token table only looked up (an untied model's): graph_builder._rows_of_codes
        zero = np.full((out, nb), np.asarray(tensors[f"{base}.zero_point"]), np.uint8)
        scales = np.asarray(tensors[f"{base}.scales_3d"], np.float32).reshape(out, nb)
        stored = tensors.get(f"{base}.minimums_3d")  # (out, nb, 1)
        minimums = None if stored is None else np.asarray(stored).reshape(out, nb).T
    dense = np.empty((out, codes.shape[2] * nb * 8 // bits), np.float32)
    for start in range(0, out, ROWS_AT_ONCE):  # a few MB of temporaries at a time
        rows = slice(start, start + ROWS_AT_ONCE)
        block_codes, block_zero = np.asarray(codes[rows]), zero[rows]
        n = len(block_codes)
        if bits == 4:  # two codes a byte (low nibble first), two zero points a byte
            block_codes = np.stack([block_codes & 0x0F, block_codes >> 4], -1).reshape(n, nb, -1)
            block_zero = np.stack([block_zero & 0x0F, block_zero >> 4], -1).reshape(n, -1)[:, :nb]
        w = block_codes.astype(np.float32) - block_zero[..., None].astype(np.float32)
        w *= scales[rows, :, None]
        if minimums is not None:
            w += np.asarray(minimums[:, rows], np.float32).T[..., None]
        dense[rows] = w.reshape(n, -1)
    return dense
