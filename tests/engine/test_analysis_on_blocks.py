"""A model too big for fp32 matrices is analysed on the GGUF's own blocks (as generated
tokens are): the numbers stay within ~1e-2 of fp32, every inspection still reads its
matrices, and the converter chooses it only when fp32 would not fit."""

from __future__ import annotations

import numpy as np
import onnx
import pytest

from playground.engine.inspect.direct_logit import logit_components
from playground.engine.inspect.embeddings import EmbeddingSpace
from playground.engine.inspect.layer_trace import trace_layer
from playground.engine.inspect.logit_lens import LogitLens
from playground.engine.model import size_estimate, stored_blocks
from playground.engine.model.bundle import DECODE_MODEL_FILE, MODEL_FILE, WEIGHTS_FILE
from playground.engine.model.bundle_weights import (
    graph_weight_bytes,
    read_initializer,
    token_table,
)
from playground.engine.model.gguf_source import open_gguf
from playground.engine.model.size_estimate import TooLargeError, estimate
from playground.engine.model.stored_blocks import BlockRows
from playground.engine.runtime.conversion import convert_gguf
from playground.engine.runtime.language_model import LanguageModel
from tests.reference import ReferenceModel
from tests.runs import run_of
from tests.tiny_models import TinySpec, write_tiny_gguf

SPEC = TinySpec(d_model=256, d_ff=256, k_quants=True, formats=(("ffn_down", "Q6_K"),), seed=51)


@pytest.fixture(scope="module")
def on_blocks(tmp_path_factory):
    root = tmp_path_factory.mktemp("blocks")
    gguf = write_tiny_gguf(root / "m.gguf", SPEC)
    folder = convert_gguf(gguf, name="m", destination=root / "m", analysis_on_blocks=True)
    return gguf, LanguageModel(folder)


def test_the_analysis_graph_keeps_the_layers_in_their_blocks(on_blocks):
    gguf, lm = on_blocks
    assert lm.info.analysis_on_blocks
    graph = onnx.load(str(lm.folder / MODEL_FILE), load_external_data=False).graph
    decode = onnx.load(str(lm.folder / DECODE_MODEL_FILE), load_external_data=False).graph

    def products(g: onnx.GraphProto) -> set[str]:  # the codes each product multiplies
        return {n.input[1] for n in g.node if n.op_type == "MatMulNBits"}

    # the decoding graph's products (q|k|v, gate|up joined; the tied table's too) ...
    assert products(graph) == products(decode)
    assert len(products(graph)) >= 4 * lm.arch.n_layer + 1
    names = {t.name for t in graph.initializer}
    assert not [n for n in names if n.endswith("weight_t") or n == "token_embd.weight"]
    # ... held once in the bundle: its one weights file is hardly more than one graph's
    file_bytes = (lm.folder / WEIGHTS_FILE).stat().st_size
    both = graph_weight_bytes(lm.folder, MODEL_FILE) + graph_weight_bytes(
        lm.folder, DECODE_MODEL_FILE
    )
    assert file_bytes < 0.6 * both
    source = open_gguf(gguf)  # read back as fp32 for the inspections, exactly
    for name in ("blk.0.attn_q", "blk.1.attn_v", "blk.1.ffn_down"):
        stored = read_initializer(lm.folder, f"{name}.weight_t")
        np.testing.assert_array_equal(stored, source.weight(f"{name}.weight").T)


def test_its_numbers_stay_within_fp32s_bounds(on_blocks):
    gguf, lm = on_blocks
    reference = ReferenceModel(gguf)
    ids = np.random.default_rng(3).integers(0, lm.vocab_size, size=17).tolist()
    fw, ref = lm.forward(ids), reference.forward(ids)
    np.testing.assert_allclose(fw.logits, ref.logits, atol=2e-2)
    np.testing.assert_allclose(np.asarray(fw.attentions), ref.attentions, atol=1e-3)
    np.testing.assert_allclose(fw.hidden_states, ref.hidden_states, atol=2e-2)
    trace = trace_layer(lm, run_of(lm, ids), 1, len(ids) - 1, fw.attentions)  # one block, alone
    inside = ref.internals[1]
    for name in ("attn_out", "mlp_out", "residual_out"):
        np.testing.assert_allclose(getattr(trace, name), inside[name][-1], atol=2e-2)
    parts = logit_components(lm, run_of(lm, ids), fw, int(np.argmax(fw.next_token_logits)))
    assert float(parts.values.sum()) == pytest.approx(parts.logit, abs=2e-2)


