"""Inside a layer: the selected token (the last if none) followed through one block of
the network, step by step, every number the model computed: the stream coming in,
RMSNorm, queries, keys and values before and after the rotary embedding, one head's
scores, softmax and weighted sum, the output projection and residual add, the MLP with
its most active neurons, and the stream leaving the block. Next / Previous walk the steps
(the diagram shows where in the block each one is), or every step is shown at once."""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from playground.engine.errors import PlaygroundError
from playground.engine.inspect.layer_trace import LayerTrace
from playground.ui.panels.inside_layer.block_diagram import BlockDiagram
from playground.ui.panels.inside_layer.step_widgets import StepBox, TokenBars
from playground.ui.state.layer_trace_view import STEPS, LayerTraceView
from playground.ui.state.session import Session
from playground.ui.widgets.on_screen import OnScreenUpdates
from playground.ui.widgets.signals_blocked import signals_blocked
from playground.ui.widgets.vector_strip import VectorStrip

SCORE_BRUSH, WEIGHT_BRUSH = pg.mkBrush("#8a8fa8"), pg.mkBrush("#3d7be0")


def _length(v: np.ndarray) -> float:
    return float(np.linalg.norm(v))


class InsideLayerPanel(OnScreenUpdates):
    def __init__(
        self, session: Session, view: LayerTraceView, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session, self.view = session, view
        self.layer, self.head = QSpinBox(), QSpinBox()
        self.layer.setToolTip(self.tr("The block the token is followed through."))
        self.head.setToolTip(
            self.tr("The head whose scores, softmax and weighted sum step 4 shows.")
        )
        self.previous = QPushButton(self.tr("◀ Previous"))
        self.next = QPushButton(self.tr("Next ▶"))
        self.previous.setToolTip(self.tr("The step before this one in the block."))
        self.next.setToolTip(self.tr("The next step through the block."))
        self.all_steps = QCheckBox(self.tr("All steps at once"))
        self.all_steps.setToolTip(
            self.tr("Show the seven steps one under another instead of one by one.")
        )
        self.position = QLabel()
        self.position.setWordWrap(True)
        controls = QHBoxLayout()
        for widget in (QLabel(self.tr("Layer")), self.layer, QLabel(self.tr("Head")), self.head):
            controls.addWidget(widget)
        for widget in (self.previous, self.next, self.all_steps):
            controls.addWidget(widget)
        controls.addWidget(self.position, 1)
        self.diagram = BlockDiagram()

        self.strips = {
            name: VectorStrip(caption)
            for name, caption in (
                ("residual_in", self.tr("the stream coming in")),
                ("attn_gain", self.tr("the learned gain")),
                ("attn_norm", self.tr("after RMSNorm: x / rms × gain")),
                ("qkv", self.tr("this head's query, and its key and value of this token")),
                ("head_outputs", self.tr("every head's weighted sum of values, one row per head")),
                ("attn_out", self.tr("the attention's output, after the output projection")),
                ("residual_mid", self.tr("the stream after the add")),
                ("mlp", self.tr("gate, up and activation(gate) × up")),
                ("mlp_out", self.tr("the MLP's output, after the down projection")),
                ("residual_out", self.tr("the stream leaving the layer")),
            )
        }
        s = self.strips
        self.scores, self.weights = TokenBars("q·k / √d"), TokenBars(self.tr("weight"))
        self.neurons = QLabel()
        self.neurons.setWordWrap(True)
        self.steps = [
            StepBox(0, s["residual_in"]),
            StepBox(1, s["attn_gain"], s["attn_norm"]),
            StepBox(2, s["qkv"]),
            StepBox(3, self.scores, self.weights, s["head_outputs"]),
            StepBox(4, s["attn_out"], s["residual_mid"]),
            StepBox(5, s["mlp"], self.neurons, s["mlp_out"]),
            StepBox(6, s["residual_out"]),
        ]
        body = QWidget()
        body_layout = QVBoxLayout(body)
        for step in self.steps:
            body_layout.addWidget(step)
        body_layout.addStretch()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(controls)
        layout.addWidget(self.diagram)
        layout.addWidget(self.status)
        layout.addWidget(scroll, 1)

        self.layer.valueChanged.connect(view.set_layer)
        self.head.valueChanged.connect(view.set_head)
        self.previous.clicked.connect(lambda: view.set_step(view.step - 1))
        self.next.clicked.connect(lambda: view.set_step(view.step + 1))
        self.all_steps.toggled.connect(view.set_all_steps)
        self.diagram.step_clicked.connect(self._on_part_clicked)
        self.follow(view.changed, self.refresh)
        self.follow(session.model_changed, self._on_model_changed)
        self._on_model_changed()

    def _on_model_changed(self) -> None:
        info = self.session.model_info
        if info is not None:
            arch = info.architecture
            for spin, count in ((self.layer, arch.n_layer), (self.head, arch.n_head)):
                with signals_blocked(spin):
                    spin.setRange(0, count - 1)
        self.refresh()

    def _on_part_clicked(self, step: int) -> None:
        self.all_steps.setChecked(False)
        self.view.set_step(step)

    # --- state -> view -----------------------------------------------------------------------
    def refresh(self) -> None:
        view = self.view
        for spin, value in ((self.layer, view.layer), (self.head, view.head)):
            with signals_blocked(spin):
                spin.setValue(value)
        with signals_blocked(self.all_steps):
            self.all_steps.setChecked(view.all_steps)
        self.diagram.set_current(None if view.all_steps else view.step)
        self.previous.setEnabled(not view.all_steps and view.step > 0)
        self.next.setEnabled(not view.all_steps and view.step < len(STEPS) - 1)
        for index, step in enumerate(self.steps):
            step.setVisible(view.all_steps or index == view.step)
        trace = view.trace if view.current else None
        self.status.setText(view.error or ("" if trace else self.tr("Computing…")))
        if trace is not None:
            self._show(trace)

    def _labels(self) -> list[str]:
        analysis = self.session.analysis
        return [p.label for p in analysis.pieces] if analysis is not None else []

    def _show(self, t: LayerTrace) -> None:
        labels = self._labels()
        P, L, h = t.position, t.layer, min(self.view.head, len(t.q) - 1)
        info = self.session.model_info
        gate = info.architecture.gate_name if info is not None else "SiLU"
        normed_again = info is not None and info.architecture.post_norms
        post = self.tr(", normalised once more (an RMSNorm after the MLP)") if normed_again else ""
        kv = h // t.group_size
        self.position.setText(
            self.tr(
                "Token #{position} <b>{token}</b> in layer {layer} "
                "(select another token in any panel)"
            ).format(position=P, token=repr(labels[P]), layer=L)
        )
        s, steps = self.strips, self.steps
        x = t.residual_in
        steps[0].text.setText(
            (
                self.tr(
                    "{token} enters layer {layer} as {n} numbers, length {length:.2f}: its "
                    "embedding plus everything layers 0–{last} added to it."
                )
                if L
                else self.tr(
                    "{token} enters layer 0 as its token embedding: {n} numbers, "
                    "length {length:.2f}."
                )
            ).format(token=repr(labels[P]), layer=L, n=len(x), length=_length(x), last=L - 1)
        )
        s["residual_in"].show_values(x)
        gain, normed = t.attn_gain, _length(t.attn_norm)
        steps[1].text.setText(
            self.tr(
                "Divided by its root mean square, <b>{rms:.4f}</b>, then multiplied by a learned "
                "gain per dimension ({low:+.3f} to {high:+.3f}): length {length:.2f}. This is "
                "what the queries, keys and values read."
            ).format(rms=t.attn_rms, low=gain.min(), high=gain.max(), length=normed)
        )
        s["attn_gain"].show_values(t.attn_gain)
        s["attn_norm"].show_values(t.attn_norm)
        turned = float(np.degrees(np.arccos(np.clip(
            np.dot(t.q_raw[h], t.q[h]) / max(_length(t.q_raw[h]) * _length(t.q[h]), 1e-12), -1, 1
        ))))  # fmt: skip
        steps[2].text.setText(
            self.tr(
                "Each head has a query ({d} numbers); the {kv} key/value heads are shared by "
                "{group} query heads each. The rotary embedding turns each pair of numbers by "
                "an angle that grows with the position ({position}): head {head}'s query "
                "turned by {angle:.1f}° overall, its length unchanged ({before:.3f} → {after:.3f})."
            ).format(
                d=t.q.shape[1],
                kv=t.k.shape[1],
                group=t.group_size,
                position=P,
                head=h,
                angle=turned,
                before=_length(t.q_raw[h]),
                after=_length(t.q[h]),
            )
        )
        rows = [t.q_raw[h], t.q[h], t.k_raw[P, kv], t.k[P, kv], t.v[P, kv]]
        names = [self.tr("query before RoPE"), self.tr("query after"), self.tr("key before RoPE")]
        names += [self.tr("key after"), self.tr("value")]
        s["qkv"].show_values(np.stack(rows), names)
        scores, weights = t.scores[h], t.probs[h]
        best = int(np.argmax(weights))
        seen = int(np.isfinite(scores).sum())
        window = (
            self.tr(" (a sliding-window layer: only the last {seen} count)") if seen <= P else ""
        )
        steps[3].text.setText(
            self.tr(
                "Head {head}: q · k / √{d} for each of the {n} tokens so far{window} "
                "(largest {largest:.2f}), then the softmax turns the scores into weights that "
                "sum to 1: <b>{weight:.1%}</b> on #{best} {token}. The head's output is the "
                "weighted sum of the value vectors (length {length:.3f}, row {head} below)."
            ).format(
                head=h,
                d=t.q.shape[1],
                n=P + 1,
                window=window.format(seen=seen),
                largest=scores.max(),
                weight=weights[best],
                best=best,
                token=repr(labels[best]),
                length=_length(t.head_outputs[h]),
            )
        )
        self.scores.show_bars(scores, labels[: P + 1], SCORE_BRUSH)
        self.weights.show_bars(weights, labels[: P + 1], WEIGHT_BRUSH)
        heads = [self.tr("head {i}").format(i=i) for i in range(len(t.q))]
        s["head_outputs"].show_values(t.head_outputs, heads)
        mid = t.residual_mid
        steps[4].text.setText(
            self.tr(
                "The {heads} heads' outputs, side by side, go through the output projection: "
                "a vector of length {length:.2f}, added to the stream (length {before:.2f} → "
                "{after:.2f}; it moved by {moved:.0%} of its length)."
            ).format(
                heads=len(t.q),
                length=_length(t.attn_out),
                before=_length(x),
                after=_length(mid),
                moved=_length(mid - x) / max(_length(x), 1e-12),
            )
        )
        s["attn_out"].show_values(t.attn_out)
        s["residual_mid"].show_values(mid)
        steps[5].text.setText(
            self.tr(
                "RMSNorm again (divides by {rms:.4f}), then two projections to {n} numbers, gate "
                "and up; {gate}(gate) × up decides which neurons fire. The down projection "
                "brings them back to {d} numbers{post} (length {length:.2f}), added to the "
                "stream."
            ).format(
                rms=t.mlp_rms,
                n=len(t.gate),
                gate=gate,
                d=len(mid),
                post=post,
                length=_length(t.mlp_out),
            )
        )
        s["mlp"].show_values(np.stack([t.gate, t.up, t.act]), ["gate", "up", f"{gate}(gate) × up"])
        lm = self.session.model
        token = (lambda i: repr(lm.piece(i).display)) if lm is not None else str
        neuron = self.tr("neuron {index}: {activation:+.3f} → {tokens}")
        self.neurons.setText(
            self.tr("Most active neurons, and the tokens each promotes when it fires like this:")
            + "<br>"
            + "<br>".join(
                neuron.format(
                    index=n.index, activation=n.activation, tokens=", ".join(map(token, n.promotes))
                )
                for n in t.top_neurons
            )
        )
        s["mlp_out"].show_values(t.mlp_out)
        out = t.residual_out
        then = (
            self.tr(
                "This is what layer {next} reads, and the logit lens's row after layer {layer}."
            )
            if L + 1 < self._layers()
            else self.tr("The final norm and the output matrix turn it into the next-token logits.")
        )
        steps[6].text.setText(
            self.tr(
                "{token} leaves layer {layer} with length {length:.2f}; this layer moved it by "
                "{moved:.2f} ({share:.0%}). {then}"
            ).format(
                token=repr(labels[P]),
                layer=L,
                length=_length(out),
                moved=_length(out - x),
                share=_length(out - x) / max(_length(x), 1e-12),
                then=then.format(next=L + 1, layer=L),
            )
        )
        s["residual_out"].show_values(out)

    def _layers(self) -> int:
        info = self.session.model_info
        return info.architecture.n_layer if info is not None else 0

    def export_rows(self) -> list[dict[str, Any]]:
        """Every number of the trace on screen: one row per vector entry."""
        self.session.exportable()
        t = self.view.trace
        if t is None:
            raise PlaygroundError(
                self.tr("Open the Inside a layer panel first: it is computed when shown.")
            )
        names = ("residual_in", "attn_norm", "attn_out", "residual_mid", "mlp_norm", "gate")
        names += ("up", "act", "mlp_out", "residual_out")
        return [
            {"layer": t.layer, "position": t.position, "value": name, "index": i, "number": v}
            for name in names
            for i, v in enumerate(map(float, getattr(t, name)))
        ]
