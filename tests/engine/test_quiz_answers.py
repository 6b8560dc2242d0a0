"""Guesses that are not a next token: a token of the prompt scored by the attention the
selected token gives it, and a number by how far off it is."""

from __future__ import annotations

import math

import numpy as np
import pytest

from playground.engine.inspect.quiz_answers import read_number, score_attention, score_numbers


def test_a_token_guess_gets_its_weight_rank_and_surprise():
    texts = ["<s>", " The", " cat", " saw", " the", " cat", " it"]
    row = np.array([0.30, 0.05, 0.10, 0.02, 0.03, 0.40, 0.10])  # (T,) sums to 1
    scores, best = score_attention(row, texts, ["cat", " THE ", "dog", "", "it"])
    assert best == 5
    cat, the, dog, empty, it = scores
    assert (cat.position, cat.weight, cat.rank) == (5, 0.40, 1)  # the likelier " cat"
    assert cat.surprise_bits == pytest.approx(-math.log2(0.40))
    assert (the.position, the.weight, the.rank) == (1, 0.05, 5)  # " The" or " the": either
    assert (dog.position, dog.rank, dog.weight) == (None, None, 0.0)
    assert dog.surprise_bits == math.inf
    assert empty.position is None
    assert (it.position, it.rank) == (6, 3)  # a tie (0.10 twice) shares the better rank


def test_a_row_of_the_wrong_length_is_refused():
    with pytest.raises(ValueError, match="attention row"):
        score_attention(np.ones(3) / 3, ["a", "b"], ["a"])


@pytest.mark.parametrize(
    ("text", "value"),
    [("3", 3.0), (" 0,62 ", 0.62), ("−0.1", -0.1), ("1e-2", 0.01), ("three", None), ("nan", None)],
)
def test_numbers_are_read_as_a_class_writes_them(text, value):
    assert read_number(text) == (None if value is None else pytest.approx(value))


def test_a_number_guess_is_scored_by_how_far_off_it_is():
    scores = score_numbers(3, ["1", "3", "4,5", "many"])
    assert [s.off_by for s in scores] == [-2.0, 0.0, 1.5, None]
    assert [s.exact for s in scores] == [False, True, False, False]
