"""How one next-token probability is computed (the receipt): asked for by the next-token
panel's explanation for a candidate token, for the run on screen with its sampler."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from playground.engine.inspect.receipt import Receipt
from playground.ui.state.derived_result import DerivedResult
from playground.ui.state.on_screen_run import OnScreenRun
from playground.ui.worker.jobs import Job
from playground.ui.worker.model_jobs import receipt_job
from playground.ui.worker.runner import ModelRunner


class ReceiptView(DerivedResult):
    def __init__(self, runner: ModelRunner, session: OnScreenRun) -> None:
        super().__init__(runner)
        self.session = session
        self.token: int | None = None  # the candidate explained
        session.analysis_changed.connect(self.request)
        session.sampling_changed.connect(self.request)
        session.model_changed.connect(self._forget)

    @property
    def receipt(self) -> Receipt | None:
        return self.result if self.current else None

    def explain(self, token: int | None) -> None:
        self.token = token
        self.changed.emit()
        self.request()

    def key(self) -> Hashable | None:
        run = self.session.run
        if run is None or not run.ids or self.token is None:
            return None
        return (run, self.token)

    def job(self, key: Any) -> Job:
        run, token = key
        return receipt_job(run, token)

    def _forget(self) -> None:
        self.token = None
        self.forget()
