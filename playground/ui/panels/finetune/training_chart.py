"""The loss curve while training, with the held-out check's probability beside it on a
second axis (0 to 1): the loss on the examples falling is memorising; the check rising
is the model having learnt something it was not shown word for word."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication

LOSS_PEN = pg.mkPen("#d1205f", width=2)
CHECK_PEN = pg.mkPen("#3d7be0", width=2, style=pg.QtCore.Qt.PenStyle.DashLine)


class TrainingChart(pg.PlotWidget):
    def __init__(self) -> None:
        super().__init__(background=None)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.setMinimumHeight(120)
        self.setMaximumHeight(230)  # the grids of what changed stay in view below it
        item = self.getPlotItem()
        item.setLabel("bottom", QCoreApplication.translate("FinetunePanel", "step"))
        item.setLabel("left", QCoreApplication.translate("FinetunePanel", "loss (nats)"))
        item.showAxis("right")
        item.setLabel("right", QCoreApplication.translate("FinetunePanel", "held-out p"))
        self.loss = item.plot([], [], pen=LOSS_PEN, symbol="o", symbolSize=4)
        self.check_box = pg.ViewBox()  # the probability's own vertical scale, 0..1
        item.scene().addItem(self.check_box)
        item.getAxis("right").linkToView(self.check_box)
        self.check_box.setXLink(item)
        self.check_box.setYRange(0.0, 1.0, padding=0.02)
        self.check = pg.PlotDataItem([], [], pen=CHECK_PEN)
        self.check_box.addItem(self.check)
        item.vb.sigResized.connect(self._follow_size)
        legend = item.addLegend(offset=(-10, 10))
        legend.addItem(
            self.loss, QCoreApplication.translate("FinetunePanel", "loss on the examples")
        )
        legend.addItem(
            self.check, QCoreApplication.translate("FinetunePanel", "p(held-out answer)")
        )

    def _follow_size(self) -> None:
        self.check_box.setGeometry(self.getPlotItem().vb.sceneBoundingRect())

    def show_curves(self, losses: list[float], check_probs: list[float], steps: int) -> None:
        """Loss per step (1-based), the check's probability before each step (and after
        the last one): x = the steps done when it was measured."""
        x = np.arange(1, len(losses) + 1, dtype=float)
        self.loss.setData(x, np.asarray(losses, float))
        self.check.setData(np.arange(len(check_probs), dtype=float), np.asarray(check_probs, float))
        self.setXRange(0, max(steps, len(losses), 1), padding=0.02)
        if losses:
            self.setYRange(0, max(losses) * 1.05 + 1e-6, padding=0)
