"""Progress reporting and cancellation for long work (fetch, conversion).

A `Progress` callback receives (stage, done, total): a short human label, and how far
along that stage is in its own units (bytes, layers, ...); total is 0 when unknown.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from playground.engine.errors import Cancelled

Progress = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    pass


def check_cancel(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled("Cancelled.")
