"""Activation patching's result drawn: the effect of each cell (1 = the clean answer fully
restored, 0 = no change, negative = further away) on a blue-white-red scale, layers as
rows from block 0 at the bottom, and the prompt's tokens (or the heads) as columns. A
hover says the cell's number; a click asks for that cell's run."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Signal
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from playground.ui.widgets.attention_colors import DIFFERENCE_MAP
from playground.ui.widgets.compact_plot import CompactPlot


class EffectHeatmap(QWidget):
    cell_clicked = Signal(int, int)  # layer, column (position or head)

    def __init__(self) -> None:
        super().__init__()
        self.plot = CompactPlot(240)
        self.plot.setMinimumHeight(160)
        self.image = pg.ImageItem()
        self.plot.addItem(self.image)
        self.bar = pg.ColorBarItem(
            values=(-1.0, 1.0), colorMap=DIFFERENCE_MAP, interactive=False, width=14
        )
        self.bar.setImageItem(self.image, insert_in=self.plot.getPlotItem())
        self.plot.setLabel("left", self.tr("layer (block)"))
        self.readout = QLabel(" ")
        self.readout.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.readout)
        self.effect: np.ndarray | None = None  # (L, C)
        self.columns: list[str] = []
        self.plot.scene().sigMouseMoved.connect(self._on_move)
        self.plot.scene().sigMouseClicked.connect(self._on_click)

    def show_effect(self, effect: np.ndarray | None, columns: list[str], column_name: str) -> None:
        self.effect, self.columns = effect, columns
        if effect is None:
            self.image.clear()
            self.readout.setText(" ")
            return
        L, C = effect.shape
        largest = max(1.0, float(np.nanmax(np.abs(effect))))
        self.bar.setLevels((-largest, largest))
        self.image.setImage(np.ascontiguousarray(effect, np.float32), autoLevels=False)
        self.image.setLevels((-largest, largest))
        self.image.setRect(-0.5, -0.5, C, L)
        self.plot.getAxis("bottom").setTicks([[(i, c) for i, c in enumerate(columns)]])
        step = max(1, L // 10)
        self.plot.getAxis("left").setTicks([[(i, str(i)) for i in range(0, L, step)]])
        self.plot.setLabel("bottom", column_name)
        self.plot.setXRange(-0.5, C - 0.5, padding=0)
        self.plot.setYRange(-0.5, L - 0.5, padding=0)

    def cell_at(self, scene_pos: QPointF) -> tuple[int, int] | None:
        if self.effect is None or not self.plot.sceneBoundingRect().contains(scene_pos):
            return None
        point = self.plot.getViewBox().mapSceneToView(scene_pos)
        layer, column = int(round(point.y())), int(round(point.x()))
        L, C = self.effect.shape
        return (layer, column) if 0 <= layer < L and 0 <= column < C else None

    def describe(self, layer: int, column: int) -> str:
        assert self.effect is not None
        return self.tr("layer {layer}, {column}: effect {effect} (click: open this run)").format(
            layer=layer, column=self.columns[column], effect=f"{self.effect[layer, column]:+.2f}"
        )

    def _on_move(self, scene_pos: QPointF) -> None:
        cell = self.cell_at(scene_pos)
        if cell is not None:
            self.readout.setText(self.describe(*cell))

    def _on_click(self, event) -> None:
        cell = self.cell_at(event.scenePos())
        if cell is not None:
            self.cell_clicked.emit(*cell)
