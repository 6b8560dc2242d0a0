"""How attention weights become colours: a perceptual colour map on the square root of the
weight, so that small but real weights stay visible next to the large ones. The colour
bar is labelled with the weights themselves, so nothing is hidden by the scale."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication

COLOR_MAP = pg.colormap.get("inferno")
LOOKUP_TABLE = COLOR_MAP.getLookupTable(0.0, 1.0, 256)  # (256, 3 or 4) uint8
WEIGHT_TICKS = (0.0, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0)


def to_color_scale(weights: np.ndarray) -> np.ndarray:
    """Weights in [0, 1] (NaN = no data) -> image values in [0, 1], float32 C-contiguous."""
    return np.ascontiguousarray(np.sqrt(np.clip(weights, 0.0, 1.0)), dtype=np.float32)


def weight_color(weight: float) -> tuple[int, int, int]:
    """The colour of one weight, for painted (non-image) views."""
    index = int(round(float(np.sqrt(np.clip(weight, 0.0, 1.0))) * 255))
    r, g, b = LOOKUP_TABLE[index][:3]
    return int(r), int(g), int(b)


def make_color_bar(image: pg.ImageItem, plot: pg.PlotItem) -> pg.ColorBarItem:
    bar = pg.ColorBarItem(values=(0.0, 1.0), colorMap=COLOR_MAP, interactive=False, width=14)
    bar.setImageItem(image, insert_in=plot)
    show_weights_on(bar)
    return bar


DIFFERENCE_MAP = pg.colormap.get("CET-D1")  # blue - white - red: a signed difference


def show_weights_on(bar: pg.ColorBarItem) -> None:
    """The bar as weights in [0, 1], on the square-root scale of `to_color_scale`."""
    bar.setColorMap(COLOR_MAP)
    bar.setLevels((0.0, 1.0))
    bar.axis.setTicks([[(float(np.sqrt(w)), f"{w:g}") for w in WEIGHT_TICKS]])
    bar.axis.setLabel(QCoreApplication.translate("AttentionColors", "weight"))


def show_differences_on(bar: pg.ColorBarItem, largest: float) -> None:
    """The bar as signed differences of weights in [-largest, largest], on a linear scale."""
    bar.setColorMap(DIFFERENCE_MAP)
    bar.setLevels((-largest, largest))
    bar.axis.setTicks(None)
    bar.axis.setLabel(QCoreApplication.translate("AttentionColors", "B − A"))
