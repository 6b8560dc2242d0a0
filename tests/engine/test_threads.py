"""How many threads ONNX Runtime gets: one per core (at most 8), or PLAYGROUND_THREADS."""

from __future__ import annotations

import os

from playground.engine.runtime.threads import MAX_THREADS, default_threads


def test_threads_follow_the_cores_unless_the_environment_says_otherwise(monkeypatch):
    monkeypatch.delenv("PLAYGROUND_THREADS", raising=False)
    assert default_threads() == min(os.cpu_count() or 1, MAX_THREADS)
    monkeypatch.setenv("PLAYGROUND_THREADS", "3")
    assert default_threads() == 3
    for unusable in ("0", "-2", "two", ""):  # ignored: the default again
        monkeypatch.setenv("PLAYGROUND_THREADS", unusable)
        assert default_threads() == min(os.cpu_count() or 1, MAX_THREADS)
