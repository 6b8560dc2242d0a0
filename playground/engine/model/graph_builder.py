"""The small vocabulary both graphs are written in: the parts a transformer block is made
of (linear maps, from fp32 matrices or straight from quantized blocks (block_products.py),
RMSNorm, the causal mask), on graph_nodes' nodes with unique names and constants."""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby

import numpy as np

from playground.engine.model.block_products import BlockProducts
from playground.engine.model.quant_blocks import Blocks, block_kind, join_rows


class GraphBuilder(BlockProducts):
    """BlockProducts with the other parts of a transformer block, each a few nodes."""

    def linear(
        self,
        x: str,
        weight: np.ndarray,
        name: str,
        bias: np.ndarray | None = None,
        output: str | None = None,
    ) -> str:
        """x (T, in) @ weight.T -> (T, out); weight is (out, in) as in the checkpoint."""
        w = self.const(f"{name}.weight_t", np.ascontiguousarray(weight.T))  # (in, out)
        y = self.op("MatMul", x, w, name=output if bias is None else None)
        if bias is not None:
            y = self.op("Add", y, self.const(f"{name}.bias", bias), name=output)
        return y

    def linear_joined(
        self,
        x: str,
        tensors: list[str],
        blocks: Callable[[str], Blocks | None],
        weight: Callable[[str], np.ndarray],
        many_rows: bool = False,
        bias: np.ndarray | None = None,
    ) -> str:
        """x @ [W_1; W_2; ...].T (+ bias) -> (T, sum of outs): matrices that read x, one
        product per run of one block type (a Q4_K_M file's Q4_K q|k, then its Q6_K v);
        `blocks` gives a matrix's blocks (None: the fp32 `weight`). Stored as "a+b": both
        graphs of a big model make the same products, and the bundle holds them once."""
        outputs = []
        stored = [(t, blocks(f"{t}.weight")) for t in tensors]
        for _, run in groupby(stored, key=lambda named: block_kind(named[1])):
            names, parts = zip(*run, strict=True)
            name = "+".join(names)
            if parts[0] is None:
                matrix = np.concatenate([weight(f"{t}.weight") for t in names])  # (outs, in)
                outputs.append(self.linear(x, matrix, name))
            else:  # one block type: no None among them
                outputs.append(self.linear_blocks(x, join_rows(list(parts)), name, many_rows))
        y = outputs[0] if len(outputs) == 1 else self.op("Concat", *outputs, axis=-1)
        return (
            y if bias is None else self.op("Add", y, self.const(f"{'+'.join(tensors)}.bias", bias))
        )

    def causal_mask(self, n_new: str, n_past: str, window: int | str = 0) -> str:
        """(T, P+T) additive mask for T new tokens after P earlier ones ([T], [P] int64):
        0 where the key is not in the query's future (and, with a window, is one of the
        last `window` tokens the query sees, its own included), -inf elsewhere."""
        zero, one = (
            self.const("zero", np.array(0, np.int64)),
            self.const("one", np.array(1, np.int64)),
        )
        axis0, axis1 = self.const("axis0", np.array([0])), self.const("axis1", np.array([1]))
        n_total = self.op("Add", n_new, n_past)  # [S]
        key_index = self.op("Range", zero, self.op("Squeeze", n_total, axis0), one)  # (S,)
        query_index = self.op(
            "Add", self.op("Range", zero, self.op("Squeeze", n_new, axis0), one), n_past
        )  # (T,) index of each new token in the whole sequence
        keys = self.op("Unsqueeze", key_index, axis0)  # (1, S)
        queries = self.op("Unsqueeze", query_index, axis1)  # (T, 1)
        allowed = self.op("LessOrEqual", keys, queries)  # (T, S)
        if window:  # sliding layers: q - k < window (a number, or an input's name)
            if isinstance(window, int):
                window = self.const(f"window_{window}", np.array(window, np.int64))
            near = self.op("Less", self.op("Sub", queries, keys), window)
            allowed = self.op("And", allowed, near)
        neg_inf = self.const("neg_inf", np.array(-np.inf, np.float32))
        return self.op("Where", allowed, self.const("f_zero", np.array(0.0, np.float32)), neg_inf)

    def gelu_tanh(self, x: str) -> str:
        """GELU, tanh form (Gemma's gelu_pytorch_tanh; llama.cpp's ggml_gelu)."""
        return self.op("Gelu", x, approximate="tanh")

    def rms_norm(
        self, x: str, weight: np.ndarray, eps: float, name: str, output: str | None = None
    ) -> str:
        """x / sqrt(mean(x^2) + eps) * weight over the last axis, in fp32: ONNX Runtime's
        one-node RMSNorm (its SimplifiedLayerNormalization) instead of seven small nodes."""
        scale = self.const(f"{name}.weight", weight)
        return self.op(
            "SimplifiedLayerNormalization",
            x,
            scale,
            name=output,
            axis=-1,
            epsilon=float(eps),
            stash_type=1,  # compute in fp32
        )

    def add_rms_norm(
        self, x: str, update: str, weight: np.ndarray, eps: float, name: str, total: str = ""
    ) -> tuple[str, str]:
        """(x + update, rms_norm(x + update)) in one node (SkipSimplifiedLayerNormalization):
        a residual add and the norm after it."""
        scale = self.const(f"{name}.weight", weight)
        normed, _, _, summed = self.op_outputs(
            "SkipSimplifiedLayerNormalization",
            [update, x, scale],
            ["", None, None, total],
            epsilon=float(eps),
            domain="com.microsoft",
        )
        return summed, normed
