"""Long prompts: attention maps computed a layer at a time from the kept queries and keys
must be the maps the graph computes whole, and the summaries the overview needs must be
made once, off the GUI thread. A 2,048-token prompt is analysed within 2 GB."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from playground.engine.errors import Cancelled
from playground.engine.inspect.attention_summary import (
    OVERVIEW_TILES,
    head_statistics,
    layer_thumbnails,
    summarise,
    thumbnails,
)
from playground.engine.inspect.attention_view import mean_of_all_heads
from playground.engine.runtime import attention_maps, language_model, map_computer, prompt_blocks
from playground.engine.runtime.frozen_array import FrozenArray
from playground.engine.runtime.interventions import NO_INTERVENTIONS, Interventions
from playground.engine.runtime.knock_out import KnockOut
from playground.engine.runtime.patches import Patch
from playground.engine.runtime.steering import Steering
from playground.engine.sampling.distribution import Sampler, SamplingSettings
from playground.engine.sampling.generation import generate_tokens
from tests.engine.test_graph_parity import GEMMA3
from tests.tiny_models import TinySpec

IDS = list(np.random.default_rng(7).integers(3, 250, size=45))


@pytest.mark.parametrize("spec", [TinySpec(), GEMMA3], ids=["llama", "gemma3-sliding"])
@pytest.mark.parametrize("rows", [5, 16, 45])
def test_maps_computed_in_blocks_of_rows_are_the_whole_maps(tiny_factory, monkeypatch, spec, rows):
    """A long prompt's map is computed a block of query rows at a time, each against the
    keys up to its last row (MAP_ROWS, here small): the same maps, zeros above the
    diagonal (and before a sliding layer's window) included."""
    _, lm = tiny_factory(spec)
    whole = lm.forward(IDS, whole_maps=True).attentions
    monkeypatch.setattr(map_computer, "MAP_ROWS", rows)
    per_layer = lm.forward(IDS, whole_maps=False).attentions
    for layer in range(lm.arch.n_layer):
        np.testing.assert_allclose(per_layer.layer(layer), whole[layer], atol=1e-6)
        for heads, maps, entropies in per_layer.parts(layer):  # -sum p log2 p of each row
            expected = -(maps * np.log2(np.maximum(maps, 1e-30))).sum(-1)  # (1, T)
            np.testing.assert_allclose(entropies, expected, atol=2e-5)
            np.testing.assert_allclose(maps, whole[layer, heads], atol=1e-6)


@pytest.mark.parametrize("spec", [TinySpec(), GEMMA3], ids=["llama", "gemma3-sliding"])
@pytest.mark.parametrize("rows", [2, 7, 16])
def test_a_long_prompt_run_in_causal_blocks_is_the_whole_run(tiny_factory, monkeypatch, spec, rows):
    """A long prompt runs in blocks of rows, each after the blocks before it (here blocks
    of 2-16 rows): the same hidden states, queries, keys, values and last logits as one
    run, with interventions (mean ablation over the whole prompt, steering, a patch at one
    position and one head's outputs everywhere) applied at the same positions."""
    _, lm = tiny_factory(spec)
    a = lm.arch
    rng = np.random.default_rng(11)
    D, hd = a.d_model, a.head_dim
    interventions = Interventions(
        KnockOut.parse("0.1", a, "mean"),
        Steering(a.n_layer - 1, 0.7, FrozenArray.of(rng.normal(size=D).astype(np.float32)), "a"),
        (
            Patch("mlp", 0, 30, FrozenArray.of(rng.normal(size=D).astype(np.float32)), "x"),
            Patch(
                "head", 1, -1, FrozenArray.of(rng.normal(size=(45, hd)).astype(np.float32)), "x", 2
            ),
        ),
    )
    assert prompt_blocks.block_bounds(45) == [0, 45]  # PROMPT_BLOCK_ROWS here is 512
    for given in (NO_INTERVENTIONS, interventions):
        whole = lm.forward(IDS, whole_maps=False, interventions=given)
        monkeypatch.setattr(prompt_blocks, "PROMPT_BLOCK_ROWS", rows)
        monkeypatch.setattr(language_model, "PROMPT_BLOCK_ROWS", rows)
        bounds = prompt_blocks.block_bounds(45)
        assert bounds[0] == 0 and bounds[-1] == 45 and max(np.diff(bounds)) <= rows
        assert min(np.diff(bounds)) >= rows // 2  # (blocks of 2: some of 1 token)
        blocked = lm.forward(IDS, whole_maps=False, interventions=given)
        monkeypatch.undo()
        for name in ("hidden_states", "queries", "logits"):
            np.testing.assert_allclose(getattr(blocked, name), getattr(whole, name), atol=2e-5)
        np.testing.assert_allclose(blocked.cache.key_rows, whole.cache.key_rows, atol=2e-5)
        np.testing.assert_allclose(blocked.cache.value_rows, whole.cache.value_rows, atol=2e-5)
        np.testing.assert_allclose(
            blocked.attentions.layer(1), whole.attentions.layer(1), atol=1e-6
        )
        grown = lm.extend(blocked, [5, 9])  # generating after it appends in place
        np.testing.assert_allclose(grown.hidden_states[:, :45], whole.hidden_states, atol=2e-5)


def test_maps_computed_per_layer_are_the_graphs_own(tiny):
    whole = tiny.forward(IDS, whole_maps=True)
    per_layer = tiny.forward(IDS, whole_maps=False)
    assert whole.attentions.is_whole and not per_layer.attentions.is_whole
    assert per_layer.attentions.shape == whole.attentions.shape
    np.testing.assert_allclose(
        np.asarray(per_layer.attentions), np.asarray(whole.attentions), atol=1e-6
    )
    np.testing.assert_allclose(per_layer.attentions[1, 2], whole.attentions[1, 2], atol=1e-6)
    # only the next-token logits are kept for a long prompt; everything else is whole
    assert per_layer.logits.shape == (1, tiny.vocab_size)
    np.testing.assert_allclose(per_layer.logits[0], whole.logits[-1], atol=1e-5)
    np.testing.assert_allclose(per_layer.hidden_states, whole.hidden_states, atol=1e-5)
    np.testing.assert_allclose(per_layer.queries, whole.queries, atol=1e-6)


def test_summarise_makes_the_overview_of_per_layer_maps(tiny):
    whole = tiny.forward(IDS, whole_maps=True).attentions
    per_layer = tiny.forward(IDS, whole_maps=False).attentions
    assert layer_thumbnails(per_layer, 0, OVERVIEW_TILES[0], False) is None  # not made yet
    stats = summarise(per_layer)
    expected = head_statistics(np.asarray(whole))
    for name in ("previous_token", "first_token", "same_token", "entropy_bits"):
        np.testing.assert_allclose(getattr(stats, name), getattr(expected, name), atol=1e-5)
    for layer in range(whole.shape[0]):
        for size in OVERVIEW_TILES:
            for hide_first in (False, True):
                np.testing.assert_allclose(
                    layer_thumbnails(per_layer, layer, size, hide_first),
                    thumbnails(whole[layer], size, hide_first),
                    atol=1e-6,
                )
    np.testing.assert_allclose(
        mean_of_all_heads(per_layer), np.asarray(whole).mean((0, 1)), atol=1e-6
    )


def test_thumbnails_average_blocks_of_tokens():
    rng = np.random.default_rng(3)
    maps = rng.random((2, 45, 45)).astype(np.float32)
    maps /= maps.sum(-1, keepdims=True)
    tiles = thumbnails(maps, 20, hide_first=False)  # blocks of 3 tokens: 15 x 15
    assert tiles.shape == (2, 15, 15)
    # a block of 3 queries: its mean attention on a block of 3 keys (rows still sum to 1)
    assert tiles[1, 4, 7] == pytest.approx(maps[1, 12:15, 21:24].sum() / 3, rel=1e-5)
    np.testing.assert_allclose(tiles.sum(-1), 1.0, rtol=1e-5)
    hidden = thumbnails(maps, 20, hide_first=True)
    renormalised = maps[1, 12:15, :] / (1 - maps[1, 12:15, :1])
    assert hidden[1, 4, 7] == pytest.approx(renormalised[:, 21:24].sum() / 3, rel=1e-5)
    first_block = maps[1, :3, 1:3] / (1 - maps[1, :3, :1])  # column 0 hidden, rows renormalised
    assert hidden[1, 0, 0] == pytest.approx(first_block.sum() / 3, rel=1e-5)
    assert (hidden[..., 0] < tiles[..., 0]).all()  # the first key's weight is gone


def test_generating_past_the_budget_switches_to_maps_per_layer(tiny, monkeypatch):
    budget = tiny.arch.n_layer * tiny.arch.n_head * 30 * 30 * 4  # whole up to 30 tokens
    monkeypatch.setattr(attention_maps, "FULL_MAPS_BYTES", budget)
    ids = IDS[:36]
    fw = tiny.forward(ids[:26])
    assert fw.attentions.is_whole
    for token in ids[26:]:
        fw = tiny.extend(fw, [token])
    assert not fw.attentions.is_whole and fw.n_tokens == 36
    reference = tiny.forward(ids, whole_maps=True)
    # generated tokens ran on the decoding graph (8-bit activations in two parts)
    np.testing.assert_allclose(
        np.asarray(fw.attentions), np.asarray(reference.attentions), atol=1e-3
    )
    np.testing.assert_allclose(fw.logits[-1], reference.logits[-1], atol=2e-2)
    assert tiny.forward(ids).attentions.is_whole is False  # 36 tokens are over the budget


def test_summarise_stops_between_layers_when_cancelled(tiny):
    maps = tiny.forward(IDS, whole_maps=False).attentions
    with pytest.raises(Cancelled):
        summarise(maps, cancelled=lambda: True)


def test_a_long_prompt_generates_from_its_last_logits(tiny_factory):
    _, lm = tiny_factory(TinySpec(seed=8))
    greedy = SamplingSettings(temperature=0.0)
    tokens = [t.token_id for t in generate_tokens(lm, IDS, 5, greedy, Sampler(0))]
    fw = lm.forward(IDS, whole_maps=True)
    expected = []
    for _ in range(5):
        expected.append(int(np.argmax(fw.next_token_logits)))
        fw = lm.extend(fw, [expected[-1]])
    assert tokens[: len(expected)] == expected[: len(tokens)]


MEMORY_CHECK = """
import json
from playground.commands.bench.suite import peak_rss_mb
from playground.engine import load_model
from playground.engine.inspect.analysis import analyse_source
from playground.engine.prompt.model_input import TEXT
lm = load_model()
text = " ".join(f"Sentence {i} tells the class something new about attention." for i in range(400))
analysis = analyse_source(lm, (TEXT, text), limit=2048)
maps = analysis.forward.attentions
rows = maps.layer(13).sum(-1)
print(json.dumps({
    "tokens": analysis.n_tokens,
    "whole": maps.is_whole,
    "stats": analysis.head_stats is not None,
    "rows_sum_to_one": bool(abs(rows - 1).max() < 1e-4),
    "peak_mb": peak_rss_mb(),
}))
"""


@pytest.mark.real_model
def test_a_2048_token_prompt_is_analysed_within_2_gb(real_model):
    result = subprocess.run(
        [sys.executable, "-c", MEMORY_CHECK], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    print(f"2,048-token analysis: peak RSS {report['peak_mb']:.0f} MB")
    assert report["tokens"] == 2048 and not report["whole"]
    assert report["stats"] and report["rows_sum_to_one"]
    assert report["peak_mb"] < 2048
