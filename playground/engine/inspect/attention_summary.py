"""Attention summarised for the overview: per-head statistics and thumbnails, computed
in one pass over the layers. Pure numpy.

The functions take the softmax probabilities `attentions (L, H, T, T)`, an AttentionMaps
(or an array). They read it one layer at a time: for long prompts a layer is computed when
asked for, and `summarise` does the all-layer work once, off the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from playground.engine.errors import Cancelled
from playground.engine.inspect.attention_view import without_first_token
from playground.engine.runtime.attention_maps import AttentionMaps

OVERVIEW_TILES = (40, 120)  # thumbnail pixels: in the all-layers mosaic, in one layer's


@dataclass(frozen=True)
class HeadStatistics:
    """Per-head averages over the query rows that have a choice (rows 1..T-1)."""

    previous_token: np.ndarray  # (L, H) mean weight on the token just before
    first_token: np.ndarray  # (L, H) mean weight on the first token (attention sink)
    same_token: np.ndarray  # (L, H) mean weight on itself
    entropy_bits: np.ndarray  # (L, H) mean row entropy: low = focused, high = spread out


def head_statistics(attentions: AttentionMaps | np.ndarray) -> HeadStatistics | None:
    """None when the prompt has fewer than 2 tokens (no row has a choice)."""
    return summarise(attentions, thumbnails_too=False)


def summarise(
    attentions: AttentionMaps | np.ndarray,
    thumbnails_too: bool = True,
    cancelled: Callable[[], bool] | None = None,
) -> HeadStatistics | None:
    """One pass over the layers: the per-head statistics (None below 2 tokens) and, for
    maps computed a layer at a time, the overview's thumbnails and the mean of all heads
    (stored in `attentions.summary`, so the window never computes every layer itself).
    Raises Cancelled between layers once `cancelled()` is true (a newer prompt came)."""
    L, H, T, _ = attentions.shape
    store = thumbnails_too and isinstance(attentions, AttentionMaps) and not attentions.is_whole
    total = np.zeros((T, T), np.float32) if store else None  # (T, T) sums of <= 270 weights
    stats = np.zeros((4, L, H), np.float32)  # previous, first, same, entropy
    rows = np.arange(1, T)
    for layer in range(L):
        if cancelled is not None and cancelled():
            raise Cancelled("The analysis was replaced by a newer one.")
        tiles: dict[tuple[int, bool], list[np.ndarray]] = {}
        for heads, maps, entropies in _head_groups(attentions, layer):  # maps (G, T, T)
            if T >= 2:
                stats[0, layer, heads] = maps[:, rows, rows - 1].mean(axis=-1)
                stats[1, layer, heads] = maps[:, 1:, 0].mean(axis=-1)
                stats[2, layer, heads] = maps[:, rows, rows].mean(axis=-1)
                if entropies is None:  # whole maps: a head at a time here
                    entropies = np.stack([_row_entropies(head_maps) for head_maps in maps])
                else:  # computed with the maps: rows with a choice
                    entropies = entropies[:, 1:]
                stats[3, layer, heads] = entropies.mean(axis=-1)  # (G, T-1) -> (G,)
            if store:
                assert total is not None
                for head_maps in maps:
                    total += head_maps
                for size in OVERVIEW_TILES:
                    for hide_first, tile in enumerate(thumbnail_pair(maps, size)):
                        tiles.setdefault((size, bool(hide_first)), []).append(tile)
        if store:
            assert isinstance(attentions, AttentionMaps)
            for (size, hide_first), parts in tiles.items():
                key = ("thumbnails", layer, size, hide_first)
                attentions.summary[key] = np.concatenate(parts)  # (H, S, S)
    if store and total is not None:
        assert isinstance(attentions, AttentionMaps)
        attentions.summary["mean"] = total / np.float32(L * H)
        attentions.release_memory()
    return HeadStatistics(*stats) if T >= 2 else None


ENTROPY_ROWS = 256  # query rows whose entropies are computed at once


def _row_entropies(maps: np.ndarray) -> np.ndarray:
    """(T, T) one head's causal map -> (T-1,) the entropy in bits of rows 1..T-1. A query
    sees only the keys up to itself, so rows r0..r1-1 read only keys 0..r1-1: computed in
    blocks of rows, the zeros above the diagonal (half the map) are never taken a log of."""
    T = maps.shape[-1]
    out = np.empty(T - 1, np.float32)
    scratch = np.empty((ENTROPY_ROWS, T), np.float32)  # one temporary, reused
    for r0 in range(1, T, ENTROPY_ROWS):
        r1 = min(T, r0 + ENTROPY_ROWS)
        p = maps[r0:r1, :r1]  # (rows, r1) the keys these queries can see
        p_log_p = scratch[: r1 - r0, :r1]
        np.maximum(p, np.float32(1e-30), out=p_log_p)
        np.log(p_log_p, out=p_log_p)  # (numpy's natural log is twice as fast as log2)
        p_log_p *= p  # p ln p, 0 where p == 0
        out[r0 - 1 : r1 - 1] = -p_log_p.sum(axis=-1)
    return out / np.float32(np.log(2.0))  # nats -> bits


def _head_groups(
    attentions: AttentionMaps | np.ndarray, layer: int
) -> Iterator[tuple[slice, np.ndarray, np.ndarray | None]]:
    """One layer's maps as (heads, (G, T, T), row entropies (G, T) or None) parts: the
    whole layer when it is held, one head at a time when computed (with its entropies,
    a ninth of the memory at once)."""
    if isinstance(attentions, AttentionMaps):
        yield from attentions.parts(layer)
    else:
        yield slice(0, attentions.shape[1]), attentions[layer], None


def layer_thumbnails(
    attentions: AttentionMaps | np.ndarray, layer: int, size: int, hide_first: bool
) -> np.ndarray | None:
    """(H, S, S) tiles of one layer (see `thumbnails`); None when the maps are computed a
    layer at a time and `summarise` has not run on them yet (while generating)."""
    if isinstance(attentions, AttentionMaps) and not attentions.is_whole:
        return attentions.summary.get(("thumbnails", layer, size, hide_first))
    return thumbnails(attentions[layer], size, hide_first)


def _row_block_sums(x: np.ndarray, block: int, weights: np.ndarray | None = None) -> np.ndarray:
    """Sum rows (axis -2) in consecutive blocks of `block`, the last one possibly shorter:
    (..., T, K) -> (..., ceil(T / block), K); with `weights` (..., W, T), W weighted sums
    of each block instead: (..., ceil(T / block), W, K). Adding whole rows is a reshape
    that reads the big array once, the fastest way numpy has to shrink it; weighted, one
    product of each block with all its weights (the array is read once for all W, and
    no scaled copy of it is made)."""
    T, K = x.shape[-2:]
    whole = T // block * block
    lead = x.shape[:-2]
    blocks = x[..., :whole, :].reshape(*lead, whole // block, block, K)
    if weights is None:
        sums = blocks.sum(axis=-2)
        if whole < T:
            rest = x[..., whole:, :].sum(axis=-2, keepdims=True)
            sums = np.concatenate([sums, rest], axis=-2)
        return sums
    W = weights.shape[-2]
    w = weights[..., :whole].reshape(*lead, W, whole // block, block)
    sums = np.matmul(np.swapaxes(w, -3, -2), blocks)  # (..., nb, W, K)
    if whole < T:
        rest = np.matmul(weights[..., whole:], x[..., whole:, :])  # (..., W, K)
        sums = np.concatenate([sums, rest[..., None, :, :]], axis=-3)
    return sums


def thumbnails(attentions: np.ndarray, size: int, hide_first: bool) -> np.ndarray:
    """(..., T, T) attention -> (..., S, S) tiles about `size` pixels wide.

    Larger matrices shrink by blocks of tokens: a pixel is how much a block of queries
    looks, on average, at a block of keys (rows averaged, keys added up), so each row of
    a tile still sums to 1 and a sharp pattern stays bright however long the prompt.
    Smaller ones get each token a square of whole pixels. With hide_first, column 0 is
    dropped and every row renormalised *before* shrinking (as the detail view shows it).
    """
    T = attentions.shape[-1]
    if T <= size:
        matrix = without_first_token(attentions) if hide_first else attentions
        factor = max(1, size // T)
        return np.repeat(np.repeat(matrix, factor, axis=-2), factor, axis=-1)  # (..., fT, fT)
    return thumbnail_pair(attentions, size)[int(hide_first)]


def thumbnail_pair(attentions: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """`thumbnails` without and with the first token hidden, together: a large matrix is
    read once for both (a product of its blocks of rows with two weights per row)."""
    T = attentions.shape[-1]
    if T <= size:
        return thumbnails(attentions, size, False), thumbnails(attentions, size, True)
    block = -(-T // size)  # ceil
    counts = np.diff(np.append(np.arange(0, T, block), T)).astype(np.float32)  # (S,)
    rest = 1.0 - attentions[..., :, 0]  # (..., T) mass not on the first token
    scale = np.divide(1.0, rest, out=np.zeros_like(rest), where=rest > 1e-12)
    weights = np.stack([np.ones_like(scale), scale], axis=-2)  # (..., 2, T)
    rows = np.moveaxis(_row_block_sums(attentions, block, weights), -2, 0)  # (2, ..., S, T)
    rows[1, ..., 0] = 0.0  # the hidden first key
    sums = np.swapaxes(_row_block_sums(np.swapaxes(rows, -1, -2), block), -1, -2)  # (2,...,S,S)
    tiles = sums / counts[:, None]  # mean over each block of query rows
    return tiles[0], tiles[1]
