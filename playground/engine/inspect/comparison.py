"""Two runs' next-token distributions side by side: how far apart they are (KL divergence
in bits, total variation) and which tokens changed most. The model's own distributions
(softmax of the logits at temperature 1), whatever the sampler is set to."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ProbabilityChange:
    token_id: int
    prob_a: float
    prob_b: float

    @property
    def change(self) -> float:
        return self.prob_b - self.prob_a


@dataclass(frozen=True)
class Comparison:
    """Run B against run A: `kl_bits` = D(A || B) = sum p_A log2(p_A / p_B), the bits lost
    when B's distribution stands in for A's; `kl_bits_reverse` = D(B || A)."""

    probs_a: np.ndarray  # (V,) float64
    probs_b: np.ndarray  # (V,) float64
    kl_bits: float
    kl_bits_reverse: float
    total_variation: float  # half the sum of |p_B - p_A|, in [0, 1]
    changes: tuple[ProbabilityChange, ...]  # largest |p_B - p_A| first


def softmax(logits: np.ndarray) -> np.ndarray:
    """(V,) logits -> (V,) probabilities in float64 (non-finite logits get none)."""
    z = np.where(np.isfinite(logits), logits.astype(np.float64), -np.inf)
    z = np.exp(z - z.max())
    return z / z.sum()


def _kl_bits(p: np.ndarray, q: np.ndarray) -> float:
    """D(p || q) in bits; tokens p gives no probability add nothing."""
    where = p > 0
    with np.errstate(divide="ignore"):
        return float(np.sum(p[where] * (np.log2(p[where]) - np.log2(q[where]))))


def compare_logits(logits_a: np.ndarray, logits_b: np.ndarray, top: int = 10) -> Comparison:
    """Compare two (V,) next-token logit vectors of the same model."""
    if logits_a.shape != logits_b.shape:
        raise ValueError("The two runs come from models with different vocabularies.")
    p, q = softmax(logits_a), softmax(logits_b)
    difference = q - p
    order = np.argsort(-np.abs(difference), kind="stable")[:top]
    changes = tuple(ProbabilityChange(int(i), float(p[i]), float(q[i])) for i in order)
    return Comparison(
        probs_a=p,
        probs_b=q,
        kl_bits=_kl_bits(p, q),
        kl_bits_reverse=_kl_bits(q, p),
        total_variation=float(0.5 * np.abs(difference).sum()),
        changes=changes,
    )
