"""The logit lens: read a prediction out of every layer's hidden state by sending it
through the final norm and the output (unembedding) matrix, as if the network stopped
there. Where in the network does " Paris" appear?"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from playground.engine.inspect.final_norm import FinalNorm
from playground.engine.inspect.run import Run
from playground.engine.model.architecture import Architecture
from playground.engine.model.bundle_weights import read_initializer, token_table
from playground.engine.model.stored_blocks import BlockRows

_ROWS_PER_CHUNK = 128  # rows of (layer, position) turned into logits together


@dataclass(frozen=True)
class LensReading:
    run: Run  # the run whose hidden states were read (model only: no sampler)
    positions: np.ndarray  # (P,) token positions read
    top_ids: np.ndarray  # (L+1, P, k) int64, most likely next tokens per layer and position
    top_probs: np.ndarray  # (L+1, P, k) float32, their probabilities (softmax over all V)


class LogitLens:
    def __init__(self, folder: Path, arch: Architecture) -> None:
        self.final_norm = FinalNorm(folder, arch.rms_eps)
        self.unembedding: np.ndarray | BlockRows  # (V, D)
        if arch.tied_embeddings:  # a big model's stays in its blocks (rows read as needed)
            self.unembedding = token_table(folder)
        else:
            weight_t = np.asarray(read_initializer(folder, "output.weight_t"))  # (D, V)
            self.unembedding = np.ascontiguousarray(weight_t.T)  # (V, D)

    def read(
        self,
        run: Run,
        hidden_states: np.ndarray,
        positions: np.ndarray | list[int],
        k: int = 5,
    ) -> LensReading:
        """hidden_states (L+1, T, D) of `run`, Hugging Face convention: the last entry is
        already after the final norm; every other entry gets the final norm applied here."""
        positions = np.asarray(positions, dtype=np.int64)
        n_states, n_positions = hidden_states.shape[0], len(positions)
        states = np.asarray(hidden_states[:, positions], np.float32)  # (L+1, P, D)
        normed = self.final_norm.of_hidden_states(states)  # (L+1, P, D)
        rows = normed.reshape(n_states * n_positions, -1)  # (R, D), R = (L+1) * P
        top_ids = np.zeros((len(rows), k), np.int64)
        top_probs = np.zeros((len(rows), k), np.float32)
        for start in range(0, len(rows), _ROWS_PER_CHUNK):  # (chunk, V) logits at a time
            chunk = slice(start, start + _ROWS_PER_CHUNK)
            logits = np.ascontiguousarray((self.unembedding @ rows[chunk].T).T)  # (c, V)
            logits -= logits.max(axis=-1, keepdims=True)
            probs = np.exp(logits, out=logits)
            probs /= probs.sum(axis=-1, keepdims=True)  # (c, V) softmax over the vocabulary
            best = np.argpartition(-probs, k - 1, axis=-1)[:, :k]  # (c, k) unordered
            order = np.argsort(-np.take_along_axis(probs, best, axis=-1), axis=-1)
            top_ids[chunk] = np.take_along_axis(best, order, axis=-1)
            top_probs[chunk] = np.take_along_axis(probs, top_ids[chunk], axis=-1)
        shape = (n_states, n_positions, k)
        return LensReading(
            run.model_run, positions, top_ids.reshape(shape), top_probs.reshape(shape)
        )
