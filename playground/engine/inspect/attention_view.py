"""What the attention panels show of the maps: one head, a layer's mean or the mean of
every head, with or without the first token (the attention sink). Pure numpy.

`attentions (L, H, T, T)` is an AttentionMaps (or an array) of softmax probabilities:
row i is how much query token i looks at each key token j <= i; every row sums to 1.
"""

from __future__ import annotations

from enum import Enum

import numpy as np

from playground.engine.runtime.attention_maps import AttentionMaps


class Scope(Enum):
    HEAD = "head"  # one head of one layer
    LAYER_MEAN = "layer mean"  # mean over the heads of one layer
    ALL_MEAN = "all layers mean"  # mean over every head of every layer


def attention_matrix(
    attentions: AttentionMaps | np.ndarray,
    scope: Scope,
    layer: int = 0,
    head: int = 0,
    hide_first: bool = False,
) -> np.ndarray:
    """The (T, T) matrix a view shows. With hide_first, the first key is dropped and each
    row renormalised over the rest (row 0, which can only see the first token, is 0)."""
    if scope is Scope.HEAD:
        matrix = attentions[layer, head]  # (T, T)
    elif scope is Scope.LAYER_MEAN:
        matrix = layer_mean(attentions, layer)  # (T, T)
    else:
        matrix = mean_of_all_heads(attentions)  # (T, T)
    matrix = np.asarray(matrix, dtype=np.float32)
    return without_first_token(matrix) if hide_first else matrix


def layer_mean(attentions: AttentionMaps | np.ndarray, layer: int) -> np.ndarray:
    """(T, T) mean of one layer's heads."""
    if isinstance(attentions, AttentionMaps):
        return attentions.layer_mean(layer)
    return attentions[layer].mean(axis=0)


def mean_of_all_heads(attentions: AttentionMaps | np.ndarray) -> np.ndarray:
    """(T, T) mean over every head of every layer (stored by `summarise` for long maps)."""
    stored = attentions.summary.get("mean") if isinstance(attentions, AttentionMaps) else None
    if stored is not None:
        return stored
    total = np.zeros(attentions.shape[-2:], np.float64)  # (T, T)
    for layer in range(attentions.shape[0]):
        total += attentions[layer].sum(axis=0)
    return (total / (attentions.shape[0] * attentions.shape[1])).astype(np.float32)


def without_first_token(matrix: np.ndarray) -> np.ndarray:
    """matrix (..., T, T) -> the same with column 0 zeroed and rows renormalised."""
    out = np.array(matrix, dtype=np.float32, copy=True)
    out[..., 0] = 0.0
    rest = out.sum(axis=-1, keepdims=True)  # (..., T, 1) = 1 - weight on the first token
    np.divide(out, rest, out=out, where=rest > 1e-12)
    return out
