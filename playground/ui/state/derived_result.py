"""One pattern for every result computed on demand in the background (the logit lens,
attribution, a layer's trace, a receipt, the model's extras, the sentences, a search):

    key()         what the result depends on, e.g. (the Run, the positions read); None
                  when it cannot be computed now (no analysis, generating, ...)
    job(key)      the worker Job that computes it (its lane is declared in worker/jobs.py),
                  or PlaygroundError saying why it will not be computed (shown as the error)
    wanted        its panel is on screen (or it is always wanted: the model's extras)

`request()` submits the job when the result is wanted and its key differs from the key
of the result held (or of the job already on its way): "is this result current?" is
that one comparison, and the Run inside the key makes it cover the model, the prompt and
every intervention. A newer job of the same lane makes an older one stale (the runner
drops it), so only the latest request answers. `forget()` drops the result and whatever
is still on its way (a new model).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from PySide6.QtCore import QObject, Signal

from playground.engine.errors import PlaygroundError
from playground.ui.worker.jobs import Job
from playground.ui.worker.runner import ModelRunner


class DerivedResult(QObject):
    changed = Signal()  # a result, progress, an error, or a setting of the view changed

    def __init__(self, runner: ModelRunner, wanted: bool = False) -> None:
        super().__init__()
        self.runner = runner
        self.wanted = wanted
        self.result: Any = None
        self.result_key: Hashable | None = None  # the key `result` was computed for
        self.error: str | None = None
        self.progress: Any = None  # the running job's last report
        self.running = False
        self._asked: Hashable | None = None  # the key of the job on its way
        self._ticket = -1

    # --- what a view defines ---------------------------------------------------------------
    def key(self) -> Hashable | None:
        raise NotImplementedError

    def job(self, key: Any) -> Job:
        raise NotImplementedError

    # --- the cycle ---------------------------------------------------------------------------
    @property
    def current(self) -> bool:
        """The result held is the one for the present key."""
        key = self.key()
        return key is not None and self.result is not None and self.result_key == key

    def set_wanted(self, wanted: bool) -> None:
        self.wanted = wanted
        self.request()

    def request(self, again: bool = False) -> None:
        """Ask for the result of the present key, if wanted and not held or on its way
        (`again`: even then, e.g. after a setting changed that the key does not hold)."""
        key = self.key()
        if not self.wanted or key is None:
            return
        if not again and key in (self.result_key, self._asked if self.running else None):
            return
        try:
            job = self.job(key)
        except PlaygroundError as refusal:  # e.g. too many parts: said instead of run
            self.result, self.result_key, self.error, self.running = None, None, str(refusal), False
            self.changed.emit()
            return
        self._asked, self.running, self.error, self.progress = key, True, None, None
        self._ticket = self.runner.submit(
            job,
            lambda result: self._done(key, result),
            self._failed,
            self._progressed,
        )
        self.changed.emit()

    def drop_running(self) -> None:
        """Stop the job on its way (its result would no longer be wanted)."""
        if self.running:
            self.runner.cancel(self._ticket)
            self.running, self._asked = False, None
            self.changed.emit()

    def forget(self) -> None:
        """Drop the result and anything on its way (a new model: it belongs to the old)."""
        self.runner.cancel(self._ticket)
        self.result, self.result_key, self._asked = None, None, None
        self.error, self.progress, self.running = None, None, False
        self.changed.emit()

    def _done(self, key: Hashable, result: Any) -> None:
        self.result, self.result_key, self.running, self.progress = result, key, False, None
        self.changed.emit()

    def _failed(self, message: str) -> None:
        self.error, self.running, self.progress = message, False, None
        self.changed.emit()

    def _progressed(self, progress: Any) -> None:
        self.progress = progress
        self.changed.emit()
