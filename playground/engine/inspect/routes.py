"""Information routes (Ferrando & Voita, "Information flow routes", 2024): the graph of
which tokens' streams fed a prediction, block by block, as llm-transparency-tool draws it.

A node (l, i) is token i's residual stream entering block l (node (L, i): leaving the
last block). Block l turns x_i into y_i = x_i + attn_i + mlp_i, and y_i splits exactly
into parts: what each earlier token j wrote through the attention (its values through
every head's output projection, weighted by the attention, heads summed),

    c_ij = sum_h alpha^h_ij * v^{kv(h)}_j @ W_O[h]        (Gemma 3: times its post-norm's
                                                           gain / rms of the head sum)

and what the token's own stream kept, kept_i = y_i - sum_j c_ij: the residual, the MLP,
and whatever the attention wrote that is no one token's (a knocked-out head's mean
output, a patch, rounding). A part's importance is how much closer it alone is to y_i
than nothing is (the paper's proximity, in L1): imp(z, y) = max(0, |y|_1 - |y - z|_1);
the shares at a node are the importances normalised to add up to 1. The routes are the
edges with a share at or above a threshold that lie on a path to the prediction's node.

Everything comes from one model run that records each block's outputs (Step.recorded);
only the output projection is read from the bundle (the graph's own fp32 matrix).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import onnxruntime as ort

from playground.engine.errors import PlaygroundError
from playground.engine.inspect.direct_logit import _weight
from playground.engine.inspect.run import Run
from playground.engine.runtime.forward import Step
from playground.engine.runtime.interventions import Interventions
from playground.engine.runtime.language_model import LanguageModel

MAX_TOKENS = 256  # a layer's contributions are (T, T, D): 300 MB in float64 at 256
CHUNK = 1 << 21  # query rows are taken so that a chunk's (T, rows, D) stays this size


@dataclass(frozen=True)
class RouteEdge:
    layer: int  # block l: the edge goes from node (l, source) to node (l+1, target)
    source: int  # token j
    target: int  # token i
    share: float  # 0..1
    kind: str  # "attention" (j's contribution through block l's attention, heads
    # summed) or "residual" (i's own stream kept through the residual and the MLP)


@dataclass(frozen=True)
class Routes:
    run: Run  # the run it was computed from (model only: no sampler)
    tokens: list[str]  # token texts
    position: int  # the prediction's position
    threshold: float
    attention_shares: np.ndarray  # (L, T, T) [layer, to i, from j], zero above the diagonal
    kept_shares: np.ndarray  # (L, T) [layer, token i]
    edges: tuple[RouteEdge, ...]  # share >= threshold, on a path to node (L, position)

    def edges_at(self, threshold: float, position: int | None = None) -> tuple[RouteEdge, ...]:
        """The routes for another threshold or prediction (the shares stay: no new run)."""
        position = self.position if position is None else position
        if not 0 <= position < len(self.tokens):
            raise PlaygroundError(f"Position {position} is outside the prompt.")
        return _edges(self.attention_shares, self.kept_shares, position, threshold)


def information_routes(
    lm: LanguageModel,
    run: Run,
    position: int | None = None,
    threshold: float = 0.04,
    run_options: ort.RunOptions | None = None,
) -> Routes:
    """The routes to the prediction at `position` (default: the last token) of the run,
    with the run's interventions (a knocked-out head carries no route)."""
    ids = list(run.ids)
    T = len(ids)
    if T == 0:
        raise PlaygroundError("The prompt is empty: there are no routes to draw.")
    if T > MAX_TOKENS:
        raise PlaygroundError(
            f"Information routes take prompts of at most {MAX_TOKENS} tokens (this has {T})."
        )
    position = T - 1 if position is None else int(position)
    if not 0 <= position < T:
        raise PlaygroundError(f"Position {position} is not in the prompt (0 to {T - 1}).")
    interventions = run.interventions.over(ids)
    step = lm.step(lm.empty_cache(), ids, run_options, True, interventions, record=True)
    attention, kept = _shares(lm, step, interventions, run_options)
    edges = _edges(attention, kept, position, threshold)
    tokens = [piece.display for piece in lm.pieces(ids)]
    return Routes(run.model_run, tokens, position, threshold, attention, kept, edges)


