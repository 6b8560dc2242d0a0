"""Generated tokens run on a second graph that multiplies the GGUF's own blocks directly
(ONNX Runtime's MatMulNBits, 8-bit activations in two parts). Its numbers must stay
those of an fp32 computation on the same dequantized weights: on the real model, logits
within 2e-2 and the same greedy chain; attention within 1e-3."""

from __future__ import annotations

import numpy as np
import onnx
import pytest

from playground.engine.model.bundle import DECODE_MODEL_FILE, MODEL_FILE
from playground.engine.model.decode_paths import EIGHT_BIT, FOUR_BIT, FP32, decode_products
from playground.engine.model.gguf_source import open_gguf
from tests.engine.test_graph_parity import TINY_SPECS, _real_reference
from tests.reference import ReferenceModel
from tests.tiny_models import TinySpec

Q4_MATRICES = ("attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down")


def _graph(folder, name):
    return onnx.load(str(folder / name), load_external_data=False).graph


def test_q4_1_blocks_dequantize_to_the_gguf_weights(tiny_factory):
    gguf, _ = tiny_factory(TinySpec(seed=5))
    source = open_gguf(gguf)
    for name in ("blk.0.attn_q.weight", "blk.1.attn_k.weight", "blk.0.ffn_up.weight"):
        blocks = source.q4_1_blocks(name)
        assert blocks is not None
        np.testing.assert_array_equal(blocks.dequantized(), source.weight(name))
    assert source.q4_1_blocks("token_embd.weight") is None  # Q8_0
    assert source.q4_1_blocks("blk.0.ffn_down.weight") is None  # F32 in the tiny models


def _attribute(node, name):
    return next(a.i for a in node.attribute if a.name == name)


def test_decoding_graph_multiplies_the_gguf_blocks_and_keeps_no_fp32_copy(tiny_factory):
    _, lm = tiny_factory(TinySpec(seed=6))
    decode = _graph(lm.folder, DECODE_MODEL_FILE)
    products = [n for n in decode.node if n.op_type == "MatMulNBits"]
    # per layer: q|k|v joined, the output projection, gate|up joined (the tiny models
    # store ffn_down as F32: it stays an fp32 MatMul); then the tied Q8_0 output layer
    four_bit = [n for n in products if _attribute(n, "bits") == 4]
    eight_bit = [n for n in products if _attribute(n, "bits") == 8]
    assert len(four_bit) == 3 * lm.arch.n_layer
    assert len(eight_bit) == 1
    assert all(_attribute(n, "accuracy_level") == 4 for n in products)  # 8-bit activations
    names = {t.name for t in decode.initializer}
    q4_in_tiny = [m for m in Q4_MATRICES if m != "ffn_down"]
    assert not any(m in n and n.endswith("weight_t") for n in names for m in q4_in_tiny)
    # one copy of the embedding table: 8-bit codes, read by the lookup and the output layer
    assert "token_embd.codes_u8" in names
    assert not [n for n in names if n.startswith("token_embd") and n.endswith("weight")]
    # the analysis graph keeps fp32 matrices (fastest for many rows)
    analysis = _graph(lm.folder, MODEL_FILE)
    assert not [n for n in analysis.node if n.op_type == "MatMulNBits"]


def test_an_unquantized_model_decodes_on_fp32_matrices(tiny_factory):
    _, lm = tiny_factory(TinySpec(quantized=False, seed=4))
    assert not [n for n in _graph(lm.folder, DECODE_MODEL_FILE).node if n.op_type == "MatMulNBits"]
    L = lm.arch.n_layer  # what the bench says: every product fp32 (4 per layer + output)
    assert decode_products(lm.folder) == {FOUR_BIT: 0, EIGHT_BIT: 0, FP32: 4 * L + 1}


def test_the_bench_names_each_products_path(tiny_factory):
    _, lm = tiny_factory(TinySpec(seed=6))
    L = lm.arch.n_layer  # q|k|v, output and gate|up on Q4_1; ffn_down F32; Q8_0 output
    assert decode_products(lm.folder) == {FOUR_BIT: 3 * L, EIGHT_BIT: 1, FP32: L}


@pytest.mark.parametrize(
    "spec", TINY_SPECS, ids=lambda s: f"{s.family}-h{s.n_head}kv{s.n_head_kv}-s{s.seed}"
)
def test_decoding_steps_match_the_numpy_reference_on_tiny_models(tiny_factory, spec):
    gguf, lm = tiny_factory(spec)
    assert_decoding_matches_the_reference(gguf, lm, spec.seed)


