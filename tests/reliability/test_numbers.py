"""Numbers at their extremes: the sampling code is total. Whatever the logits (NaN, ±inf,
huge) and whatever the settings (temperature 0, 1e-30, inf; top-k beyond the vocabulary;
top-p and min-p outside [0, 1]), it returns a probability vector and a kept token."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from playground.commands import cli
from playground.engine.sampling.distribution import (
    Sampler,
    SamplingSettings,
    distribution,
    rank_logits,
)
from tests.patience import patience

EXTREME_FLOATS = [0.0, -0.0, 1e-30, 1e-6, 0.5, 1.0, 2.0, 1e6, 1e30, math.inf, -math.inf, math.nan]
extreme_settings = st.builds(
    SamplingSettings,
    temperature=st.one_of(st.sampled_from(EXTREME_FLOATS), st.floats()),
    top_k=st.one_of(st.integers(-(10**12), 10**12), st.sampled_from([0, 1, 49_152, 10**18])),
    top_p=st.one_of(st.sampled_from(EXTREME_FLOATS), st.floats()),
    min_p=st.one_of(st.sampled_from(EXTREME_FLOATS), st.floats()),
)
extreme_logits = arrays(
    np.float32,
    st.integers(1, 200),
    elements=st.one_of(
        st.floats(width=32),  # includes NaN, ±inf, subnormals, ±3.4e38
        st.sampled_from([np.float32(3.4e38), np.float32(-3.4e38), np.float32(np.nan)]),
    ),
)


def _check_total(logits: np.ndarray, s: SamplingSettings) -> None:
    d = distribution(logits, s)
    probs = d.probs  # (V,)
    assert probs.shape == (logits.size,)
    assert np.isfinite(probs).all() and (probs >= 0).all()
    assert probs.sum() == pytest.approx(1.0, abs=1e-9)
    assert 1 <= d.kept_count <= logits.size
    assert math.isfinite(d.entropy_bits) and d.entropy_bits >= 0
    assert 0.0 <= d.mass_outside_top(10) <= 1.0
    top = d.top(10**6)
    assert len(top) == logits.size
    assert all(math.isfinite(c.prob) and math.isfinite(c.tempered_prob) for c in top)
    token = Sampler(7).choose(d)
    assert 0 <= token < logits.size and probs[token] > 0


@given(extreme_logits, extreme_settings)
@settings(max_examples=400, deadline=None)
def test_any_logits_with_any_settings_give_a_distribution(logits, s):
    _check_total(logits, s)


REAL_SIZE = 49_152


@pytest.mark.parametrize(
    "temperature, top_k, top_p, min_p",
    list(
        itertools.product(
            [0.0, 1e-30, 1.0, 1e30, math.inf, math.nan],
            [0, 1, REAL_SIZE + 1, 10**12],
            [0.0, 1.0, math.nan],
            [0.0, 1.0],
        )
    )[::3],  # a spread of 48 combinations over the real vocabulary size
)
def test_extreme_settings_over_the_full_vocabulary(temperature, top_k, top_p, min_p):
    rng = np.random.default_rng(0)
    logits = rng.normal(0, 3, REAL_SIZE).astype(np.float32)  # (V,)
    logits[[5, 9]] = logits.max() + 1  # a tie at the top
    _check_total(logits, SamplingSettings(temperature, top_k, top_p, min_p))


@pytest.mark.parametrize(
    "logits",
    [
        np.full(REAL_SIZE, np.nan, np.float32),
        np.full(REAL_SIZE, -np.inf, np.float32),
        np.full(REAL_SIZE, np.inf, np.float32),
        np.array([np.inf, -np.inf, np.nan, 0.0], np.float32),
        np.array([3.4e38, -3.4e38], np.float32),
        np.zeros(1, np.float32),
    ],
    ids=["all NaN", "all -inf", "all +inf", "mixed non-finite", "largest floats", "one token"],
)
def test_degenerate_logits(logits):
    for s in (SamplingSettings(), SamplingSettings(0.0), SamplingSettings(1e30, 1, 0.0, 1.0)):
        _check_total(logits, s)
    ranked = rank_logits(logits)
    assert np.isfinite(ranked.sorted_logits[0])


def test_empty_logits_are_refused_with_a_message():
    with pytest.raises(ValueError, match="must not be empty"):
        rank_logits(np.zeros(0, np.float32))


@pytest.mark.real_model
@pytest.mark.parametrize(
    "flags",
    [
        ["--temperature", "1e-30", "--top-k", str(10**12)],
        ["--temperature", "1e6", "--top-p", "1e-30", "--min-p", "1"],
    ],
)
def test_the_command_line_takes_extreme_settings(real_model, flags, capsys):
    assert cli.main(["predict", "The capital of France is", "--top", "3", *flags]) == 0
    out = capsys.readouterr().out
    assert "rank" in out and "nan" not in out.lower()


@pytest.mark.parametrize(
    "flags",
    [
        ["--temperature", "inf"],
        ["--temperature", "nan", "--top-p", "nan", "--min-p", "nan"],
        ["--top-p", "-5", "--min-p", "7", "--top-k", "-3"],
    ],
)
def test_the_command_line_refuses_settings_out_of_range(flags, capsys):
    assert cli.main(["predict", "The capital of France is", *flags]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith("playground: --") and "must" in error and "\n" not in error


@pytest.mark.real_model
def test_the_window_takes_extreme_settings(qtbot, make_window):
    window = make_window(persist=False, prompt="The capital of France is")
    session = window.session
    for s in (
        SamplingSettings(math.inf, 10**12, math.nan, math.nan),
        SamplingSettings(1e-30, 0, 0.0, 1.0),
        SamplingSettings(math.nan, -4, 2.0, -1.0),
    ):
        session.set_sampling(s)
        assert np.isfinite(session.distribution.probs).all()
        window.next_token.grab()  # the chart draws them
    assert session.step()
    qtbot.waitUntil(lambda: not session.generating, timeout=patience(30_000))
    assert session.branches[-1].tokens  # a token was chosen under the last settings
