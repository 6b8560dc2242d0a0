"""The pieces the "Inside a layer" panel is built of: a step (its title, its explanation
with the numbers, its pictures) and bars over the tokens labelled with their texts."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from playground.ui.state.layer_trace_view import STEPS


class StepBox(QWidget):
    """One step: a title, the explanation with its numbers, and its pictures."""

    def __init__(self, index: int, *pictures: QWidget) -> None:
        super().__init__()
        title = QCoreApplication.translate("LayerTraceView", STEPS[index])
        self.title = QLabel(f"<b>{index + 1}. {title}</b>")
        self.text = QLabel()
        self.text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 10)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        for picture in pictures:
            layout.addWidget(picture)


class TokenBars(pg.PlotWidget):
    """Bars over the tokens 0..P, labelled with their texts."""

    def __init__(self, left: str) -> None:
        super().__init__(background=None)
        self.setMenuEnabled(False)
        self.setMouseEnabled(x=False, y=False)
        self.hideButtons()
        self.setLabel("left", left)
        self.getAxis("left").enableAutoSIPrefix(False)
        self.setMinimumHeight(150)
        self.setMaximumHeight(190)
        self.bars = pg.BarGraphItem(x=[], height=[], width=0.7)
        self.addItem(self.bars)
        self.values: list[pg.TextItem] = []  # each bar's number above it

    def show_bars(self, values: np.ndarray, labels: list[str], brush: Any) -> None:
        """One bar a token; a score masked out (-inf: a key before a sliding layer's
        window) has no bar and is marked "out"."""
        x = np.arange(len(values), dtype=float)
        seen = np.isfinite(values)
        values = np.where(seen, values, 0.0)
        self.bars.setOpts(x=x, height=values, brush=brush)
        step = max(1, len(labels) // 16)
        ticks = [(float(i), labels[i][:10]) for i in range(0, len(labels), step)]
        self.getAxis("bottom").setTicks([ticks])
        self.setXRange(-0.6, len(values) - 0.4, padding=0)
        low, high = min(float(np.min(values)), 0.0), max(float(np.max(values)), 0.0)
        self.setYRange(low * 1.15, high * 1.18 + 1e-6, padding=0)  # room for the numbers
        for item in self.values:
            self.removeItem(item)
        self.values = []
        if len(values) <= 24:  # room for a number on every bar
            for i, value in enumerate(values):
                text = f"{value:.2f}" if seen[i] else self.tr("out")
                item = pg.TextItem(text, anchor=(0.5, 1.0), color="#5c6070")
                item.setPos(float(i), max(float(value), 0.0))
                self.addItem(item)
                self.values.append(item)
