"""Next-token panel: the full-vocabulary distribution of the last position, reshaped
live by temperature, top-k, top-p and min-p (no model run: the logits are cached)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, QEvent, QPointF, Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from playground.engine.errors import PlaygroundError
from playground.engine.sampling.distribution import Candidate, SamplingSettings
from playground.ui.panels.next_token.chart_texts import candidate_tooltip, comparison_text
from playground.ui.panels.next_token.receipt_dialog import ReceiptDialog
from playground.ui.panels.next_token.sampler_controls import (
    MIN_P_TIP,
    TEMPERATURE_TIP,
    TOP_P_TIP,
    FloatSlider,
    PercentAxis,
)
from playground.ui.state.session import Session
from playground.ui.widgets.on_screen import OnScreenUpdates
from playground.ui.widgets.row_labels_axis import RowLabelsAxis
from playground.ui.widgets.signals_blocked import signals_blocked
from playground.ui.widgets.text_labels import TextLabels

KEPT_BRUSH = pg.mkBrush("#3d7be0")
TOP_BRUSH = pg.mkBrush("#d1205f")
CUT_BRUSH = pg.mkBrush("#c9ccd6")
PINNED_BRUSH = pg.mkBrush("#1d1f2b")


class NextTokenPanel(OnScreenUpdates):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.candidates: list[Candidate] = []

        self.temperature = FloatSlider(
            0.0, 2.0, 0.01, "{:.2f}", QCoreApplication.translate("NextTokenPanel", TEMPERATURE_TIP)
        )
        self.top_p = FloatSlider(
            0.0, 1.0, 0.01, "{:.2f}", QCoreApplication.translate("NextTokenPanel", TOP_P_TIP)
        )
        self.min_p = FloatSlider(
            0.0, 1.0, 0.01, "{:.2f}", QCoreApplication.translate("NextTokenPanel", MIN_P_TIP)
        )
        self.top_k = QSpinBox()
        self.top_k.setRange(0, 1_000_000)
        self.top_k.setSpecialValueText(self.tr("off"))
        self.top_k.setToolTip(self.tr("Top-k: keep only the k most likely tokens. 0 = off."))
        self.show_n = QSpinBox()
        self.show_n.setRange(3, 60)
        self.show_n.setToolTip(
            self.tr("How many candidates to draw (the maths always uses all of them).")
        )
        controls = QGridLayout()
        names = [self.tr("Temperature"), self.tr("Top-p"), self.tr("Min-p")]
        for row, (name, widget) in enumerate(
            zip(names, [self.temperature, self.top_p, self.min_p], strict=True)
        ):
            controls.addWidget(QLabel(name), row, 0)
            controls.addWidget(widget, row, 1, 1, 3)
        controls.addWidget(QLabel(self.tr("Top-k")), 3, 0)
        controls.addWidget(self.top_k, 3, 1)
        controls.addWidget(QLabel(self.tr("Show")), 3, 2, alignment=Qt.AlignmentFlag.AlignRight)
        controls.addWidget(self.show_n, 3, 3)

        self.axis = RowLabelsAxis()  # the candidate tokens, rank 1 at the top
        self.plot = pg.PlotWidget(
            axisItems={"left": self.axis, "bottom": PercentAxis("bottom")}, background=None
        )
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.getViewBox().invertY(True)
        self.plot.setLabel("bottom", self.tr("probability"))
        self.plot.getAxis("bottom").enableAutoSIPrefix(False)
        self.bars = pg.BarGraphItem(x0=[], y=[], height=0.72, width=[])
        self.plot.addItem(self.bars)
        # the pinned run A's model probability of each token shown: a thin bar under it
        self.pinned_bars = pg.BarGraphItem(x0=[], y=[], height=0.18, width=[], brush=PINNED_BRUSH)
        self.plot.addItem(self.pinned_bars)
        self.pin = QPushButton(self.tr("Pin as A"))
        self.pin.setCheckable(True)
        self.pin.setToolTip(
            self.tr(
                "Keep this run as A, then change the prompt: the chart compares the new run "
                "(B) with A (thin dark bars: A's probabilities)."
            )
        )
        controls.addWidget(self.pin, 4, 0, 1, 2)
        self.swap = QPushButton(self.tr("Swap A ⇄ B"))
        self.swap.setToolTip(
            self.tr(
                "Show A in every panel (its prompt, knock-outs and sampler come back) and pin "
                "the current run as A instead; swap again to return."
            )
        )
        self.swap.clicked.connect(session.swap_runs)
        controls.addWidget(self.swap, 4, 2, 1, 2)
        self.how = QPushButton(self.tr("How was this computed?"))
        self.how.setToolTip(
            self.tr(
                "Every number from the final hidden state to a candidate's probability (or "
                "right-click its bar)."
            )
        )
        self.how.clicked.connect(lambda: self.explain(0))
        controls.addWidget(self.how, 5, 0, 1, 4)
        self.receipt: ReceiptDialog | None = None  # made when first asked for
        self.comparison = QLabel()
        self.comparison.setWordWrap(True)
        self.value_labels = TextLabels(
            self.plot.getPlotItem(), self.palette().text().color().name(), anchor=(0, 0.5)
        )
        self.plot.scene().sigMouseClicked.connect(self._on_plot_clicked)
        self.plot.scene().sigMouseMoved.connect(self._on_plot_hovered)

        self.stats = QLabel()
        self.stats.setWordWrap(True)
        self.hint = QLabel(
            self.tr(
                "Click a candidate to append it to the prompt; right-click it to see how its "
                "probability was computed."
            )
        )
        self.hint.setStyleSheet("color: palette(mid);")
        self.hint.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(controls)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.stats)
        layout.addWidget(self.comparison)
        layout.addWidget(self.hint)

        for slider in (self.temperature, self.top_p, self.min_p):
            slider.value_changed.connect(self._on_controls_changed)
        self.top_k.valueChanged.connect(self._on_controls_changed)
        self.show_n.valueChanged.connect(self._on_show_n_changed)
        self.follow(session.sampling_changed, self.refresh)
        self.follow(session.analysis_changed, self.refresh)
        self.follow(session.pinned.changed, self.refresh)
        self.pin.toggled.connect(self._on_pin_toggled)
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:  # a new theme: readable percentages
            self.value_labels.set_color(self.palette().text().color().name())
        super().changeEvent(event)

    # --- Session -> view ----------------------------------------------------------------------
    def refresh(self) -> None:
        s = self.session.sampling
        self.temperature.set_value(s.temperature)
        self.top_p.set_value(s.top_p)
        self.min_p.set_value(s.min_p)
        for spin, value in ((self.top_k, s.top_k), (self.show_n, self.session.top_n)):
            with signals_blocked(spin):
                spin.setValue(min(value, spin.maximum()))
        self._draw()

    def _draw(self) -> None:
        dist = self.session.distribution
        lm = self.session.model
        if dist is None or lm is None:
            self.candidates = []
            self.bars.setOpts(x0=[], y=[], width=[], brushes=[])
            self.axis.set_labels([])
            self.value_labels.show([])
            self.stats.setText(
                self.tr("Type a prompt: the model's guesses for the next token appear here.")
            )
            self.comparison.setVisible(False)
            return
        self.candidates = dist.top(self.session.top_n)
        n = len(self.candidates)
        widths = np.array([c.prob if c.kept else c.tempered_prob for c in self.candidates])
        brushes = [
            (TOP_BRUSH if c.rank == 0 else KEPT_BRUSH) if c.kept else CUT_BRUSH
            for c in self.candidates
        ]
        self.bars.setOpts(
            x0=np.zeros(n), y=np.arange(n, dtype=float), width=widths, brushes=brushes
        )
        self.axis.set_labels([self._token_label(c.token_id) for c in self.candidates])
        self.value_labels.show(
            [
                (f"{c.prob:.1%}" if c.kept else self._cut_label(c), float(widths[i]), i)
                for i, c in enumerate(self.candidates)
            ]
        )
        x_max = float(max(widths.max(initial=0.0), 0.05)) * 1.25
        self.plot.setXRange(0, x_max, padding=0)
        self.plot.setYRange(-0.6, n - 0.4, padding=0)
        vocab = dist.ranked.vocab_size
        outside = dist.mass_outside_top(n)
        s = self.session.sampling
        mode = (
            self.tr("greedy (temperature 0)")
            if s.temperature == 0
            else self.tr("temperature {t}").format(t=f"{s.temperature:.2f}")
        )
        self.stats.setText(
            self.tr(
                "Kept <b>{kept}</b> of {vocab} tokens, holding <b>{mass}</b> of the probability "
                "({mode}) · other {other} tokens: {outside} · entropy {entropy} bits"
            ).format(
                kept=f"{dist.kept_count:,}",
                vocab=f"{vocab:,}",
                mass=f"{dist.kept_mass:.1%}",
                mode=mode,
                other=f"{vocab - n:,}",
                outside=f"{outside:.1%}",
                entropy=f"{dist.entropy_bits:.2f}",
            )
        )
        self._draw_comparison()

    def _draw_comparison(self) -> None:
        pinned = self.session.pinned
        with signals_blocked(self.pin):
            self.pin.setChecked(pinned.pinned)
        self.pin.setText(self.tr("Unpin A") if pinned.pinned else self.tr("Pin as A"))
        self.swap.setEnabled(pinned.pinned and pinned.source is not None)
        c = pinned.against(self.session.analysis)
        self.comparison.setVisible(c is not None)
        if c is None or pinned.source is None:
            self.pinned_bars.setOpts(x0=[], y=[], width=[])
            return
        shown = [c.probs_a[x.token_id] for x in self.candidates]
        n = len(shown)
        self.pinned_bars.setOpts(x0=np.zeros(n), y=np.arange(n) + 0.27, width=shown)
        x_max = self.plot.getViewBox().viewRange()[0][1]
        if shown and max(shown) * 1.1 > x_max:  # A's bars fit too
            self.plot.setXRange(0, float(max(shown)) * 1.15, padding=0)
        self.comparison.setText(comparison_text(c, pinned.source[1], self._token_label))

    def _on_pin_toggled(self, on: bool) -> None:
        if on:
            self.session.pin_current()
        else:
            self.session.pinned.clear()

    def _cut_label(self, candidate: Candidate) -> str:
        if self.session.sampling.temperature == 0:
            return self.tr("cut (greedy)")
        return self.tr("cut ({p})").format(p=f"{candidate.tempered_prob:.1%}")

    def _token_label(self, token_id: int) -> str:
        lm = self.session.model
        assert lm is not None
        return lm.piece(token_id).label

    # --- view -> Session ----------------------------------------------------------------------
    def _on_controls_changed(self, *_args: object) -> None:
        self.session.set_sampling(
            SamplingSettings(
                temperature=self.temperature.value(),
                top_k=self.top_k.value(),
                top_p=self.top_p.value(),
                min_p=self.min_p.value(),
            )
        )

    def _on_show_n_changed(self, value: int) -> None:
        self.session.set_top_n(value)

    def row_at(self, scene_pos: QPointF) -> int | None:
        if not self.plot.sceneBoundingRect().contains(scene_pos):
            return None
        point = self.plot.getViewBox().mapSceneToView(scene_pos)
        row = round(point.y())
        return row if 0 <= row < len(self.candidates) else None

    def _on_plot_clicked(self, event) -> None:
        row = self.row_at(event.scenePos())
        if row is not None and event.button() == Qt.MouseButton.RightButton:
            self.explain(row)
        elif row is not None:
            self.choose(row)

    def explain(self, row: int) -> None:
        """The receipt of the candidate in `row`: how its probability was computed."""
        if not self.candidates:
            return
        if self.receipt is None:
            self.receipt = ReceiptDialog(self.session, self)
        tokens = [c.token_id for c in self.candidates]
        self.receipt.explain(tokens, tokens[min(row, len(tokens) - 1)])
        self.receipt.show()
        self.receipt.raise_()

    def choose(self, row: int) -> None:
        """Append the candidate in `row` to the prompt (what a click on its bar does)."""
        self.session.append_token(self.candidates[row].token_id)

    def _on_plot_hovered(self, scene_pos: QPointF) -> None:
        row = self.row_at(scene_pos)
        if row is None:
            self.plot.setToolTip("")
            return
        label = self.axis.labels[row]
        self.plot.setToolTip(candidate_tooltip(self.candidates[row], label))

    def export_rows(self) -> list[dict[str, Any]]:
        """Every token of the vocabulary, ranked, with both probabilities."""
        _, lm = self.session.exportable()
        dist = self.session.distribution
        if dist is None:
            raise PlaygroundError(
                self.tr("There is no next-token distribution for an empty prompt.")
            )
        compared = self.session.pinned.against(self.session.analysis)  # a pinned run A
        return [
            {
                "rank": c.rank + 1,
                "id": c.token_id,
                "token": lm.piece(c.token_id).display,
                "logit": c.logit,
                "probability_before_filters": c.tempered_prob,
                "probability": c.prob,
                "kept": c.kept,
                **(
                    {
                        "model_probability": float(compared.probs_b[c.token_id]),
                        "model_probability_in_A": float(compared.probs_a[c.token_id]),
                    }
                    if compared is not None
                    else {}
                ),
            }
            for c in dist.top(dist.ranked.vocab_size)
        ]
