"""Steps with the key/value cache give the same numbers as one full forward."""

from __future__ import annotations

import numpy as np
import pytest

from playground.engine import PlaygroundError
from tests.tiny_models import TinySpec


def _assert_same(a, b, atol=1e-5, logits_atol=None):
    np.testing.assert_array_equal(a.ids, b.ids)
    np.testing.assert_allclose(a.logits, b.logits, atol=logits_atol or atol, rtol=1e-4)
    np.testing.assert_allclose(np.asarray(a.attentions), np.asarray(b.attentions), atol=atol)
    np.testing.assert_allclose(a.hidden_states, b.hidden_states, atol=atol, rtol=1e-3)
    for k_a, k_b in zip(a.cache.keys, b.cache.keys, strict=True):
        np.testing.assert_allclose(k_a, k_b, atol=atol, rtol=1e-3)


# Single generated tokens run on the decoding graph, whose products round activations to
# 8 bits in two parts: within 2e-2 of fp32 in the logits (test_decode_graph.py).
DECODE_LOGITS_ATOL = 2e-2


@pytest.mark.parametrize("split", [[1], [5], [1, 1, 1, 1], [3, 8, 1], [10, 10]])
def test_extending_in_steps_equals_one_full_forward(tiny, split):
    ids = np.random.default_rng(len(split)).integers(0, tiny.vocab_size, 30).tolist()
    full = tiny.forward(ids)
    fw = tiny.forward(ids[: split[0]])
    at = split[0]
    for size in split[1:]:
        fw = tiny.extend(fw, ids[at : at + size])
        at += size
    fw = tiny.extend(fw, ids[at:])
    _assert_same(fw, full, atol=1e-2, logits_atol=DECODE_LOGITS_ATOL)


def test_step_returns_only_the_new_rows(tiny_factory):
    _, lm = tiny_factory(TinySpec(family="qwen2", attention_bias=True, tied=False, seed=3))
    ids = list(range(10, 22))
    full = lm.forward(ids)
    step = lm.step(lm.forward(ids[:9]).cache, ids[9:])
    assert step.attentions.shape == (2, 4, 3, 12)
    assert step.cache.length == 12
    np.testing.assert_allclose(step.logits, full.logits[9:], atol=1e-5, rtol=1e-4)
    np.testing.assert_allclose(step.attentions, np.asarray(full.attentions)[:, :, 9:], atol=1e-6)


def test_context_limit_and_bad_ids_are_refused_with_a_message(tiny):
    with pytest.raises(PlaygroundError, match="context"):
        tiny.forward([5] * (tiny.context_length + 1))
    with pytest.raises(PlaygroundError, match="no tokens"):
        tiny.forward([])
    with pytest.raises(PlaygroundError, match="Token ids"):
        tiny.forward([tiny.vocab_size])


@pytest.mark.real_model
def test_real_model_steps_match_the_full_forward(real_model):
    ids = real_model.encode("The capital of France is Paris, and the capital of Spain is")
    full = real_model.forward(ids)
    fw = real_model.forward(ids[:5])
    for token in ids[5:]:
        fw = real_model.extend(fw, [token])
    _assert_same(fw, full, atol=2e-2, logits_atol=DECODE_LOGITS_ATOL)
    np.testing.assert_allclose(np.asarray(fw.attentions), np.asarray(full.attentions), atol=1e-3)
