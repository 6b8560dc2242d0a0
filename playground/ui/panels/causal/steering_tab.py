"""Steering: a direction from two short texts (or a token's own embedding row) added to
the stream at one hidden index, times a strength the slider sets; the run on screen
follows at once (every panel). Which layer steers best (the KL from the unsteered
next-token distribution, per layer; click a bar to choose it), and the prompt continued
without and with the steering, side by side, with the same seed."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from playground.engine.inspect.steering_directions import Direction, LayerSweep
from playground.ui.state.steering_view import SteeringView
from playground.ui.widgets.compact_plot import CompactPlot
from playground.ui.widgets.signals_blocked import signals_blocked

SLIDER_STEPS = 10  # the slider moves in tenths


class SteeringTab(QWidget):
    def __init__(self, view: SteeringView, session) -> None:
        super().__init__()
        self.view, self.session = view, session
        self.toward, self.away = QLineEdit(), QLineEdit()
        self.toward.setToolTip(self.tr("The direction points toward this text's stream"))
        self.away.setToolTip(
            self.tr("... and away from this one's (empty: a token's own embedding)")
        )
        self.away.setPlaceholderText(self.tr("empty: the first token's embedding row"))
        self.layer = QSpinBox()
        self.layer.setToolTip(self.tr("The hidden state the direction is read at and added to"))
        self.enabled = QCheckBox(self.tr("Steer the run"))
        self.enabled.setToolTip(self.tr("Add the direction to every token's stream"))
        self.strength = QSlider(Qt.Orientation.Horizontal)
        self.strength.setRange(-8 * SLIDER_STEPS, 8 * SLIDER_STEPS)
        self.strength.setToolTip(self.tr("c in c × v: negative steers the other way"))
        self.strength_label = QLabel()
        self.strength_label.setMinimumWidth(48)
        self.info = QLabel(" ")
        self.info.setWordWrap(True)
        self.sweep_button = QPushButton(self.tr("Which layer steers best?"))
        self.sweep_button.setToolTip(self.tr("Steer at every layer in turn and measure the change"))
        self.sweep_plot = CompactPlot(130)
        self.sweep_plot.setMinimumHeight(90)
        self.sweep_plot.setLabel("left", self.tr("KL (bits)"))
        self.sweep_plot.setLabel("bottom", self.tr("hidden state (click: use it)"))
        self.bars: pg.BarGraphItem | None = None
        self.pair_button = QPushButton(self.tr("Generate both"))
        self.pair_button.setToolTip(
            self.tr("Continue the prompt without and with steering, same seed")
        )
        self.plain_text, self.steered_text = QPlainTextEdit(), QPlainTextEdit()
        for box in (self.plain_text, self.steered_text):
            box.setReadOnly(True)
            box.setMinimumHeight(60)
        self.plain_title, self.steered_title = QLabel(self.tr("Without steering")), QLabel()
        form = QFormLayout()
        form.addRow(self.tr("Toward"), self.toward)
        form.addRow(self.tr("Away from"), self.away)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Hidden state")))
        row.addWidget(self.layer)
        row.addWidget(self.enabled)
        row.addWidget(QLabel(self.tr("Strength")))
        row.addWidget(self.strength, 1)
        row.addWidget(self.strength_label)
        pair = QGridLayout()
        pair.addWidget(self.plain_title, 0, 0)
        pair.addWidget(self.steered_title, 0, 1)
        pair.addWidget(self.plain_text, 1, 0)
        pair.addWidget(self.steered_text, 1, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.sweep_button)
        buttons.addWidget(self.pair_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.info)
        layout.addLayout(buttons)
        layout.addWidget(self.sweep_plot, 1)
        layout.addLayout(pair, 1)
        self.toward.editingFinished.connect(self._texts)
        self.away.editingFinished.connect(self._texts)
        self.layer.valueChanged.connect(view.set_layer)
        self.enabled.toggled.connect(view.set_enabled)
        self.strength.valueChanged.connect(lambda v: view.set_strength(v / SLIDER_STEPS))
        self.sweep_button.clicked.connect(view.find_best_layer)
        self.pair_button.clicked.connect(view.generate_pair)
        self.sweep_plot.scene().sigMouseClicked.connect(self._on_sweep_click)
        view.changed.connect(self.refresh)
        session.analysis_changed.connect(self.refresh)
        self.refresh()

    def _texts(self) -> None:
        self.view.set_texts(self.toward.text(), self.away.text())

    def refresh(self) -> None:
        v, info = self.view, self.session.model_info
        with signals_blocked(self.toward, self.away, self.layer, self.enabled, self.strength):
            if not self.toward.hasFocus():
                self.toward.setText(v.toward)
            if not self.away.hasFocus():
                self.away.setText(v.away)
            self.layer.setRange(1, max(1, info.architecture.n_layer - 1) if info else 1)
            self.layer.setValue(v.layer)
            self.enabled.setChecked(v.enabled)
            self.strength.setValue(round(v.strength * SLIDER_STEPS))
        self.strength_label.setText(f"{v.strength:+.1f}")
        self.info.setText(self._info())
        self._show_sweep(v.sweep.result if v.sweep.current else None)
        self.pair_button.setEnabled(v.enabled and not v.pair.running)
        pair = v.pair.result if v.pair.current else None
        self.plain_text.setPlainText(pair[0] if pair else "")
        self.steered_text.setPlainText(pair[1] if pair else "")
        self.steered_title.setText(
            self.tr("With steering ({strength} at hidden {layer})").format(
                strength=f"{v.strength:+.1f}", layer=v.layer
            )
        )

    def _info(self) -> str:
        v = self.view
        if v.error:
            return v.error
        if v.sweep.running:
            done, total = v.sweep.progress or (0, 0)
            return self.tr("Steering at layer {done} of {total}…").format(done=done, total=total)
        if v.pair.running:
            return self.tr("Writing both continuations…")
        if not v.enabled:
            return self.tr("Tick “Steer the run” to add the direction to the run on screen.")
        direction: Direction | None = v.current_direction
        if direction is None:
            return self.tr("Reading the direction…")
        parts = [
            self.tr("|v| = {norm}; toward: {toward} tokens, away: {away}.").format(
                norm=f"{direction.steering.direction.norm:.1f}",
                toward=direction.toward_tokens,
                away=direction.away_tokens,
            )
        ]
        if 1 in (direction.toward_tokens, direction.away_tokens) and direction.away_tokens:
            ratio = direction.sink_ratio
            parts.append(
                self.tr(
                    "A one-token text has only its first position, the attention sink, whose "
                    "stream is {ratio} times longer than the others': its direction is mostly "
                    "the sink's. Write two words or more."
                ).format(ratio="~50" if math.isnan(ratio) else f"{ratio:.0f}")
            )
        analysis = self.session.analysis
        steered = analysis is not None and analysis.run.interventions.steering is not None
        if steered and analysis.forward is not None:
            parts.append(
                self.tr("Each move of the slider runs the prompt again: {ms} ms.").format(
                    ms=f"{analysis.forward.seconds * 1000:.0f}"
                )
            )
        return " ".join(parts)

    def _show_sweep(self, sweep: LayerSweep | None) -> None:
        if self.bars is not None:
            self.sweep_plot.removeItem(self.bars)
            self.bars = None
        if sweep is None:
            return
        x = np.array(sweep.layers, float)
        brushes = [
            pg.mkBrush(230, 120, 20) if layer == sweep.best else pg.mkBrush(120, 140, 170)
            for layer in sweep.layers
        ]
        self.bars = pg.BarGraphItem(x=x, height=sweep.kl_bits, width=0.8, brushes=brushes)
        self.sweep_plot.addItem(self.bars)
        self.sweep_plot.setXRange(0.5, x[-1] + 0.5, padding=0)

    def _on_sweep_click(self, event) -> None:
        sweep = self.view.sweep.result if self.view.sweep.current else None
        if sweep is None or not self.sweep_plot.sceneBoundingRect().contains(event.scenePos()):
            return
        point = self.sweep_plot.getViewBox().mapSceneToView(event.scenePos())
        layer = int(round(point.x()))
        if layer in sweep.layers:
            self.view.set_layer(layer)
