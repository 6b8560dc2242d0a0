"""A long prompt run in causal blocks of rows: each block after the keys and values of
the blocks before it, as generation runs tokens after a cache.

The analysis graph computes a prompt's attention as a whole T x T square of scores and
masks the half that lies in the future. A block of rows r0..r1-1 run after r0 cached
tokens computes only the (r1-r0) x r1 scores it can see: at 2,048 tokens in blocks of
512, 10/16 of the square. Every product and every row is the same computation as in one
run; ONNX Runtime writes each block's outputs straight into the whole prompt's arrays.
Only long prompts run this way (their maps are computed again when asked for, so the
graph returns no attention rows): a short one's maps come whole from one run.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

import numpy as np
import onnxruntime as ort

from playground.engine.runtime.attention_maps import AttentionMaps
from playground.engine.runtime.forward import Forward, KVCache, TokenRows
from playground.engine.runtime.interventions import NO_INTERVENTIONS, Interventions
from playground.engine.runtime.run_outputs import RunOutputs
from playground.engine.runtime.step_feeds import checked_ids, step_feeds

if TYPE_CHECKING:
    from playground.engine.runtime.language_model import LanguageModel

PROMPT_BLOCK_ROWS = 512  # rows per block (a prompt up to this long runs whole)


def block_bounds(n_tokens: int) -> list[int]:
    """0 = b_0 < b_1 < ... < b_k = n_tokens: k blocks of near-equal size, at most
    PROMPT_BLOCK_ROWS each."""
    k = -(-n_tokens // PROMPT_BLOCK_ROWS)  # ceil
    return [round(i * n_tokens / k) for i in range(k + 1)]


def forward_in_blocks(
    lm: LanguageModel,
    new_ids: Sequence[int],
    run_options: ort.RunOptions | None = None,
    interventions: Interventions | None = None,
) -> Forward:
    """LanguageModel.forward of a long prompt (no attention rows, the last token's
    logits), run in causal blocks of rows."""
    a = lm.arch
    ids = checked_ids(new_ids, 0, lm.vocab_size, lm.context_length)  # (T,)
    interventions = (interventions or NO_INTERVENTIONS).for_prompt(ids, 0)
    T = int(ids.size)
    whole = RunOutputs.empty(a, T, T, 0, 1, 0)  # every block writes into its rows
    seconds = 0.0
    for r0, r1 in pairwise(block_bounds(T)):
        feeds = step_feeds(ids[r0:r1], r0, whole.keys[:, :r0], whole.values[:, :r0], 0, 1, 0)
        rows = slice(r0, r1)
        block = RunOutputs(
            logits=whole.logits,  # (1, V): the last block's last row is the prompt's
            attentions=np.empty((a.n_layer, a.n_head, 0, r1), np.float32),
            queries=whole.queries[:, rows],  # (L, r1-r0, H, hd), each layer's contiguous
            hidden_states=whole.hidden_states[:, rows],
            keys=whole.keys[:, rows],
            values=whole.values[:, rows],
            attn_records=np.empty((a.n_layer, 0, a.d_model), np.float32),
            mlp_records=np.empty((a.n_layer, 0, a.d_model), np.float32),
            head_records=np.empty((a.n_layer, 0, a.n_head, a.head_dim), np.float32),
        )
        start = time.perf_counter()
        lm.run_graph(feeds, r0, 0, 1, run_options, interventions, out=block)
        seconds += time.perf_counter() - start
    cache = KVCache.holding(whole.keys, whole.values)
    return Forward(
        ids=ids,
        logits=whole.logits,
        attentions=AttentionMaps(queries=whole.queries, keys=cache.keys, source=lm),
        queries=whole.queries,
        hidden_states=whole.hidden_states,
        cache=cache,
        seconds=seconds,
        _query_buffer=TokenRows.holding(whole.queries),
        _hidden_buffer=TokenRows.holding(whole.hidden_states),
    )
