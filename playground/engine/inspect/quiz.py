"""Predict, then reveal: a class's guesses for the next token, scored against the model.

A guess is text typed after the prompt ("Paris"). It is scored as the probability the
model gives the whole of it, token after token (a guess of three tokens: the product of
three next-token probabilities, each after the ones before), under the model's own
distribution (temperature 1, nothing cut). A word typed without its leading space is
also tried with one (" Paris" is the token after "is"), and the likelier reading counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from playground.engine.errors import PlaygroundError
from playground.engine.runtime.language_model import LanguageModel


@dataclass(frozen=True)
class GuessScore:
    guess: str  # as typed
    text: str  # as scored: the typed text, or it with a space before it
    ids: tuple[int, ...]  # its tokens
    token_probs: tuple[float, ...]  # each token's probability after the ones before
    prob: float  # their product: the probability of the whole guess
    rank: int  # of its first token among all next tokens (1: the model's favourite)

    @property
    def surprise_bits(self) -> float:
        """-log2 of the probability: how surprised the model is, in bits."""
        return float(-np.log2(self.prob)) if self.prob > 0 else float("inf")


@dataclass(frozen=True)
class Answer:
    id: int
    text: str
    prob: float


def _softmax(logits: np.ndarray) -> np.ndarray:
    z = np.asarray(logits, np.float64)  # (..., V)
    z = np.exp(z - z.max(axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)


def score_guesses(
    lm: LanguageModel, prompt: Sequence[int], guesses: Sequence[str]
) -> tuple[list[GuessScore], Answer]:
    """Each guess's score after the prompt's tokens, and the model's own answer."""
    if not prompt:
        raise PlaygroundError("The prompt is empty: there is nothing to guess after.")
    start = lm.step(lm.empty_cache(), list(prompt), detailed=False)
    first = _softmax(start.logits[-1])  # (V,) the next-token distribution
    top = int(np.argmax(first))
    answer = Answer(top, lm.decode([top]), float(first[top]))
    ends_in_space = lm.decode(list(prompt)[-1:])[-1:].isspace()
    scores: list[GuessScore] = []
    for guess in guesses:
        readings = [guess]
        if guess and not guess[0].isspace() and not ends_in_space:
            readings.append(" " + guess)
        tried = (_score(lm, start.cache, first, guess, text) for text in readings)
        scored = [s for s in tried if s is not None]
        if not scored:
            raise PlaygroundError(f"The guess {guess!r} is empty: type a word or a number.")
        scores.append(max(scored, key=lambda s: s.prob))
    return scores, answer


def _score(lm: LanguageModel, cache, first: np.ndarray, guess: str, text: str) -> GuessScore | None:
    ids = lm.encode(text, special=False, continues=True)  # a text after the prompt
    if not ids:
        return None
    probs = [float(first[ids[0]])]
    if len(ids) > 1:  # the rest, each after the guess's tokens before it
        step = lm.step(cache, ids[:-1], detailed=True)
        later = _softmax(step.logits)  # (n-1, V)
        probs += [float(later[j, ids[j + 1]]) for j in range(len(ids) - 1)]
    rank = 1 + int(np.count_nonzero(first > first[ids[0]]))
    return GuessScore(guess, text, tuple(ids), tuple(probs), float(np.prod(probs)), rank)
