"""Activation patching and steering: every patched or steered run equals the numpy
reference with the same activation replaced (or the same vector added); patching's
effect is 1 where the two prompts differ at the stream's start, and prompts of different
lengths are refused in one line."""

from __future__ import annotations

import numpy as np
import pytest

from playground.engine.errors import PlaygroundError
from playground.engine.inspect.patching import activation_patching, check_lengths
from playground.engine.inspect.run import Run
from playground.engine.inspect.steering_directions import layer_sweep, text_direction
from playground.engine.runtime.frozen_array import FrozenArray
from playground.engine.runtime.interventions import NO_INTERVENTIONS, Interventions
from playground.engine.runtime.knock_out import KnockOut
from playground.engine.runtime.steering import Steering
from tests.engine.test_graph_parity import GEMMA3
from tests.reference import ReferenceModel
from tests.runs import run_of
from tests.tiny_models import TinySpec

ATOL = 2e-3
SPECS = [TinySpec(seed=3), TinySpec(seed=8, family="qwen2"), GEMMA3]


def _prompts(lm, n=9, differ=(6,)):  # within a sliding window of the last token
    rng = np.random.default_rng(5)
    clean = rng.integers(0, lm.vocab_size, size=n).tolist()
    corrupted = list(clean)
    for p in differ:
        corrupted[p] = (clean[p] + 7) % lm.vocab_size
    return clean, corrupted


@pytest.mark.parametrize("spec", SPECS)
def test_recorded_activations_equal_the_reference(tiny_factory, spec):
    gguf, lm = tiny_factory(spec)
    ids, _ = _prompts(lm)
    ref = ReferenceModel(gguf).forward(ids)
    step = lm.step(lm.empty_cache(), ids, record=True)
    assert step.recorded is not None
    for layer in range(lm.arch.n_layer):
        inside = ref.internals[layer]
        np.testing.assert_allclose(step.recorded.attn_out[layer], inside["attn_out"], atol=ATOL)
        np.testing.assert_allclose(step.recorded.mlp_out[layer], inside["mlp_out"], atol=ATOL)
        np.testing.assert_allclose(
            step.recorded.head_output[layer], ref.head_outputs[layer], atol=ATOL
        )
    assert lm.step(lm.empty_cache(), ids).recorded is None  # only when asked for


@pytest.mark.parametrize("spec", SPECS)
@pytest.mark.parametrize("site", ["resid", "attn", "mlp", "head"])
def test_a_patched_run_equals_the_reference_with_that_activation_replaced(tiny_factory, spec, site):
    gguf, lm = tiny_factory(spec)
    reference = ReferenceModel(gguf)
    clean, corrupted = _prompts(lm)
    target = int(np.argmax(lm.forward(clean).next_token_logits))
    contrast = (target + 1) % lm.vocab_size  # a tiny model can be sure: log p(target) ~ 0
    runs = run_of(lm, clean), run_of(lm, corrupted)
    patching = activation_patching(lm, *runs, site, target, contrast)
    L, T, H, hd, D = lm.arch.n_layer, len(clean), lm.arch.n_head, lm.arch.head_dim, lm.arch.d_model
    assert patching.effect.shape == (L, H if site == "head" else T)
    ref_clean, ref_corrupted = reference.forward(clean), reference.forward(corrupted)
    layer, index = L - 1 if site != "resid" else 1, 7 if site != "head" else 1
    run = patching.cell_run(layer, index)
    forward = lm.forward(corrupted, interventions=run.interventions)
    # the reference's own activations: the clean value put where the corrupted one was
    added = {"stream": np.zeros((L, T, D)), "attn": np.zeros((L, T, D))}
    added |= {"mlp": np.zeros((L, T, D)), "head": np.zeros((L, T, H, hd))}
    if site == "resid":
        change = ref_clean.hidden_states[layer, index] - ref_corrupted.hidden_states[layer, index]
        added["stream"][layer, index] = change
    elif site in ("attn", "mlp"):
        name = f"{site}_out"
        change = (
            ref_clean.internals[layer][name][index] - ref_corrupted.internals[layer][name][index]
        )
        added[site][layer, index] = change
    else:
        added["head"][layer, :, index] = (
            ref_clean.head_outputs[layer, :, index] - ref_corrupted.head_outputs[layer, :, index]
        )
    ref = reference.forward(corrupted, added=added)
    np.testing.assert_allclose(forward.logits, ref.logits, atol=ATOL)
    np.testing.assert_allclose(forward.hidden_states, ref.hidden_states, atol=ATOL)
    # the sweep's number for that cell is this run's
    metric = (
        (lambda lg: lg[patching.target] - lg[patching.contrast])
        if patching.contrast is not None
        else None
    )
    if metric is not None:
        expected = (metric(forward.logits[-1]) - patching.metric_corrupted) / (
            patching.metric_clean - patching.metric_corrupted
        )
        assert patching.effect[layer, index] == pytest.approx(expected, abs=1e-3)


