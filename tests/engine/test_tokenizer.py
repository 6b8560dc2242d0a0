"""The tokenizer built from the GGUF vocabulary behaves like SmolLM2's own."""

from __future__ import annotations

import pytest

from playground.engine.text.tokens import piece_bytes

ROUND_TRIP_TEXTS = [
    "The cat sat on the mat.",
    "Crème brûlée, façade, naïve, Ærøskøbing",
    "emoji 👋🏽 and family 👨‍👩‍👧 and flags 🇫🇷",
    "中文的句子。日本語の文。한국어 문장.",
    'def f(x):\n\treturn {"a": [1, 2]}  # comment\n',
    "3.14159 and 1,000,000 and 2026-11-29",
    "  leading and trailing spaces  \n\n",
    "<|im_start|>user\nHi<|im_end|>\n",
    "",
]


@pytest.mark.parametrize("text", ROUND_TRIP_TEXTS)
def test_tiny_tokenizer_round_trips(tiny, text):
    assert tiny.decode(tiny.encode(text)) == text


def test_tiny_tokenizer_applies_merges_and_special_tokens(tiny):
    ids = tiny.encode("The cat sat on the mat")
    assert [tiny.token_text(i) for i in ids] == ["The", "Ġcat", "Ġsat", "Ġon", "Ġthe", "Ġmat"]
    assert tiny.encode("<|im_end|>") == [2]


@pytest.mark.real_model
@pytest.mark.parametrize("text", ROUND_TRIP_TEXTS)
def test_real_tokenizer_round_trips(real_model, text):
    assert real_model.decode(real_model.encode(text)) == text


@pytest.mark.real_model
def test_real_tokenizer_ids_match_the_checked_facts(real_model):
    assert real_model.encode("The capital of France is") == [504, 3575, 282, 4649, 314]


@pytest.mark.real_model
def test_digits_are_split_one_by_one(real_model):
    pieces = [real_model.piece(i).text for i in real_model.encode("year 2026: 12345")]
    assert pieces[-5:] == ["1", "2", "3", "4", "5"]
    assert "2" in pieces and "0" in pieces


@pytest.mark.real_model
@pytest.mark.parametrize("token", ["<|endoftext|>", "<|im_start|>", "<|im_end|>"])
def test_special_tokens_are_single_ids(real_model, token):
    ids = real_model.encode(f"a{token}b")
    assert len(ids) == 3
    assert real_model.is_special(ids[1])
    assert real_model.piece(ids[1]).text == token


@pytest.mark.real_model
def test_special_token_strings_can_be_plain_text(real_model):
    ids = real_model.encode("<|im_start|>", special=False)
    assert len(ids) > 1
    assert not any(real_model.is_special(i) for i in ids)
    assert real_model.decode(ids) == "<|im_start|>"
    assert real_model.encode("<|im_start|>") == [1]  # the default is unchanged afterwards


@pytest.mark.real_model
def test_strawberry_is_a_few_tokens_not_letters(real_model):
    ids = real_model.encode("strawberry")
    assert 1 < len(ids) < len("strawberry")
    assert b"".join(real_model.piece(i).data for i in ids) == b"strawberry"


@pytest.mark.real_model
def test_byte_pieces_of_an_emoji_reassemble_to_its_utf8(real_model):
    ids = real_model.encode("👋")
    pieces = real_model.pieces(ids)
    assert b"".join(p.data for p in pieces) == "👋".encode()
    assert len(pieces) > 1 and any(p.text is None for p in pieces)
    assert all(p.display for p in pieces)


def test_piece_bytes_maps_the_byte_alphabet():
    assert piece_bytes("Ġcat") == b" cat"
    assert piece_bytes("Ċ") == b"\n"
    assert piece_bytes("<|im_end|>", special=True) == b"<|im_end|>"
