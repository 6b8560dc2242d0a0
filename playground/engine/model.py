"""Load a model bundle and run it: encode, forward, step with the key/value cache."""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import onnxruntime as ort
from tokenizers import Tokenizer

from playground.engine.bundle import (
    DECODE_MODEL_FILE,
    MODEL_FILE,
    TOKENIZER_FILE,
    BundleInfo,
    read_bundle_info,
)
from playground.engine.errors import Cancelled, ModelFileError, PlaygroundError
from playground.engine.forward import Forward, KVCache, Step
from playground.engine.tokens import TokenPiece, clean_text, piece_bytes

_OUTPUTS = ("logits", "attentions", "hidden_states")


class LanguageModel:
    """A converted model, ready to run. Not thread-safe: use it from one thread at a time."""

    def __init__(self, folder: Path, threads: int | None = None) -> None:
        self.folder = Path(folder)
        self.info: BundleInfo = read_bundle_info(self.folder)
        self.arch = self.info.architecture
        try:
            self.tokenizer = Tokenizer.from_file(str(self.folder / TOKENIZER_FILE))
        except Exception as error:
            raise ModelFileError(
                f"{self.folder / TOKENIZER_FILE}: damaged tokenizer ({error})."
            ) from error
        threads = threads or min(os.cpu_count() or 1, 8)
        # Prompts run on fp32 matrices, generated tokens on the GGUF's 4-bit blocks: the
        # same network, fastest kernels for many rows and for one row respectively.
        self.session = _open_session(self.folder / MODEL_FILE, threads)
        self.decode_session = _open_session(self.folder / DECODE_MODEL_FILE, threads)
        self._special_ids = frozenset(self.info.special.special_ids)
        n_layer = self.arch.n_layer
        self._present_names = [f"present_{k}.{i}" for i in range(n_layer) for k in ("key", "value")]

    # --- text <-> tokens ------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.info.name

    @property
    def vocab_size(self) -> int:
        return self.arch.vocab_size

    @property
    def context_length(self) -> int:
        return self.arch.context_length

    def encode(self, text: str, special: bool = True) -> list[int]:
        """Token ids of `text` (no BOS added: SmolLM2 does not use one).

        With special=False, strings such as "<|im_start|>" are tokenized as plain text
        instead of becoming their control token.
        """
        text, _ = clean_text(text)  # lone surrogates cannot cross into the tokenizer
        self.tokenizer.encode_special_tokens = not special
        try:
            return list(self.tokenizer.encode(text, add_special_tokens=False).ids)
        finally:
            self.tokenizer.encode_special_tokens = False

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
        return TokenPiece(int(token_id), entry, piece_bytes(entry, special), special)

    def pieces(self, ids: Sequence[int]) -> list[TokenPiece]:
        return [self.piece(i) for i in ids]

    def empty_cache(self) -> KVCache:
        shape = (self.arch.n_head_kv, 0, self.arch.head_dim)  # (KVH, 0, hd)
        empty = tuple(np.zeros(shape, np.float32) for _ in range(self.arch.n_layer))
        return KVCache(keys=empty, values=empty)

    # --- running the model ----------------------------------------------------------------
    def forward(self, ids: Sequence[int], run_options: ort.RunOptions | None = None) -> Forward:
        """Analyse a whole sequence: logits, every attention matrix, every hidden state."""
        step = self.step(self.empty_cache(), ids, run_options)
        return Forward(
            ids=step.ids,
            logits=step.logits,
            attentions=step.attentions,
            hidden_states=step.hidden_states,
            cache=step.cache,
            seconds=step.seconds,
        )

    def extend(self, forward: Forward, new_ids: Sequence[int]) -> Forward:
        """`forward` followed by `new_ids`, computed with the cache (only new rows run)."""
        return forward.extended(self.step(forward.cache, new_ids))

    def step(
        self, cache: KVCache, new_ids: Sequence[int], run_options: ort.RunOptions | None = None
    ) -> Step:
        """Run `new_ids` after the tokens held in `cache`.

        Setting `run_options.terminate = True` from another thread ends a running step
        early: it then raises Cancelled.
        """
        ids = np.asarray(list(new_ids), dtype=np.int64)  # (n,)
        if ids.ndim != 1 or ids.size == 0:
            raise PlaygroundError("There are no tokens to run.")
        if ids.min() < 0 or ids.max() >= self.vocab_size:
            raise PlaygroundError(f"Token ids must lie in 0..{self.vocab_size - 1}.")
        past = cache.length
        if past + ids.size > self.context_length:
            raise PlaygroundError(
                f"{past + ids.size:,} tokens exceed the model's context of "
                f"{self.context_length:,} tokens."
            )
        feeds: dict[str, np.ndarray] = {
            "input_ids": ids,
            "position_ids": np.arange(past, past + ids.size, dtype=np.int64),
        }
        for i in range(self.arch.n_layer):
            feeds[f"past_key.{i}"] = cache.keys[i]
            feeds[f"past_value.{i}"] = cache.values[i]
        start = time.perf_counter()
        try:
            outputs = self._run(feeds, ids.size, past + ids.size, run_options)
        except Exception as error:
            if run_options is not None and run_options.terminate:
                raise Cancelled("The model run was interrupted.") from error
            raise
        seconds = time.perf_counter() - start
        presents = [outputs[name] for name in self._present_names]
        return Step(
            ids=ids,
            logits=outputs["logits"],
            attentions=outputs["attentions"],
            hidden_states=outputs["hidden_states"],
            cache=KVCache(keys=tuple(presents[0::2]), values=tuple(presents[1::2])),
            seconds=seconds,
        )

    def _run(
        self,
        feeds: dict[str, np.ndarray],
        n: int,
        total: int,
        run_options: ort.RunOptions | None,
    ) -> dict[str, np.ndarray]:
        if n == 1:  # a generation step: small outputs, the plain call has the least overhead
            names = [*_OUTPUTS, *self._present_names]
            outputs = self.decode_session.run(names, feeds, run_options)
            return dict(zip(names, outputs, strict=True))
        # A prompt: ONNX Runtime writes straight into our arrays. Its plain call would copy
        # every output into new arrays while holding the GIL (for a 1,024-token prompt,
        # 1.1 GB of attention maps, which froze the window for 100+ ms).
        outputs = self._output_buffers(n, total)
        binding = self.session.io_binding()
        for name, array in feeds.items():
            binding.bind_cpu_input(name, np.ascontiguousarray(array))
        for name, array in outputs.items():
            binding.bind_output(name, "cpu", 0, np.float32, list(array.shape), array.ctypes.data)
        self.session.run_with_iobinding(binding, run_options)
        return outputs

    def _output_buffers(self, n: int, total: int) -> dict[str, np.ndarray]:
        """Empty arrays for every output of a step of n new tokens (total with the past)."""
        a = self.arch
        buffers = {
            "logits": np.empty((n, a.vocab_size), np.float32),  # (n, V)
            "attentions": np.empty((a.n_layer, a.n_head, n, total), np.float32),  # (L, H, n, S)
            "hidden_states": np.empty((a.n_layer + 1, n, a.d_model), np.float32),  # (L+1, n, D)
        }
        for name in self._present_names:
            buffers[name] = np.empty((a.n_head_kv, total, a.head_dim), np.float32)  # (KVH, S, hd)
        return buffers


def _open_session(path: Path, threads: int) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = threads
    options.log_severity_level = 3
    try:
        session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as error:
        raise ModelFileError(f"{path}: cannot load ({error}).") from error
    names = {o.name for o in session.get_outputs()}
    missing = [n for n in _OUTPUTS if n not in names]
    if missing:
        raise ModelFileError(f"{path}: the graph lacks the outputs {', '.join(missing)}.")
    return session
