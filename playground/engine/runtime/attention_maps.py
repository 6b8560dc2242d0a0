"""Every head's attention map for a token sequence: held whole, or computed when asked
for from the queries and keys the model kept.

The maps of all layers take n_layer * n_head * T^2 floats: 28 MB for 128 tokens of
SmolLM2, but 4.5 GB for 2,048. Up to FULL_MAPS_BYTES the graph returns them whole; beyond,
it returns each layer's queries instead (the keys are in the cache anyway), and maps are
recomputed when asked for — one head (what a view shows), one layer's mean, or a whole
layer (for the statistics) — by the same operations the graph runs (softmax of q k^T /
sqrt(d) under the causal mask), in ONNX Runtime (LanguageModel.attention_maps).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any, Protocol

import numpy as np

FULL_MAPS_BYTES = 512 * 2**20  # 700 tokens of SmolLM2 (30 layers x 9 heads)
KEPT_HEADS = 4  # recently shown heads kept (16 MB each at 2,048 tokens)


class MapSource(Protocol):
    def attention_maps(
        self, queries: np.ndarray, keys: np.ndarray, layer: int, entropy: np.ndarray | None = None
    ) -> np.ndarray:
        """queries (G, T, hd) of heads sharing keys (1, T, hd) -> maps (G, T, T); or
        queries (H, T, hd) with keys (KVH, T, hd) -> (H, T, T); under `layer`'s mask (a
        sliding layer's keeps the last tokens of its window only). `entropy` (G or H, T),
        if given, gets each row's entropy in bits."""
        ...

    def release_attention_memory(self) -> None:
        """Hand back the temporary memory the computations used."""
        ...


def whole_maps_fit(n_layer: int, n_head: int, n_tokens: int) -> bool:
    """Whether all maps of n_tokens tokens fit the budget for holding them whole."""
    return n_layer * n_head * n_tokens * n_tokens * 4 <= FULL_MAPS_BYTES


