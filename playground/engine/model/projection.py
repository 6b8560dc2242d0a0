"""The vocabulary's 2D map: a PCA of the token embedding matrix, computed once per model
and kept in the bundle as projection.npz."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from playground.engine.model.stored_blocks import BlockRows, row_blocks

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


def compute_projection(embeddings: np.ndarray | BlockRows) -> Projection:
    """Principal components from the D x D covariance, summed over blocks of rows: a few
    MB of temporaries even for a 128k x 2048 table (float32 products within a block,
    float64 sums across blocks: the map is the same to 1e-5)."""
    E = embeddings  # (V, D), float32, a memory map of it, or rows of blocks
    V, D = E.shape
    mean = np.zeros(D, np.float64)
    for rows in row_blocks(V):
        mean += np.asarray(E[rows]).sum(axis=0, dtype=np.float64)
    mean /= V
    mean32 = mean.astype(np.float32)
    covariance = np.zeros((D, D), np.float64)
    for rows in row_blocks(V):
        centered = np.asarray(E[rows], np.float32) - mean32  # (rows, D)
        covariance += centered.T @ centered
    covariance /= V
    values, vectors = np.linalg.eigh(covariance)  # ascending eigenvalues
    order = np.argsort(values)[::-1][:2]
    components = vectors[:, order].T  # (2, D)
    # A stable sign: the largest-magnitude weight of each axis is positive.
    signs = np.sign(components[np.arange(2), np.abs(components).argmax(axis=1)])
    components = (components * signs[:, None]).astype(np.float32)
    coords = np.empty((V, 2), np.float32)
    for rows in row_blocks(V):
        coords[rows] = (np.asarray(E[rows], np.float32) - mean32) @ components.T  # (rows, 2)
    explained = values[order] / values.sum()
    return Projection(coords, components, mean32, explained.astype(np.float32))


def load_or_compute_projection(
    folder: Path, embeddings: np.ndarray | BlockRows
) -> tuple[Projection, bool]:
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
