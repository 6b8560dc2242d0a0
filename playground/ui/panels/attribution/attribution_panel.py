"""Attribution panel: why the model predicts its next token. Each part of the prompt (a
token, a word or a line) is left out in turn and the prompt run again; the bar is how
much the target token's log-probability drops without it (nats). Long bars to the right
are what the prediction relies on; bars to the left are parts that argued against it."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget

from playground.engine.errors import PlaygroundError
from playground.engine.inspect.comparison import softmax
from playground.ui.state.attribution_view import AttributionView
from playground.ui.state.session import Session
from playground.ui.widgets.on_screen import OnScreenUpdates
from playground.ui.widgets.row_labels_axis import RowLabelsAxis
from playground.ui.widgets.score_chips import ScoreChips

HELPED_BRUSH = pg.mkBrush("#3d7be0")
HURT_BRUSH = pg.mkBrush("#d1205f")
MLP_BRUSH = pg.mkBrush("#e0913d")
CANDIDATES = 10  # targets offered: the model's most likely next tokens
UNIT_NAMES = {  # the combo box's items, translated where shown
    "token": QT_TRANSLATE_NOOP("AttributionPanel", "Leave out each token"),
    "word": QT_TRANSLATE_NOOP("AttributionPanel", "Leave out each word"),
    "line": QT_TRANSLATE_NOOP("AttributionPanel", "Leave out each line or sentence"),
    "message": QT_TRANSLATE_NOOP("AttributionPanel", "Leave out each chat message"),
}


class AttributionPanel(OnScreenUpdates):
    def __init__(
        self, session: Session, view: AttributionView, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session, self.view = session, view
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.target = QComboBox()
        self.target.setToolTip(self.tr("The token whose prediction is explained."))
        self.unit = QComboBox()
        for unit, name in UNIT_NAMES.items():
            self.unit.addItem(QCoreApplication.translate("AttributionPanel", name), unit)
        self.unit.setCurrentIndex(list(UNIT_NAMES).index(view.unit))
        self.status = QLabel()
        self.chips = ScoreChips()  # the prompt, each token coloured by its part's score
        chips_scroll = QScrollArea()
        chips_scroll.setWidgetResizable(True)
        chips_scroll.setWidget(self.chips)
        chips_scroll.setMaximumHeight(120)
        self.axis = RowLabelsAxis()  # the prompt's parts, strongest at the top
        self.plot = pg.PlotWidget(axisItems={"left": self.axis}, background=None)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.getViewBox().invertY(True)
        self.plot.setLabel("bottom", self.tr("drop in log-probability without it (nats)"))
        self.bars = pg.BarGraphItem(x0=[], y=[], height=0.72, width=[])
        self.plot.addItem(self.bars)
        # the same logit split by what each layer's attention and MLP wrote into the stream
        self.layers_title = QLabel()
        self.layers_title.setWordWrap(True)
        self.layers = pg.PlotWidget(background=None)
        self.layers.setMenuEnabled(False)
        self.layers.setMouseEnabled(x=False, y=False)
        self.layers.hideButtons()
        self.layers.setLabel("bottom", self.tr("layer"))
        self.layers.setLabel("left", self.tr("share of the logit"))
        self.layers.addLegend(offset=(10, 5))
        self.attention_bars = pg.BarGraphItem(
            x=[], height=[], width=0.4, brush=HELPED_BRUSH, name=self.tr("attention")
        )
        self.mlp_bars = pg.BarGraphItem(
            x=[], height=[], width=0.4, brush=MLP_BRUSH, name=self.tr("MLP")
        )
        for bars in (self.attention_bars, self.mlp_bars):
            self.layers.addItem(bars)
        note = QLabel(
            self.tr(
                "Each part of the prompt is removed in turn and the model runs again: the bar "
                "is how much less likely the target becomes without it. Positive = the "
                "prediction relies on it; negative = it argued against the target."
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(mid);")
        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Why")))
        controls.addWidget(self.target, 1)
        controls.addWidget(self.unit)
        controls.addWidget(self.status, 1)
        # small enough minimums that the window fits 1280 x 720 (a projector) unsqueezed
        chips_scroll.setMinimumHeight(40)
        self.plot.setMinimumHeight(40)
        self.layers.setMinimumHeight(40)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.title)
        layout.addLayout(controls)
        layout.addWidget(chips_scroll)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.layers_title)
        layout.addWidget(self.layers, 1)
        layout.addWidget(note)
        self.target.activated.connect(self._on_target_chosen)
        self.unit.activated.connect(lambda i: view.set_unit(self.unit.itemData(i)))
        self.follow(view.changed, self.refresh)
        self.follow(session.analysis_changed, self._fill_targets)
        self._fill_targets()

    # --- state -> view -----------------------------------------------------------------------
    def _fill_targets(self) -> None:
        self.target.clear()
        analysis = self.session.analysis
        if analysis is None or analysis.next_token is None:
            return
        target = self.view.target
        probs = softmax(analysis.next_token.raw_logits)  # the model's own, at temperature 1
        for token in np.argsort(-probs, kind="stable")[:CANDIDATES]:
            label = self.session.token_label(int(token))
            self.target.addItem(f"{label!r}  {probs[token]:.1%}", int(token))
        if target is not None and self.target.findData(target) < 0:
            self.target.addItem(repr(self.session.token_label(target)), target)
        self.target.setCurrentIndex(max(0, self.target.findData(target)))
        self.refresh()

    def refresh(self) -> None:
        self._draw_layers()
        view = self.view
        self.unit.setCurrentIndex(list(UNIT_NAMES).index(view.unit))  # (a lesson may set it)
        done, total = view.progress
        self.status.setText(
            self.tr("running… {done} of {total}").format(done=done, total=total)
            if view.running and total
            else self.tr("running…")
            if view.running
            else view.error or ""
        )
        result = view.result
        analysis = self.session.analysis
        if result is None or analysis is None or result.run != analysis.run:
            self.title.setText(
                self.tr("Why does the model predict what it does? Open this panel with a prompt.")
            )
            self.axis.set_labels([])
            self.bars.setOpts(x0=[], y=[], width=[], brushes=[])
            self.chips.set_analysis(analysis)
            self.chips.set_scores(None)
            return
        self.chips.set_analysis(analysis)
        self.chips.set_scores(view.token_scores())
        label = self.session.token_label(result.target)
        self.title.setText(
            self.tr(
                "Why <b>{label}</b>? With the whole prompt, log p = {base} ({probability}); "
                "left out one at a time, the parts below change it most."
            ).format(
                label=repr(label),
                base=f"{result.base:+.2f}",
                probability=f"{np.exp(result.base):.1%}",
            )
        )
        order = np.argsort(-np.nan_to_num(result.scores, nan=-np.inf), kind="stable")
        scores = np.nan_to_num(result.scores[order])
        self.axis.set_labels([repr(result.parts[i].text) for i in order])
        self.bars.setOpts(
            x0=np.minimum(scores, 0),
            y=np.arange(len(scores)),
            width=np.abs(scores),
            brushes=[HELPED_BRUSH if s >= 0 else HURT_BRUSH for s in scores],
        )
        self.plot.setYRange(-0.5, max(len(scores), 8) - 0.5, padding=0)

    def _draw_layers(self) -> None:
        c = self.view.components
        if c is None:
            self.layers_title.setText("")
            self.attention_bars.setOpts(x=[], height=[])
            self.mlp_bars.setOpts(x=[], height=[])
            return
        layers = (len(c.names) - 1) // 2
        attention = np.array([c.value(f"L{i}.attn") for i in range(layers)])
        mlp = np.array([c.value(f"L{i}.mlp") for i in range(layers)])
        x = np.arange(layers, dtype=float)
        self.attention_bars.setOpts(x=x - 0.2, height=attention)
        self.mlp_bars.setOpts(x=x + 0.2, height=mlp)
        layer, head = np.unravel_index(np.argmax(c.heads), c.heads.shape)
        self.layers_title.setText(
            self.tr(
                "By layer: the logit of {token}, {logit}, is the sum of what each part wrote "
                "into the residual stream (embedding {embedding}; the final norm's scale from "
                "the whole stream). The head that wrote most: layer {layer} head {head}, "
                "{share}."
            ).format(
                token=repr(self.session.token_label(c.target)),
                logit=f"{c.logit:.2f}",
                embedding=f"{c.value('embed'):+.2f}",
                layer=layer,
                head=head,
                share=f"{c.heads[layer, head]:+.2f}",
            )
        )

    # --- view -> state -----------------------------------------------------------------------
    def _on_target_chosen(self, index: int) -> None:
        token = self.target.itemData(index)
        self.view.set_target(None if index == 0 else token)  # the first is the top token

    def export_rows(self) -> list[dict[str, Any]]:
        """Every part of the prompt with the drop in the target's log-probability."""
        self.session.exportable()
        result = self.view.result
        if result is None:
            raise PlaygroundError(
                self.tr("Open the attribution panel first: it is computed when shown.")
            )
        return [
            {
                "part": part.text,
                "positions": " ".join(map(str, part.positions)),
                "target": self.session.token_label(result.target),
                "drop_in_log_probability": None if np.isnan(score) else float(score),
            }
            for part, score in zip(result.parts, result.scores, strict=True)
        ]
