"""Predict, then reveal, for the answers that are not a next token: which token the
selected one attends to most (scored by the weight it gets), and a number (the tokens a
word becomes, the cosine of two words: scored by how far off it was).

A token guess names a token of the prompt by its text ("animal" or " animal": case and
surrounding spaces do not matter); where the prompt holds it more than once, the place
with the most attention counts. A number may be written with a decimal comma (0,62).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class AttentionGuess:
    guess: str  # as typed
    position: int | None  # the prompt token it names (None: not in the prompt)
    weight: float  # the attention the selected token gives it (0 when not in the prompt)
    rank: int | None  # among the positions the selected token can see (1: the most)

    @property
    def surprise_bits(self) -> float:
        """-log2 of the weight, as if the class drew a position from the attention row."""
        return -math.log2(self.weight) if self.weight > 0 else math.inf


@dataclass(frozen=True)
class NumberGuess:
    guess: str  # as typed
    value: float | None  # None: not a number
    off_by: float | None  # value - answer: + too high, - too low

    @property
    def exact(self) -> bool:
        return self.off_by is not None and abs(self.off_by) < 5e-4


def score_attention(
    row: np.ndarray, texts: Sequence[str], guesses: Sequence[str]
) -> tuple[list[AttentionGuess], int]:
    """Score guesses against one query token's attention row.

    row (T,): the weights the selected token gives each position (0 after it).
    texts: the prompt's token texts (T of them). Returns the scores and the position the
    token attends to most.
    """
    weights = np.asarray(row, np.float64)  # (T,)
    if weights.shape != (len(texts),):
        raise ValueError(f"an attention row of {weights.shape} for {len(texts)} tokens")
    best = int(np.argmax(weights))
    scores = []
    for guess in guesses:
        wanted = guess.strip().casefold()
        places = [i for i, text in enumerate(texts) if text.strip().casefold() == wanted]
        if not wanted or not places:
            scores.append(AttentionGuess(guess, None, 0.0, None))
            continue
        place = max(places, key=lambda i: weights[i])
        rank = 1 + int(np.count_nonzero(weights > weights[place]))
        scores.append(AttentionGuess(guess, place, float(weights[place]), rank))
    return scores, best


def read_number(text: str) -> float | None:
    """'3' -> 3.0, '0,62' -> 0.62, '−0.1' -> -0.1; None when it is not a number."""
    cleaned = text.strip().replace("−", "-").replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def score_numbers(answer: float, guesses: Sequence[str]) -> list[NumberGuess]:
    """How far each guess is from the answer (None for a guess that is not a number)."""
    scores = []
    for guess in guesses:
        value = read_number(guess)
        scores.append(NumberGuess(guess, value, None if value is None else value - answer))
    return scores
