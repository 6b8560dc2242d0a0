"""One attention matrix in detail: tokens on both axes (queries down, keys across), a
colour bar labelled in weights, hover read-out, and the selected token's row and column
outlined."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Signal
from PySide6.QtWidgets import QGraphicsRectItem, QLabel, QVBoxLayout, QWidget

from playground.ui.widgets.attention_colors import (
    LOOKUP_TABLE,
    make_color_bar,
    show_differences_on,
    show_weights_on,
    to_color_scale,
)

SELECTION_PEN = pg.mkPen("#3dd6e0", width=2)


class _TokenAxis(pg.AxisItem):
    """An axis labelled with token texts at integer positions, thinned to fit."""

    def __init__(self, orientation: str) -> None:
        super().__init__(orientation)
        self.labels: list[str] = []

    def set_labels(self, labels: list[str]) -> None:
        """Name the positions and redraw (setTicks(None): ticks from tickValues)."""
        self.labels = labels
        self.setTicks(None)

    def tickValues(self, minVal, maxVal, size):
        n = len(self.labels)
        if n == 0:
            return []
        per_label = 14 if self.orientation in ("left", "right") else 48  # pixels
        step = max(1, math.ceil(n * per_label / max(size, 1)))
        return [(step, [float(i) for i in range(0, n, step)])]

    def tickStrings(self, values, scale, spacing):
        out = []
        for v in values:
            i = int(round(v))
            out.append(self.labels[i][:14] if 0 <= i < len(self.labels) else "")
        return out


class AttentionDetail(QWidget):
    query_clicked = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self.title = QLabel()
        self.readout = QLabel(self.tr("Hover a cell: query token → key token: weight"))
        self.readout.setStyleSheet("color: palette(mid);")
        self.left_axis = _TokenAxis("left")
        self.bottom_axis = _TokenAxis("bottom")
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground(None)
        self.plot = self.graphics.addPlot(
            axisItems={"left": self.left_axis, "bottom": self.bottom_axis}
        )
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        self.plot.getViewBox().invertY(True)
        self.plot.setLabel("left", self.tr("query (reading this token)"))
        self.plot.setLabel("bottom", self.tr("key (looking at this token)"))
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setLookupTable(LOOKUP_TABLE)
        self.plot.addItem(self.image)
        self.color_bar = make_color_bar(self.image, self.plot)
        self.row_box = QGraphicsRectItem()
        self.column_box = QGraphicsRectItem()
        for box in (self.row_box, self.column_box):
            box.setPen(SELECTION_PEN)
            box.setZValue(10)
            box.hide()
            self.plot.addItem(box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.graphics, 1)
        layout.addWidget(self.readout)
        self.matrix: np.ndarray | None = None  # (T, T) weights shown
        self.signed = False  # the matrix is a difference of two runs' weights (B - A)
        self.labels: list[str] = []
        self.graphics.scene().sigMouseMoved.connect(self._on_move)
        self.graphics.scene().sigMouseClicked.connect(self._on_click)

    def show_matrix(
        self,
        matrix: np.ndarray | None,
        labels: list[str],
        title: str,
        first_hidden: bool = False,
        signed: bool = False,
    ) -> None:
        """`matrix` (T, T) weights, or with `signed` differences of weights (B - A)."""
        self.title.setText(title)
        self.matrix, self.signed = matrix, signed
        self.labels = labels
        self.left_axis.set_labels(labels)
        self.bottom_axis.set_labels(labels)
        if matrix is None or matrix.size == 0:
            self.image.clear()
            return
        shown = matrix.astype(np.float32, copy=True)
        shown[np.triu_indices(len(matrix), k=1)] = np.nan  # future keys: masked, not zero
        if first_hidden:
            shown[:, 0] = np.nan  # hidden, not zero
        if signed:
            finite = np.abs(shown[np.isfinite(shown)])
            largest = max(float(finite.max()) if finite.size else 0.0, 1e-4)
            show_differences_on(self.color_bar, largest)
            self.image.setImage(shown, levels=(-largest, largest), autoLevels=False)
        else:
            show_weights_on(self.color_bar)
            self.image.setImage(to_color_scale(shown), levels=(0.0, 1.0), autoLevels=False)
        T = len(matrix)
        self.plot.setRange(xRange=(-0.5, T - 0.5), yRange=(-0.5, T - 0.5), padding=0)
        self.image.setRect(-0.5, -0.5, T, T)

    def set_selected(self, index: int | None) -> None:
        T = 0 if self.matrix is None else len(self.matrix)
        if index is None or not 0 <= index < T:
            self.row_box.hide()
            self.column_box.hide()
            return
        self.row_box.setRect(-0.5, index - 0.5, T, 1)
        self.column_box.setRect(index - 0.5, -0.5, 1, T)
        self.row_box.show()
        self.column_box.show()

    def cell_at(self, scene_pos: QPointF) -> tuple[int, int] | None:
        if self.matrix is None or not self.plot.sceneBoundingRect().contains(scene_pos):
            return None
        point = self.plot.getViewBox().mapSceneToView(scene_pos)
        q, k = int(round(point.y())), int(round(point.x()))
        T = len(self.matrix)
        return (q, k) if 0 <= q < T and 0 <= k < T else None

    def describe(self, q: int, k: int) -> str:
        assert self.matrix is not None
        if k > q:
            return self.tr("#{q} {query} cannot see #{k} {key} (a later token)").format(
                q=q, query=repr(self.labels[q]), k=k, key=repr(self.labels[k])
            )
        weight = float(self.matrix[q, k])
        pair = f"#{q} {self.labels[q]!r} → #{k} {self.labels[k]!r}"
        if self.signed:
            return self.tr("{pair}: B − A = {weight} ({points} percentage points)").format(
                pair=pair, weight=f"{weight:+.4f}", points=f"{100 * weight:+.1f}"
            )
        return f"{pair}: {weight:.4f} ({weight:.1%})"

    def _on_move(self, scene_pos: QPointF) -> None:
        cell = self.cell_at(scene_pos)
        if cell is not None:
            self.readout.setText(self.describe(*cell))

    def _on_click(self, event) -> None:
        cell = self.cell_at(event.scenePos())
        if cell is not None:
            self.query_clicked.emit(cell[0])
