"""Information routes: every share equals one computed here from the numpy reference's own
values (a head at a time, a pair of tokens at a time), the shares at a node add up to
one, and the edges kept are exactly those on a path to the prediction."""

from __future__ import annotations

import numpy as np
import pytest

from playground.engine.errors import PlaygroundError
from playground.engine.inspect.routes import Routes, information_routes
from playground.engine.runtime.knock_out import KnockOut
from tests.engine.test_graph_parity import GEMMA3
from tests.reference import ReferenceModel
from tests.runs import run_of
from tests.tiny_models import TinySpec

SPECS = [
    TinySpec(seed=3),  # llama, 4 query heads on 2 key/value heads
    TinySpec(seed=8, family="qwen2"),
    TinySpec(seed=7, family="qwen3", head_dim=32),
    TinySpec(seed=5, n_head=4, n_head_kv=1),  # every query head on one key/value head
    GEMMA3,  # post-norms; layer 0 slides over 4 tokens
]


def reference_shares(
    reference: ReferenceModel, ids: list[int], knock_out: KnockOut
) -> tuple[np.ndarray, np.ndarray]:
    """(L, T, T) attention and (L, T) kept shares from the reference's forward, token
    pair by token pair and head by head (zero or mean ablation as the knock-out says)."""
    means = None
    if knock_out.ablation == "mean":
        means = reference.forward(ids).head_outputs.mean(axis=1)  # (L, H, hd)
    out = reference.forward(ids, knock_out.heads, knock_out.mlps, head_means=means)
    L, T, H, hd = reference.n_layer, len(ids), reference.n_head, reference.head_dim
    group = H // reference.n_head_kv
    attention, kept = np.zeros((L, T, T)), np.zeros((L, T))
    for layer in range(L):
        inside = out.internals[layer]
        y = inside["residual_in"] + inside["attn_out"] + inside["mlp_out"]  # (T, D)
        w_o = reference.w[f"blk.{layer}.attn_output.weight"]  # (D, H*hd)
        alive = [h for h in range(H) if (layer, h) not in knock_out.heads]
        for i in range(T):
            scale = 1.0
            if reference.gemma:  # the head sum's RMS norm, knocked-out heads as they wrote
                context = out.head_outputs[layer, i].copy()  # (H, hd)
                for h in range(H):
                    if h not in alive:
                        context[h] = 0.0 if means is None else means[layer, h]
                summed = w_o @ context.reshape(-1)  # (D,)
                gain = reference.w[f"blk.{layer}.post_attention_norm.weight"]
                scale = gain / np.sqrt(np.mean(summed**2) + reference.eps)
            parts = []
            for j in range(i + 1):
                c = sum(
                    out.attentions[layer, h, i, j]
                    * (w_o[:, h * hd : (h + 1) * hd] @ inside["v"][j, h // group])
                    for h in alive
                )
                parts.append(np.zeros_like(y[i]) + c * scale)  # (D,)
            parts.append(y[i] - sum(parts))  # what token i's own stream kept
            imp = np.array([max(0.0, np.abs(y[i]).sum() - np.abs(y[i] - z).sum()) for z in parts])
            if imp.sum() == 0:
                imp[-1] = 1.0
            attention[layer, i, : i + 1], kept[layer, i] = imp[:-1] / imp.sum(), imp[-1] / imp.sum()
    return attention, kept


@pytest.mark.parametrize("spec", SPECS)
@pytest.mark.parametrize("knocked", ["", "1.1,0.mlp", "mean:1.0,1.3"])
def test_shares_equal_the_reference(tiny_factory, spec, knocked):
    gguf, lm = tiny_factory(spec)
    ids = np.random.default_rng(2).integers(0, lm.vocab_size, size=9).tolist()
    ablation = "mean" if knocked.startswith("mean:") else "zero"
    knock_out = KnockOut.parse(knocked.removeprefix("mean:"), lm.arch, ablation)
    routes = information_routes(lm, run_of(lm, ids, knock_out if knocked else None))
    attention, kept = reference_shares(ReferenceModel(gguf), ids, knock_out)
    np.testing.assert_allclose(routes.attention_shares, attention, atol=1e-4)
    np.testing.assert_allclose(routes.kept_shares, kept, atol=1e-4)
    # a node's shares add up to one, and none comes from a later token
    totals = routes.attention_shares.sum(axis=2) + routes.kept_shares  # (L, T)
    np.testing.assert_allclose(totals, 1.0, atol=1e-9)
    assert not np.triu(routes.attention_shares, 1).any()
    assert routes.position == len(ids) - 1 and len(routes.tokens) == len(ids)


def reaches(routes: Routes, edge_layer: int, node: int) -> bool:
    """Whether node (edge_layer + 1, node) has a path of the routes' edges to the end."""
    L = routes.attention_shares.shape[0]
    targets = {(e.layer, e.source): set() for e in routes.edges}
    for e in routes.edges:
        targets[(e.layer, e.source)].add(e.target)
    if edge_layer + 1 == L:
        return node == routes.position
    return any(reaches(routes, edge_layer + 1, t) for t in targets.get((edge_layer + 1, node), ()))


def test_edges_are_the_strong_ones_on_a_path_to_the_position(tiny_factory):
    _, lm = tiny_factory(TinySpec(seed=3, n_layer=3))
    ids = np.random.default_rng(5).integers(0, lm.vocab_size, size=8).tolist()
    run = run_of(lm, ids)
    L, position = lm.arch.n_layer, 5
    everything = information_routes(lm, run, position, threshold=0.0)
    # threshold 0: every edge into a node that reaches the position: all earlier tokens
    into_last = position + 2  # attention from 0..position, and the residual
    below = (position + 1) * (position + 2) // 2 + position + 1
    assert len(everything.edges) == into_last + (L - 1) * below
    previous = set(everything.edges)
    for threshold in (0.01, 0.04, 0.1, 0.3, 0.6):
        routes = information_routes(lm, run, position, threshold)
        edges = set(routes.edges)
        assert edges <= previous  # a higher threshold never adds an edge
        previous = edges
        assert all(e.share >= threshold for e in routes.edges)
        assert all(reaches(routes, e.layer, e.target) for e in routes.edges)
        for e in routes.edges:  # the shares are the routes' own
            shares = (
                routes.kept_shares[e.layer, e.target]
                if e.kind == "residual"
                else (routes.attention_shares[e.layer, e.target, e.source])
            )
            assert e.share == shares
        keys = [(e.layer, e.target, e.source, e.kind == "residual") for e in routes.edges]
        assert keys == sorted(keys)
    strong = information_routes(lm, run, position, 0.04)
    assert any(e.layer == L - 1 and e.target == position for e in strong.edges)


def test_prompts_and_positions_out_of_range_are_refused(tiny_factory):
    _, lm = tiny_factory(TinySpec(seed=3))
    with pytest.raises(PlaygroundError, match="Position 4"):
        information_routes(lm, run_of(lm, [5, 9, 2, 7]), position=4)
    with pytest.raises(PlaygroundError, match="at most 256 tokens"):
        information_routes(lm, run_of(lm, [5] * 257))


def test_routes_on_the_real_model(real_model):
    lm = real_model
    ids = lm.encode("The capital of France is Paris, and the capital of Italy is")
    assert 10 <= len(ids) <= 16
    routes = information_routes(lm, run_of(lm, ids))
    assert routes.edges and routes.edges[-1].layer == lm.arch.n_layer - 1
    for shares in (routes.attention_shares, routes.kept_shares):
        assert shares.min() >= 0.0 and shares.max() <= 1.0
    np.testing.assert_allclose(
        routes.attention_shares.sum(axis=2) + routes.kept_shares, 1.0, atol=1e-9
    )
    layer = 5
    knocked = information_routes(lm, run_of(lm, ids, KnockOut.parse(f"{layer}.2", lm.arch)))
    np.testing.assert_allclose(  # the layers before run as they did
        knocked.attention_shares[:layer], routes.attention_shares[:layer], atol=1e-5
    )
    assert np.abs(knocked.attention_shares[layer] - routes.attention_shares[layer]).max() > 1e-3