def test_an_untied_model_on_blocks_reads_its_own_output_matrix(tmp_path):
    """Qwen2-style: separate output matrix, biased q/k/v, an 8-bit token table."""
    spec = TinySpec(family="qwen2", attention_bias=True, tied=False, seed=53)
    gguf = write_tiny_gguf(tmp_path / "u.gguf", spec)
    folder = convert_gguf(gguf, name="u", destination=tmp_path / "u", analysis_on_blocks=True)
    lm, reference = LanguageModel(folder), ReferenceModel(gguf)
    ids = np.random.default_rng(5).integers(0, lm.vocab_size, size=11).tolist()
    np.testing.assert_allclose(lm.forward(ids).logits, reference.forward(ids).logits, atol=2e-2)
    table = open_gguf(gguf).weight("token_embd.weight")  # the table, only looked up: exact
    np.testing.assert_array_equal(read_initializer(folder, "token_embd.weight"), table)
    _check_rows_of_blocks(folder, table)


def test_the_token_table_is_read_a_block_of_rows_at_a_time(on_blocks, monkeypatch):
    """A big model's token table stays in its blocks: rows, slices and products with it
    are the fp32 table's, and the embedding space never holds it expanded."""
    gguf, lm = on_blocks
    _check_rows_of_blocks(lm.folder, open_gguf(gguf).weight("token_embd.weight"))
    monkeypatch.setattr(stored_blocks, "ROWS_AT_ONCE", 7)  # several blocks of rows
    _check_rows_of_blocks(lm.folder, open_gguf(gguf).weight("token_embd.weight"))


