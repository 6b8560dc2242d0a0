"""The next-token distribution over the full vocabulary, and sampling from it.

Stages, in this order (the order of Hugging Face `generate`'s logits processors):

1. temperature   p = softmax(logits / T); T = 0 means greedy (all mass on the argmax)
2. top-k         keep the k most probable tokens (k = 0: off)
3. top-p         keep the smallest set of most probable tokens whose mass reaches p
                 (renormalised after top-k; p = 1: off; at least one token stays)
4. min-p         keep tokens with probability >= min_p x the top token's (min_p = 0: off)

The kept tokens are renormalised. Every stage keeps a prefix of the tokens ranked by
logit (ties broken by id), so the whole computation runs on one sorted copy of the
logits: rank once per new logits (`rank_logits`), then every slider move is a softmax,
a cumulative sum and two searches over the sorted array (no sort).

Non-finite logits are made total: NaN counts as -inf; if any logit is +inf, the +inf
tokens share all the mass; if every logit is -inf, the distribution is uniform.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class SamplingSettings:
    temperature: float = 1.0  # 0 = greedy
    top_k: int = 0  # 0 = off
    top_p: float = 1.0  # 1 = off
    min_p: float = 0.0  # 0 = off

    def normalised(self, vocab_size: int | None = None) -> SamplingSettings:
        """The same settings clamped to their meaningful ranges (NaN -> default); with a
        vocabulary size, top-k at most that (a larger k keeps every token anyway)."""

        def clamp(value: float, low: float, high: float, default: float) -> float:
            return default if np.isnan(value) else min(max(value, low), high)

        return SamplingSettings(
            temperature=clamp(float(self.temperature), 0.0, 1e6, 1.0),
            top_k=min(max(int(self.top_k), 0), vocab_size or 2**62),
            top_p=clamp(float(self.top_p), 0.0, 1.0, 1.0),
            min_p=clamp(float(self.min_p), 0.0, 1.0, 0.0),
        )

    def to_dict(self) -> dict[str, float | int]:
        return {
            "temperature": self.temperature,
            "top_k": self.top_k,
            "top_p": self.top_p,
            "min_p": self.min_p,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> SamplingSettings:
        """Settings from `to_dict`'s form (session files, lessons, stored settings); a key
        left out keeps its default. ValueError names a key whose value is not a number."""
        if not isinstance(data, Mapping):
            raise TypeError(f"sampling settings must be a mapping, not {type(data).__name__}")
        values: dict[str, float | int] = {}
        for key, default in cls().to_dict().items():
            if key not in data:
                continue
            value = data[key]
            if isinstance(value, bool) or not isinstance(value, int | float | str):
                raise ValueError(f"sampling {key} is not a number: {value!r}")
            try:
                number = float(value)
            except ValueError:
                raise ValueError(f"sampling {key} is not a number: {value!r}") from None
            if isinstance(default, int):
                if not np.isfinite(number):
                    raise ValueError(f"sampling {key} is not a whole number: {value!r}")
                values[key] = int(number)
            else:
                values[key] = number
        return cls(**values).normalised()  # type: ignore[arg-type]


@dataclass(frozen=True)
class RankedLogits:
    """Logits sorted once, most likely first; reused for every settings change."""

    order: np.ndarray  # (V,) int64 token ids, by descending logit, ties by id
    sorted_logits: np.ndarray  # (V,) float64, logits[order], non-finite values cleaned
    raw_logits: np.ndarray  # (V,) float32 as the model produced them

    @property
    def vocab_size(self) -> int:
        return int(self.order.shape[0])


@dataclass(frozen=True)
class StageReport:
    name: str  # "temperature", "top-k", "top-p", "min-p"
    kept_count: int  # tokens still in the running after this stage
    kept_mass: float  # their total probability under the tempered distribution


@dataclass(frozen=True)
class Candidate:
    token_id: int
    rank: int  # 0 = most likely
    logit: float
    tempered_prob: float  # after temperature, before the filters
    prob: float  # final probability (0 if a filter removed it)
    kept: bool


@dataclass(frozen=True)
class Distribution:
    ranked: RankedLogits
    settings: SamplingSettings
    tempered_sorted: np.ndarray  # (V,) float64, probabilities after temperature, ranked
    kept_count: int  # the kept tokens are the first kept_count in rank order
    stages: tuple[StageReport, ...]

    @property
    def kept_mass(self) -> float:
        """Mass of the kept tokens under the tempered distribution, before renormalising."""
        return self.stages[-1].kept_mass

    @property
    def final_sorted(self) -> np.ndarray:
        """(V,) float64 final probabilities in rank order (zeros past kept_count)."""
        final = np.zeros_like(self.tempered_sorted)
        kept = self.tempered_sorted[: self.kept_count]
        final[: self.kept_count] = kept / kept.sum()
        return final

    @property
    def probs(self) -> np.ndarray:
        """(V,) float64 final probabilities indexed by token id."""
        out = np.zeros_like(self.tempered_sorted)
        out[self.ranked.order] = self.final_sorted
        return out

    @property
    def entropy_bits(self) -> float:
        """Entropy of the final distribution, in bits."""
        return _entropy_bits(self.final_sorted[: self.kept_count])

    def top(self, n: int) -> list[Candidate]:
        n = max(0, min(n, self.ranked.vocab_size))
        kept = self.tempered_sorted[: self.kept_count]
        kept_total = float(kept.sum())
        return [
            Candidate(
                token_id=int(self.ranked.order[r]),
                rank=r,
                logit=float(self.ranked.raw_logits[self.ranked.order[r]]),
                tempered_prob=float(self.tempered_sorted[r]),
                prob=float(self.tempered_sorted[r] / kept_total) if r < self.kept_count else 0.0,
                kept=r < self.kept_count,
            )
            for r in range(n)
        ]

    def mass_outside_top(self, n: int) -> float:
        """Tempered probability of every token ranked below the first n."""
        return float(max(0.0, 1.0 - self.tempered_sorted[: max(n, 0)].sum()))


def rank_logits(logits: np.ndarray) -> RankedLogits:
    raw = np.asarray(logits, dtype=np.float32).reshape(-1)  # (V,)
    if raw.size == 0:
        raise ValueError("logits must not be empty")
    clean = raw.astype(np.float64)
    clean[np.isnan(clean)] = -np.inf
    if np.isposinf(clean).any():
        clean = np.where(np.isposinf(clean), 0.0, -np.inf)
    elif np.isneginf(clean).all():
        clean = np.zeros_like(clean)
    order = np.argsort(-clean, kind="stable")  # (V,) ties keep id order
    return RankedLogits(order=order, sorted_logits=clean[order], raw_logits=raw)


def distribution(
    logits: np.ndarray | RankedLogits, settings: SamplingSettings = SamplingSettings()
) -> Distribution:
    ranked = logits if isinstance(logits, RankedLogits) else rank_logits(logits)
    settings = settings.normalised()
    z = ranked.sorted_logits  # (V,) descending; the first is finite
    vocab = z.shape[0]
    if settings.temperature == 0.0:  # greedy: only the argmax stays
        tempered = np.zeros(vocab)
        tempered[0] = 1.0
        n = 1
    else:
        with np.errstate(over="ignore", under="ignore"):
            e = np.exp((z - z[0]) / settings.temperature)  # (V,), e[0] == 1
        tempered = e / e.sum()
        n = vocab
    stages = [StageReport("temperature", n, 1.0)]

    if settings.top_k > 0:
        n = min(n, settings.top_k)  # a k beyond the vocabulary keeps everything
    stages.append(StageReport("top-k", n, float(tempered[:n].sum())))

    if settings.top_p < 1.0:
        cumulative = np.cumsum(tempered[:n])  # (n,)
        cumulative /= cumulative[-1]  # renormalised after top-k
        n = min(n, int(np.searchsorted(cumulative, settings.top_p, side="left")) + 1)
    stages.append(StageReport("top-p", n, float(tempered[:n].sum())))

    if settings.min_p > 0.0:
        threshold = settings.min_p * tempered[0]
        # Descending order: the tokens at or above the threshold form a prefix.
        n = max(1, min(n, int(np.searchsorted(-tempered[:n], -threshold, side="right"))))
    stages.append(StageReport("min-p", n, float(tempered[:n].sum())))

    return Distribution(ranked, settings, tempered, n, tuple(stages))


class Sampler:
    """Draws tokens from distributions with its own seeded random generator."""

    def __init__(self, seed: int | None = None) -> None:
        self.seed = seed
        self._rng = np.random.default_rng(seed)

    @property
    def state(self) -> dict[str, Any]:
        """The random generator's exact state (JSON-friendly), to save and resume a run."""
        return dict(self._rng.bit_generator.state)

    @state.setter
    def state(self, value: dict[str, Any]) -> None:
        self._rng.bit_generator.state = value  # numpy validates it (ValueError, TypeError)

    def draw(self) -> float:
        """The next uniform number in [0, 1): each token chosen takes one."""
        return float(self._rng.random())

    def choose(self, dist: Distribution) -> int:
        return int(dist.ranked.order[self.rank_of(dist, self.draw())])

    @staticmethod
    def rank_of(dist: Distribution, draw: float) -> int:
        """The rank a uniform number `draw` picks among the kept tokens, by their mass."""
        kept = dist.tempered_sorted[: dist.kept_count]
        cumulative = np.cumsum(kept)
        u = draw * cumulative[-1]
        return min(int(np.searchsorted(cumulative, u, side="right")), dist.kept_count - 1)


def _entropy_bits(p: np.ndarray) -> float:
    p = p[p > 0]
    if p.size == 0:
        return 0.0
    p = p / p.sum()
    return float(max(0.0, -(p * np.log2(p)).sum()))
