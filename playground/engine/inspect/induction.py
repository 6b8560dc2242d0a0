"""Induction heads: which heads copy what followed a token's earlier occurrence."""

from __future__ import annotations

import numpy as np

from playground.engine.runtime.language_model import LanguageModel

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
    attentions = np.asarray(lm.forward(ids.tolist()).attentions)  # (L, H, 2n, 2n)
    queries = np.arange(length, 2 * length)  # second copy
    keys = queries - length + 1  # the token after the earlier occurrence
    return attentions[:, :, queries, keys].mean(axis=-1)  # (L, H)
