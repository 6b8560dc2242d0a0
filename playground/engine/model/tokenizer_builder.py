"""Build a Hugging Face `tokenizers` tokenizer.json from a GGUF vocabulary.

Byte-level BPE (GGUF `tokenizer.ggml.model = gpt2`). The pre-tokenizer follows the GGUF
`tokenizer.ggml.pre` name, mirroring llama.cpp's table: SmolLM splits every digit on its
own before the GPT-2 byte-level split. Control and user-defined tokens become added
tokens, so `<|im_start|>` is one id, never a run of pieces.

SentencePiece (`llama`: Llama 2, TinyLlama, Mistral) has no merges in the GGUF, only each
piece's score; llama.cpp joins, again and again, the neighbouring pair whose join is the
piece of highest score. The same choice as BPE merges: every piece that two others join
into, ranked by its score (as Hugging Face's converter from SentencePiece does); spaces
are "▁", and characters without a piece become their bytes' <0xXX> pieces. The space
before a text (add_space_prefix) is added by LanguageModel.encode, where llama.cpp adds it:
at the start and after each special token, not inside a text cut in parts.
"""

from __future__ import annotations

import json
from typing import Any

from playground.engine.errors import UnsupportedModelError
from playground.engine.model.gguf_source import (
    TOKEN_CONTROL,
    TOKEN_NORMAL,
    TOKEN_USER_DEFINED,
    TokenizerSource,
)

_LLAMA3_REGEX = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
    r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)
_QWEN2_REGEX = (
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}"
    r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
)


def _byte_level(use_regex: bool) -> dict[str, Any]:
    return {
        "type": "ByteLevel",
        "add_prefix_space": False,
        "trim_offsets": True,
        "use_regex": use_regex,
    }


def _split(regex: str) -> dict[str, Any]:
    return {
        "type": "Split",
        "pattern": {"Regex": regex},
        "behavior": "Isolated",
        "invert": False,
    }


def pre_tokenizer_for(pre: str) -> dict[str, Any]:
    """The pre-tokenizer matching llama.cpp's `tokenizer.ggml.pre` name."""
    if pre in ("default", "gpt2", "gpt-2"):
        steps = [_byte_level(use_regex=True)]
    elif pre in ("smollm", "starcoder", "refact"):
        steps = [{"type": "Digits", "individual_digits": True}, _byte_level(use_regex=True)]
    elif pre in ("llama-bpe", "llama3"):
        steps = [_split(_LLAMA3_REGEX), _byte_level(use_regex=False)]
    elif pre == "qwen2":
        steps = [_split(_QWEN2_REGEX), _byte_level(use_regex=False)]
    else:
        raise UnsupportedModelError(f"pre-tokenizer {pre!r} is not supported.")
    return {"type": "Sequence", "pretokenizers": steps}


def build_tokenizer_json(source: TokenizerSource) -> str:
    if source.model == "llama":
        return _sentencepiece_json(source)
    vocab = {token: i for i, token in enumerate(source.tokens)}
    merges = [merge.split(" ", 1) for merge in source.merges]
    added = _added_tokens(source)
    tokenizer = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": added,
        "normalizer": None,
        "pre_tokenizer": pre_tokenizer_for(source.pre),
        "post_processor": {
            "type": "ByteLevel",
            "add_prefix_space": False,
            "trim_offsets": False,
            "use_regex": True,
        },
        "decoder": {
            "type": "ByteLevel",
            "add_prefix_space": False,
            "trim_offsets": True,
            "use_regex": True,
        },
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": None,
            "continuing_subword_prefix": None,
            "end_of_word_suffix": None,
            "fuse_unk": False,
            "byte_fallback": False,
            "ignore_merges": False,
            "vocab": vocab,
            "merges": merges,
        },
    }
    return json.dumps(tokenizer, ensure_ascii=False)


def _added_tokens(source: TokenizerSource) -> list[dict[str, Any]]:
    special_types = (TOKEN_CONTROL, TOKEN_USER_DEFINED)
    return [
        {
            "id": i,
            "content": token,
            "single_word": False,
            "lstrip": False,
            "rstrip": False,
            "normalized": False,
            "special": source.token_types[i] == TOKEN_CONTROL,
        }
        for i, token in enumerate(source.tokens)
        if source.token_types[i] in special_types
    ]


def sentencepiece_merges(source: TokenizerSource) -> list[list[str]]:
    """[left, right] pairs joining into a normal piece, best-scored join first."""
    vocab = {token: i for i, token in enumerate(source.tokens)}
    ranked = []
    for i, piece in enumerate(source.tokens):
        if source.token_types[i] != TOKEN_NORMAL or len(piece) < 2:
            continue
        for cut in range(1, len(piece)):
            left, right = piece[:cut], piece[cut:]
            if left in vocab and right in vocab:
                ranked.append((-source.scores[i], vocab[left], vocab[right], left, right))
    ranked.sort()  # score (best first), then the pieces' ids, as Hugging Face's converter
    return [[left, right] for *_, left, right in ranked]


def _sentencepiece_json(source: TokenizerSource) -> str:
    vocab = {token: i for i, token in enumerate(source.tokens)}
    unknown = next((t for i, t in enumerate(source.tokens) if source.token_types[i] == 2), None)
    replace = {"type": "Replace", "pattern": {"String": " "}, "content": "▁"}
    tokenizer = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": _added_tokens(source),
        "normalizer": replace,
        "pre_tokenizer": None,
        "post_processor": None,
        "decoder": {
            "type": "Sequence",
            "decoders": [
                {"type": "Replace", "pattern": {"String": "▁"}, "content": " "},
                {"type": "ByteFallback"},
                {"type": "Fuse"},
            ],
        },
        "model": {
            "type": "BPE",
            "dropout": None,
            "unk_token": unknown,
            "continuing_subword_prefix": None,
            "end_of_word_suffix": None,
            "fuse_unk": True,
            "byte_fallback": True,
            "ignore_merges": False,
            "vocab": vocab,
            "merges": sentencepiece_merges(source),
        },
    }
    return json.dumps(tokenizer, ensure_ascii=False)
