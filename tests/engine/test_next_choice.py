"""The next token chosen from the few most likely ones equals the token `distribution()`
and `Sampler.choose` choose from the whole vocabulary ranked, with the same numbers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from playground.engine.sampling.distribution import Sampler, SamplingSettings, distribution
from playground.engine.sampling.next_choice import choose


def _expected(logits, sampling, seed):
    dist = distribution(logits, sampling)
    token = Sampler(seed).choose(dist)
    rank = int(np.nonzero(dist.ranked.order == token)[0][0])
    return dist, token, rank


@settings(max_examples=300, deadline=None)
@given(
    seed=st.integers(0, 2**31),
    vocab=st.sampled_from([300, 1000, 5000]),
    spread=st.floats(0.1, 8.0),
    temperature=st.sampled_from([0.0, 0.3, 0.7, 1.0, 1.5, 3.0]),
    top_k=st.sampled_from([0, 1, 5, 40, 64, 100, 2000]),
    top_p=st.sampled_from([1.0, 0.5, 0.9, 0.99, 0.999]),
    min_p=st.sampled_from([0.0, 0.01, 0.1, 0.5]),
    ties=st.booleans(),
)
def test_the_choice_is_the_fully_ranked_one(
    seed, vocab, spread, temperature, top_k, top_p, min_p, ties
):
    rng = np.random.default_rng(seed)
    logits = (rng.normal(size=vocab) * spread).astype(np.float32)
    if ties:  # equal logits around the edge of the ranked few: ties go by id
        logits[rng.integers(0, vocab, size=vocab // 3)] = np.float32(np.sort(logits)[-60])
    sampling = SamplingSettings(temperature, top_k, top_p, min_p)
    dist, token, rank = _expected(logits, sampling, seed)
    choice = choose(logits, sampling, Sampler(seed), 8)
    assert (choice.token_id, choice.rank) == (token, rank)
    assert choice.prob == pytest.approx(float(dist.final_sorted[rank]), rel=1e-9)
    expected = dist.top(8)
    assert [c.token_id for c in choice.alternatives] == [c.token_id for c in expected]
    for got, want in zip(choice.alternatives, expected, strict=True):
        assert got.kept == want.kept and got.rank == want.rank
        assert got.prob == pytest.approx(want.prob, rel=1e-9, abs=1e-300)
        assert got.tempered_prob == pytest.approx(want.tempered_prob, rel=1e-9, abs=1e-300)


def test_a_sampler_takes_one_number_per_token_on_either_path():
    logits = np.random.default_rng(0).normal(size=2000).astype(np.float32)
    flat = np.zeros(2000, np.float32)  # every token alike: the draw lands past the few
    a, b = Sampler(3), Sampler(3)
    for row in (logits, flat, logits):
        choose(row, SamplingSettings(), a, 8)
        b.draw()
    assert a.state == b.state
    nan = logits.copy()
    nan[5] = np.nan  # not finite: the whole vocabulary is ranked, as distribution() cleans it
    _, token, _ = _expected(nan, SamplingSettings(), 9)
    assert choose(nan, SamplingSettings(), Sampler(9), 8).token_id == token
