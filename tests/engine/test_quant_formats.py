"""Q4_0, Q5_0, Q5_1, Q5_K and Q6_K (the formats of Q4_K_M, Q5_K_M and Q6_K files beside
Q4_K and Q8_0): read into the blocks ONNX Runtime multiplies, each weight exactly what
gguf's dequantize gives, and generated tokens on them as faithful to fp32 as on Q4_1."""

from __future__ import annotations

import numpy as np
import onnx
import pytest

from playground.engine.model.bundle import DECODE_MODEL_FILE
from playground.engine.model.decode_paths import EIGHT_BIT, FOUR_BIT, FP32, decode_products
from playground.engine.model.gguf_source import open_gguf
from tests.engine.test_decode_graph import assert_decoding_matches_the_reference
from tests.tiny_models import TinySpec

# like a Q4_K_M file: Q4_K, with attn_v and ffn_down (and here the embeddings) in Q6_K
Q4_K_M = TinySpec(
    d_model=256,
    d_ff=256,
    k_quants=True,
    formats=(("attn_v", "Q6_K"), ("ffn_down", "Q6_K"), ("token_embd", "Q6_K")),
    seed=41,
)
# the 32-weight formats, one per matrix kind, and Q5_K
MIXED = TinySpec(
    d_model=256,
    d_ff=256,
    formats=(
        ("attn_q", "Q5_0"),
        ("attn_k", "Q5_1"),
        ("attn_v", "Q4_0"),
        ("attn_output", "Q5_K"),
        ("ffn_gate", "Q5_K"),
        ("ffn_up", "Q4_0"),
        ("ffn_down", "Q5_1"),
    ),
    seed=42,
)


@pytest.mark.parametrize("spec", [Q4_K_M, MIXED], ids=["q4_k_m", "mixed"])
def test_every_format_reads_to_the_weights_gguf_dequantizes(tiny_factory, spec):
    gguf, _ = tiny_factory(spec)
    source = open_gguf(gguf)
    for end, kind in spec.formats:
        for layer in (0, 1):
            name = f"blk.{layer}.{end}.weight" if end != "token_embd" else "token_embd.weight"
            blocks = source.code_blocks(name)
            assert blocks is not None, (name, kind)
            # q and k rows come back un-permuted, as weight() gives them (llama family)
            np.testing.assert_array_equal(blocks.dequantized(), source.weight(name))
    assert (
        source.code_blocks("blk.0.attn_q.weight" if spec is Q4_K_M else "output_norm.weight")
        is None
    )


@pytest.mark.parametrize("spec", [Q4_K_M, MIXED], ids=["q4_k_m", "mixed"])
def test_generated_tokens_run_on_blocks_and_match_the_reference(tiny_factory, spec):
    gguf, lm = tiny_factory(spec)
    products = decode_products(lm.folder)
    assert products[FP32] == 0  # every matrix on MatMulNBits
    assert products[FOUR_BIT] > 0 and products[EIGHT_BIT] > 0
    assert_decoding_matches_the_reference(gguf, lm, spec.seed, length=10)


def test_q6_k_embeddings_are_looked_up_in_their_codes(tiny_factory):
    """A tied Q6_K table serves the lookup and the output product from one copy of 8-bit
    codes: no fp32 table in the decoding graph."""
    _, lm = tiny_factory(Q4_K_M)
    graph = onnx.load(str(lm.folder / DECODE_MODEL_FILE), load_external_data=False).graph
    names = {t.name for t in graph.initializer}
    assert "token_embd.codes8" in names
    assert not [n for n in names if n.startswith("token_embd") and n.endswith("weight")]
