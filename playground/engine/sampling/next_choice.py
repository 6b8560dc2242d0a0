"""The next token chosen without ranking the whole vocabulary: what generation does each
step. `distribution()` sorts every logit (5-6 ms for SmolLM2's 49,152, per token); the
draw almost always falls among the few most likely tokens, so only those are ranked (the
same order: descending logit, ties by id), the normaliser is summed over all of them
unsorted, and the full ranking is made only when a filter or the draw reaches past them.
The token chosen, its rank and probabilities are `distribution()` + `Sampler.choose`'s
(to the last bits of a sum, which are added in another order)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.engine.sampling.distribution import (
    Candidate,
    Sampler,
    SamplingSettings,
    distribution,
)

FIRST = 64  # the candidates ranked first


@dataclass(frozen=True)
class Choice:
    token_id: int
    rank: int  # in the model's ranking (0 = most likely)
    prob: float  # under the sampler's final distribution
    model_prob: float  # at temperature 1, no filter
    alternatives: tuple[Candidate, ...]  # the first `n_alternatives` candidates
    alternative_model_probs: tuple[float, ...]


def choose(
    logits: np.ndarray, settings: SamplingSettings, sampler: Sampler, n_alternatives: int
) -> Choice:
    """Draw the next token from logits (V,) with one uniform number of `sampler`."""
    draw = sampler.draw()  # (one number, whichever path is taken)
    settings = settings.normalised()
    raw = np.asarray(logits, dtype=np.float32).reshape(-1)  # (V,)
    clean = raw.astype(np.float64)
    if not np.isfinite(clean).all() or raw.size <= 4 * FIRST:
        return _ranked_fully(raw, settings, draw, n_alternatives)
    k = min(raw.size, max(FIRST, n_alternatives, settings.top_k if settings.top_k <= FIRST else 0))
    kth = np.partition(clean, raw.size - k)[raw.size - k]  # the k-th largest logit
    top = np.nonzero(clean >= kth)[0]  # (>= k,) ids, ties at the edge included
    order = top[np.lexsort((top, -clean[top]))]  # by descending logit, ties by id
    m = order.size
    z = clean[order]  # (m,) descending
    vocab = raw.size
    if settings.temperature == 0.0:
        tempered = np.zeros(m)
        tempered[0] = 1.0
        n, total = 1, 1.0
    else:
        with np.errstate(over="ignore", under="ignore"):
            e = np.exp((clean - z[0]) / settings.temperature)  # (V,) unsorted
        total = float(e.sum())
        tempered = e[order] / total  # (m,)
        n, total = vocab, float(e.sum() / total)  # the kept mass, ~1
    if settings.top_k > 0 and settings.top_k < n:
        if settings.top_k > m:
            return _ranked_fully(raw, settings, draw, n_alternatives)
        n, total = settings.top_k, float(tempered[: settings.top_k].sum())
    if settings.top_p < 1.0 and n > 1:
        cumulative = np.cumsum(tempered[: min(n, m)]) / total
        reached = int(np.searchsorted(cumulative, settings.top_p, side="left"))
        if reached >= min(n, m):  # the nucleus reaches past the ranked candidates
            if n > m:
                return _ranked_fully(raw, settings, draw, n_alternatives)
        else:
            n = min(n, reached + 1)
            total = float(tempered[:n].sum())
    if settings.min_p > 0.0 and n > 1:
        threshold = settings.min_p * tempered[0]
        within = int(np.searchsorted(-tempered[: min(n, m)], -threshold, side="right"))
        if within >= m and n > m:
            return _ranked_fully(raw, settings, draw, n_alternatives)
        n = max(1, min(n, within))
        total = float(tempered[:n].sum())
    kept = tempered[: min(n, m)]
    cumulative = np.cumsum(kept)
    u = draw * total
    rank = int(np.searchsorted(cumulative, u, side="right"))
    if rank >= min(n, m):
        if n > m:  # the draw fell past the ranked candidates
            return _ranked_fully(raw, settings, draw, n_alternatives)
        rank = n - 1
    if settings.temperature == 1.0:
        model_total = float(e.sum())  # (the same numbers)
    else:
        with np.errstate(under="ignore"):
            model_total = float(np.exp(clean - z[0]).sum())
    shown = max(rank + 1, n_alternatives)
    model_probs = np.exp(z[:shown] - z[0]) / model_total
    alternatives = tuple(
        Candidate(
            token_id=int(order[r]),
            rank=r,
            logit=float(raw[order[r]]),
            tempered_prob=float(tempered[r]),
            prob=float(tempered[r] / total) if r < n else 0.0,
            kept=r < n,
        )
        for r in range(min(n_alternatives, m))
    )
    return Choice(
        token_id=int(order[rank]),
        rank=rank,
        prob=float(tempered[rank] / total),
        model_prob=float(model_probs[rank]),
        alternatives=alternatives,
        alternative_model_probs=tuple(float(p) for p in model_probs[:n_alternatives]),
    )


def _ranked_fully(
    raw: np.ndarray, settings: SamplingSettings, draw: float, n_alternatives: int
) -> Choice:
    """The same choice from the whole vocabulary ranked (`distribution`)."""
    dist = distribution(raw, settings)
    rank = Sampler.rank_of(dist, draw)
    z = dist.ranked.sorted_logits  # (V,) descending
    shown = max(rank + 1, n_alternatives)
    model_probs = np.exp(z[:shown] - z[0]) / np.exp(z - z[0]).sum()
    return Choice(
        token_id=int(dist.ranked.order[rank]),
        rank=rank,
        prob=float(dist.final_sorted[rank]),
        model_prob=float(model_probs[rank]),
        alternatives=tuple(dist.top(n_alternatives)),
        alternative_model_probs=tuple(float(p) for p in model_probs[:n_alternatives]),
    )
