"""Model work off the GUI thread, through one API: `submit(job, on_done, on_failed,
on_progress)` returns a ticket; the callbacks run on the GUI thread. A single worker
thread runs jobs in order; jobs in one lane replace each other (jobs.py), so late work is
skipped, interrupted and dropped by one mechanism for every kind of request.

Loading a model is a job too; its progress and outcome are also announced as signals
(`load_progress`, `loaded`, `load_failed`), since several parts of the window follow them.
"""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal, Slot

from playground.engine.errors import Cancelled, PlaygroundError
from playground.engine.runtime.language_model import LanguageModel
from playground.ui.worker.jobs import Job, JobContext, Lanes
from playground.ui.worker.model_jobs import LoadProgress, load_job
from playground.ui.worker.thread_priority import favour_gui_thread

DONE, FAILED, PROGRESS, DROPPED = "done", "failed", "progress", "dropped"


@dataclass(frozen=True)
class _Callbacks:
    lane: str
    on_done: Callable[[Any], None]
    on_failed: Callable[[str], None] | None
    on_progress: Callable[[Any], None] | None
    stop: threading.Event  # set by stop(): the job ends early, even before it starts


class _Worker(QObject):
    """Lives on the worker thread; runs one job at a time."""

    ended = Signal(int, str, object)  # ticket, DONE / FAILED / PROGRESS / DROPPED, value

    def __init__(self, lanes: Lanes) -> None:
        super().__init__()
        self._lanes = lanes
        self.model: LanguageModel | None = None
        self._per_model: dict[str, Any] = {}
        self.running: JobContext | None = None  # read by the GUI thread to stop it early

    @Slot(int, object, object)
    def run(self, ticket: int, job: Job, stop: threading.Event) -> None:
        context = JobContext(
            ticket,
            job.lane,
            self._lanes,
            self.model,
            report=lambda value: self.ended.emit(ticket, PROGRESS, value),
            use_model=self._use_model,
            per_model=self._per_model,
            stop=stop,
        )
        if context.is_stale():
            self.ended.emit(ticket, DROPPED, None)  # a newer job is queued behind this one
            return
        self.running = context
        try:
            outcome, value = DONE, job.work(context)
        except Cancelled:
            outcome, value = DROPPED, None
        except PlaygroundError as error:
            outcome, value = FAILED, str(error)
        except Exception as error:  # never let a surprise kill the worker thread
            traceback.print_exc()
            unexpected = QCoreApplication.translate("ModelRunner", "Unexpected error: {error}")
            outcome, value = FAILED, unexpected.format(error=repr(error))
        finally:
            self.running = None
        self.ended.emit(ticket, outcome, value)

    def _use_model(self, model: LanguageModel) -> None:
        self.model, self._per_model = model, {}  # what jobs kept belonged to the old one


class ModelRunner(QObject):
    """Owns the worker thread. Lives on the GUI thread."""

    load_progress = Signal(str, int, int)
    loaded = Signal(object)  # LanguageModel (use it only through this runner)
    load_failed = Signal(str, bool)  # message, cancelled
    submitted = Signal(int, object, object)  # ticket, Job, its stop flag (to the worker)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lanes = Lanes()
        self._callbacks: dict[int, _Callbacks] = {}
        self._cancel_load = threading.Event()
        self._thread = QThread()
        self._thread.setObjectName("model-worker")
        self._worker = _Worker(self._lanes)
        self._worker.moveToThread(self._thread)
        self.submitted.connect(self._worker.run)
        self._worker.ended.connect(self._on_ended)  # queued: runs on the GUI thread
        self.loaded.connect(lambda _model: favour_gui_thread())  # the model's threads exist now
        self._thread.start()

    def submit(
        self,
        job: Job,
        on_done: Callable[[Any], None],
        on_failed: Callable[[str], None] | None = None,
        on_progress: Callable[[Any], None] | None = None,
    ) -> int:
        """Queue `job`; its callbacks run on the GUI thread unless it goes stale first.
        An older job of the same lane is stale from now on (interrupted if running)."""
        ticket = self._lanes.take(job.lane)
        stop = threading.Event()
        self._callbacks[ticket] = _Callbacks(job.lane, on_done, on_failed, on_progress, stop)
        self._interrupt_stale()
        self.submitted.emit(ticket, job, stop)
        return ticket

    def stop(self, ticket: int) -> None:
        """Ask a job to end early (a generation stops at its next token); it still answers."""
        callbacks = self._callbacks.get(ticket)
        if callbacks is not None:
            callbacks.stop.set()

    def cancel(self, ticket: int) -> None:
        """End a job early and drop whatever it still sends."""
        if ticket in self._callbacks:  # (not answered yet)
            self._lanes.cancel(ticket)
            self._interrupt_stale()

    def _interrupt_stale(self) -> None:
        running = self._worker.running
        if running is not None and running.is_stale():
            running.end_early(interrupt=True)  # its result would be dropped anyway

    @Slot(int, str, object)
    def _on_ended(self, ticket: int, outcome: str, value: object) -> None:
        callbacks = self._callbacks.get(ticket)
        if callbacks is None:
            return
        stale = self._lanes.is_stale(callbacks.lane, ticket)
        if outcome != PROGRESS:  # the job's last word
            del self._callbacks[ticket]
            self._lanes.forget(ticket)
        if outcome == DROPPED or stale:
            return
        if outcome == DONE:
            callbacks.on_done(value)
        elif outcome == FAILED and callbacks.on_failed is not None:
            callbacks.on_failed(str(value))
        elif outcome == PROGRESS and callbacks.on_progress is not None:
            callbacks.on_progress(value)

    # --- loading ---------------------------------------------------------------------------
    def load(self, source: object = None) -> None:
        self._cancel_load = threading.Event()
        cancel = self._cancel_load

        def failed(message: str) -> None:
            self.load_failed.emit(message, False)

        def progress(step: LoadProgress) -> None:
            self.load_progress.emit(step.stage, step.done, step.total)

        def done(model: LanguageModel | None) -> None:
            if model is None:
                self.load_failed.emit("Cancelled.", True)
            else:
                self.loaded.emit(model)

        self.submit(load_job(source, cancel), done, failed, progress)

    def cancel_load(self) -> None:
        """Stop a load under way: once its partial files are cleared away, it ends with
        load_failed("Cancelled.", True)."""
        self._cancel_load.set()

    def shutdown(self) -> None:
        self._cancel_load.set()
        for ticket in list(self._callbacks):
            self._lanes.cancel(ticket)  # queued jobs are skipped
        self._interrupt_stale()  # closing must not wait for a long forward or generation
        self._thread.quit()
        self._thread.wait()
