"""What the "Inside a layer" panel shows: which layer and head, which step of the block,
and the trace of the selected token (the last if none) through that layer, computed in
the background while the panel is on screen, with the window's knock-out."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Signal

from playground.engine.inspect.layer_trace import LayerTrace
from playground.ui.state.session import Session
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


class LayerTraceView(QObject):
    changed = Signal()  # a trace, an error, or the layer, head or step changed

    def __init__(self, runner: ModelRunner, session: Session) -> None:
        super().__init__()
        self.runner, self.session = runner, session
        self.layer, self.head, self.step = 0, 0, 0
        self.all_steps = False  # every step at once instead of one at a time
        self.trace: LayerTrace | None = None
        self.trace_of: tuple[object, ...] = ()  # (ids, layer, position, knock-out) it shows
        self.error: str | None = None
        self.wanted = False  # its panel is on screen
        session.analysis_changed.connect(self.request)
        session.selection_changed.connect(self.request)
        session.model_changed.connect(self._forget)

    def set_wanted(self, wanted: bool) -> None:
        self.wanted = wanted
        self.request()

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

    def wanted_key(self) -> tuple[object, ...] | None:
        s = self.session
        analysis, position = s.analysis, s.focus_token
        if analysis is None or position is None or not analysis.ids:
            return None
        return (analysis.ids, self.layer, position, s.knock_outs.knock_out)

    def request(self) -> None:
        s = self.session
        key = self.wanted_key()
        if not self.wanted or s.generating or key is None or key == self.trace_of:
            return
        analysis = s.analysis
        assert analysis is not None
        _, layer, position, knock_out = key

        def done(trace: LayerTrace) -> None:
            self.trace, self.trace_of, self.error = trace, key, None
            self.changed.emit()

        job = layer_trace_job(analysis, layer, position, knock_out)  # type: ignore[arg-type]
        self.runner.submit(job, done, self._on_failed)

    def _on_failed(self, message: str) -> None:
        self.error = message
        self.changed.emit()

    def _forget(self) -> None:
        self.trace, self.trace_of, self.error = None, (), None
        self.layer = self.head = 0
        self.changed.emit()
