"""Benchmark the window's responsiveness on the real default model (offscreen).

Prints, for a ~10-token and a ~200-token prompt:
  - slider move -> next-token chart redrawn (distribution recomputed, bars and labels
    updated, the plot repainted): median and max over 60 moves;
  - keystroke -> every panel updated and repainted: median over 8 keystrokes, with the
    debounce interval shown separately from the work after it.

Usage: .venv/bin/python scripts/bench_window.py
"""

from __future__ import annotations

import statistics
import time

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from window_harness import offscreen_window, run_until

from playground.ui.state.session import DEBOUNCE_MS

PROMPT_10 = "The cat sat on the mat and looked at the"
PROMPT_200 = (
    "Once upon a time, in a small village at the edge of a great forest, there lived an old "
    "clockmaker who repaired every clock in the valley. Children would gather at his window "
    "to watch the tiny gears turn, and he would tell them stories about the stars, the "
    "rivers and the mountains far away. One winter evening, a stranger arrived with a broken "
    "pocket watch that no one else had been able to fix. The clockmaker opened it carefully "
    "and found, instead of gears, a small folded map drawn in silver ink. The stranger "
    "smiled and said that the map would lead to the place where time itself was made. The "
    "next morning the clockmaker closed his shop, packed a lantern, bread and his finest "
    "tools, and followed the map into the forest. After three days of walking he reached a "
    "clearing where the trees grew in perfect circles, and in the middle stood a"
)


def main() -> int:
    lm, window = offscreen_window((1400, 900))
    session, panel = window.session, window.next_token
    print(f"model: {lm.info.title}; window 1400x900 offscreen; debounce {DEBOUNCE_MS} ms")
    print(
        f"{'prompt':>14}  {'slider -> chart (median / max)':>32}  "
        f"{'keystroke -> all panels (median)':>34}  {'of which after debounce':>24}"
    )
    for prompt in (PROMPT_10, PROMPT_200):
        session.set_prompt(prompt, immediate=True)
        run_until(lambda: session.analysis_is_current)
        n_tokens = session.analysis.n_tokens

        slider_times = []
        for i in range(60):
            start = time.perf_counter()
            panel.temperature.slider.setValue(40 + (i * 37) % 120)  # handlers run now
            panel.plot.viewport().repaint()
            slider_times.append(time.perf_counter() - start)

        key_times = []
        for i in range(8):
            window.editor.setFocus()
            done: list[float] = []

            def record(done: list[float] = done) -> None:
                done.append(time.perf_counter())

            session.analysis_changed.connect(record)
            start = time.perf_counter()
            key = Qt.Key.Key_Space if i % 2 == 0 else Qt.Key.Key_Backspace
            QTest.keyClick(window.editor, key)
            run_until(lambda d=done: bool(d) and session.analysis_is_current)
            window.tokenization.chips.repaint()
            panel.plot.viewport().repaint()
            key_times.append(time.perf_counter() - start)
            session.analysis_changed.disconnect(record)

        forward_ms = session.analysis.forward.seconds * 1000
        key_ms = statistics.median(key_times) * 1000
        slider_ms, slider_max = statistics.median(slider_times) * 1000, max(slider_times) * 1000
        print(
            f"{n_tokens:>8} tokens  {slider_ms:>20.2f} / {slider_max:6.2f} ms  "
            f"{key_ms:>30.1f} ms  {key_ms - DEBOUNCE_MS:>21.1f} ms"
            f"   (model forward alone: {forward_ms:.0f} ms)"
        )
    window.runner.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
