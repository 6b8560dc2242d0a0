"""Products and lookups straight from a GGUF's quantized blocks, in ONNX Runtime's
MatMulNBits: the part of the graphs' vocabulary (graph_builder.py) that never expands a
quantized matrix to fp32 in the bundle."""

from __future__ import annotations

import numpy as np
from onnx import TensorProto

from playground.engine.model.graph_nodes import GraphNodes
from playground.engine.model.quant_blocks import CodeBlocks, Q4Blocks, Q8Blocks, offset_codes
from playground.engine.model.weights_file import WeightsFile

# MatMulNBits rounds its activations to 8 bits per block of 32 (accuracy_level 4), as
# llama.cpp does for its 4- and 8-bit dot products: the fast kernel for one row (a
# generated token; with fp32 activations it cost 61 ms on an AVX2-only CPU against 42 on
# fp32 matrices). A prompt's many rows of 4-bit blocks multiply faster in fp32
# (accuracy_level 1: the blocks are expanded once for all rows; 1.4x at 512 rows on 2
# cores), and exactly; 8-bit blocks have no fast fp32 kernel (90x slower at one row).
INT8_ACTIVATIONS = 4
FP32_ACTIVATIONS = 1


class BlockProducts(GraphNodes):
    """GraphNodes with products and lookups of quantized blocks, each a few nodes."""

    def __init__(self, weights: WeightsFile | None = None) -> None:
        super().__init__(weights)
        # what is computed once per input x and shared by every product reading it:
        # ("blocked" | "sums" | "split", x, block size) -> tensor name
        self._per_input: dict[tuple[str, str, int], str] = {}

    def linear_blocks(
        self, x: str, blocks: Q4Blocks | Q8Blocks | CodeBlocks, name: str, many_rows: bool = False
    ) -> str:
        """x @ w.T from a matrix's own blocks, whichever type they are; `many_rows`: x is
        (T, in), not (1, in)."""
        if isinstance(blocks, Q4Blocks):
            return self.linear_q4_1(x, blocks, name, many_rows)
        if isinstance(blocks, Q8Blocks):
            return self.linear_q8_0(x, blocks, name, many_rows)
        return self.linear_code_blocks(x, blocks, name, many_rows)

    def linear_q4_1(self, x: str, blocks: Q4Blocks, name: str, many_rows: bool = False) -> str:
        """x (1, in) @ w.T -> (1, out) straight from the GGUF's 4-bit blocks.

        MatMulNBits computes sum(scale * code * x) on x in two 8-bit parts (split_8bit).
        Its zero point must be an integer, and Q4_1's minimum is not a multiple of the
        scale, so the minimum's share, the sum over blocks of minimum * (sum of x over the
        block), is a second, small fp32 product (1, in/32) @ (in/32, out), using block sums
        shared by every matrix that reads x.
        """
        out_features, n_blocks, block = blocks.codes.shape  # (out, nb, 32)
        codes = blocks.codes.reshape(out_features, n_blocks, block // 2, 2)
        packed = (codes[..., 0] | (codes[..., 1] << 4)).astype(np.uint8)  # (out, nb, 16)
        zero_points = np.zeros((out_features, (n_blocks + 1) // 2), np.uint8)  # 4 bits each
        parts = self._matmul_nbits(
            x, name, "codes", packed, blocks.scales, zero_points, 4, many_rows
        )  # (2, out): each part of x @ (scale * code).T (or (T, out) in fp32)
        minimums = self.const(f"{name}.minimums_t", np.ascontiguousarray(blocks.minimums.T))
        minimum_share = self.op("MatMul", self.block_sums(x, n_blocks, block), minimums)
        return self._sum_parts(parts, out_features, minimum_share, many_rows, 4)

    def linear_q8_0(self, x: str, blocks: Q8Blocks, name: str, many_rows: bool = False) -> str:
        """x (1, in) @ w.T -> (1, out) straight from Q8_0 blocks (w = scale * code, exact:
        the codes are stored offset by 128 with the zero point 128), x in two 8-bit parts."""
        zero_points = np.full(blocks.scales.shape, 128, np.uint8)  # (out, nb)
        parts = self._matmul_nbits(
            x, name, "codes_u8", offset_codes(blocks), blocks.scales, zero_points, 8, many_rows
        )  # (2, out)
        return self._sum_parts(parts, blocks.scales.shape[0], None, many_rows, 8)

    def linear_code_blocks(
        self, x: str, blocks: CodeBlocks, name: str, many_rows: bool = False
    ) -> str:
        """x (1, in) @ w.T -> (1, out) from the other formats' blocks (quant_formats.py):
        scale * (code - zero point) by MatMulNBits, x in two 8-bit parts; a block's
        minimum, if it has one, added in fp32 as linear_q4_1 adds Q4_1's."""
        out_features, n_blocks, block = blocks.codes.shape  # (out, nb, B)
        codes, zero = blocks.codes, blocks.zero_point
        zero_points = np.full((out_features, n_blocks), zero, np.uint8)  # (out, nb)
        if blocks.bits == 4:  # two codes a byte, two zero points a byte
            pairs = codes.reshape(out_features, n_blocks, block // 2, 2)
            codes = (pairs[..., 0] | (pairs[..., 1] << 4)).astype(np.uint8)  # (out, nb, B/2)
            zero_points = np.full((out_features, (n_blocks + 1) // 2), zero | zero << 4, np.uint8)
        parts = self._matmul_nbits(
            x,
            name,
            f"codes{blocks.bits}",
            codes,
            blocks.scales,
            zero_points,
            blocks.bits,
            many_rows,
        )  # (2, out), or (T, out) in fp32
        if blocks.minimums is None:
            return self._sum_parts(parts, out_features, None, many_rows, blocks.bits)
        minimums = self.const(f"{name}.minimums_t", np.ascontiguousarray(blocks.minimums.T))
        minimum_share = self.op("MatMul", self.block_sums(x, n_blocks, block), minimums)
        return self._sum_parts(parts, out_features, minimum_share, many_rows, blocks.bits)

    def lookup_code_blocks(self, table: CodeBlocks, ids: str, name: str) -> str:
        """Rows `ids` (T,) of an 8-bit CodeBlocks table as fp32 (T, D): scale * (code -
        zero point) (+ minimum), from the codes the tied output product multiplies."""
        codes = self.op("Gather", self.const(f"{name}.codes8", table.codes), ids, axis=0)
        codes = self.op(
            "Sub",
            self.op("Cast", codes, to=TensorProto.FLOAT),
            self.const(f"{name}.zero_point", np.array(table.zero_point, np.float32)),
        )  # (T, nb, B)
        return self._rows_of_codes(codes, table, ids, name, output="")

    @staticmethod
    def _in_fp32(many_rows: bool, bits: int) -> bool:
        """Whether a product of `bits`-bit blocks multiplies its rows in fp32 (a prompt's
        4-bit products) rather than as two 8-bit parts (see FP32_ACTIVATIONS)."""
        return many_rows and bits == 4

    def _sum_parts(
        self,
        parts: str,
        out_features: int,
        minimum_share: str | None,
        many_rows: bool,
        bits: int,
    ) -> str:
        """The product from MatMulNBits' two 8-bit parts of x: (2, out) -> (1, out), or
        for T rows (2T, out) -> (T, out); plus the minimums' share, if any. (T rows of
        4-bit blocks were multiplied in fp32: (T, out) already.)"""
        if self._in_fp32(many_rows, bits):
            return parts if minimum_share is None else self.op("Add", parts, minimum_share)
        axis0 = self.const("axis0", np.array([0]))
        if not many_rows:
            if minimum_share is None:
                return self.op("ReduceSum", parts, axis0, keepdims=1)
            ones = self.const("ones_1x2", np.ones((1, 2), np.float32))
            return self.op("Gemm", ones, parts, minimum_share)  # one node for both
        shape = self.const(f"shape.halves_{out_features}", np.array([2, -1, out_features]))
        halves = self.op("Reshape", parts, shape)  # (2, T, out): rounded rows, then the rest
        summed = self.op("ReduceSum", halves, axis0, keepdims=0)  # (T, out)
        return summed if minimum_share is None else self.op("Add", summed, minimum_share)

    def _matmul_nbits(
        self,
        x: str,
        name: str,
        codes_kind: str,
        codes: np.ndarray,
        scales: np.ndarray,
        zero_points: np.ndarray,
        bits: int,
        many_rows: bool,
    ) -> str:
        """MatMulNBits of x (1, in), as two 8-bit rows, with blocks of `bits`-bit codes
        (out, nb, block*bits/8) stored as `name`.`codes_kind`, their scales (out, nb) and
        zero points: (2, out); many rows (T, in) of 4-bit blocks in fp32: (T, out) (see
        _in_fp32)."""
        out_features, n_blocks = scales.shape
        block = codes.shape[2] * 8 // bits
        in_fp32 = self._in_fp32(many_rows, bits)
        return self.op(
            "MatMulNBits",
            x if in_fp32 else self.split_8bit(x, n_blocks, block),
            self.const(f"{name}.{codes_kind}", codes),
            self.const(f"{name}.scales", scales.reshape(-1)),
            self.const(f"{name}.zero_points", zero_points.reshape(-1)),
            K=n_blocks * block,
            N=out_features,
            bits=bits,
            block_size=block,
            accuracy_level=FP32_ACTIVATIONS if in_fp32 else INT8_ACTIVATIONS,
            domain="com.microsoft",
        )

    def split_8bit(self, x: str, n_blocks: int, block: int) -> str:
        """x (1, nb*block) -> (2, nb*block): x rounded to 8 bits per block, and the rest.

        MatMulNBits with 8-bit activations rounds each block of x to 127 * its largest
        magnitude: alone, that moved the real model's logits by up to 1.2 from fp32.
        The first row here is already such a rounding (so the kernel keeps it exactly);
        the second, the remainder, is at most half a step and is rounded in turn: the sum
        of the two rows' products is within ~1/254 of a step of fp32 (logits within
        1e-2), for one extra row in each product. The rounding is a blocked
        QuantizeLinear / DequantizeLinear pair: each node costs a generated token about
        as much as its arithmetic here, so the split is written in as few as it takes.
        """
        key = ("split", x, block)
        if key not in self._per_input:
            blocked = self._blocked(x, n_blocks, block)  # (1, nb, 32)
            largest = self.op(
                "ReduceMax",
                self.op("Abs", blocked),
                self.const("axis_last", np.array([-1])),
                keepdims=0,
            )  # (1, nb)
            step = self.op(
                "Mul",
                self.op("Max", largest, self.const("f_tiny", np.array(1e-30, np.float32))),
                self.const("f_1_127", np.array(1 / 127, np.float32)),
            )  # (1, nb): a block of zeros gets a step that keeps it zero
            codes = self.op(
                "QuantizeLinear", x, step, axis=1, block_size=block, output_dtype=TensorProto.INT8
            )
            rounded = self.op("DequantizeLinear", codes, step, axis=1, block_size=block)
            rest = self.op("Sub", x, rounded)  # |rest| <= step / 2
            self._per_input[key] = self.op("Concat", rounded, rest, axis=0)  # (2, nb*32)
        return self._per_input[key]

    def lookup_q8_0(self, table: Q8Blocks, ids: str, name: str, output: str) -> str:
        """Rows `ids` of a Q8_0 table as fp32 (T, D): scale * code, the same fp32 product
        gguf's dequantize computes. Holds 1 byte per weight instead of 4."""
        codes = self.op("Gather", self.const(f"{name}.codes", table.codes), ids, axis=0)
        return self._rows_of_codes(
            self.op("Cast", codes, to=TensorProto.FLOAT), table, ids, name, output
        )

    def lookup_q8_0_offset(self, table: Q8Blocks, ids: str, name: str, output: str) -> str:
        """As lookup_q8_0, from the codes offset by 128 that linear_q8_0 multiplies with
        (one copy of a tied table serves both the lookup and the output layer)."""
        codes = self.op("Gather", self.const(f"{name}.codes_u8", offset_codes(table)), ids, axis=0)
        codes = self.op(
            "Sub",
            self.op("Cast", codes, to=TensorProto.FLOAT),
            self.const(f"{name}.zero_point", np.array(128.0, np.float32)),
        )  # (T, nb, 32) the signed codes, exactly
        return self._rows_of_codes(codes, table, ids, name, output)

    def _rows_of_codes(
        self, codes: str, table: Q8Blocks | CodeBlocks, ids: str, name: str, output: str
    ) -> str:
        """codes (T, nb, B) as fp32 -> (T, D): times each block's scale (plus its minimum)."""
        scales = self.const(f"{name}.scales_3d", table.scales[..., None])  # (V, nb, 1)
        values = self.op("Mul", codes, self.op("Gather", scales, ids, axis=0))  # (T, nb, B)
        minimums = getattr(table, "minimums", None)
        if minimums is not None:
            minimums_3d = self.const(f"{name}.minimums_3d", minimums[..., None])  # (V, nb, 1)
            values = self.op("Add", values, self.op("Gather", minimums_3d, ids, axis=0))
        width = table.codes.shape[1] * table.codes.shape[2]
        return self.op(
            "Reshape", values, self.const(f"{name}.row_shape", np.array([-1, width])), name=output
        )

    def block_sums(self, x: str, n_blocks: int, block: int) -> str:
        """x (T, nb*block) -> (T, nb): the sum of each block of inputs (computed once per x;
        a product with a 0/1 matrix instead read 9 MB more per generated token)."""
        key = ("sums", x, block)
        if key not in self._per_input:
            last = self.const("axis_last", np.array([-1], np.int64))
            blocked = self._blocked(x, n_blocks, block)
            self._per_input[key] = self.op("ReduceSum", blocked, last, keepdims=0)
        return self._per_input[key]

    def _blocked(self, x: str, n_blocks: int, block: int) -> str:
        """x (T, nb*block) -> (T, nb, block), a view made once per x."""
        key = ("blocked", x, block)
        if key not in self._per_input:
            shape = self.const(f"shape.blocks_{n_blocks}x{block}", np.array([-1, n_blocks, block]))
            self._per_input[key] = self.op("Reshape", x, shape)
        return self._per_input[key]
