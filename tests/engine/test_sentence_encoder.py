"""The sentence encoder against the independent numpy reference on the real weights, and
the similarity split into words."""

from __future__ import annotations

import numpy as np
import pytest

from playground.engine.inspect.sentence_similarity import (
    Word,
    cosine_matrix,
    matching_words,
    nearest,
    similarity_drivers,
)

pytestmark = pytest.mark.real_encoder

SENTENCES = [
    "How to deploy React",
    "Deploying a React application",
    "Best pizza in New York",
    "",  # [CLS] [SEP] only
    "Ünïcödé, emoji 👋 and 日本語 text",
    "a " * 40 + "long sentence.",
]


def test_vectors_token_states_and_attentions_equal_the_numpy_reference(encoder, encoder_reference):
    for encoded in encoder.encode(SENTENCES):
        vector, states, attentions = encoder_reference.encode(encoded.ids)
        np.testing.assert_allclose(encoded.vector, vector, atol=1e-4)
        np.testing.assert_allclose(encoded.token_states, states, atol=1e-4)
        np.testing.assert_allclose(encoded.attentions, attentions, atol=1e-4)
        assert encoded.attentions.shape == (6, 12, len(encoded.ids), len(encoded.ids))


def test_batches_with_padding_give_each_sentence_its_own_vector(encoder, encoder_reference):
    vectors = encoder.embed(SENTENCES)  # padded together, in length order
    assert vectors.shape == (len(SENTENCES), encoder.dimensions) == (len(SENTENCES), 384)
    for vector, encoding in zip(vectors, encoder.tokenize(SENTENCES), strict=True):
        np.testing.assert_allclose(vector, encoder_reference.encode(encoding.ids)[0], atol=1e-4)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_a_text_longer_than_the_encoder_reads_is_cut_and_says_so(encoder):
    (long,) = encoder.encode(["word " * 1000], attentions=False)
    assert long.truncated and len(long.ids) == encoder.info.max_tokens == 256
    assert long.ids[0] == 101 and long.ids[-1] == 102  # [CLS] ... [SEP]
    (short,) = encoder.encode(["word"], attentions=False)
    assert not short.truncated


def test_the_teaching_examples_similarities(encoder):
    vectors = encoder.embed(SENTENCES[:3])
    cos = cosine_matrix(vectors)
    # the teaching text says "about 0.95" and "about 0.15": the real model gives these
    assert cos[0, 1] == pytest.approx(0.863, abs=0.005)
    assert cos[0, 2] == pytest.approx(0.039, abs=0.005)
    assert nearest(cos, 0, k=2) == [(1, pytest.approx(cos[0, 1])), (2, pytest.approx(cos[0, 2]))]


def test_the_words_shares_add_up_to_the_cosine(encoder):
    a, b = encoder.encode(["How to deploy React", "Deploying a React application"])
    drivers = similarity_drivers(a, b)
    assert drivers.cosine == pytest.approx(float(a.vector @ b.vector), abs=1e-5)
    assert sum(w.share for w in drivers.words_a) == pytest.approx(drivers.cosine, abs=1e-6)
    assert sum(w.share for w in drivers.words_b) == pytest.approx(drivers.cosine, abs=1e-6)
    assert [w.text for w in drivers.words_b] == [
        "[CLS]",
        "Deploying",
        "a",
        "React",
        "application",
        "[SEP]",
    ]
    # an independent computation of one word's share: token states . the other's vector
    react = next(w for w in drivers.words_a if w.text == "React")
    states = a.token_states[list(react.tokens)]
    mean = a.token_states.mean(axis=0)
    expected = float((states @ b.vector).sum() / (len(a.ids) * np.linalg.norm(mean)))
    assert react.share == pytest.approx(expected, abs=1e-5)
    best = drivers.top_pairs(1)[0]
    assert (best[0].text, best[1].text) == ("deploy", "Deploying")


def test_matching_words_name_each_word_once_without_punctuation():
    words = [
        Word("[CLS]", (0,), 0.5),
        Word("Hearts", (1,), 0.10),
        Word("the", (2,), 0.02),
        Word(",", (3,), 0.30),
        Word("the", (4,), 0.02),
        Word("hearts", (5,), 0.20),
        Word("octopus", (6,), 0.15),
        Word("[SEP]", (7,), 0.4),
    ]
    assert matching_words(words, 3) == [("hearts", 0.20), ("octopus", 0.15), ("the", 0.02)]


def test_a_damaged_encoder_zip_is_refused_with_a_message(tmp_path):
    from playground.engine.errors import ModelFileError
    from playground.engine.model.encoder_bundle import read_encoder_zip

    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(ModelFileError, match="not a readable sentence-encoder zip"):
        read_encoder_zip(broken)
    import zipfile

    wrong = tmp_path / "wrong.zip"
    with zipfile.ZipFile(wrong, "w") as archive:
        archive.writestr("config.json", '{"model_type": "gpt2"}')
    with pytest.raises(ModelFileError, match=r"has no 1_Pooling/config\.json"):
        read_encoder_zip(wrong)


def test_a_damaged_converted_encoder_is_made_again(encoder, tmp_path, monkeypatch):
    import shutil

    from playground.engine.model.encoder_bundle import ENCODER_INFO_FILE, is_current_encoder
    from playground.engine.store.catalog import encoder_entry

    copy = tmp_path / "copy"
    shutil.copytree(encoder.folder, copy)
    assert is_current_encoder(copy, encoder_entry().sha256)
    (copy / ENCODER_INFO_FILE).write_text("{ not json", encoding="utf-8")
    assert not is_current_encoder(copy, encoder_entry().sha256)
    from playground.engine.errors import ModelFileError
    from playground.engine.runtime.sentence_encoder import SentenceEncoder

    with pytest.raises(ModelFileError, match="not a usable sentence encoder"):
        SentenceEncoder(copy)
