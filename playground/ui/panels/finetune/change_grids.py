"""What fine-tuning changed, as two grids: each matrix's weight change (layers x the
seven matrices, ||delta W|| / ||W||) and each head's change of attention (layers x heads,
the mean |B - A| of its weights over the prompt on screen, A the base and B the variant)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from playground.ui.widgets.attention_colors import LOOKUP_TABLE

MATRIX_ORDER = ("attn_q", "attn_k", "attn_v", "attn_output", "ffn_gate", "ffn_up", "ffn_down")
SHORT = ("q", "k", "v", "o", "gate", "up", "down")


def weight_grid(changes: list[dict[str, Any]], n_layer: int) -> np.ndarray:
    """(L, 7) relative change per layer and matrix (NaN: not adapted)."""
    grid = np.full((n_layer, len(MATRIX_ORDER)), np.nan)
    for row in changes:
        grid[row["layer"], MATRIX_ORDER.index(row["matrix"])] = row["relative"]
    return grid


def heads_grid(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """(L, H) the mean over query rows of sum_k |B - A| / 2 (the total variation of each
    query's attention, 0 = the same, 1 = on different tokens): a, b (L, H, T, T)."""
    return 0.5 * np.abs(b.astype(np.float64) - a).sum(axis=-1).mean(axis=-1)


class _Grid(QWidget):
    def __init__(self, title: str, empty: str) -> None:
        super().__init__()
        self.title = QLabel(title)
        self.empty = QLabel(empty)  # said instead of an empty grid
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: palette(mid);")
        self.title.setWordWrap(True)
        self.plot = pg.PlotWidget(background=None)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.invertY(True)
        self.plot.setMinimumHeight(110)
        self.image = pg.ImageItem()
        self.image.setLookupTable(LOOKUP_TABLE)
        self.plot.addItem(self.image)
        self.plot.setLabel("left", QCoreApplication.translate("FinetunePanel", "layer"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.empty)
        layout.addStretch()
        self.values: np.ndarray | None = None

    def show_grid(self, values: np.ndarray | None, columns: list[str]) -> None:
        """values (L, C); NaN cells are drawn as the lowest colour."""
        self.values = values
        self.plot.setVisible(values is not None and values.size > 0)
        self.empty.setVisible(not self.plot.isVisibleTo(self))
        if values is None or values.size == 0:
            self.image.clear()
            return
        shown = np.nan_to_num(values, nan=0.0).astype(np.float32)
        high = float(np.max(shown)) or 1.0
        self.image.setImage(shown, levels=(0.0, high))  # (L, C): layers down (row-major)
        self.image.setRect(0, 0, shown.shape[1], shown.shape[0])
        self.plot.getAxis("bottom").setTicks([[(i + 0.5, c) for i, c in enumerate(columns)]])
        layers = shown.shape[0]
        step = max(1, layers // 10)
        self.plot.getAxis("left").setTicks([[(i + 0.5, str(i)) for i in range(0, layers, step)]])
        self.plot.setXRange(0, shown.shape[1], padding=0)
        self.plot.setYRange(0, layers, padding=0)


class ChangeGrids(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.weights = _Grid(
            QCoreApplication.translate(
                "FinetunePanel", "<b>Weights changed</b>: ||ΔW|| / ||W|| per layer and matrix"
            ),
            QCoreApplication.translate("FinetunePanel", "Train a variant to see its weights."),
        )
        self.heads = _Grid(
            QCoreApplication.translate(
                "FinetunePanel",
                "<b>Heads changed</b>: how differently each head attends (B − A) on the "
                "prompt on screen",
            ),
            QCoreApplication.translate(
                "FinetunePanel",
                "Press Compare with the base: the base's run of the held-out check is pinned "
                "as A and the variant's is B.",
            ),
        )
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.weights, 1)
        layout.addWidget(self.heads, 1)

    def show_weights(self, changes: list[dict[str, Any]] | None, n_layer: int) -> None:
        grid = weight_grid(changes, n_layer) if changes else None
        self.weights.show_grid(grid, list(SHORT))

    def show_heads(self, grid: np.ndarray | None) -> None:
        columns = [] if grid is None else [str(h) for h in range(grid.shape[1])]
        self.heads.show_grid(grid, columns)
