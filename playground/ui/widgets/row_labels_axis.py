"""A left axis that names the rows of a horizontal bar chart, the first row at the top
(candidate tokens, parts of a prompt)."""

from __future__ import annotations

import pyqtgraph as pg


class RowLabelsAxis(pg.AxisItem):
    def __init__(self) -> None:
        super().__init__("left")
        self.labels: list[str] = []  # row i's name

    def tickValues(self, minVal, maxVal, size):
        return [(1.0, list(range(len(self.labels))))]

    def tickStrings(self, values, scale, spacing):
        return [self.labels[int(v)] if 0 <= int(v) < len(self.labels) else "" for v in values]
