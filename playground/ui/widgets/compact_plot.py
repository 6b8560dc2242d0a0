"""A pyqtgraph PlotWidget that asks for little room: inside a scroll area whose content
wraps text (so its height follows the content's preferred height), a plot asking for
QGraphicsView's 480 px would push the rest out of view; it still grows to fill."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QSize


class CompactPlot(pg.PlotWidget):
    def __init__(self, preferred_height: int = 200) -> None:
        super().__init__(background=None)
        self.preferred_height = preferred_height
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()

    def sizeHint(self) -> QSize:
        return QSize(400, self.preferred_height)
