"""Inside a layer: every value the trace shows is the graph's own, and equals the numpy
reference's; the receipt of a probability ends at the number the next-token panel shows."""

from __future__ import annotations

import numpy as np
import pytest

from playground.engine.inspect.layer_trace import trace_layer
from playground.engine.inspect.receipt import receipt
from playground.engine.runtime.knock_out import KnockOut
from playground.engine.sampling.distribution import SamplingSettings, distribution
from tests.engine.test_graph_parity import GEMMA3
from tests.reference import ReferenceModel
from tests.runs import run_of
from tests.tiny_models import TinySpec

ATOL = 2e-3


@pytest.mark.parametrize(
    "spec",
    [
        TinySpec(seed=3),
        TinySpec(seed=8, family="qwen2"),
        TinySpec(seed=7, family="qwen3", head_dim=32),
        TinySpec(seed=9, family="phi3", tokenizer="llama"),
        GEMMA3,  # layer 0 slides over 4 tokens, layer 5 sees all
    ],
)
def test_every_value_inside_a_layer_equals_the_reference(tiny_factory, spec):
    gguf, lm = tiny_factory(spec)
    reference = ReferenceModel(gguf)
    ids = np.random.default_rng(2).integers(0, lm.vocab_size, size=9).tolist()
    ref = reference.forward(ids)
    forward = lm.forward(ids)
    L, group, hd = lm.arch.n_layer, lm.arch.group_size, lm.arch.head_dim
    # The GGUF stores llama's queries and keys with rotary pairs side by side (2j, 2j+1),
    # as the reference reads them; the graph holds them as Hugging Face does (j, j+hd/2).
    order = np.r_[0:hd:2, 1:hd:2] if spec.family == "llama" else np.arange(hd)
    for layer in (0, L - 1):
        for position in (3, len(ids) - 1):
            trace = trace_layer(lm, run_of(lm, ids), layer, position, forward.attentions)
            inside, P = ref.internals[layer], position
            for name in ("residual_in", "attn_norm", "attn_out", "residual_mid", "mlp_norm"):
                np.testing.assert_allclose(getattr(trace, name), inside[name][P], atol=ATOL)
            for name in ("gate", "up", "act", "mlp_out", "residual_out"):
                np.testing.assert_allclose(getattr(trace, name), inside[name][P], atol=ATOL)
            np.testing.assert_allclose(trace.q_raw, inside["q_raw"][P][:, order], atol=ATOL)
            np.testing.assert_allclose(trace.q, inside["q"][P][:, order], atol=ATOL)  # rotated
            np.testing.assert_allclose(trace.k_raw, inside["k_raw"][: P + 1][..., order], atol=ATOL)
            np.testing.assert_allclose(trace.v, inside["v"][: P + 1], atol=ATOL)
            np.testing.assert_allclose(  # key head kv is the one query heads kv*G.. share
                trace.k, inside["k"][: P + 1, ::group][..., order], atol=ATOL
            )
            np.testing.assert_allclose(trace.scores, inside["scores"][:, P, : P + 1], atol=ATOL)
            np.testing.assert_allclose(trace.probs, ref.attentions[layer, :, P, : P + 1], atol=1e-4)
            np.testing.assert_allclose(trace.head_outputs, ref.head_outputs[layer, P], atol=ATOL)
            # the panel's weights, the softmax of the scores, and the next hidden state
            maps = np.asarray(forward.attentions)[layer, :, P, : P + 1]
            np.testing.assert_allclose(trace.probs, maps, atol=1e-6)
            soft = np.exp(trace.scores - trace.scores.max(axis=1, keepdims=True))
            np.testing.assert_allclose(soft / soft.sum(axis=1, keepdims=True), maps, atol=1e-5)
            if layer < L - 1:
                next_state = forward.hidden_states[layer + 1, P]
                np.testing.assert_allclose(trace.residual_out, next_state, atol=1e-5)
            x = trace.residual_in
            assert trace.attn_rms == pytest.approx(float(np.sqrt(np.mean(x**2) + 1e-5)), 1e-3)
            np.testing.assert_allclose(
                x / trace.attn_rms * trace.attn_gain, trace.attn_norm, atol=1e-4
            )


