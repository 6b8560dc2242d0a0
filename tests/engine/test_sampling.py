"""The next-token distribution: exact, total, and seeded."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from playground.engine.sampling.distribution import (
    Sampler,
    SamplingSettings,
    distribution,
    rank_logits,
)

logit_arrays = arrays(
    np.float32,
    st.integers(1, 300),
    elements=st.floats(-1e4, 1e4, allow_nan=False, width=32),
)
any_logits = arrays(np.float32, st.integers(1, 100), elements=st.floats(width=32))
any_settings = st.builds(
    SamplingSettings,
    temperature=st.one_of(st.floats(0, 5), st.just(0.0), st.floats(allow_nan=True)),
    top_k=st.integers(-3, 400),
    top_p=st.one_of(st.floats(-1, 2), st.just(1.0), st.just(0.0)),
    min_p=st.one_of(st.floats(-1, 2), st.just(0.0)),
)


def _softmax(x: np.ndarray) -> np.ndarray:
    e = np.exp(x - x.max())
    return e / e.sum()


@given(logit_arrays, any_settings)
@settings(max_examples=300, deadline=None)
def test_distribution_is_a_probability_vector_over_a_kept_prefix(logits, s):
    d = distribution(logits, s)
    probs = d.probs
    assert probs.shape == logits.shape
    assert np.isfinite(probs).all() and (probs >= 0).all()
    assert probs.sum() == pytest.approx(1.0, abs=1e-9)
    assert 1 <= d.kept_count <= logits.size
    assert np.count_nonzero(probs) <= d.kept_count
    counts = [stage.kept_count for stage in d.stages]
    assert counts == sorted(counts, reverse=True)  # each stage only removes
    assert 0 <= d.entropy_bits <= np.log2(logits.size) + 1e-9


@given(any_logits, any_settings)
@settings(max_examples=300, deadline=None)
def test_sampling_is_total_even_for_non_finite_logits(logits, s):
    d = distribution(logits, s)
    assert np.isfinite(d.probs).all()
    assert d.probs.sum() == pytest.approx(1.0, abs=1e-9)
    token = Sampler(0).choose(d)
    assert 0 <= token < logits.size and d.probs[token] > 0


@given(logit_arrays)
@settings(max_examples=200, deadline=None)
def test_plain_distribution_is_the_softmax(logits):
    d = distribution(logits, SamplingSettings())
    np.testing.assert_allclose(d.probs, _softmax(logits.astype(np.float64)), atol=1e-12)


@given(logit_arrays)
@settings(max_examples=200, deadline=None)
def test_temperature_zero_is_the_argmax(logits):
    d = distribution(logits, SamplingSettings(temperature=0.0))
    assert d.kept_count == 1
    assert d.probs[int(np.argmax(logits))] == 1.0
    assert Sampler(1).choose(d) == int(np.argmax(logits))


@given(logit_arrays)
@settings(max_examples=200, deadline=None)
def test_temperature_toward_zero_concentrates_on_the_argmax(logits):
    ranked = np.sort(logits.astype(np.float64))[::-1]
    assume(logits.size == 1 or ranked[0] - ranked[1] >= 1e-2)  # near-ties share the mass
    cold = distribution(logits, SamplingSettings(temperature=1e-4))
    assert cold.probs[int(np.argmax(logits))] == pytest.approx(1.0, abs=1e-9)


@given(logit_arrays, st.floats(0.0, 1.0), st.floats(0.05, 3.0))
@settings(max_examples=300, deadline=None)
def test_top_p_keeps_the_smallest_prefix_reaching_p(logits, p, temperature):
    d = distribution(logits, SamplingSettings(temperature=temperature, top_p=p))
    tempered = d.tempered_sorted
    n = d.kept_count
    if p < 1.0:
        assert tempered[:n].sum() >= p - 1e-9 or n == logits.size  # reaches p
        assert n == 1 or tempered[: n - 1].sum() < p + 1e-9  # and no shorter prefix does


@given(logit_arrays, st.integers(1, 400))
@settings(max_examples=200, deadline=None)
def test_top_k_keeps_k_tokens(logits, k):
    d = distribution(logits, SamplingSettings(top_k=k))
    assert d.kept_count == min(k, logits.size)
    kept_ids = set(d.ranked.order[: d.kept_count].tolist())
    threshold = logits[d.ranked.order[d.kept_count - 1]]
    assert all(logits[i] >= threshold for i in kept_ids)


@given(logit_arrays, st.floats(0.0, 1.0))
@settings(max_examples=200, deadline=None)
def test_min_p_keeps_tokens_above_the_relative_floor(logits, min_p):
    d = distribution(logits, SamplingSettings(min_p=min_p))
    tempered = d.tempered_sorted
    floor = min_p * tempered[0]
    assert (tempered[: d.kept_count] >= floor).all()
    assert d.kept_count == logits.size or tempered[d.kept_count] < floor


def test_stages_report_what_each_kept():
    logits = np.log(np.array([0.5, 0.2, 0.15, 0.1, 0.05]))
    d = distribution(logits, SamplingSettings(temperature=1.0, top_k=4, top_p=0.8, min_p=0.3))
    assert [(s.name, s.kept_count) for s in d.stages] == [
        ("temperature", 5),
        ("top-k", 4),
        ("top-p", 3),
        ("min-p", 2),
    ]
    assert d.stages[1].kept_mass == pytest.approx(0.95)
    assert d.kept_mass == pytest.approx(0.7)
    np.testing.assert_allclose(d.probs, [0.5 / 0.7, 0.2 / 0.7, 0, 0, 0])
    top = d.top(3)
    assert [c.kept for c in top] == [True, True, False]
    assert d.mass_outside_top(3) == pytest.approx(0.15)


def test_seeded_sampling_is_reproducible_and_follows_the_distribution():
    logits = np.log(np.array([0.6, 0.3, 0.1]))
    d = distribution(logits)
    first = [Sampler(42).choose(d) for _ in range(1)] + [0]
    a, b = Sampler(42), Sampler(42)
    draws_a = [a.choose(d) for _ in range(3000)]
    draws_b = [b.choose(d) for _ in range(3000)]
    assert draws_a == draws_b and first[0] == draws_a[0]
    freq = np.bincount(draws_a, minlength=3) / 3000
    np.testing.assert_allclose(freq, [0.6, 0.3, 0.1], atol=0.03)


def test_ranking_once_serves_every_setting():
    logits = np.random.default_rng(0).normal(size=49152).astype(np.float32)
    ranked = rank_logits(logits)
    for s in (SamplingSettings(0.5, 40, 0.9), SamplingSettings(1.5, 0, 0.5, 0.1)):
        np.testing.assert_array_equal(distribution(ranked, s).probs, distribution(logits, s).probs)


def test_settings_round_trip_through_their_dict_and_reject_damaged_values():
    settings = SamplingSettings(temperature=0.7, top_k=40, top_p=0.9, min_p=0.05)
    assert SamplingSettings.from_dict(settings.to_dict()) == settings
    # a lesson names only some: the rest keep their defaults; strings of numbers are read
    assert SamplingSettings.from_dict({"temperature": "0.5"}) == SamplingSettings(0.5)
    assert SamplingSettings.from_dict({"top_k": 3.0}).top_k == 3
    assert SamplingSettings.from_dict({"top_p": 7}).top_p == 1.0  # clamped, as the sliders
    for damaged in ({"temperature": "hot"}, {"top_k": float("nan")}, {"min_p": [0.1]}):
        with pytest.raises(ValueError, match="not a"):
            SamplingSettings.from_dict(damaged)
    with pytest.raises(TypeError):
        SamplingSettings.from_dict([0.5])  # type: ignore[arg-type]
