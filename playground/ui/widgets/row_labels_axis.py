"""A left axis that names the rows of a horizontal bar chart, the first row at the top
(candidate tokens, parts of a prompt). When the rows are shorter than a line of text it
names every second (third, ...) row, the first always, rather than print names over each
other."""

from __future__ import annotations

import math

import pyqtgraph as pg
from PySide6.QtGui import QFontMetrics


class RowLabelsAxis(pg.AxisItem):
    def __init__(self) -> None:
        super().__init__("left")
        self.labels: list[str] = []  # row i's name

    def set_labels(self, labels: list[str]) -> None:
        """Name the rows and redraw (setTicks(None): the ticks come from tickValues)."""
        self.labels = labels
        self.setTicks(None)

    def tickValues(self, minVal, maxVal, size):
        rows = max(maxVal - minVal, 1.0)  # the rows in view, `size` pixels tall
        line = QFontMetrics(self.style.get("tickFont") or self.font()).height()
        every = max(1, math.ceil(line / max(size / rows, 1e-6)))
        return [(float(every), list(range(0, len(self.labels), every)))]

    def tickStrings(self, values, scale, spacing):
        return [self.labels[int(v)] if 0 <= int(v) < len(self.labels) else "" for v in values]
