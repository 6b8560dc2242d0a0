"""Attention views, the first-token toggle and head statistics, against direct numpy."""

from __future__ import annotations

import numpy as np
import pytest

from playground.engine.inspect.attention_summary import head_statistics
from playground.engine.inspect.attention_view import Scope, attention_matrix, without_first_token
from playground.engine.inspect.induction import induction_scores


def _random_attentions(rng, L=3, H=4, T=9) -> np.ndarray:
    logits = rng.normal(size=(L, H, T, T))
    logits[..., np.triu_indices(T, 1)[0], np.triu_indices(T, 1)[1]] = -np.inf
    e = np.exp(logits - logits.max(-1, keepdims=True))
    return (e / e.sum(-1, keepdims=True)).astype(np.float32)


def test_views_pick_a_head_or_average():
    a = _random_attentions(np.random.default_rng(0))
    np.testing.assert_array_equal(attention_matrix(a, Scope.HEAD, 2, 1), a[2, 1])
    np.testing.assert_allclose(attention_matrix(a, Scope.LAYER_MEAN, 1), a[1].mean(0), rtol=1e-6)
    np.testing.assert_allclose(attention_matrix(a, Scope.ALL_MEAN), a.mean((0, 1)), rtol=1e-6)


def test_hiding_the_first_token_renormalises_each_row():
    a = _random_attentions(np.random.default_rng(1))[0, 0]
    hidden = without_first_token(a)
    assert (hidden[:, 0] == 0).all()
    np.testing.assert_allclose(hidden[1:].sum(-1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(hidden[5, 1:6], a[5, 1:6] / (1 - a[5, 0]), rtol=1e-5)
    assert hidden[0].sum() == 0  # the first row had nothing else to look at


def test_head_statistics_match_their_definitions():
    a = _random_attentions(np.random.default_rng(2))
    stats = head_statistics(a)
    T = a.shape[-1]
    layer, head = 1, 3
    rows = range(1, T)
    assert stats.previous_token[layer, head] == pytest.approx(
        np.mean([a[layer, head, i, i - 1] for i in rows])
    )
    assert stats.first_token[layer, head] == pytest.approx(
        np.mean([a[layer, head, i, 0] for i in rows])
    )
    assert stats.same_token[layer, head] == pytest.approx(
        np.mean([a[layer, head, i, i] for i in rows])
    )
    entropy = np.mean([-(p[p > 0] * np.log2(p[p > 0])).sum() for p in a[layer, head, 1:]])
    assert stats.entropy_bits[layer, head] == pytest.approx(entropy, rel=1e-5)
    assert head_statistics(a[:, :, :1, :1]) is None


@pytest.mark.real_model
def test_the_real_model_has_induction_heads(real_model):
    scores = induction_scores(real_model)
    assert scores.shape == (30, 9)
    assert scores.max() > 0.5  # some heads copy the token that followed last time
    assert np.median(scores) < 0.1  # most do not


def test_row_entropies_in_blocks_of_rows_equal_the_definition():
    """Entropies are computed a block of query rows at a time, over the keys the block
    can see: across several blocks (T > 2 x 256) they are still every row's own."""
    from playground.engine.inspect.attention_summary import ENTROPY_ROWS, _row_entropies

    T = 2 * ENTROPY_ROWS + 37
    rng = np.random.default_rng(4)
    scores = rng.normal(size=(T, T)) * 3
    scores[np.triu_indices(T, 1)] = -np.inf  # causal
    maps = np.exp(scores - scores.max(-1, keepdims=True))
    maps = (maps / maps.sum(-1, keepdims=True)).astype(np.float32)
    maps[T - 1, :5] = 0.0  # exact zeros are skipped as the definition skips them
    expected = [-(p[p > 0] * np.log2(p[p > 0].astype(np.float64))).sum() for p in maps[1:]]
    np.testing.assert_allclose(_row_entropies(maps), expected, rtol=2e-5, atol=1e-5)