def assert_decoding_matches_the_reference(gguf, lm, seed: int, length: int = 12) -> None:
    """After a 4-token prompt, each generated token's logits and attention row from the
    decoding graph against the numpy reference's forward of the whole sequence."""
    reference = ReferenceModel(gguf)
    ids = np.random.default_rng(seed).integers(0, lm.vocab_size, size=length).tolist()
    fw = lm.forward(ids[:4])
    for at in range(4, len(ids)):
        step = lm.step(fw.cache, [ids[at]])  # the decoding graph
        fw = fw.extended(step)
        ref = reference.forward(ids[: at + 1])
        # 8-bit activations in two parts: each product within ~1/254 of its size, so the
        # bound is relative as well as absolute (AVX2 and AVX-512 kernels round blocks
        # differently: an AVX2-only AMD EPYC measured 0.0204 on a logit of 5.3 and 1.14e-3
        # on an attention weight of 0.33, an AVX-512 Xeon under 2e-2 and 1e-3)
        np.testing.assert_allclose(step.logits[0], ref.logits[-1], atol=2e-2, rtol=4e-3)
        np.testing.assert_allclose(
            step.attentions[:, :, 0], ref.attentions[:, :, -1], atol=1e-3, rtol=4e-3
        )


TEST_PROMPTS = (
    "The animal didn't cross the road because it was",
    "The capital of France is",
    "Once upon a time, there was a little",
)


@pytest.mark.real_model
@pytest.mark.parametrize("prompt", TEST_PROMPTS)
def test_generated_tokens_are_faithful_to_fp32_on_the_dequantized_weights(
    real_model, real_gguf, prompt
):
    """Greedy generation on the decoding graph against the numpy fp32 reference, every
    step: the same chain of tokens, logits within 2e-2, attention within 1e-3. (The
    reference is causal: one forward of the whole chain gives each step's logits and
    attention row at that step's position.)"""
    reference = _real_reference(real_gguf)
    ids = real_model.encode(prompt)
    fw = real_model.forward(ids)
    steps = []
    for _ in range(12):
        token = int(np.argmax(fw.next_token_logits))
        step = real_model.step(fw.cache, [token])
        fw = fw.extended(step)
        ids.append(token)
        steps.append(step)
    ref = reference.forward(ids)
    worst_logit, worst_attention = 0.0, 0.0
    for at, step in enumerate(steps, start=len(ids) - len(steps)):  # step's token position
        assert int(np.argmax(step.logits[0])) == int(np.argmax(ref.logits[at]))  # same chain
        worst_logit = max(worst_logit, float(np.abs(step.logits[0] - ref.logits[at]).max()))
        seen = ref.attentions[:, :, at, : at + 1]  # (L, H, at+1): the keys up to the token
        attention_error = np.abs(step.attentions[:, :, 0] - seen).max()
        worst_attention = max(worst_attention, float(attention_error))
    print(f"largest differences: logits {worst_logit:.1e}, attention {worst_attention:.1e}")
    assert worst_logit < 2e-2
    assert worst_attention < 1e-3


def test_q4_k_is_repacked_exactly_and_decoded_on_its_blocks(tiny_factory):
    from gguf import GGMLQuantizationType
    from gguf.quants import dequantize

    from playground.engine.model.quant_blocks import q4_k_parts
    from tests.tiny_models import random_q4_k

    raw = random_q4_k((6, 512))  # (rows, 2 super-blocks of 144 bytes)
    expected = dequantize(raw, GGMLQuantizationType.Q4_K).reshape(6, 512)  # gguf's own
    scale, minimum, codes = q4_k_parts(raw.reshape(6, 2, 144))
    ours = (scale[..., None] * codes + minimum[..., None]).reshape(6, 512)
    np.testing.assert_array_equal(ours, expected)  # exact: a scale and a minimum per 32
    _, lm = tiny_factory(TinySpec(k_quants=True, d_model=256, d_ff=256, seed=21))
    L = lm.arch.n_layer  # q|k|v, output, gate|up on the Q4_K blocks; ffn_down F32
    assert decode_products(lm.folder) == {FOUR_BIT: 3 * L, EIGHT_BIT: 1, FP32: L}
