"""Set widgets from the state without them signalling back (views never write back what
they are told)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QObject


@contextmanager
def signals_blocked(*objects: QObject) -> Iterator[None]:
    previous = [o.blockSignals(True) for o in objects]
    try:
        yield
    finally:
        for o, was_blocked in zip(objects, previous, strict=True):
            o.blockSignals(was_blocked)
