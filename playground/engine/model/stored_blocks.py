"""A matrix stored in a graph as MatMulNBits blocks (graph_builder's layout) read back as
fp32, for the inspections that read a bundle's weights (the logit split, the layer
trace, a block run alone) when its analysis graph keeps matrices in their blocks."""

from __future__ import annotations

import os
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

# codes initializer suffix -> bits a code (graph_builder: linear_q4_1, linear_q8_0,
# linear_code_blocks)
CODE_KINDS = {"codes": 4, "codes4": 4, "codes_u8": 8, "codes8": 8}
ROWS_AT_ONCE = 4096
LOOKUP = ("scales_3d", "minimums_3d")  # a table only looked up: graph_builder._rows_of_codes


def row_blocks(n_rows: int) -> list[slice]:
    """Consecutive blocks of ROWS_AT_ONCE rows covering n_rows: a few MB of temporaries
    at a time when a big table is read or multiplied."""
    return [slice(start, start + ROWS_AT_ONCE) for start in range(0, n_rows, ROWS_AT_ONCE)]


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
    for rows in row_blocks(out):
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


class BlockRows:
    """A (V, D) table kept in blocks (a big model's token table), read as fp32 rows only
    when asked for: `table[ids]`, `table[i:j]`, `table @ v` (in blocks of rows). Holding
    it costs its blocks (memory-mapped, ~1 byte a weight), not 4 bytes a weight."""

    def __init__(self, tensors: Mapping[str, np.ndarray], base: str) -> None:
        self.base = base
        kind = next(k for k in CODE_KINDS if f"{base}.{k}" in tensors)
        codes = tensors[f"{base}.{kind}"]  # (V, nb, bytes of a block)
        V, nb = codes.shape[:2]
        self.shape = (V, codes.shape[2] * nb * 8 // CODE_KINDS[kind])
        # every tensor of the table with its rows first, to take rows of all at once
        self._by_row: dict[str, np.ndarray] = {}
        self._by_column: dict[str, np.ndarray] = {}  # (nb, V): minimums_t
        self._whole: dict[str, np.ndarray] = {}  # a lookup table's scalar zero point
        for suffix in (kind, "scales", "zero_points", "minimums_t", "zero_point", *LOOKUP):
            name = f"{base}.{suffix}"
            tensor = tensors.get(name)
            if tensor is None:
                continue
            if suffix == "minimums_t":
                self._by_column[name] = tensor
            elif np.ndim(tensor) == 0:
                self._whole[name] = tensor
            else:
                self._by_row[name] = (
                    np.asarray(tensor).reshape(V, -1) if np.ndim(tensor) == 1 else tensor
                )

        self._codes8 = self._eight_bit(kind, V, nb)

    def _eight_bit(self, kind: str, V: int, nb: int) -> tuple[Any, ...] | None:
        """(codes, scales, zero points (V, nb), minimums (nb, V) or None) of a table of
        8-bit codes multiplied by MatMulNBits, the one `_times_vector` reads; else None."""
        codes = self._by_row[f"{self.base}.{kind}"]
        scales = self._by_row.get(f"{self.base}.scales")
        if CODE_KINDS[kind] != 8 or scales is None:
            return None
        zero = self._by_row[f"{self.base}.zero_points"]  # (V, nb)
        minimums = self._by_column.get(f"{self.base}.minimums_t")
        return codes, np.asarray(scales, np.float32).reshape(V, nb), zero, minimums

    ndim = 2
    dtype = np.dtype(np.float32)

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, index: Any) -> np.ndarray:
        if isinstance(index, (int, np.integer)):
            return self[int(index) : int(index) + 1][0]  # (D,)
        rows: dict[str, np.ndarray] = {n: t[index] for n, t in self._by_row.items()}
        rows.update({n: t[:, index] for n, t in self._by_column.items()})
        rows.update(self._whole)
        dense = dense_from_blocks(rows, self.base)
        assert dense is not None
        return dense  # (n, D)

    def __matmul__(self, other: np.ndarray) -> np.ndarray:
        """(V, D) @ (D,) or (D, k), a block of rows at a time."""
        other = np.asarray(other, np.float32)
        if other.ndim == 1 and self._codes8 is not None:
            return self._times_vector(other)
        out = np.empty((self.shape[0], *other.shape[1:]), np.float32)
        for rows in row_blocks(self.shape[0]):
            out[rows] = self[rows] @ other
        return out

    def _times_vector(self, v: np.ndarray) -> np.ndarray:
        """(V,) = table @ v from 8-bit codes without expanding the rows: per block b of a
        row, scale * (codes . v_b - zero * sum(v_b)) (+ minimum * sum(v_b)); blocks of rows
        on the cores side by side (numpy lets go of the interpreter in each): a 128,256 x
        2,048 table in 121 ms on 2 cores, against 650 ms expanding it."""
        assert self._codes8 is not None
        codes, scales, zero, minimums = self._codes8  # (V, nb, B), (V, nb), (V, nb), (nb, V)
        V, nb, B = codes.shape
        v_blocks = v.reshape(nb, B)  # (nb, B)
        v_sums = v_blocks.sum(axis=1)  # (nb,)

        def rows_times_v(rows: slice) -> np.ndarray:  # (n,)
            dots = np.einsum("nbk,bk->nb", np.asarray(codes[rows], np.float32), v_blocks)
            dots -= np.asarray(zero[rows], np.float32) * v_sums  # (n, nb)
            total = (dots * scales[rows]).sum(axis=1)
            if minimums is not None:
                total += np.asarray(minimums[:, rows], np.float32).T @ v_sums
            return total

        out = np.empty(V, np.float32)
        blocks = row_blocks(V)
        for rows, part in zip(blocks, _pool().map(rows_times_v, blocks), strict=True):
            out[rows] = part
        return out


_threads: ThreadPoolExecutor | None = None


def _pool() -> ThreadPoolExecutor:
    """Threads for products with tables kept in blocks, made on first use."""
    global _threads
    if _threads is None:
        _threads = ThreadPoolExecutor(min(4, os.cpu_count() or 1), "block-rows")
    return _threads
