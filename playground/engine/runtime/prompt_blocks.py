"""A long prompt run in causal blocks of rows: each block after the keys and values of
the blocks before it, as generation runs tokens after a cache (LanguageModel.forward).

The analysis graph computes a prompt's attention as a whole T x T square of scores and
masks the half that lies in the future. A block of rows r0..r1-1 run after r0 cached
tokens computes only the (r1-r0) x r1 scores it can see: at 2,048 tokens in blocks of
512, 10/16 of the square. Every product and every row is the same computation as in one
run; ONNX Runtime writes each block's outputs straight into the whole prompt's arrays.
Only long prompts run this way (their maps are computed again when asked for, so the
graph returns no attention rows): a short one's maps come whole from one run.
"""

from __future__ import annotations

import numpy as np

from playground.engine.runtime.run_outputs import RunOutputs

PROMPT_BLOCK_ROWS = 512  # rows per block (a prompt up to this long runs whole)


def block_bounds(n_tokens: int) -> list[int]:
    """0 = b_0 < b_1 < ... < b_k = n_tokens: k blocks of near-equal size, at most
    PROMPT_BLOCK_ROWS each."""
    k = -(-n_tokens // PROMPT_BLOCK_ROWS)  # ceil
    return [round(i * n_tokens / k) for i in range(k + 1)]


def rows_of(whole: RunOutputs, r0: int, r1: int) -> RunOutputs:
    """Where the block of rows r0..r1-1 writes its outputs: views of the whole prompt's
    (each layer's rows of a view are contiguous, as ONNX Runtime needs); the logits
    (1, V) are the last row's, so the last block's are the prompt's; no maps, no records."""
    L, H = whole.attentions.shape[:2]
    rows = slice(r0, r1)
    return RunOutputs(
        logits=whole.logits,
        attentions=np.empty((L, H, 0, r1), np.float32),  # (L, H, 0, r1)
        queries=whole.queries[:, rows],  # (L, r1-r0, H, hd)
        hidden_states=whole.hidden_states[:, rows],  # (L+1, r1-r0, D)
        keys=whole.keys[:, rows],  # (L, r1-r0, KVH, hd)
        values=whole.values[:, rows],
        attn_records=np.empty((L, 0, *whole.hidden_states.shape[2:]), np.float32),
        mlp_records=np.empty((L, 0, *whole.hidden_states.shape[2:]), np.float32),
        head_records=np.empty((L, 0, *whole.queries.shape[2:]), np.float32),
    )
