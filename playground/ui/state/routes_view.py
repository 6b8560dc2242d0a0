"""The routes information takes to a prediction, for the run on screen: computed in the
background while the Causal lab shows them (one run that records every block's outputs),
then drawn for any threshold and prediction without another run."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from PySide6.QtCore import QCoreApplication

from playground.engine.errors import PlaygroundError
from playground.engine.inspect.routes import MAX_TOKENS, RouteEdge, Routes
from playground.ui.state.derived_result import DerivedResult
from playground.ui.state.on_screen_run import OnScreenRun
from playground.ui.worker.causal_jobs import routes_job
from playground.ui.worker.jobs import Job
from playground.ui.worker.runner import ModelRunner


class RoutesView(DerivedResult):
    def __init__(self, runner: ModelRunner, session: OnScreenRun) -> None:
        super().__init__(runner)
        self.session = session
        self.threshold = 0.04
        self.position: int | None = None  # None: the last token
        session.analysis_changed.connect(self.request)
        session.model_changed.connect(self.forget)

    def key(self) -> Hashable | None:
        s = self.session
        if s.generating or s.analysis is None or not s.analysis.ids:
            return None
        return s.analysis.run.model_run

    def job(self, key: Any) -> Job:
        if len(key.ids) > MAX_TOKENS:
            raise PlaygroundError(
                QCoreApplication.translate(
                    "RoutesView", "Routes are drawn for prompts of up to {limit} tokens."
                ).format(limit=MAX_TOKENS)
            )
        return routes_job(key)

    @property
    def routes(self) -> Routes | None:
        return self.result if self.current else None

    def edges(self) -> tuple[RouteEdge, ...]:
        routes = self.routes
        if routes is None:
            return ()
        position = self.position if self.position is not None else len(routes.tokens) - 1
        return routes.edges_at(self.threshold, min(position, len(routes.tokens) - 1))

    def set_threshold(self, threshold: float) -> None:
        self.threshold = float(threshold)
        self.changed.emit()

    def set_position(self, position: int | None) -> None:
        self.position = position
        self.changed.emit()