def _shares(
    lm: LanguageModel,
    step: Step,
    interventions: Interventions,
    run_options: ort.RunOptions | None,
) -> tuple[np.ndarray, np.ndarray]:
    """(L, T, T) attention shares [layer, to i, from j] and (L, T) kept shares."""
    a = lm.arch
    L, H, hd, eps = a.n_layer, a.n_head, a.head_dim, a.rms_eps
    T = step.hidden_states.shape[1]
    group = H // a.n_head_kv  # query heads per key/value head
    head_mask, _ = interventions.knock_out.masks(a)  # (L, H)
    fill = None
    if a.post_norms:  # Gemma 3: the head sum's scale needs what knocked-out heads wrote
        fill = lm.intervention_feeds(interventions, 0, T, run_options)["head_fill"]  # (L,F,H,hd)
    recorded = step.recorded
    assert step.attentions is not None and recorded is not None  # detailed, recorded
    attention_shares = np.zeros((L, T, T))  # (L, T, T)
    kept_shares = np.zeros((L, T))  # (L, T)
    for layer in range(L):
        x = np.asarray(step.hidden_states[layer], np.float64)  # (T, D) entering block
        y = x + recorded.attn_out[layer] + recorded.mlp_out[layer]  # (T, D) leaving it
        w_o = _weight(lm, f"blk.{layer}.attn_output.weight_t").reshape(H, hd, -1)  # (H, hd, D)
        values = np.asarray(step.cache.value_rows[layer], np.float64)  # (T, KVH, hd)
        per_head = np.repeat(values, group, axis=1).transpose(1, 0, 2)  # (H, T, hd)
        written = np.matmul(per_head, w_o).transpose(1, 0, 2)  # (T, H, D) [from j, head]
        alpha = step.attentions[layer] * head_mask[layer][:, None, None]  # (H, T, T)
        scale = np.ones((T, 1))  # (T, 1) per query token
        if fill is not None:  # the graph's head sum, before its RMS norm
            context = recorded.head_output[layer] * head_mask[layer][:, None] + fill[layer]
            total = np.einsum("thd,hdo->to", np.asarray(context, np.float64), w_o)  # (T, D)
            scale = 1.0 / np.sqrt(np.mean(total * total, axis=-1, keepdims=True) + eps)
            gain = _weight(lm, f"blk.{layer}.post_attention_norm.weight")  # (D,)
            written = written * gain  # (T, H, D): the gain is per feature, so per part
        imp_att, imp_kept = _importances(alpha, written, scale, y)  # (T, T), (T,)
        total_imp = imp_att.sum(axis=1) + imp_kept  # (T,)
        none = total_imp <= 0  # nothing is closer than zero: the stream keeps it all
        denominator = np.where(none, 1.0, total_imp)
        attention_shares[layer] = imp_att / denominator[:, None]
        kept_shares[layer] = np.where(none, 1.0, imp_kept / denominator)
    return attention_shares, kept_shares


def _importances(
    alpha: np.ndarray, written: np.ndarray, scale: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Proximity importances (T, T) of c_ij and (T,) of kept_i = y_i - sum_j c_ij, with
    c_ij = scale_i * sum_h alpha[h, i, j] * written[j, h]. The (T, rows, D) contributions
    are made a block of query rows at a time, from the tokens they see (j <= the last
    row), as one batched matrix product per source token."""
    T, D = y.shape
    norm_y = np.abs(y).sum(axis=-1)  # (T,)
    imp_att = np.zeros((T, T))  # (T, T) [to i, from j]
    summed = np.zeros((T, D))  # (T, D) sum_j c_ij
    rows = max(1, CHUNK // (T * D))
    by_source = np.ascontiguousarray(np.transpose(alpha, (2, 1, 0)), np.float64)  # (T, T, H)
    for start in range(0, T, rows):
        end = min(T, start + rows)
        seen = by_source[:end, start:end]  # (J, rows, H) [from j, to i, head], J = end
        c = np.matmul(seen, written[:end])  # (J, rows, D), zero for j > i (causal maps)
        c *= scale[None, start:end]
        summed[start:end] = c.sum(axis=0)
        np.subtract(y[None, start:end], c, out=c)  # (J, rows, D) y_i - c_ij
        np.abs(c, out=c)
        distance = c.sum(axis=-1)  # (J, rows)
        imp_att[start:end, :end] = np.maximum(0.0, norm_y[start:end, None] - distance.T)
    imp_att = np.tril(imp_att)  # j > i wrote nothing: not an edge (exactly zero)
    imp_kept = np.maximum(0.0, norm_y - np.abs(summed).sum(axis=-1))  # |y - kept| = |sum c|
    return imp_att, imp_kept


def _edges(
    attention: np.ndarray, kept: np.ndarray, position: int, threshold: float
) -> tuple[RouteEdge, ...]:
    """Edges with share >= threshold on a path to node (L, position): a walk back from
    it, block by block, reaching each source of a kept edge into a reached node."""
    L, T, _ = attention.shape  # (L, T, T)
    reached = np.zeros(T, bool)  # (T,) nodes reached at layer l+1
    reached[position] = True
    by_layer: list[list[RouteEdge]] = []
    causal = np.tril(np.ones((T, T), bool))  # (T, T)
    for layer in range(L - 1, -1, -1):
        strong = (attention[layer] >= threshold) & causal & reached[:, None]  # (T, T)
        kept_strong = (kept[layer] >= threshold) & reached  # (T,)
        found = [
            RouteEdge(layer, int(j), int(i), float(attention[layer, i, j]), "attention")
            for i, j in zip(*np.nonzero(strong), strict=True)
        ]
        found += [
            RouteEdge(layer, int(i), int(i), float(kept[layer, i]), "residual")
            for i in np.nonzero(kept_strong)[0]
        ]
        found.sort(key=lambda e: (e.target, e.source, e.kind == "residual"))
        by_layer.append(found)
        reached = strong.any(axis=0) | kept_strong  # (T,) sources: nodes at layer l
    return tuple(edge for found in reversed(by_layer) for edge in found)