class AttentionMaps:
    """(L, H, T, T) softmax rows: row t of head (l, h) is how much token t looks at each
    token up to itself; every row sums to 1.

    Read it like an array (`maps[l, h]`, `maps[l]`, `maps.layer_mean(l)`);
    `np.asarray(maps)` materialises everything (fine for short sequences, not for long
    ones). Summaries the panels need over all layers at once (thumbnails, the mean of
    every head) are stored by `attention.summarise`, so the window never computes 30
    layers itself.
    """

    def __init__(
        self,
        whole: np.ndarray | None = None,  # (L, H, T, T)
        queries: np.ndarray | None = None,  # (L, T, H, hd), for computing maps again
        keys: tuple[np.ndarray, ...] | None = None,  # L x (T, KVH, hd)
        source: MapSource | None = None,
    ) -> None:
        if whole is None and (queries is None or keys is None or source is None):
            raise ValueError("AttentionMaps needs the whole maps or queries, keys and a source")
        self._whole = whole
        self._queries, self._keys = queries, keys
        self.source = source  # kept also with whole maps: a longer sequence may need it
        if whole is not None:
            self.shape: tuple[int, int, int, int] = tuple(whole.shape)  # type: ignore[assignment]
        else:
            L, T, H, _ = queries.shape  # type: ignore[union-attr]
            self.shape = (L, H, T, T)
        self.summary: dict[Any, np.ndarray] = {}  # filled by attention.summarise
        self._lock = threading.Lock()
        self._kept: OrderedDict[Any, np.ndarray] = OrderedDict()  # recent heads and means

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

    def head(self, layer: int, head: int) -> np.ndarray:
        """(T, T) one head's maps (computed: ~30 ms and 16 MB at 2,048 tokens)."""
        if self._whole is not None:
            return self._whole[layer, head]
        layer, head = range(self.shape[0])[layer], range(self.shape[1])[head]
        kv = head // (self.shape[1] // self._key_heads)
        return self._kept_or(
            ("head", layer, head),
            lambda: self._computed(layer, slice(head, head + 1), slice(kv, kv + 1))[0],
        )

    def layer_mean(self, layer: int) -> np.ndarray:
        """(T, T) the mean of one layer's heads, one key/value group at a time."""
        if self._whole is not None:
            return self._whole[layer].mean(axis=0)
        layer = range(self.shape[0])[layer]

        def mean() -> np.ndarray:
            group = self.shape[1] // self._key_heads
            total = np.zeros(self.shape[2:], np.float32)  # (T, T)
            for kv in range(self._key_heads):
                heads = slice(kv * group, (kv + 1) * group)
                total += self._computed(layer, heads, slice(kv, kv + 1)).sum(axis=0)
            return total / self.shape[1]

        return self._kept_or(("mean", layer), mean)

    def layer(self, index: int) -> np.ndarray:
        """(H, T, T) every head of one layer (computed, not kept: 150 MB at 2,048)."""
        if self._whole is not None:
            return self._whole[index]
        index = range(self.shape[0])[index]
        return self._computed(index, slice(None), slice(None))

    def parts(self, layer: int) -> Iterator[tuple[slice, np.ndarray, np.ndarray | None]]:
        """(heads, maps (G, T, T), their rows' entropies in bits (G, T) or None) covering
        one layer: the whole layer when it is held (no entropies), else one head at a
        time, computed with its entropies and not kept (16 MB each at 2,048 tokens)."""
        if self._whole is not None:
            yield slice(0, self.shape[1]), self._whole[layer], None
            return
        group = self.shape[1] // self._key_heads
        for head in range(self.shape[1]):
            kv = head // group
            entropy = np.empty((1, self.shape[2]), np.float32)  # (1, T)
            maps = self._computed(layer, slice(head, head + 1), slice(kv, kv + 1), entropy)
            yield slice(head, head + 1), maps, entropy

    def release_memory(self) -> None:
        """After computing many maps: the source hands back its temporary memory."""
        if self.source is not None:
            self.source.release_attention_memory()

    def __getitem__(self, index: Any) -> np.ndarray:
        if self._whole is not None:
            return self._whole[index]
        parts = index if isinstance(index, tuple) else (index,)
        if len(parts) >= 2 and all(isinstance(p, (int, np.integer)) for p in parts[:2]):
            return self.head(int(parts[0]), int(parts[1]))[parts[2:]]
        if isinstance(parts[0], (int, np.integer)):
            return self.layer(int(parts[0]))[parts[1:]]
        return np.asarray(self)[index]

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        array = self._whole
        if array is None:
            array = np.stack([self.layer(i) for i in range(self.shape[0])])  # (L, H, T, T)
        return array if dtype is None else array.astype(dtype)

    def __len__(self) -> int:
        return self.shape[0]

    # --- computing ------------------------------------------------------------------------
    @property
    def _key_heads(self) -> int:
        assert self._keys is not None
        return int(self._keys[0].shape[1])

    def _computed(
        self, layer: int, heads: slice, key_heads: slice, entropy: np.ndarray | None = None
    ) -> np.ndarray:
        assert self._queries is not None and self._keys is not None and self.source
        queries = np.ascontiguousarray(self._queries[layer, :, heads].transpose(1, 0, 2))
        keys = np.ascontiguousarray(self._keys[layer][:, key_heads].transpose(1, 0, 2))
        maps = self.source.attention_maps(queries, keys, layer, entropy)  # (G, T, T)
        maps.setflags(write=False)
        return maps

    def _kept_or(self, key: Any, compute: Any) -> np.ndarray:
        with self._lock:
            if key in self._kept:
                self._kept.move_to_end(key)
                return self._kept[key]
        value = compute()
        with self._lock:
            self._kept[key] = value
            while len(self._kept) > KEPT_HEADS:
                self._kept.popitem(last=False)
        return value
