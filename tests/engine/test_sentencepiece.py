"""SentencePiece GGUFs (tokenizer.ggml.model = llama: Llama 2, TinyLlama, Mistral): the
converted tokenizer gives the ids llama.cpp's own algorithm gives with the GGUF's
vocabulary, pieces show the text they stand for, a text is read after BOS, and the chat
template places the message as llama.cpp would."""

from __future__ import annotations

import numpy as np
import pytest

from playground.engine.prompt.chat import chat_prompt
from playground.engine.prompt.model_input import CHAT, TEXT, model_input
from tests.reference import ReferenceModel
from tests.sentencepiece_reference import CORPUS, llama_cpp_spm, sentencepiece_vocab
from tests.tiny_models import TinySpec

TEXTS = [
    "the cat sat on the mat.",
    "The Cat  sat;\non\tthe  mat",  # capitals, two spaces, a newline and a tab: bytes
    "théâtre ☕ 東京 🙂",  # characters without a piece: their UTF-8 bytes
    "  leading spaces and trailing ones  ",
    "another three-tree theme",
    "",
]


@pytest.fixture(scope="module")
def spm(tiny_factory):
    return tiny_factory(TinySpec(tokenizer="llama", seed=13))


def test_ids_are_llama_cpps_for_the_gguf_vocabulary(spm):
    _, lm = spm
    tokens, _, scores = sentencepiece_vocab()
    rng = np.random.default_rng(0)
    alphabet = [*sorted(set(CORPUS)), "é", "\n", "  "]
    randoms = ["".join(rng.choice(alphabet, size=int(rng.integers(1, 40)))) for _ in range(200)]
    for text in TEXTS + randoms:
        expected = llama_cpp_spm(" " + text, tokens, scores) if text else []
        assert lm.encode(text, special=False) == expected, repr(text)
        assert lm.encode(text, special=False, continues=True) == (
            llama_cpp_spm(text, tokens, scores) if text else []
        ), repr(text)


def test_pieces_show_their_text_and_a_text_starts_with_bos(spm):
    _, lm = spm
    ids = lm.encode("the cat\n")
    assert b"".join(lm.piece(i).data for i in ids) == b" the cat\n"
    newline = lm.piece(ids[-1])
    assert newline.vocab_entry == "<0x0A>" and newline.data == b"\n"
    given = model_input(lm, (TEXT, "the cat"))
    assert given.ids[0] == lm.info.special.bos_id and given.ids[1:] == lm.encode("the cat")
    assert lm.info.special.add_bos and lm.info.tokenizer_model == "llama"
    assert lm.decode(given.ids[1:]) == " the cat"


def test_the_chat_template_begins_with_bos_and_spaces_as_llama_cpp(spm):
    _, lm = spm
    tokens, _, scores = sentencepiece_vocab()
    chat = chat_prompt(lm, "the cat sat")
    assert chat.text == "<s>[INST] the cat sat [/INST]"
    bos = lm.info.special.bos_id
    # llama.cpp: <s>, then one text fragment after it, with the space before it
    expected = [bos, *llama_cpp_spm(" [INST] the cat sat [/INST]", tokens, scores)]
    assert chat.ids == expected
    assert model_input(lm, (CHAT, "the cat sat")).ids == expected  # no second BOS


def test_a_sentencepiece_model_converts_and_matches_the_reference(spm):
    gguf, lm = spm
    ids = lm.encode("the cat sat on the mat")
    reference = ReferenceModel(gguf).forward(ids)
    np.testing.assert_allclose(lm.forward(ids).logits, reference.logits, atol=1e-4, rtol=1e-4)
