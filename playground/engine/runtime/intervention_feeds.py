"""A run's interventions as the analysis graph's inputs (graph.py's table), for the new
tokens at positions past..past+n-1 of one step: knock-out masks, what heads, the stream,
attention and MLP outputs get added. Rows are one (the same for every token) unless a
patch touches one of these positions: then one per new token."""

from __future__ import annotations

import numpy as np

from playground.engine.model.architecture import Architecture
from playground.engine.runtime.interventions import Interventions
from playground.engine.runtime.patches import Patch

ADDED = ("stream_add", "attn_add", "mlp_add")
_SITE_INPUT = {"resid": "stream_add", "attn": "attn_add", "mlp": "mlp_add"}


def intervention_feeds(
    arch: Architecture,
    interventions: Interventions,
    head_fill: np.ndarray,
    past: int,
    n: int,
) -> dict[str, np.ndarray]:
    """head_mask (L, H), mlp_mask (L,), head_fill (L, F, H, hd), stream_add, attn_add and
    mlp_add (L, F, D), with F = 1 or n. `head_fill` (L, H, hd): what the knock-out has
    knocked-out heads write (LanguageModel.head_fill)."""
    L, D = arch.n_layer, arch.d_model
    head_mask, mlp_mask = interventions.knock_out.masks(arch)
    patches = [p for p in interventions.patches if _touches(p, past, n)]
    rows = n if patches else 1
    fill = np.repeat(head_fill[:, None], rows, axis=1)  # (L, F, H, hd)
    added = {name: np.zeros((L, rows, D), np.float32) for name in ADDED}
    if interventions.steering is not None:
        steering = interventions.steering
        added["stream_add"][steering.layer] += steering.added  # every position
    for patch in patches:
        change = patch.change.array
        if patch.site == "head":  # (T, hd): every prompt position's
            inside = change[past : past + n]
            fill[patch.layer, : len(inside), patch.head] += inside
        else:
            added[_SITE_INPUT[patch.site]][patch.layer, patch.position - past] += change
    return {"head_mask": head_mask, "mlp_mask": mlp_mask, "head_fill": fill, **added}


def _touches(patch: Patch, past: int, n: int) -> bool:
    if patch.site == "head":
        return past < patch.change.shape[0]
    return past <= patch.position < past + n
