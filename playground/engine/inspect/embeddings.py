"""The token embedding matrix as a space: a 2D projection of the whole vocabulary (PCA,
computed once per model and cached in the bundle), nearest neighbours and cosine
similarity in the full space, and hidden states projected onto the same axes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from playground.engine.errors import ModelFileError
from playground.engine.inspect.final_norm import FinalNorm
from playground.engine.model.bundle import read_bundle_info
from playground.engine.model.bundle_weights import token_table
from playground.engine.model.projection import load_or_compute_projection
from playground.engine.model.stored_blocks import row_blocks
from playground.engine.runtime.forward import Forward


@dataclass(frozen=True)
class Neighbour:
    token_id: int
    similarity: float  # cosine similarity in the full D-dimensional space


class EmbeddingSpace:
    """The model's input embedding matrix (tied to its output layer for SmolLM2)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        # (V, D): memory-mapped fp32, or a big model's blocks, rows read when asked for
        self.vectors = token_table(self.folder)
        if self.vectors.ndim != 2:
            raise ModelFileError(f"{self.folder}: the embedding matrix is not 2-D.")
        # lengths, not a normalised copy: 113 MB less for SmolLM2; a block of rows at a
        # time (einsum: no (V, D) temporary of squares, 1 GB for a 128k x 2048 table)
        self.lengths = np.empty(len(self.vectors), np.float32)  # (V,)
        for rows in row_blocks(len(self.vectors)):
            block = np.asarray(self.vectors[rows], np.float32)  # (rows, D)
            self.lengths[rows] = np.sqrt(np.einsum("ij,ij->i", block, block))
        self.norms = np.maximum(self.lengths, 1e-12)  # (V,)
        eps = read_bundle_info(self.folder).architecture.rms_eps
        self.final_norm = FinalNorm(self.folder, eps)
        self.projection, self.computed_projection = load_or_compute_projection(
            self.folder, self.vectors
        )

    @property
    def vocab_size(self) -> int:
        return int(self.vectors.shape[0])

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def cosine(self, a: np.ndarray, b: np.ndarray) -> float:
        a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
        denominator = np.linalg.norm(a) * np.linalg.norm(b)
        return float(a @ b / denominator) if denominator > 0 else 0.0

    def vector_of(self, token_ids: list[int]) -> np.ndarray:
        """One vector for a word: its token's embedding, or the mean of its pieces'."""
        return self.vectors[token_ids].mean(axis=0)  # (D,)

    def neighbours(
        self, vector: np.ndarray, k: int = 10, exclude: set[int] | None = None
    ) -> list[Neighbour]:
        """The k tokens whose embeddings have the highest cosine with `vector`."""
        v = np.asarray(vector, np.float32)
        v = v / max(float(np.linalg.norm(v)), 1e-12)
        similarities = (self.vectors @ v) / self.norms  # (V,) cosines
        exclude = exclude or set()
        count = min(k + len(exclude), self.vocab_size)
        candidates = np.argpartition(-similarities, count - 1)[:count]
        ranked = candidates[np.argsort(-similarities[candidates], kind="stable")]
        chosen = [int(i) for i in ranked if int(i) not in exclude][:k]
        return [Neighbour(i, float(similarities[i])) for i in chosen]

    def layer_path(self, forward: Forward, position: int) -> np.ndarray:
        """(L+1, 2): one prompt token's hidden state after each layer, on the map.

        Index 0 is the token's own embedding. Later states live on a very different
        scale (their length grows ~15x through SmolLM2's layers, dominated by a few huge
        dimensions), so each is first RMS-normalised with the output norm's weights (as
        the output layer reads it) and scaled to the median embedding length; only its
        direction is kept, then it is projected on the same two axes as the vocabulary.
        """
        states = np.asarray(forward.hidden_states[:, position], np.float64)  # (L+1, D)
        normed = self.final_norm.of_hidden_states(states)  # (L+1, D), direction kept below
        length = float(np.median(self.lengths))
        normed *= length / np.maximum(np.linalg.norm(normed, axis=-1, keepdims=True), 1e-12)
        normed[0] = states[0]  # the embedding itself, exactly where the token sits
        return self.projection.project(normed)
