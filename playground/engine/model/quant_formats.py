"""llama.cpp's other block formats, read into CodeBlocks the decoding graph multiplies
with ONNX Runtime's MatMulNBits, exactly (each weight the value gguf's dequantize gives):

  Q4_0  32 weights in 18 bytes: d (f16), 4-bit codes; w = d * (code - 8)
  Q5_0  32 in 22: d, the codes' fifth bits (32 bits), 4-bit low parts; w = d * (code - 16)
  Q5_1  32 in 24: d, m (f16), fifth bits, low parts; w = d * code + m
  Q5_K  256 in 176: d, dmin, 6-bit scales and minimums of 8 sub-blocks of 32 (as Q4_K),
        fifth bits, low parts; w = d * scale_j * code - dmin * min_j
  Q6_K  256 in 210: 4-bit low parts, 2-bit high parts, 16 int8 scales, d;
        w = d * scale_j * (code - 32), a scale per 16 weights

MatMulNBits stores 4 or 8 bits a code: the 5- and 6-bit codes are kept as 8-bit ones (a
byte a weight instead of 5/8 or 6/8 of one, still a quarter of fp32's)."""

from __future__ import annotations

import numpy as np

from playground.engine.model.quant_blocks import CodeBlocks, k_scales_and_minimums


def _f16(raw: np.ndarray, at: int) -> np.ndarray:
    """The f16 at byte `at` of every block (..., bytes) as float32 (...)."""
    return raw[..., at : at + 2].copy().view(np.float16)[..., 0].astype(np.float32)


def _halves(packed: np.ndarray) -> np.ndarray:
    """(..., 16) bytes -> (..., 32) codes: low nibbles are weights 0..15, high 16..31."""
    return np.concatenate([packed & 0x0F, packed >> 4], axis=-1)


def _fifth_bits(raw: np.ndarray, at: int) -> np.ndarray:
    """The 32 fifth bits stored as a little-endian uint32 at byte `at`: (..., 32) 0/16."""
    bits = np.unpackbits(raw[..., at : at + 4], axis=-1, bitorder="little")  # (..., 32)
    return (bits << 4).astype(np.uint8)


def q4_0(raw: np.ndarray) -> CodeBlocks:
    """raw (rows, nb, 18) -> blocks of 32, zero point 8."""
    return CodeBlocks(_halves(raw[..., 2:18]), _f16(raw, 0), bits=4, zero_point=8)


def q5_0(raw: np.ndarray) -> CodeBlocks:
    """raw (rows, nb, 22) -> 8-bit codes 0..31 in blocks of 32, zero point 16."""
    codes = _halves(raw[..., 6:22]) | _fifth_bits(raw, 2)
    return CodeBlocks(codes, _f16(raw, 0), bits=8, zero_point=16)


def q5_1(raw: np.ndarray) -> CodeBlocks:
    """raw (rows, nb, 24) -> 8-bit codes 0..31 in blocks of 32, with a minimum each."""
    codes = _halves(raw[..., 8:24]) | _fifth_bits(raw, 4)
    return CodeBlocks(codes, _f16(raw, 0), bits=8, zero_point=0, minimums=_f16(raw, 2))


def q5_k(raw: np.ndarray) -> CodeBlocks:
    """raw (rows, nsb, 176) -> 8-bit codes 0..31 in sub-blocks of 32, a minimum each
    (llama.cpp's dequantize_row_q5_K: pairs of sub-blocks share 32 bytes of low parts,
    and sub-block j takes bit j of each of the 32 high-bit bytes)."""
    rows, n_super = raw.shape[:2]
    scale, minimum = k_scales_and_minimums(raw)  # (rows, nsb, 8) each
    high = raw[..., 16:48]  # (rows, nsb, 32) bit j: sub-block j's fifth bit
    low = raw[..., 48:176].reshape(rows, n_super, 4, 32)  # (rows, nsb, pair, 32)
    codes = np.empty((rows, n_super, 8, 32), np.uint8)
    for j in range(8):
        part = low[:, :, j // 2]
        nibble = part & 0x0F if j % 2 == 0 else part >> 4
        codes[:, :, j] = nibble | (((high >> j) & 1) << 4)
    return CodeBlocks(
        codes.reshape(rows, -1, 32),
        scale.reshape(rows, -1),
        bits=8,
        zero_point=0,
        minimums=minimum.reshape(rows, -1),
    )


def q6_k(raw: np.ndarray) -> CodeBlocks:
    """raw (rows, nsb, 210) -> 8-bit codes 0..63 in blocks of 16, zero point 32
    (llama.cpp's dequantize_row_q6_K: each half of 128 weights takes 64 bytes of low
    parts and 32 of high parts; weight 32k + l of a half is the k-th pick of byte l)."""
    rows, n_super = raw.shape[:2]
    low = raw[..., 0:128].reshape(rows, n_super, 2, 64)  # (rows, nsb, half, 64)
    high = raw[..., 128:192].reshape(rows, n_super, 2, 32)
    scales = raw[..., 192:208].copy().view(np.int8).astype(np.float32)  # (rows, nsb, 16)
    d = _f16(raw, 208)  # (rows, nsb)
    picks = (
        low[..., 0:32] & 0x0F,
        low[..., 32:64] & 0x0F,
        low[..., 0:32] >> 4,
        low[..., 32:64] >> 4,
    )
    codes = np.stack(
        [pick | (((high >> (2 * k)) & 3) << 4) for k, pick in enumerate(picks)], axis=-2
    )  # (rows, nsb, half, k, 32): weight 128 * half + 32 * k + l
    return CodeBlocks(
        codes.reshape(rows, -1, 16).astype(np.uint8),
        (d[..., None] * scales).reshape(rows, -1),
        bits=8,
        zero_point=32,
    )


# GGUF type -> (bytes per block, weights per block, reader)
FORMATS = {
    "Q4_0": (18, 32, q4_0),
    "Q5_0": (22, 32, q5_0),
    "Q5_1": (24, 32, q5_1),
    "Q5_K": (176, 256, q5_k),
    "Q6_K": (210, 256, q6_k),
}
