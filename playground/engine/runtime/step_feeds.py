"""The analysis graph's inputs for n new tokens after P earlier ones (graph.py's table),
interventions aside (intervention_feeds.py), and the check of the ids themselves."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from playground.engine.errors import PlaygroundError


def checked_ids(
    new_ids: Sequence[int], past: int, vocab_size: int, context_length: int
) -> np.ndarray:
    """(n,) int64 ids to run after `past` tokens, or PlaygroundError saying why not."""
    ids = np.asarray(list(new_ids), dtype=np.int64)  # (n,)
    if ids.ndim != 1 or ids.size == 0:
        raise PlaygroundError("There are no tokens to run.")
    if ids.min() < 0 or ids.max() >= vocab_size:
        raise PlaygroundError(f"Token ids must lie in 0..{vocab_size - 1}.")
    if past + ids.size > context_length:
        raise PlaygroundError(
            f"{past + ids.size:,} tokens exceed the model's context of {context_length:,} tokens."
        )
    return ids


def step_feeds(
    ids: np.ndarray,
    past: int,
    key_rows: np.ndarray,
    value_rows: np.ndarray,
    attention_rows: int,
    logit_rows: int,
    record_rows: int,
) -> dict[str, np.ndarray]:
    """Inputs for `ids` (n,) at positions past..past+n-1 after the cached keys and values
    (L, P, KVH, hd) of the tokens before (read in place: a layer's rows are contiguous);
    the last `attention_rows` / `logit_rows` / `record_rows` rows' maps, logits and
    records are asked for."""
    n = int(ids.size)
    feeds = {
        "input_ids": ids,
        "position_ids": np.arange(past, past + n, dtype=np.int64),
        "attention_rows": np.array([attention_rows], np.int64),
        "logit_rows": np.array([logit_rows], np.int64),
        "record_rows": np.array([record_rows], np.int64),
    }
    for i in range(len(key_rows)):  # L
        feeds[f"past_key.{i}"] = key_rows[i]  # (P, KVH, hd)
        feeds[f"past_value.{i}"] = value_rows[i]
    return feeds
