"""Every head's attention map for a token sequence: held whole, or computed a layer at a
time from the queries and keys the model kept.

The maps of all layers take n_layer * n_head * T^2 floats: 28 MB for 128 tokens of
SmolLM2, but 4.5 GB for 2,048. Up to FULL_MAPS_BYTES the graph returns them whole; beyond,
it returns each layer's queries instead (the keys are in the cache anyway), and a layer's
maps are recomputed when asked for, by the same operations the graph runs (softmax of
q k^T / sqrt(d) under the causal mask), in ONNX Runtime (see LanguageModel.attention_layer).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import numpy as np

FULL_MAPS_BYTES = 512 * 2**20  # 700 tokens of SmolLM2 (30 layers x 9 heads)

# (queries (H, T, hd) rotated and scaled, keys (KVH, T, hd)) -> maps (H, T, T)
LayerComputer = Callable[[np.ndarray, np.ndarray], np.ndarray]


def whole_maps_fit(n_layer: int, n_head: int, n_tokens: int) -> bool:
    """Whether all maps of n_tokens tokens fit the budget for holding them whole."""
    return n_layer * n_head * n_tokens * n_tokens * 4 <= FULL_MAPS_BYTES


class AttentionMaps:
    """(L, H, T, T) softmax rows: row t of head (l, h) is how much token t looks at each
    token up to itself; every row sums to 1.

    Read it like an array (`maps[l]`, `maps[l, h]`, `maps.layer(l)`); `np.asarray(maps)`
    materialises everything (fine for short sequences, not for long ones). Summaries the
    panels need over all layers at once (thumbnails, the mean of every head) are stored by
    `attention.summarise` so that the window never computes 30 layers itself.
    """

    def __init__(
        self,
        whole: np.ndarray | None = None,  # (L, H, T, T)
        queries: np.ndarray | None = None,  # (L, H, T, hd), for computing layers again
        keys: tuple[np.ndarray, ...] | None = None,  # L x (KVH, T, hd)
        compute: LayerComputer | None = None,
    ) -> None:
        if whole is None and (queries is None or keys is None or compute is None):
            raise ValueError("AttentionMaps needs the whole maps or queries, keys and compute")
        self._whole = whole
        self._queries, self._keys = queries, keys
        self.compute = compute  # kept also with whole maps: a longer sequence may need it
        if whole is not None:
            self.shape: tuple[int, int, int, int] = tuple(whole.shape)  # type: ignore[assignment]
        else:
            L, H, T, _ = queries.shape  # type: ignore[union-attr]
            self.shape = (L, H, T, T)
        self.summary: dict[Any, np.ndarray] = {}  # filled by attention.summarise
        self._lock = threading.Lock()
        self._recent: tuple[int, np.ndarray] | None = None  # the last layer computed

    ndim = 4
    dtype = np.dtype(np.float32)

    @property
    def is_whole(self) -> bool:
        return self._whole is not None

    @property
    def whole(self) -> np.ndarray | None:
        return self._whole

    @property
    def n_tokens(self) -> int:
        return self.shape[-1]

    def layer(self, index: int) -> np.ndarray:
        """(H, T, T) maps of one layer (computed, for long sequences: ~0.1 s at 2,048)."""
        if self._whole is not None:
            return self._whole[index]
        index = range(self.shape[0])[index]  # negative indices, and range checks
        with self._lock:
            if self._recent is not None and self._recent[0] == index:
                return self._recent[1]
        assert self._queries is not None and self._keys is not None and self.compute
        maps = self.compute(self._queries[index], self._keys[index])  # (H, T, T)
        maps.setflags(write=False)
        with self._lock:
            self._recent = (index, maps)
        return maps

    def __getitem__(self, index: Any) -> np.ndarray:
        if self._whole is not None:
            return self._whole[index]
        first, rest = (index[0], index[1:]) if isinstance(index, tuple) else (index, ())
        if isinstance(first, (int, np.integer)):
            return self.layer(int(first))[rest]
        return np.asarray(self)[index]

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        array = self._whole
        if array is None:
            array = np.stack([self.layer(i) for i in range(self.shape[0])])  # (L, H, T, T)
        return array if dtype is None else array.astype(dtype)

    def __len__(self) -> int:
        return self.shape[0]
