"""How many threads ONNX Runtime may use per run: one per core (at most 8, beyond which
these small models gain nothing), or PLAYGROUND_THREADS when set — to leave cores to other
work on a shared classroom machine, or to run two test processes side by side."""

from __future__ import annotations

import os

MAX_THREADS = 8


def default_threads() -> int:
    wanted = os.environ.get("PLAYGROUND_THREADS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    return min(os.cpu_count() or 1, MAX_THREADS)
