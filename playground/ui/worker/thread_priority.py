"""Keep the window responsive while the model computes.

ONNX Runtime runs a forward on every core, and its threads spin while they wait between
operators. On a 2-core laptop the GUI thread then has to share its core and can stall for
100-300 ms when it needs to draw. Giving every other thread of the process a lower
priority (nice +10: about a tenth of the GUI thread's weight when both want the CPU) keeps
the window answering at once, and costs the model nothing while the GUI is idle.
"""

from __future__ import annotations

import os
import sys
import threading

BACKGROUND_NICE = 10


def favour_gui_thread() -> None:
    """Lower the priority of every thread but the GUI (main) thread. Linux only; call it
    after threads are created (ONNX Runtime's pool starts with each model)."""
    if not sys.platform.startswith("linux"):
        return
    gui = threading.main_thread().native_id
    try:
        tasks = os.listdir("/proc/self/task")
    except OSError:
        return
    for task in tasks:
        tid = int(task)
        if tid == gui:
            continue
        try:
            if os.getpriority(os.PRIO_PROCESS, tid) < BACKGROUND_NICE:
                os.setpriority(os.PRIO_PROCESS, tid, BACKGROUND_NICE)
        except OSError:  # the thread has ended meanwhile, or we may not change it
            continue
