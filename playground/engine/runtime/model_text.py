"""A converted model's text side: its bundle's facts (name, vocabulary, context) and
its tokenizer, text to token ids (with the space a SentencePiece model reads before a
text) and ids back to text and pieces. LanguageModel is one, with the graphs to run."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

from tokenizers import Tokenizer

from playground.engine.errors import ModelFileError
from playground.engine.model.bundle import TOKENIZER_FILE, BundleInfo, read_bundle_info
from playground.engine.model.variant import base_folder
from playground.engine.text.space_prefix import space_prefixed
from playground.engine.text.tokens import TokenPiece, clean_text, piece_bytes


class ModelText:
    """A bundle's info and tokenizer, without its graphs: text <-> the model's tokens."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.info: BundleInfo = read_bundle_info(self.folder)
        self.weights_folder = base_folder(self.folder)  # a variant's: its base's graphs
        self.arch = self.info.architecture
        try:
            self.tokenizer = Tokenizer.from_file(str(self.weights_folder / TOKENIZER_FILE))
        except Exception as error:
            raise ModelFileError(
                f"{self.weights_folder / TOKENIZER_FILE}: damaged tokenizer ({error})."
            ) from error
        self._special_ids = frozenset(self.info.special.special_ids)

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def vocab_size(self) -> int:
        return self.arch.vocab_size

    @property
    def context_length(self) -> int:
        return self.arch.context_length

    def encode(self, text: str, special: bool = True, continues: bool = False) -> list[int]:
        """Token ids of `text` (no BOS added: model_input adds it where the model wants one).

        With special=False, strings such as "<|im_start|>" are tokenized as plain text
        instead of becoming their control token. A SentencePiece model reads a space before
        a text and after each special token, as llama.cpp gives it; `continues`: the text
        goes on from text before it (a word after the prompt, a message in a template),
        so it gets none at its start.
        """
        text, _ = clean_text(text)  # lone surrogates cannot cross into the tokenizer
        if self.info.tokenizer_model == "llama" and self.info.add_space_prefix:
            pattern = self._special_strings if special else None
            text = space_prefixed(text, pattern, continues)
        self.tokenizer.encode_special_tokens = not special
        try:
            return list(self.tokenizer.encode(text, add_special_tokens=False).ids)
        finally:
            self.tokenizer.encode_special_tokens = False

    @cached_property
    def _special_strings(self) -> re.Pattern[str] | None:
        texts = sorted((self.token_text(i) for i in self._special_ids), key=len, reverse=True)
        return re.compile("|".join(map(re.escape, texts))) if texts else None

    def decode(self, ids: Sequence[int]) -> str:
        return str(self.tokenizer.decode(list(map(int, ids)), skip_special_tokens=False))

    def token_text(self, token_id: int) -> str:
        """The vocabulary entry as stored (byte-level alphabet, e.g. 'Ġcat')."""
        return str(self.tokenizer.id_to_token(int(token_id)))

    def is_special(self, token_id: int) -> bool:
        return int(token_id) in self._special_ids

    def piece(self, token_id: int) -> TokenPiece:
        entry = self.token_text(token_id)
        special = self.is_special(token_id)
        sentencepiece = self.info.tokenizer_model == "llama"
        return TokenPiece(int(token_id), entry, piece_bytes(entry, special, sentencepiece), special)

    def pieces(self, ids: Sequence[int]) -> list[TokenPiece]:
        return [self.piece(i) for i in ids]