def _check_rows_of_blocks(folder, table: np.ndarray) -> None:
    rows = token_table(folder)
    assert isinstance(rows, BlockRows) and rows.shape == table.shape and len(rows) == len(table)
    np.testing.assert_array_equal(rows[:], table)
    np.testing.assert_array_equal(rows[9], table[9])
    np.testing.assert_array_equal(rows[[12, 3, 3]], table[[12, 3, 3]])
    np.testing.assert_array_equal(rows[20:31], table[20:31])
    v = np.random.default_rng(2).normal(size=(table.shape[1], 3)).astype(np.float32)
    np.testing.assert_allclose(rows @ v, table @ v, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(rows @ v[:, 0], table @ v[:, 0], rtol=1e-5, atol=1e-5)
    space = EmbeddingSpace(folder)
    assert space.vectors is not None and isinstance(space.vectors, BlockRows)
    np.testing.assert_allclose(space.lengths, np.linalg.norm(table, axis=1), rtol=1e-6)
    sims = (table @ table[4]) / np.maximum(np.linalg.norm(table, axis=1), 1e-12)
    sims /= np.linalg.norm(table[4])
    found = space.neighbours(table[4], k=5, exclude={4})
    expected = [int(i) for i in np.argsort(-sims, kind="stable") if i != 4][:5]
    assert [n.token_id for n in found] == expected
    np.testing.assert_allclose([n.similarity for n in found], sims[expected], atol=1e-5)
    np.testing.assert_allclose(space.vector_of([3, 8]), table[[3, 8]].mean(axis=0), atol=1e-6)


def test_the_logit_lens_of_a_big_model_reads_its_table_in_blocks(on_blocks):
    gguf, lm = on_blocks
    table = open_gguf(gguf).weight("token_embd.weight")  # (V, D)
    lens = LogitLens(lm.folder, lm.arch)
    assert isinstance(lens.unembedding, BlockRows)
    ids = np.random.default_rng(4).integers(0, lm.vocab_size, size=9).tolist()
    fw = lm.forward(ids)
    reading = lens.read(run_of(lm, ids), fw.hidden_states, [2, 8], k=4)
    normed = lens.final_norm.of_hidden_states(fw.hidden_states[:, [2, 8]])  # (L+1, 2, D)
    logits = np.asarray(normed, np.float64) @ table.T.astype(np.float64)  # (L+1, 2, V)
    probs = np.exp(logits - logits.max(-1, keepdims=True))
    probs /= probs.sum(-1, keepdims=True)
    # (ties among the tiny model's many near-equal tokens may come in either order)
    np.testing.assert_allclose(reading.top_probs, -np.sort(-probs, axis=-1)[..., :4], atol=1e-5)
    chosen = np.take_along_axis(probs, reading.top_ids, axis=-1)  # the ids' own
    np.testing.assert_allclose(chosen, reading.top_probs, atol=1e-5)


def test_the_converter_chooses_blocks_for_big_models_and_when_fp32_would_not_fit(
    tmp_path, monkeypatch
):
    gguf = write_tiny_gguf(tmp_path / "m.gguf", SPEC)
    source = open_gguf(gguf)
    fp32 = estimate(source.architecture, source.tensor_infos)
    blocks = estimate(source.architecture, source.tensor_infos, analysis_on_blocks=True)
    assert blocks.memory_bytes < fp32.memory_bytes
    assert blocks.bundle_bytes < fp32.bundle_bytes
    plenty = fp32.memory_bytes + 1
    monkeypatch.setattr(size_estimate, "available_memory", lambda: plenty)
    lm = LanguageModel(convert_gguf(gguf, name="b", destination=tmp_path / "b"))
    assert not lm.info.analysis_on_blocks  # a small model: exact fp32
    between = (blocks.memory_bytes + fp32.memory_bytes) // 2
    monkeypatch.setattr(size_estimate, "available_memory", lambda: between)
    lm = LanguageModel(convert_gguf(gguf, name="a", destination=tmp_path / "a"))
    assert lm.info.analysis_on_blocks  # fp32 would not fit
    monkeypatch.setattr(size_estimate, "BLOCKS_FROM_PARAMETERS", 0)  # as if 0.5 B or more
    monkeypatch.setattr(size_estimate, "available_memory", lambda: plenty)
    lm = LanguageModel(convert_gguf(gguf, name="d", destination=tmp_path / "d"))
    assert lm.info.analysis_on_blocks  # a big model: on blocks, though fp32 would fit
    folder = convert_gguf(gguf, name="e", destination=tmp_path / "e", analysis_on_blocks=False)
    assert not LanguageModel(folder).info.analysis_on_blocks  # unless fp32 is asked for
    monkeypatch.setattr(size_estimate, "available_memory", lambda: blocks.memory_bytes - 1)
    with pytest.raises(TooLargeError, match="memory"):
        convert_gguf(gguf, name="c", destination=tmp_path / "c")


def test_a_prompts_4_bit_products_are_made_in_fp32_exactly(tmp_path):
    """A prompt's many rows multiply 4-bit blocks with fp32 activations (exact, and faster
    than two 8-bit parts past ~50 rows); a generated token, as two 8-bit parts (the fast
    one-row kernel); 8-bit blocks (the tied table here) as two 8-bit parts in both."""
    gguf = write_tiny_gguf(tmp_path / "m.gguf", TinySpec(seed=52))
    folder = convert_gguf(gguf, name="m", destination=tmp_path / "m", analysis_on_blocks=True)
    lm = LanguageModel(folder)

    def levels(file: str) -> dict[tuple[int, str], set[int]]:  # (bits, codes) -> accuracy
        found: dict[tuple[int, str], set[int]] = {}
        for node in onnx.load(str(folder / file), load_external_data=False).graph.node:
            if node.op_type == "MatMulNBits":
                attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
                key = (attrs["bits"], node.input[1])
                found.setdefault(key, set()).add(attrs["accuracy_level"])
        return found

    analysis, decode = levels(MODEL_FILE), levels(DECODE_MODEL_FILE)
    assert analysis.keys() == decode.keys() and {b for b, _ in analysis} == {4, 8}
    for (bits, _), accuracy in analysis.items():
        assert accuracy == ({1} if bits == 4 else {4})
    assert all(accuracy == {4} for accuracy in decode.values())
    ids = np.random.default_rng(5).integers(0, lm.vocab_size, size=23).tolist()
    fw, ref = lm.forward(ids), ReferenceModel(gguf).forward(ids)
    # every layer's products in fp32: the states as the reference's, to fp32 rounding
    np.testing.assert_allclose(fw.hidden_states, ref.hidden_states, atol=1e-4)
    np.testing.assert_allclose(fw.logits, ref.logits, atol=2e-2)  # the 8-bit table's


@pytest.mark.parametrize("with_minimums", [False, True])
def test_a_table_of_8_bit_codes_times_a_vector_is_its_expanded_rows_times_it(with_minimums):
    """BlockRows @ v from 8-bit codes (zero points, and a minimum per block as Q5_1 and
    Q5_K keep) without expanding them: the expanded rows' product."""
    rng = np.random.default_rng(8)
    V, nb, B = 37, 5, 16
    tensors = {
        "t.codes8": rng.integers(0, 64, size=(V, nb, B), dtype=np.uint8),
        "t.scales": rng.random(V * nb).astype(np.float32),
        "t.zero_points": rng.integers(0, 40, size=V * nb, dtype=np.uint8),
    }
    if with_minimums:
        tensors["t.minimums_t"] = rng.normal(size=(nb, V)).astype(np.float32)
    dense = stored_blocks.dense_from_blocks(tensors, "t")  # (V, nb * B)
    rows = BlockRows(tensors, "t")
    v = rng.normal(size=nb * B).astype(np.float32)
    np.testing.assert_allclose(rows @ v, dense @ v, rtol=1e-5, atol=1e-4)
    np.testing.assert_array_equal(rows[[4, 36]], dense[[4, 36]])
