"""The GGUF's own blocks of quantized weights, as the decoding graph multiplies them
(ONNX Runtime's MatMulNBits): Q4_1 and Q8_0 as stored, and llama.cpp's K-quants read as
such blocks.

Q4_K (the bulk of a Q4_K_M file) packs 256 weights in 144 bytes: a scale d and a minimum
dmin (f16), then 6-bit scales and minimums for 8 sub-blocks of 32, then 4-bit codes. A
weight is d * scale_j * code - dmin * min_j, i.e. one scale and one minimum per 32
weights: exactly a Q4_1 block, which the decoding graph already multiplies (its minimum
added in fp32)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, TypeVar

import numpy as np


@dataclass(frozen=True)
class Q8Blocks:
    """A Q8_0 matrix (rows, cols): per block of 32 columns, w = scale * code."""

    codes: np.ndarray  # (rows, cols/32, 32) int8
    scales: np.ndarray  # (rows, cols/32) float32


@dataclass(frozen=True)
class Q4Blocks:
    """A Q4_1 matrix (out, in): per block of 32 inputs, w = scale * code + minimum."""

    codes: np.ndarray  # (out, in/32, 32) uint8, 0..15
    scales: np.ndarray  # (out, in/32) float32
    minimums: np.ndarray  # (out, in/32) float32

    def dequantized(self) -> np.ndarray:
        """(out, in) float32, exactly as gguf's dequantize computes it."""
        w = self.scales[..., None] * self.codes + self.minimums[..., None]  # (out, nb, 32)
        return w.reshape(w.shape[0], -1).astype(np.float32)


@dataclass(frozen=True)
class CodeBlocks:
    """A matrix (out, in) in blocks of `block` inputs, w = scale * (code - zero_point)
    (+ minimum): the other formats (quant_formats.py), as MatMulNBits stores them."""

    codes: np.ndarray  # (out, in/block, block) uint8, unsigned
    scales: np.ndarray  # (out, in/block) float32
    bits: int  # 4 or 8: how many bits MatMulNBits keeps of each code
    zero_point: int
    minimums: np.ndarray | None = None  # (out, in/block) float32, added per block

    @property
    def kind(self) -> tuple[int, int, int, bool]:
        """Matrices of one kind can be multiplied as one (joined along their rows)."""
        return (self.bits, self.codes.shape[2], self.zero_point, self.minimums is not None)

    def rows(self, index: slice | np.ndarray) -> CodeBlocks:
        minimums = None if self.minimums is None else self.minimums[index]
        return CodeBlocks(
            self.codes[index], self.scales[index], self.bits, self.zero_point, minimums
        )

    def dequantized(self) -> np.ndarray:
        """(out, in) float32, as gguf's dequantize computes it."""
        w = self.scales[..., None] * (self.codes.astype(np.float32) - self.zero_point)
        if self.minimums is not None:
            w = w + self.minimums[..., None]
        return w.reshape(w.shape[0], -1).astype(np.float32)


def k_scales_and_minimums(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Q4_K / Q5_K super-blocks (..., bytes: d, dmin (f16), then 12 bytes of 6-bit scales
    and minimums for 8 sub-blocks, llama.cpp's get_scale_min_k4) -> each sub-block's
    scale d * sc_j and minimum -dmin * m_j (..., 8)."""
    d = raw[..., 0:2].copy().view(np.float16)[..., 0].astype(np.float32)  # (...,)
    dmin = raw[..., 2:4].copy().view(np.float16)[..., 0].astype(np.float32)
    q = raw[..., 4:16].astype(np.int32)  # (..., 12)
    sc = np.empty((*raw.shape[:-1], 8), np.int32)
    mn = np.empty_like(sc)
    sc[..., :4], mn[..., :4] = q[..., 0:4] & 63, q[..., 4:8] & 63
    sc[..., 4:] = (q[..., 8:12] & 0xF) | ((q[..., 0:4] >> 6) << 4)
    mn[..., 4:] = (q[..., 8:12] >> 4) | ((q[..., 4:8] >> 6) << 4)
    scale = d[..., None] * sc.astype(np.float32)  # (..., 8)
    return scale, -(dmin[..., None] * mn.astype(np.float32))


def q4_k_parts(raw: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Q4_K super-blocks (..., 144 bytes: d, dmin, 12 bytes of scales and minimums, 128
    bytes of 4-bit codes) -> per sub-block scale (..., 8) and minimum (..., 8) such that
    a weight is scale * code + minimum, and the codes (..., 8, 32)."""
    scale, minimum = k_scales_and_minimums(raw)
    packed = raw[..., 16:144].reshape((*raw.shape[:-1], 4, 32))  # (..., chunk, 32)
    codes = np.stack([packed & 0x0F, packed >> 4], axis=-2)  # (..., 4, 2, 32): low, high
    codes = codes.reshape((*raw.shape[:-1], 8, 32))  # sub-block 2c: low nibbles, 2c+1: high
    return scale, minimum, codes


OneType = TypeVar("OneType", Q4Blocks, Q8Blocks, CodeBlocks)


def join_rows(parts: list[OneType]) -> OneType:
    """Matrices of one block type (and one CodeBlocks kind) stacked along their rows, so
    that the matrices reading one input are multiplied as one: each array field joined,
    the other fields (bits, zero point, no minimums) the first's."""
    joined: dict[str, Any] = {}
    for field in fields(parts[0]):
        values = [getattr(part, field.name) for part in parts]
        joined[field.name] = (
            np.concatenate(values) if isinstance(values[0], np.ndarray) else values[0]
        )
    return type(parts[0])(**joined)


Blocks = Q4Blocks | Q8Blocks | CodeBlocks


def block_kind(blocks: Blocks | None) -> object:
    """What decides whether two matrices can be one product: their block type (and a
    CodeBlocks' bits, block size, zero point and minimums); None: an fp32 matrix."""
    return blocks.kind if isinstance(blocks, CodeBlocks) else type(blocks)


def offset_codes(blocks: Q8Blocks) -> np.ndarray:
    """Q8_0's signed codes as the unsigned ones MatMulNBits reads: code + 128 (V, nb, 32)."""
    return (blocks.codes.astype(np.int16) + 128).astype(np.uint8)
