"""The sentence encoder at run time: text -> one unit vector per sentence (for similarity,
search and retrieval), with each token's final state and every head's attention when a
panel wants to show why two sentences are alike."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Encoding, Tokenizer

from playground.engine.errors import Cancelled, ModelFileError
from playground.engine.model.encoder_bundle import (
    ENCODER_ATTENTIONS_FILE,
    ENCODER_FILE,
    ENCODER_INFO_FILE,
    ENCODER_TOKENIZER_FILE,
    EncoderInfo,
)
from playground.engine.runtime.onnx_sessions import open_session
from playground.engine.runtime.threads import default_threads

BATCH_TOKENS = 4096  # tokens per run when embedding many texts (padding included)


@dataclass(frozen=True)
class EncodedText:
    text: str
    ids: list[int]  # wordpiece ids, [CLS] first and [SEP] last
    tokens: list[str]  # wordpieces ("##" marks a piece that continues a word)
    offsets: list[tuple[int, int]]  # character span of each token in `text` ([CLS]: (0, 0))
    token_states: np.ndarray  # (T, D) the last layer's output, what the mean pools
    vector: np.ndarray  # (D,) the sentence vector: mean of token_states, unit length
    attentions: np.ndarray | None  # (L, H, T, T) every head's weights, if asked for
    truncated: bool  # the text was longer than the encoder reads: its end was cut


class SentenceEncoder:
    def __init__(self, folder: Path, threads: int | None = None) -> None:
        self.folder = Path(folder)
        try:
            self.info = EncoderInfo.from_json(
                json.loads((self.folder / ENCODER_INFO_FILE).read_text(encoding="utf-8"))
            )
            self.tokenizer = Tokenizer.from_file(str(self.folder / ENCODER_TOKENIZER_FILE))
        except Exception as error:  # tokenizers raises a plain Exception for a bad file
            raise ModelFileError(
                f"{self.folder}: not a usable sentence encoder ({error})."
            ) from error
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(self.info.max_tokens)
        threads = threads or default_threads()
        self.session = open_session(
            self.folder / ENCODER_FILE, threads, ("sentence",), prompts=False
        )
        self._attentions_path = self.folder / ENCODER_ATTENTIONS_FILE
        self._threads = threads
        self._attention_session: ort.InferenceSession | None = None
        self._lock = threading.Lock()

    @property
    def dimensions(self) -> int:
        return self.info.dimensions

    def tokenize(self, texts: Sequence[str]) -> list[Encoding]:
        return self.tokenizer.encode_batch([str(t) for t in texts])

    def embed(
        self,
        texts: Sequence[str],
        progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> np.ndarray:
        """(N, D) unit vectors, in the order of `texts`. Texts run in batches of similar
        length (sorted, so that little padding is computed)."""
        encodings = self.tokenize(texts)
        vectors = np.zeros((len(texts), self.dimensions), np.float32)  # (N, D)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        batches: list[list[int]] = [[]]
        for i in order:  # ascending length: the text added is a batch's longest
            if batches[-1] and (len(batches[-1]) + 1) * len(encodings[i].ids) > BATCH_TOKENS:
                batches.append([])
            batches[-1].append(i)
        done = 0
        for batch in batches if texts else []:
            if cancel is not None and cancel.is_set():
                raise Cancelled()
            ids, mask = _padded([encodings[i] for i in batch])
            (out,) = self.session.run(["sentence"], {"input_ids": ids, "attention_mask": mask})
            vectors[batch] = out  # (b, D)
            done += len(batch)
            if progress is not None:
                progress(done, len(texts))
        return vectors

    def encode(self, texts: Sequence[str], attentions: bool = True) -> list[EncodedText]:
        """Each text alone (no padding), with its token states and, if asked, attentions."""
        results = []
        for text, encoding in zip(texts, self.tokenize(texts), strict=True):
            ids, mask = _padded([encoding])
            feeds = {"input_ids": ids, "attention_mask": mask}
            if attentions:
                vector, states, maps = self._attention_graph().run(
                    ["sentence", "token_states", "attentions"], feeds
                )
                maps = maps[:, 0]  # (L, H, T, T)
            else:
                vector, states = self.session.run(["sentence", "token_states"], feeds)
                maps = None
            results.append(
                EncodedText(
                    text=str(text),
                    ids=list(encoding.ids),
                    tokens=list(encoding.tokens),
                    offsets=[(int(o[0]), int(o[1])) for o in encoding.offsets],
                    token_states=states[0],
                    vector=vector[0],
                    attentions=maps,
                    truncated=bool(encoding.overflowing),
                )
            )
        return results

    def _attention_graph(self) -> ort.InferenceSession:
        with self._lock:  # made on first use: only the panels ask for attentions
            if self._attention_session is None:
                self._attention_session = open_session(
                    self._attentions_path, self._threads, ("attentions",), prompts=False
                )
            return self._attention_session


def _padded(encodings: Sequence[Encoding]) -> tuple[np.ndarray, np.ndarray]:
    """input_ids and attention_mask (B, T) int64, padded with 0 to the longest."""
    T = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(encodings), T), np.int64)
    mask = np.zeros((len(encodings), T), np.int64)
    for row, encoding in enumerate(encodings):
        n = len(encoding.ids)
        ids[row, :n] = encoding.ids
        mask[row, :n] = 1
    return ids, mask
