"""Attention maths for the panels: views of one head or a mean, the first-token (sink)
toggle, per-head statistics and induction scores. Pure numpy.

All functions take the softmax probabilities `attentions (L, H, T, T)`: row i is how much
query token i looks at each key token j <= i; every row sums to 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np

from playground.engine.model import LanguageModel


class Scope(Enum):
    HEAD = "head"  # one head of one layer
    LAYER_MEAN = "layer mean"  # mean over the heads of one layer
    ALL_MEAN = "all layers mean"  # mean over every head of every layer


def attention_matrix(
    attentions: np.ndarray, scope: Scope, layer: int = 0, head: int = 0, hide_first: bool = False
) -> np.ndarray:
    """The (T, T) matrix a view shows. With hide_first, the first key is dropped and each
    row renormalised over the rest (row 0, which can only see the first token, is 0)."""
    if scope is Scope.HEAD:
        matrix = attentions[layer, head]  # (T, T)
    elif scope is Scope.LAYER_MEAN:
        matrix = attentions[layer].mean(axis=0)  # (T, T)
    else:
        matrix = attentions.mean(axis=(0, 1))  # (T, T)
    matrix = np.asarray(matrix, dtype=np.float32)
    return without_first_token(matrix) if hide_first else matrix


def without_first_token(matrix: np.ndarray) -> np.ndarray:
    """matrix (..., T, T) -> the same with column 0 zeroed and rows renormalised."""
    out = np.array(matrix, dtype=np.float32, copy=True)
    out[..., 0] = 0.0
    rest = out.sum(axis=-1, keepdims=True)  # (..., T, 1) = 1 - weight on the first token
    np.divide(out, rest, out=out, where=rest > 1e-12)
    return out


@dataclass(frozen=True)
class HeadStatistics:
    """Per-head averages over the query rows that have a choice (rows 1..T-1)."""

    previous_token: np.ndarray  # (L, H) mean weight on the token just before
    first_token: np.ndarray  # (L, H) mean weight on the first token (attention sink)
    same_token: np.ndarray  # (L, H) mean weight on itself
    entropy_bits: np.ndarray  # (L, H) mean row entropy: low = focused, high = spread out


def head_statistics(attentions: np.ndarray) -> HeadStatistics | None:
    """None when the prompt has fewer than 2 tokens (no row has a choice)."""
    L, H, T, _ = attentions.shape
    if T < 2:
        return None
    rows = np.arange(1, T)
    a = attentions[:, :, 1:, :]  # (L, H, T-1, T) rows with a choice
    previous = attentions[:, :, rows, rows - 1].mean(axis=-1)  # (L, H)
    first = a[..., 0].mean(axis=-1)
    same = attentions[:, :, rows, rows].mean(axis=-1)
    entropy = np.empty((L, H), np.float32)
    for layer in range(L):  # one layer at a time keeps the temporary small
        p = a[layer].astype(np.float32, copy=True)  # (H, T-1, T)
        p_log_p = p * np.log2(np.maximum(p, np.float32(1e-30)))  # 0 where p == 0
        entropy[layer] = -p_log_p.sum(axis=-1).mean(axis=-1)
    return HeadStatistics(previous, first, same, entropy)


INDUCTION_LENGTH = 50  # tokens in the random sequence that is then repeated
INDUCTION_SEED = 0


def induction_scores(lm: LanguageModel, length: int = INDUCTION_LENGTH) -> np.ndarray:
    """(L, H) how strongly each head does 'induction': on a random token sequence seen
    twice, the mean weight a token in the second copy puts on the token that *followed*
    its earlier occurrence (the next-token-copying pattern of Olsson et al., 2022)."""
    rng = np.random.default_rng(INDUCTION_SEED)
    special = set(lm.info.special.special_ids)
    pool = np.array([i for i in range(lm.vocab_size) if i not in special])
    sequence = rng.choice(pool, size=length, replace=False)  # (n,)
    ids = np.concatenate([sequence, sequence])  # (2n,)
    attentions = lm.forward(ids.tolist()).attentions  # (L, H, 2n, 2n)
    queries = np.arange(length, 2 * length)  # second copy
    keys = queries - length + 1  # the token after the earlier occurrence
    return attentions[:, :, queries, keys].mean(axis=-1)  # (L, H)
