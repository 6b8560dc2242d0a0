"""A long prompt's attention maps computed again from the queries and keys its run kept,
by the model graph's own operations (part_graphs.build_attention_graph) in ONNX Runtime;
each row's entropy with them, when asked for (the overview's statistics)."""

from __future__ import annotations

from functools import cached_property

import numpy as np
import onnxruntime as ort

from playground.engine.model.architecture import Architecture
from playground.engine.runtime.onnx_sessions import attention_session

MAP_ROWS = 512  # query rows of a long prompt's attention map computed at once


class MapComputer:
    """The attention maps of one model's layers (its sliding windows included)."""

    def __init__(self, arch: Architecture, threads: int) -> None:
        self.arch, self.threads = arch, threads
        self._masks: dict[tuple[int, int, int], np.ndarray] = {}  # (r0, r1, window) ->

    def mask(self, r0: int, r1: int, window: int) -> np.ndarray:
        """(r1-r0, r1): 0 where query row r (r0 <= r < r1) sees key k (k <= r, and
        r - k < window), -inf elsewhere: the model graph's causal mask for a block of
        rows, made once for every head and layer that uses it."""
        key = (r0, r1, window)
        if key not in self._masks:
            if len(self._masks) > 16:  # another prompt's blocks
                self._masks.clear()
            rows = np.arange(r0, r1)[:, None]  # (rows, 1)
            keys = np.arange(r1)[None, :]  # (1, r1)
            seen = (keys <= rows) & (rows - keys < window)
            self._masks[key] = np.where(seen, np.float32(0), np.float32(-np.inf))
        return self._masks[key]

    @cached_property
    def session(self) -> ort.InferenceSession:
        # Made on first use (long prompts, mean ablation): building it imports onnx, ~1 s.
        return attention_session(self.threads)

    def maps(
        self,
        queries: np.ndarray,
        keys: np.ndarray,
        layer: int,
        entropy: np.ndarray | None = None,
    ) -> np.ndarray:
        """Maps (H, T, T) of heads from their queries (H, T, hd) and keys (KVH, T, hd)
        (H/KVH query heads share each key head), computed as the model graph computes
        them for `layer`, one key/value group at a time (temporary arrays stay a group's
        size); `entropy` (H, T), if given, gets each row's entropy in bits. A long
        prompt's maps are computed in blocks of MAP_ROWS query rows, each against the
        keys up to its last row only: the zeros above the diagonal, half the map, are
        mostly not computed at all."""
        H, T, _ = queries.shape  # (H, T, hd)
        group = H // keys.shape[0]
        window = self.arch.window_of(layer) or T  # T: all of them
        maps = np.empty((H, T, T), np.float32)  # (H, T, T)
        scratch = np.empty(group * min(T, MAP_ROWS) * T, np.float32)  # one block's maps
        entropy_scratch = np.empty(group * min(T, MAP_ROWS), np.float32)  # one block's
        for kv in range(keys.shape[0]):
            heads = slice(kv * group, (kv + 1) * group)
            for r0 in range(0, T, MAP_ROWS):
                r1 = min(T, r0 + MAP_ROWS)  # rows r0..r1-1 see keys 0..r1-1
                whole = r0 == 0 and r1 == T
                out = (
                    maps[heads]
                    if whole
                    else scratch[: group * (r1 - r0) * r1].reshape(group, r1 - r0, r1)
                )  # (G, rows, r1), contiguous for ONNX Runtime to write into
                binding = self.session.io_binding()
                binding.bind_cpu_input("mask", self.mask(r0, r1, window))
                binding.bind_cpu_input("queries", np.ascontiguousarray(queries[heads, r0:r1]))
                binding.bind_cpu_input("keys", np.ascontiguousarray(keys[kv : kv + 1, :r1]))
                _bind(binding, "maps", out)
                rows_entropy = None
                if entropy is not None:  # (G, rows)
                    rows_entropy = entropy_scratch[: group * (r1 - r0)].reshape(group, r1 - r0)
                    _bind(binding, "entropy", rows_entropy)
                self.session.run_with_iobinding(binding)
                if entropy is not None:
                    entropy[heads, r0:r1] = rows_entropy
                if not whole:
                    part = maps[heads, r0:r1]  # (G, rows, T)
                    part[..., :r1] = out
                    part[..., r1:] = 0.0  # keys after the block's last row
        return maps

    def release_memory(self) -> None:
        """Give back the memory ONNX Runtime keeps after computing maps (~100 MB at 2,048
        tokens): a one-token computation that shrinks its memory arena afterwards."""
        options = ort.RunOptions()
        options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
        tiny = np.zeros((1, 1, self.arch.head_dim), np.float32)  # (1, 1, hd)
        feeds = {"queries": tiny, "keys": tiny, "mask": np.zeros((1, 1), np.float32)}
        self.session.run(["maps"], feeds, options)
        self._masks.clear()


def _bind(binding: ort.IOBinding, name: str, array: np.ndarray) -> None:
    """ONNX Runtime writes output `name` into `array` (C-contiguous)."""
    assert array.flags.c_contiguous
    binding.bind_output(name, "cpu", 0, np.float32, list(array.shape), array.ctypes.data)
