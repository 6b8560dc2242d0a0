"""The ONNX graph agrees with an independent numpy forward pass."""

from __future__ import annotations

import numpy as np
import pytest

from tests.reference import ReferenceModel
from tests.tiny_models import TinySpec

# Gemma 3: layers 0-4 slide over the last 4 tokens, layer 5 sees all; wide q/k-normed
# heads, post-norms, GeGLU, scaled embeddings, SentencePiece without a space prefix
GEMMA3 = TinySpec(
    family="gemma3",
    n_layer=6,
    head_dim=32,
    tokenizer="llama",
    sliding_window=4,
    rope_theta=1e6,
    rope_scaling=8.0,
    seed=31,
)
TINY_SPECS = [
    TinySpec(),
    TinySpec(family="llama", n_head=4, n_head_kv=4, seed=1),  # no grouping
    TinySpec(family="llama", n_head=8, n_head_kv=1, n_layer=3, seed=2),  # multi-query
    TinySpec(family="qwen2", attention_bias=True, tied=False, seed=3),
    TinySpec(quantized=False, seed=4),
    TinySpec(rope_freqs=True, seed=6),  # Llama 3.1/3.2's RoPE frequency factors
    TinySpec(family="qwen3", head_dim=32, seed=7),  # q/k norms, H*hd (128) != d_model (64)
    TinySpec(family="phi3", tokenizer="llama", seed=9),  # fused qkv and gate|up, SentencePiece
    TinySpec(k_quants=True, d_model=256, d_ff=256, seed=21),  # Q4_K matrices (Q4_K_M files)
    GEMMA3,
]


@pytest.mark.parametrize(
    "spec",
    TINY_SPECS,
    ids=lambda s: f"{s.family}-h{s.n_head}kv{s.n_head_kv}-s{s.seed}" + "-rope_freqs" * s.rope_freqs,
)
def test_graph_matches_numpy_reference_on_tiny_models(tiny_factory, spec):
    gguf, lm = tiny_factory(spec)
    reference = ReferenceModel(gguf)
    rng = np.random.default_rng(spec.seed)
    for length in (1, 7, 23):
        ids = rng.integers(0, lm.vocab_size, size=length).tolist()
        fw = lm.forward(ids)
        ref = reference.forward(ids)
        assert fw.logits.shape == (length, lm.vocab_size)
        assert fw.attentions.shape == (spec.n_layer, spec.n_head, length, length)
        assert fw.hidden_states.shape == (spec.n_layer + 1, length, spec.d_model)
        np.testing.assert_allclose(fw.hidden_states, ref.hidden_states, atol=1e-4, rtol=1e-4)
        np.testing.assert_allclose(np.asarray(fw.attentions), ref.attentions, atol=1e-5)
        np.testing.assert_allclose(fw.logits, ref.logits, atol=1e-4, rtol=1e-4)


def test_attentions_are_causal_probability_rows(tiny):
    attentions = np.asarray(tiny.forward(list(range(3, 40))).attentions)
    np.testing.assert_allclose(attentions.sum(-1), 1.0, atol=1e-5)
    assert (attentions >= 0).all()
    future = np.triu(np.ones((37, 37), bool), k=1)
    assert (attentions[..., future] == 0).all()
    assert attentions[:, :, 0, 0] == pytest.approx(1.0)


@pytest.mark.real_model
@pytest.mark.parametrize(
    "text",
    ["The capital of France is", "Once upon a time, there was a little", "1 + 1 = 2\n€ 👋"],
)
def test_graph_matches_numpy_reference_on_the_real_model(real_model, real_gguf, text):
    reference = _real_reference(real_gguf)
    ids = real_model.encode(text)
    fw = real_model.forward(ids)
    ref = reference.forward(ids)
    np.testing.assert_allclose(np.asarray(fw.attentions), ref.attentions, atol=1e-4)
    # hidden states grow to ~1e2 in late layers: compare relative to their scale
    scale = np.abs(ref.hidden_states).max(axis=(1, 2), keepdims=True)
    assert (np.abs(fw.hidden_states - ref.hidden_states) / scale).max() < 1e-4
    np.testing.assert_allclose(fw.logits, ref.logits, atol=2e-3)


_REFERENCE_CACHE: dict = {}


def _real_reference(path) -> ReferenceModel:
    if path not in _REFERENCE_CACHE:
        _REFERENCE_CACHE[path] = ReferenceModel(path)
    return _REFERENCE_CACHE[path]


def test_a_sliding_window_bounds_the_context_the_app_analyses(tiny_factory):
    # Phi-3 mini attends to the last 2,047 tokens only: the app analyses prompts up to
    # that length, where every token still sees all the others, as the window lets it
    _, lm = tiny_factory(TinySpec(family="phi3", tokenizer="llama", sliding_window=40, seed=9))
    assert lm.context_length == 40
