"""What the embedding panel says about its map: what the points are, how the map was
made, and how much of the embeddings' variation the PCA axes keep."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication


def map_status(vocab_size: int, dim: int, umap: bool) -> str:
    """The line above the map (the UMAP progress note is added by the panel)."""
    intro = QCoreApplication.translate(
        "EmbeddingPanel", "All {count} tokens of the vocabulary. Each is a list of {dim} numbers;"
    ).format(count=f"{vocab_size:,}", dim=dim)
    if umap:
        kind = QCoreApplication.translate(
            "EmbeddingPanel",
            "UMAP places each token near the tokens most similar to it: islands are "
            "tokens alike in meaning or form; distances between islands mean little.",
        )
    else:
        kind = QCoreApplication.translate(
            "EmbeddingPanel", "the map shows the two directions along which they vary most (PCA)."
        )
    hover = QCoreApplication.translate("EmbeddingPanel", "Hover or click a point.")
    return f"{intro} {kind} {hover}"


def map_notes(explained: np.ndarray, dim: int, umap: bool) -> str:
    """`explained` (2,): the share of the variation along each PCA axis."""
    notes = QCoreApplication.translate(
        "EmbeddingPanel",
        "PCA keeps {first} + {second} = {total} of the variation of the "
        "{dim}-dimensional embeddings: points close on the map can be far apart in "
        "the full space. Neighbours and cosine similarity are always computed in the "
        "full {dim} dimensions.",
    ).format(
        first=f"{explained[0]:.1%}",
        second=f"{explained[1]:.1%}",
        total=f"{explained.sum():.1%}",
        dim=dim,
    )
    if umap:
        notes += QCoreApplication.translate(
            "EmbeddingPanel",
            " On the UMAP map a word of several tokens sits at their mean place; the "
            "path through the layers is shown on the PCA map.",
        )
    return notes
