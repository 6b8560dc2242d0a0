"""Gemma 3 as llama.cpp runs it: sliding-window layers (5 of every 6), their own rotary
base, post-norms, GeGLU, scaled embeddings, a SentencePiece vocabulary without a space
prefix and its own chat template. The forward itself is checked against the numpy
reference with the other families (test_graph_parity, test_decode_graph,
test_layer_trace); here, what is particular to it."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from playground.engine.inspect.direct_logit import logit_components
from playground.engine.prompt.chat import chat_prompt
from playground.engine.prompt.model_input import TEXT, model_input
from playground.engine.runtime.interventions import Interventions
from playground.engine.runtime.knock_out import KnockOut
from tests.engine.test_graph_parity import GEMMA3
from tests.reference import ReferenceModel
from tests.runs import run_of
from tests.sentencepiece_reference import CORPUS, llama_cpp_spm, sentencepiece_vocab


@pytest.fixture(scope="module")
def gemma(tiny_factory):
    return tiny_factory(GEMMA3)


def test_the_architecture_follows_llama_cpps_rules_for_gemma3(gemma):
    _, lm = gemma
    a = lm.arch
    assert a.family == "gemma3" and a.activation == "gelu_tanh" and a.post_norms and a.qk_norm
    assert a.sliding_window == 4 and a.sliding_layers == (0, 1, 2, 3, 4)  # layer 5 sees all
    assert [a.window_of(i) for i in range(6)] == [4, 4, 4, 4, 4, 0]
    assert a.rope_theta == 1e6 and a.rope_theta_local == 10000.0 and a.rope_scale == 8.0
    assert a.embedding_scale == pytest.approx(8.0)  # sqrt(64)
    assert a.query_scale == pytest.approx(1 / np.sqrt(32))  # 1/sqrt(head_dim), not of D/H
    assert a.context_length == 64  # only some layers slide: the context is not cut to 4


def test_sliding_layers_see_only_their_window_and_the_others_everything(gemma):
    _, lm = gemma
    ids = list(range(5, 25))
    maps = np.asarray(lm.forward(ids).attentions)  # (L, H, T, T)
    T = len(ids)
    query, key = np.indices((T, T))
    in_window = (key <= query) & (query - key < 4)
    for layer in range(5):
        assert (maps[layer][:, ~in_window] == 0).all()
        assert (maps[layer][:, in_window] > 0).all()
    assert (maps[5][:, key <= query] > 0).all()  # the full layer: every earlier token
    np.testing.assert_allclose(maps.sum(-1), 1.0, atol=1e-5)


def test_maps_computed_again_for_long_prompts_keep_the_window(gemma):
    """Long prompts keep queries instead of maps; maps made from them later must be the
    graph's own, the window included."""
    _, lm = gemma
    step = lm.step(lm.empty_cache(), list(range(5, 30)))
    for layer in (0, 5):
        queries = step.queries[layer].transpose(1, 0, 2)  # (H, T, hd)
        keys = step.cache.key_rows[layer].transpose(1, 0, 2)  # (KVH, T, hd)
        again = lm.attention_maps(queries, keys, layer)
        np.testing.assert_allclose(again, np.asarray(step.attentions)[layer], atol=1e-6)


def test_the_logit_is_the_sum_of_its_components_through_the_post_norms(gemma):
    _, lm = gemma
    ids = np.random.default_rng(1).integers(0, lm.vocab_size, size=12).tolist()
    fw = lm.forward(ids)
    target = int(np.argmax(fw.next_token_logits))
    parts = logit_components(lm, run_of(lm, ids), fw, target)
    assert float(parts.values.sum()) == pytest.approx(parts.logit, abs=1e-3)
    for layer in range(lm.arch.n_layer):
        assert float(parts.heads[layer].sum()) == pytest.approx(
            parts.value(f"L{layer}.attn"), abs=1e-4
        )


def test_a_knock_out_equals_the_reference_without_those_parts(gemma):
    gguf, lm = gemma
    ids = np.random.default_rng(2).integers(0, lm.vocab_size, size=10).tolist()
    knock_out = KnockOut.parse("0.1,5.0,2.mlp", lm.arch)
    got = lm.forward(ids, interventions=Interventions(knock_out)).logits
    want = ReferenceModel(gguf).forward(
        ids, knocked_heads=frozenset({(0, 1), (5, 0)}), knocked_mlps=frozenset({2})
    )
    np.testing.assert_allclose(got, want.logits, atol=1e-4, rtol=1e-4)


def test_the_chat_template_writes_one_bos_and_its_turn_markers(gemma):
    _, lm = gemma
    prompt = chat_prompt(lm, "the cat sat")
    start, end = (lm.encode(t)[0] for t in ("<start_of_turn>", "<end_of_turn>"))
    bos = lm.info.special.bos_id
    assert prompt.text == "<s><start_of_turn>user\nthe cat sat<end_of_turn>\n<start_of_turn>model\n"
    assert prompt.ids.count(bos) == 1 and prompt.ids[:2] == [bos, start]
    assert prompt.ids.count(start) == 2 and prompt.ids.count(end) == 1
    first, last = prompt.content_span
    # no space prefix: the message's first word is "the", not "▁the"
    assert prompt.ids[first:last] == lm.encode("the cat sat", special=False, continues=True)
    assert lm.token_text(prompt.ids[first]).startswith("t")
    assert end in lm.info.special.stop_ids  # a reply ends at the end of its turn


def test_ids_are_llama_cpps_without_a_space_prefix(gemma):
    """Gemma's SentencePiece adds no space before a text (add_space_prefix = false)."""
    _, lm = gemma
    tokens, _, scores = sentencepiece_vocab()
    rng = np.random.default_rng(4)
    alphabet = [*sorted(set(CORPUS)), "é", "\n", "  "]
    texts = ["the cat sat on the mat.", " the cat", "théâtre ☕ 🙂"]
    texts += ["".join(rng.choice(alphabet, size=int(rng.integers(1, 40)))) for _ in range(100)]
    for text in texts:
        assert lm.encode(text, special=False) == llama_cpp_spm(text, tokens, scores), repr(text)
    ids = model_input(lm, (TEXT, "the cat")).ids
    assert ids[0] == lm.info.special.bos_id and lm.decode(ids[1:]) == "the cat"


def test_a_file_with_its_vision_tower_converts_without_it(tiny_factory):
    """Ollama's Gemma 3 files hold the image encoder too: the text model is the same."""
    _, lm = tiny_factory(replace(GEMMA3, vision_tower=True))
    _, plain = tiny_factory(GEMMA3)
    ids = list(range(5, 17))
    np.testing.assert_array_equal(lm.forward(ids).logits, plain.forward(ids).logits)