def test_tokens_before_the_first_difference_need_no_run(tiny_factory):
    _, lm = tiny_factory(TinySpec(seed=3))
    clean, corrupted = _prompts(lm, differ=(4,))
    patching = activation_patching(lm, run_of(lm, clean), run_of(lm, corrupted), "resid")
    assert np.all(patching.effect[:, :4] == 0.0)
    # block 0's input is the token embedding: equal wherever the tokens are
    assert np.all(patching.effect[0, 5:] == 0.0)
    assert patching.runs == 1 + (lm.arch.n_layer - 1) * (len(clean) - 4)


def test_patching_the_stream_where_the_prompts_differ_restores_the_answer(real_model):
    lm = real_model
    from playground.commands.experiments import prompt_ids

    clean = prompt_ids(lm, "The capital of France is")
    corrupted = prompt_ids(lm, "The capital of Italy is")
    position = next(i for i, (a, b) in enumerate(zip(clean, corrupted, strict=True)) if a != b)
    patching = activation_patching(lm, run_of(lm, clean), run_of(lm, corrupted), "resid")
    assert lm.piece(patching.target).display == " Paris"
    assert lm.piece(patching.contrast).display == " Rome"
    # block 0's input at the one differing token is the token embedding: all of it restored
    assert patching.effect[0, position] == pytest.approx(1.0, abs=1e-4)
    assert np.all(patching.effect[:, :position] == 0.0)


def test_prompts_of_different_lengths_are_refused_in_one_line(tiny_factory):
    _, lm = tiny_factory(TinySpec(seed=3))
    with pytest.raises(PlaygroundError) as refused:
        activation_patching(lm, run_of(lm, [1, 2, 3]), run_of(lm, [1, 2, 3, 4]))
    message = str(refused.value)
    assert "3 tokens" in message and "4" in message and "\n" not in message
    check_lengths(5, 5)  # the same length passes


@pytest.mark.parametrize("spec", SPECS)
def test_steering_equals_the_reference_with_the_vector_added(tiny_factory, spec):
    gguf, lm = tiny_factory(spec)
    reference = ReferenceModel(gguf)
    ids, _ = _prompts(lm)
    L, T, D = lm.arch.n_layer, len(ids), lm.arch.d_model
    v = np.random.default_rng(1).normal(size=D).astype(np.float32)
    J = L - 1  # the stream entering the last block
    steering = Steering(J, -1.5, FrozenArray.of(v), "a", "b")
    interventions = NO_INTERVENTIONS.with_steering(steering)
    forward = lm.forward(ids, interventions=interventions)
    stream = np.zeros((L, T, D))
    stream[J] = -1.5 * v
    ref = reference.forward(ids, added={"stream": stream})
    np.testing.assert_allclose(forward.logits, ref.logits, atol=ATOL)
    np.testing.assert_allclose(forward.hidden_states, ref.hidden_states, atol=ATOL)
    assert np.abs(forward.logits - lm.forward(ids).logits).max() > 1e-2  # it did change
    # generated tokens are steered too: a step after the prompt equals the whole run
    head = lm.forward(ids[:-2], interventions=interventions)
    extended = lm.extend(head, ids[-2:], interventions=interventions)
    np.testing.assert_allclose(extended.logits, forward.logits, atol=ATOL)
    with_knock_out = Interventions(KnockOut(frozenset({(0, 1)})), steering)
    ref = reference.forward(ids, knocked_heads=frozenset({(0, 1)}), added={"stream": stream})
    np.testing.assert_allclose(
        lm.forward(ids, interventions=with_knock_out).logits, ref.logits, atol=ATOL
    )


