"""A vector (or a few rows of vectors) drawn as a strip of coloured cells: blue for
negative, white for zero, red for positive, symmetric around zero. The colour saturates
at the 99th percentile of |value|, so that one outlier does not leave every other cell
white (the caption says where); hovering a cell reads out its index and exact value."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from playground.ui.widgets.attention_colors import DIFFERENCE_MAP

ROW_PIXELS = 22


class VectorStrip(QWidget):
    def __init__(self, caption: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel(caption)
        self.caption.setWordWrap(True)
        self.readout = QLabel(" ")
        self.readout.setStyleSheet("color: palette(mid);")
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground(None)
        self.plot = self.graphics.addPlot()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.getViewBox().invertY(True)
        self.plot.hideAxis("left")
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setLookupTable(DIFFERENCE_MAP.getLookupTable(0.0, 1.0, 256))
        self.plot.addItem(self.image)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(1)
        layout.addWidget(self.caption)
        layout.addWidget(self.graphics)
        layout.addWidget(self.readout)
        self.values: np.ndarray | None = None  # (R, N) shown
        self.saturation = 1.0  # |value| at which the colour is full
        self.row_labels: list[str] = []
        self.graphics.scene().sigMouseMoved.connect(self._on_move)
        self._set_rows(1)

    def show_values(self, values: np.ndarray | None, row_labels: list[str] | None = None) -> None:
        """(N,) or (R, N) values; None clears the strip."""
        if values is None:
            self.values = None
            self.image.clear()
            return
        rows = np.atleast_2d(np.asarray(values, dtype=np.float32))  # (R, N)
        self.values, self.row_labels = rows, row_labels or []
        finite = np.abs(rows[np.isfinite(rows)])
        self.saturation = max(float(np.percentile(finite, 99)) if finite.size else 0.0, 1e-6)
        self.image.setImage(rows, levels=(-self.saturation, self.saturation), autoLevels=False)
        R, N = rows.shape
        self.image.setRect(-0.5, -0.5, N, R)
        self.plot.setRange(xRange=(-0.5, N - 0.5), yRange=(-0.5, R - 0.5), padding=0)
        left = self.plot.getAxis("left")
        if self.row_labels:
            left.setTicks([[(float(i), label) for i, label in enumerate(self.row_labels)]])
            self.plot.showAxis("left")
        else:
            self.plot.hideAxis("left")
        largest = float(finite.max()) if finite.size else 0.0
        self.readout.setText(
            self.tr(
                "{n} numbers; colour full at ±{saturation} (largest |value| {largest}); "
                "hover a cell for its value"
            ).format(n=N, saturation=f"{self.saturation:.3g}", largest=f"{largest:.3g}")
        )
        self._set_rows(R)

    def _set_rows(self, rows: int) -> None:
        height = rows * ROW_PIXELS + 28  # the bottom axis
        self.graphics.setMinimumHeight(height)
        self.graphics.setMaximumHeight(height)

    def _on_move(self, scene_pos: QPointF) -> None:
        if self.values is None or not self.plot.sceneBoundingRect().contains(scene_pos):
            return
        point = self.plot.getViewBox().mapSceneToView(scene_pos)
        row, index = int(round(point.y())), int(round(point.x()))
        R, N = self.values.shape
        if 0 <= row < R and 0 <= index < N:
            name = f"{self.row_labels[row]}, " if row < len(self.row_labels) else ""
            self.readout.setText(f"{name}[{index}] = {self.values[row, index]:+.5f}")
