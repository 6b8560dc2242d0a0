"""Guards against known defects of the Qt binding that crash the app at exit."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    ping = Signal(int)


def test_signal_emit_keeps_the_reference_count_of_true():
    """PySide6 6.12.0 returned True from emit() without a new reference: after enough
    emits Python frees True itself and aborts ("bool_dealloc")."""
    emitter = _Emitter()
    emitter.ping.connect(lambda value: None)
    before = sys.getrefcount(True)
    for i in range(200):
        emitter.ping.emit(i)
    assert sys.getrefcount(True) - before > -50