def test_a_direction_from_two_texts_is_their_streams_difference(real_model):
    lm = real_model
    steering = text_direction(lm, "I love you", "I hate you", 6, strength=2.0)
    from playground.engine.prompt.model_input import TEXT, model_input

    love = lm.forward(model_input(lm, (TEXT, "I love you")).ids).hidden_states[6, -1]
    hate = lm.forward(model_input(lm, (TEXT, "I hate you")).ids).hidden_states[6, -1]
    np.testing.assert_allclose(steering.direction.array, love - hate, atol=1e-4)
    assert steering.explain().startswith("+2 ×")
    with pytest.raises(PlaygroundError):
        text_direction(lm, "I love you", "I hate you", 0)  # the embeddings: not between blocks


def test_the_layer_sweep_measures_each_layer_against_the_unsteered_run(real_model):
    lm = real_model
    from playground.engine.prompt.model_input import TEXT, model_input

    ids = model_input(lm, (TEXT, "I think that you are")).ids
    sweep = layer_sweep(lm, run_of(lm, ids), "I love you", "I hate you", 1.0)
    assert sweep.layers == tuple(range(1, lm.arch.n_layer))
    assert np.all(sweep.kl_bits >= 0) and sweep.kl_bits.max() > 0.01
    layer = 5
    steering = text_direction(lm, "I love you", "I hate you", layer, 1.0)
    from playground.engine.inspect.comparison import compare_logits

    steered = lm.forward(ids, interventions=NO_INTERVENTIONS.with_steering(steering))
    expected = compare_logits(lm.forward(ids).next_token_logits, steered.next_token_logits)
    assert sweep.kl_bits[layer - 1] == pytest.approx(expected.kl_bits, rel=1e-3, abs=1e-6)


def test_interventions_with_steering_and_patches_round_trip(tiny_factory):
    _, lm = tiny_factory(TinySpec(seed=3))
    clean, corrupted = _prompts(lm)
    patching = activation_patching(lm, run_of(lm, clean), run_of(lm, corrupted), "mlp")
    v = np.arange(lm.arch.d_model, dtype=np.float32)
    interventions = patching.cell_run(1, 7).interventions.with_steering(
        Steering(1, 0.5, FrozenArray.of(v), "x", "y")
    )
    again = Interventions.parse(interventions.to_dict(), lm.arch)
    assert again == interventions
    assert "steered" in again.explain() and "patched" in again.explain()
    broken = interventions.to_dict() | {"steering": {"layer": 1, "strength": 1, "direction": [1.0]}}
    with pytest.raises(PlaygroundError):
        Interventions.parse(broken, lm.arch)


@pytest.mark.parametrize("site", ["resid", "attn", "mlp", "head", "steering"])
def test_the_logit_components_of_a_patched_or_steered_run_add_up(tiny_factory, site):
    from playground.engine.inspect.direct_logit import logit_components

    _, lm = tiny_factory(TinySpec(seed=5))
    clean, corrupted = _prompts(lm)
    L = lm.arch.n_layer
    if site == "steering":
        v = np.random.default_rng(2).normal(size=lm.arch.d_model).astype(np.float32)
        run = run_of(lm, corrupted)
        run = Run(
            run.model,
            run.source,
            run.ids,
            NO_INTERVENTIONS.with_steering(Steering(L - 1, 2.0, FrozenArray.of(v), "a", "b")),
        )
    else:
        patching = activation_patching(lm, run_of(lm, clean), run_of(lm, corrupted), site)
        run = patching.cell_run(L - 1 if site != "resid" else 1, 8 if site != "head" else 0)
    forward = lm.forward(corrupted, interventions=run.interventions)
    target = int(np.argmax(forward.next_token_logits))
    parts = logit_components(lm, run, forward, target)
    assert float(parts.values.sum()) == pytest.approx(parts.logit, abs=1e-3)
    assert ("added" in parts.names) == (site in ("resid", "steering"))


