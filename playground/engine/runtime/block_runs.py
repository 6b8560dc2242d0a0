"""Runs of one block alone, with every value inside it as an output (the "Inside a
layer" panel and the receipt): the stream entering the block comes from the analysis
graph, the block runs as part_graphs.build_block_graph builds it (the analysis graph's
own block, the same operations and weights). A block's session is made when first
asked for and kept for the last two layers."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import onnxruntime as ort

from playground.engine.errors import Cancelled
from playground.engine.model.bundle_weights import read_initializers
from playground.engine.model.part_graphs import build_block_graph, stored_weights
from playground.engine.runtime.interventions import NO_INTERVENTIONS, Interventions
from playground.engine.runtime.language_model import LanguageModel
from playground.engine.runtime.onnx_sessions import in_memory_session


def block_internals(
    lm: LanguageModel,
    ids: Sequence[int],
    layer: int,
    interventions: Interventions | None = None,
    run_options: ort.RunOptions | None = None,
) -> dict[str, np.ndarray]:
    """The values inside block `layer` for the prompt `ids`, one row per token, by
    name: hidden_in.i (the stream entering it, from the analysis graph), then from
    the block's own graph (part_graphs.build_block_graph: the same operations and
    weights) attn_norm.i, query_raw.i, query_rotated.i, query.i, key_raw.i, key.i,
    value.i, head_output.i, attn_out.i, mlp_norm.i, gate.i, up.i, act.i, mlp_out.i and
    hidden_out.i (the stream leaving it); and the next-token logits (1, V)."""
    ids = [int(i) for i in ids]
    interventions = (interventions or NO_INTERVENTIONS).over(ids)
    step = lm.step(lm.empty_cache(), ids, run_options, False, interventions)
    hidden_in = np.ascontiguousarray(step.hidden_states[layer])  # (T, D)
    edits = lm.intervention_feeds(interventions, 0, len(ids), run_options)
    del edits["stream_add"]  # hidden_in holds it
    one = slice(layer, layer + 1)  # this layer's rows of the interventions' inputs
    empty = np.zeros((0, lm.arch.n_head_kv, lm.arch.head_dim), np.float32)  # (0, KVH, hd)
    block_feeds = {
        "input_ids": np.asarray(ids, np.int64),  # read for its length
        "position_ids": np.arange(len(ids), dtype=np.int64),
        "attention_rows": np.array([0], np.int64),
        **{name: value[one] for name, value in edits.items()},
        "past_key.0": empty,
        "past_value.0": empty,
        "hidden_in": hidden_in,
    }
    block = _block_session(lm, layer)
    names = [o.name for o in block.get_outputs()]  # kind.0, ..., hidden_out
    try:
        values = block.run(names, block_feeds, run_options)
    except Exception as error:  # as LanguageModel.step: an interrupted run is cancelled
        if run_options is not None and run_options.terminate:
            raise Cancelled("The layer's run was interrupted.") from error
        raise
    out = {
        f"{name.split('.')[0]}.{layer}": value for name, value in zip(names, values, strict=True)
    }
    return {f"hidden_in.{layer}": hidden_in, **out, "logits": step.logits}


def _block_session(lm: LanguageModel, layer: int) -> ort.InferenceSession:
    """Block `layer` alone with every value inside as an output (kept for two layers)."""
    if layer not in lm.block_sessions:
        tensors = read_initializers(lm.folder, f"blk.{layer}.")
        model = build_block_graph(lm.arch, stored_weights(tensors), layer)
        while len(lm.block_sessions) >= 2:
            lm.block_sessions.pop(next(iter(lm.block_sessions)))
        lm.block_sessions[layer] = in_memory_session(model, lm.threads)
    return lm.block_sessions[layer]