def test_a_knocked_out_layer_is_traced_as_it_ran(tiny_factory):
    gguf, lm = tiny_factory(TinySpec(seed=5))
    ids = np.random.default_rng(4).integers(0, lm.vocab_size, size=8).tolist()
    knock_out = KnockOut.parse("1.0,1.mlp", lm.arch)
    ref = ReferenceModel(gguf).forward(ids, knock_out.heads, knock_out.mlps)
    trace = trace_layer(lm, run_of(lm, ids, knock_out), 1)
    np.testing.assert_allclose(trace.residual_in, ref.internals[1]["residual_in"][-1], atol=ATOL)
    np.testing.assert_allclose(trace.attn_out, ref.internals[1]["attn_out"][-1], atol=ATOL)
    assert not np.any(trace.mlp_out)  # switched off: it writes nothing
    np.testing.assert_allclose(trace.residual_out, trace.residual_mid)


def test_the_most_active_neurons_and_what_they_promote(tiny_factory):
    _, lm = tiny_factory(TinySpec(seed=3))
    ids = [5, 9, 2, 7]
    trace = trace_layer(lm, run_of(lm, ids), 0)
    activations = [abs(n.activation) for n in trace.top_neurons]
    assert activations == sorted(activations, reverse=True)
    assert activations[0] == pytest.approx(float(np.abs(trace.act).max()))
    assert all(len(n.promotes) == 5 for n in trace.top_neurons)


@pytest.mark.parametrize(
    "settings",
    [SamplingSettings(), SamplingSettings(temperature=0.7, top_k=5), SamplingSettings(0.0)],
)
def test_the_receipt_ends_at_the_panels_probability(tiny_factory, settings):
    gguf, lm = tiny_factory(TinySpec(seed=3))
    ids = [3, 1, 4, 1, 5, 9]
    logits = lm.forward(ids).logits[-1]
    dist = distribution(logits, settings)
    shown = {c.token_id: c for c in dist.top(10)}
    ref = ReferenceModel(gguf).forward(ids)
    for token in list(shown)[:3]:
        r = receipt(lm, run_of(lm, ids, sampler=settings), token)
        assert r.logit == pytest.approx(r.model_logit, abs=1e-3)  # the dot product = the logit
        assert r.logit == pytest.approx(float(ref.logits[-1, token]), abs=ATOL)
        np.testing.assert_allclose(r.final_hidden, ref.internals[-1]["residual_out"][-1], atol=ATOL)
        np.testing.assert_allclose(r.final_norm, ref.hidden_states[-1, -1], atol=ATOL)
        assert r.prob == pytest.approx(shown[token].prob, abs=1e-9)
        assert r.tempered_prob == pytest.approx(shown[token].tempered_prob, abs=1e-6)
        assert r.max_logit == pytest.approx(float(logits.max()))


def test_explain_prints_a_layer_and_a_receipt_for_a_person(tiny_factory, capsys):
    import argparse

    from playground.commands import explain as cli_explain

    _, lm = tiny_factory(TinySpec(seed=3))
    args = argparse.Namespace(layer=1, position=2, receipt=None, json=False, model=None)
    cli_explain._layer(args, lm, run_of(lm, [5, 9, 2, 7]))
    text = capsys.readouterr().out
    assert text.startswith("Layer 1, token #2") and "softmax" in text and "neuron" in text
    settings = SamplingSettings(temperature=0.8, top_k=3)
    token = int(np.argmax(lm.forward([5, 9, 2, 7]).logits[-1]))
    args.receipt = "x"
    cli_explain._receipt(args, lm, run_of(lm, [5, 9, 2, 7], sampler=settings), token)
    text = capsys.readouterr().out
    assert "divided by the temperature 0.8" in text and "filters keep" in text
    assert text.rstrip().endswith("the probability shown")
