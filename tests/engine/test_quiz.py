"""Guesses for the next token, scored against the model: a guess's probability is the
model's next-token distribution, a guess of several tokens the chained probability of
all of them, each checked against a forward pass of the whole sequence."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from playground.commands import cli
from playground.engine.errors import PlaygroundError
from playground.engine.inspect.quiz import score_guesses


def _softmax(z):
    z = np.exp(np.asarray(z, np.float64) - np.max(z))
    return z / z.sum()


def test_scores_are_the_chained_next_token_probabilities(tiny):
    prompt = tiny.encode("the cat")
    guesses = ["he", " the", " the cat sat", "mat."]
    scores, answer = score_guesses(tiny, prompt, guesses)
    first = _softmax(tiny.forward(prompt).logits[-1])
    assert answer.id == int(np.argmax(first)) and answer.prob == pytest.approx(first.max())
    for s in scores:
        ids = list(s.ids)
        assert ids == tiny.encode(s.text, special=False, continues=True)
        logits = tiny.forward(prompt + ids).logits  # the whole sequence at once
        expected = [_softmax(logits[len(prompt) - 1 + j])[t] for j, t in enumerate(ids)]
        np.testing.assert_allclose(s.token_probs, expected, rtol=1e-4, atol=1e-9)
        assert s.prob == pytest.approx(math.prod(expected), rel=1e-4)
        assert s.rank == 1 + int(np.sum(first > first[ids[0]]))
        assert s.surprise_bits == pytest.approx(-math.log2(s.prob), rel=1e-6)
    # a word typed without its space is also read with one; the likelier reading counts
    he = scores[0]
    assert he.text in ("he", " he")
    other = score_guesses(tiny, prompt, [" he" if he.text == "he" else "he"])[0][0]
    assert he.prob >= other.prob


def test_an_empty_guess_or_prompt_says_so(tiny):
    with pytest.raises(PlaygroundError, match="guess '' is empty"):
        score_guesses(tiny, tiny.encode("the cat"), [""])
    with pytest.raises(PlaygroundError, match="prompt is empty"):
        score_guesses(tiny, [], ["the"])


@pytest.mark.real_model
def test_quiz_json_scores_a_class_round(real_model, capsys):
    code = cli.main(
        ["quiz", "The capital of France is", "--guess", "Paris", "--guess", "London", "--json"]
    )
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["answer"]["text"] == " Paris"
    paris, london = data["guesses"]
    assert paris["text"] == " Paris" and paris["rank"] == 1 and paris["prob"] > 0.5
    assert paris["prob"] == pytest.approx(data["answer"]["prob"])
    assert london["prob"] < paris["prob"] and london["rank"] > 1
    fields = {"guess", "text", "ids", "tokens", "token_probs", "prob", "rank", "surprise_bits"}
    assert fields <= set(paris)
    assert paris["surprise_bits"] == pytest.approx(-math.log2(paris["prob"]))
