"""What the "Inside a layer" panel shows: which layer and head, which step of the block,
and the trace of the selected token (the last if none) through that layer, computed in
the background while the panel is on screen, with the run's interventions."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP

from playground.engine.inspect.layer_trace import LayerTrace
from playground.ui.state.derived_result import DerivedResult
from playground.ui.state.on_screen_run import OnScreenRun
from playground.ui.worker.jobs import Job
from playground.ui.worker.model_jobs import layer_trace_job
from playground.ui.worker.runner import ModelRunner

STEPS = (  # the steps' titles, translated where shown
    QT_TRANSLATE_NOOP("LayerTraceView", "The residual stream coming in"),
    QT_TRANSLATE_NOOP("LayerTraceView", "RMSNorm"),
    QT_TRANSLATE_NOOP(
        "LayerTraceView", "Queries, keys and values, with the rotary position embedding"
    ),
    QT_TRANSLATE_NOOP("LayerTraceView", "One head: scores, softmax, weighted sum of values"),
    QT_TRANSLATE_NOOP("LayerTraceView", "Output projection and the residual add"),
    QT_TRANSLATE_NOOP("LayerTraceView", "The MLP: gate, up, activation(gate) × up, down"),
    QT_TRANSLATE_NOOP("LayerTraceView", "The stream leaving the layer"),
)


class LayerTraceView(DerivedResult):
    def __init__(self, runner: ModelRunner, session: OnScreenRun) -> None:
        super().__init__(runner)
        self.session = session
        self.layer, self.head, self.step = 0, 0, 0
        self.all_steps = False  # every step at once instead of one at a time
        session.analysis_changed.connect(self.request)
        session.selection_changed.connect(self.request)
        session.model_changed.connect(self._forget)

    @property
    def trace(self) -> LayerTrace | None:
        return self.result

    def set_layer(self, layer: int) -> None:
        if layer != self.layer:
            self.layer = layer
            self.changed.emit()
            self.request()

    def set_head(self, head: int) -> None:
        if head != self.head:
            self.head = head
            self.changed.emit()

    def set_step(self, step: int) -> None:
        step = min(max(step, 0), len(STEPS) - 1)
        if step != self.step:
            self.step = step
            self.changed.emit()

    def set_all_steps(self, on: bool) -> None:
        if on != self.all_steps:
            self.all_steps = on
            self.changed.emit()

    def key(self) -> Hashable | None:
        s = self.session
        analysis, position = s.analysis, s.focus_token
        if s.generating or analysis is None or position is None or not analysis.ids:
            return None
        return (analysis.run, self.layer, position)

    def job(self, key: Any) -> Job:
        run, layer, position = key
        analysis = self.session.analysis
        assert analysis is not None and analysis.run == run
        maps = analysis.forward.attentions if analysis.forward is not None else None
        return layer_trace_job(run, maps, layer, position)

    def to_dict(self) -> dict[str, Any]:
        return {
            "layer": self.layer,
            "head": self.head,
            "step": self.step,
            "all_steps": self.all_steps,
        }

    def restore(self, data: dict[str, Any]) -> None:
        """`to_dict`'s form (a session file's), clamped to the model's layers and heads."""
        model = self.session.model
        layers, heads = (model.arch.n_layer, model.arch.n_head) if model else (1, 1)
        self.layer = min(max(int(data.get("layer", 0)), 0), layers - 1)
        self.head = min(max(int(data.get("head", 0)), 0), heads - 1)
        self.step = min(max(int(data.get("step", 0)), 0), len(STEPS) - 1)
        self.all_steps = bool(data.get("all_steps", False))
        self.changed.emit()
        self.request()

    def _forget(self) -> None:
        self.layer = self.head = 0
        self.forget()