@pytest.mark.parametrize("spec", [*SPECS, TinySpec(seed=7, family="qwen3", head_dim=32)])
def test_a_run_from_a_later_block_equals_the_whole_run(tiny_factory, spec):
    """BlockChain: the blocks from `start` on, the tokens from `past` on, with knock-outs
    (mean ablation), steering and a patch, give the whole graph's logits."""
    from playground.engine.runtime.block_chain import BlockChain

    _, lm = tiny_factory(spec)
    clean, corrupted = _prompts(lm)
    L, D = lm.arch.n_layer, lm.arch.d_model
    v = np.random.default_rng(4).normal(size=D).astype(np.float32)
    base = Interventions(
        KnockOut.parse("0.1", lm.arch, "mean"), Steering(L - 1, 0.7, FrozenArray.of(v), "a")
    ).over(corrupted)
    plain = run_of(lm, corrupted)
    runs = run_of(lm, clean), Run(plain.model, plain.source, plain.ids, base)
    patching = activation_patching(lm, *runs, "attn", 0, 1)
    chain = BlockChain(lm)
    step = lm.step(lm.empty_cache(), corrupted, None, False, base)
    for start, past in ((1, 0), (L - 1, 6), (1, 7)):
        patch = patching.patch(start, 7)
        patched = base.with_patches((patch,))
        whole = lm.step(lm.empty_cache(), corrupted, None, True, patched).logits[-1]
        hidden = np.array(step.hidden_states[start, past:])
        stream = chain.run(list(corrupted), start, past, hidden, step.cache, patched)
        np.testing.assert_allclose(chain.logits(stream[-1]), whole, atol=ATOL)
        np.testing.assert_allclose(chain.logits(stream[-1], [3, 5]), whole[[3, 5]], atol=ATOL)


def test_attribution_of_a_patched_run_is_refused(tiny_factory):
    from playground.engine.inspect.leave_one_out import leave_one_out

    _, lm = tiny_factory(TinySpec(seed=3))
    clean, corrupted = _prompts(lm)
    patching = activation_patching(lm, run_of(lm, clean), run_of(lm, corrupted), "resid")
    with pytest.raises(PlaygroundError, match="patch"):
        leave_one_out(lm, patching.cell_run(1, 7), 0)


def test_a_tokens_embedding_row_and_a_one_token_texts_sink(real_model):
    from playground.engine.inspect.steering_directions import read_direction, text_streams
    from playground.engine.model.bundle_weights import read_initializer

    lm = real_model
    token = lm.encode(" love", continues=True)[0]
    direction = read_direction(lm, " love", "", 6, 1.5)  # no "away": the token's own row
    row = np.asarray(read_initializer(lm.folder, "token_embd.weight")[token], np.float32)
    np.testing.assert_allclose(direction.steering.direction.array, row)
    assert direction.away_tokens == 0 and direction.steering.toward == " love"
    assert "embedding of ' love'" in direction.steering.explain()
    # the first position's stream (the attention sink) is tens of times longer
    streams = text_streams(lm, "I love you")
    assert streams.sink_ratio > 20
    one = text_streams(lm, "love")
    assert one.n_tokens == 1 and np.isnan(one.sink_ratio)
    between = slice(1, lm.arch.n_layer)  # the streams between blocks
    ratios = np.linalg.norm(one.last[between], axis=-1) / np.linalg.norm(
        streams.last[between], axis=-1
    )
    assert np.median(ratios) > 20  # a one-token direction is mostly the sink's
