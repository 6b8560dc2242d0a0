"""The token embedding matrix as a space: a 2D projection of the whole vocabulary (PCA,
computed once per model and cached in the bundle), nearest neighbours and cosine
similarity in the full space, and hidden states projected onto the same axes."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from playground.engine.bundle_weights import read_initializer
from playground.engine.errors import ModelFileError
from playground.engine.forward import Forward

PROJECTION_FILE = "projection.npz"
PROJECTION_VERSION = 1


@dataclass(frozen=True)
class Projection:
    """PCA of the embedding rows: coords = (E - mean) @ components.T"""

    coords: np.ndarray  # (V, 2) float32, every token's position on the map
    components: np.ndarray  # (2, D) float32, the two principal directions
    mean: np.ndarray  # (D,) float32, the vocabulary's mean embedding
    explained: np.ndarray  # (2,) fraction of the total variance along each axis

    def project(self, vectors: np.ndarray) -> np.ndarray:
        """(..., D) -> (..., 2) on the same axes as the vocabulary."""
        return (np.asarray(vectors, np.float32) - self.mean) @ self.components.T


def compute_projection(embeddings: np.ndarray) -> Projection:
    """Principal components from the D x D covariance (cheap: D = 576 << V)."""
    E = np.asarray(embeddings, dtype=np.float64)  # (V, D)
    mean = E.mean(axis=0)  # (D,)
    centered = E - mean
    covariance = centered.T @ centered / len(E)  # (D, D)
    values, vectors = np.linalg.eigh(covariance)  # ascending eigenvalues
    order = np.argsort(values)[::-1][:2]
    components = vectors[:, order].T  # (2, D)
    # A stable sign: the largest-magnitude weight of each axis is positive.
    signs = np.sign(components[np.arange(2), np.abs(components).argmax(axis=1)])
    components *= signs[:, None]
    coords = centered @ components.T  # (V, 2)
    explained = values[order] / values.sum()
    return Projection(
        coords.astype(np.float32),
        components.astype(np.float32),
        mean.astype(np.float32),
        explained.astype(np.float32),
    )


def load_or_compute_projection(folder: Path, embeddings: np.ndarray) -> tuple[Projection, bool]:
    """(projection, computed_now). The cache lives in the bundle as projection.npz."""
    path = Path(folder) / PROJECTION_FILE
    if path.exists():
        try:
            with np.load(path) as data:
                if int(data["version"]) == PROJECTION_VERSION and data["coords"].shape == (
                    len(embeddings),
                    2,
                ):
                    return Projection(
                        data["coords"], data["components"], data["mean"], data["explained"]
                    ), False
        except (OSError, ValueError, KeyError):
            pass  # a damaged cache is recomputed below
    projection = compute_projection(embeddings)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.npz")
    try:
        np.savez(
            tmp,
            version=PROJECTION_VERSION,
            coords=projection.coords,
            components=projection.components,
            mean=projection.mean,
            explained=projection.explained,
        )
        tmp.replace(path)  # atomic: readers see the old cache or the new one
    except OSError:
        tmp.unlink(missing_ok=True)  # a read-only bundle still works, just uncached
    return projection, True


@dataclass(frozen=True)
class Neighbour:
    token_id: int
    similarity: float  # cosine similarity in the full D-dimensional space


class EmbeddingSpace:
    """The model's input embedding matrix (tied to its output layer for SmolLM2)."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        matrix = read_initializer(self.folder, "token_embd.weight")  # (V, D) memory-mapped
        self.vectors = np.ascontiguousarray(matrix, dtype=np.float32)  # (V, D)
        if self.vectors.ndim != 2:
            raise ModelFileError(f"{self.folder}: the embedding matrix is not 2-D.")
        # lengths, not a normalised copy: 113 MB less for SmolLM2
        self.norms = np.maximum(np.linalg.norm(self.vectors, axis=1), 1e-12)  # (V,)
        self.output_norm = np.asarray(read_initializer(self.folder, "output_norm.weight"))  # (D,)
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
        normed = states / np.sqrt((states**2).mean(axis=-1, keepdims=True) + 1e-5)
        normed[1:-1] *= self.output_norm  # the last state is already after the final norm
        length = float(np.median(np.linalg.norm(self.vectors, axis=1)))
        normed *= length / np.maximum(np.linalg.norm(normed, axis=-1, keepdims=True), 1e-12)
        normed[0] = states[0]  # the embedding itself, exactly where the token sits
        return self.projection.project(normed)
