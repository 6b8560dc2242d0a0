"""The next-token panel's controls: a labelled slider over a float range (temperature,
top-p, min-p) and a probability axis in percent."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QSlider, QWidget

from playground.ui.widgets.signals_blocked import signals_blocked

TEMPERATURE_TIP = QT_TRANSLATE_NOOP(
    "NextTokenPanel",
    "Temperature divides the logits before the softmax. Low = sharper, 0 = always the "
    "most likely token (greedy); high = flatter, more surprising.",
)
TOP_P_TIP = QT_TRANSLATE_NOOP(
    "NextTokenPanel",
    "Top-p (nucleus): keep the fewest most-likely tokens whose probabilities add up to p; "
    "the rest are cut. 1 = off.",
)
MIN_P_TIP = QT_TRANSLATE_NOOP(
    "NextTokenPanel", "Min-p: cut tokens less likely than min-p times the top token. 0 = off."
)


class PercentAxis(pg.AxisItem):
    def tickStrings(self, values, scale, spacing):
        return [
            "" if v > 1.0 + 1e-9 else f"{v:.0%}" if spacing >= 0.01 else f"{v:.1%}" for v in values
        ]


class FloatSlider(QWidget):
    """A labelled horizontal slider over a float range."""

    value_changed = Signal(float)

    def __init__(self, low: float, high: float, step: float, fmt: str, tip: str) -> None:
        super().__init__()
        self._low, self._step, self._fmt = low, step, fmt
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, round((high - low) / step))
        self.slider.setToolTip(tip)
        self.value_label = QLabel()
        self.value_label.setMinimumWidth(44)
        self.value_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 0, 0)
        layout.addWidget(self.value_label, 0, 1)
        self.slider.valueChanged.connect(self._on_slider)

    def value(self) -> float:
        return self._low + self.slider.value() * self._step

    def set_value(self, value: float) -> None:
        """Set without emitting (views never write back what they are told)."""
        with signals_blocked(self.slider):
            self.slider.setValue(round((value - self._low) / self._step))
        self.value_label.setText(self._fmt.format(self.value()))

    def _on_slider(self, _position: int) -> None:
        self.value_label.setText(self._fmt.format(self.value()))
        self.value_changed.emit(self.value())
