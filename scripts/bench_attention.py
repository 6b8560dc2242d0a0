"""Benchmark the attention panel on the real default model (offscreen window).

For a 50- and a 500-token prompt, prints the median time to redraw the layer x head
overview (mosaic built from the attention probabilities, image updated, repainted), for
one layer (9 heads) and for all 30 layers (270 heads), plus the whole panel refresh.

Usage: .venv/bin/python scripts/bench_attention.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from playground.engine import load_model
from playground.ui.main_window import MainWindow
from playground.ui.runner import ModelRunner

WORDS = [
    "the",
    "river",
    "carried",
    "small",
    "boats",
    "past",
    "old",
    "houses",
    "while",
    "children",
    "watched",
    "from",
    "bridges",
    "and",
    "merchants",
    "counted",
    "coins",
    "in",
    "quiet",
    "shops",
    "near",
    "the",
    "square",
    "where",
    "musicians",
    "played",
    "songs",
]


def prompt_of(lm, n_tokens: int) -> str:
    words: list[str] = []
    while len(lm.encode(" ".join(words))) < n_tokens:
        words.append(WORDS[len(words) % len(WORDS)])
    return " ".join(words[:-1]) if len(lm.encode(" ".join(words))) > n_tokens else " ".join(words)


def median_ms(action, repeats: int = 7) -> float:
    action()  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main() -> int:
    app = QApplication(sys.argv[:1])
    lm = load_model()
    runner = ModelRunner()
    window = MainWindow(runner, persist=False)
    window.resize(1600, 1000)
    window.show()
    window.start_loading(lm)
    while window.session.model_info is None:
        app.processEvents()
        time.sleep(0.01)
    window.show_panel("attention")
    session, panel = window.session, window.attention
    print(f"model: {lm.info.title}; window 1600x1000 offscreen; median of 7 after a warm-up")
    print(
        f"{'prompt':>12}  {'overview, 1 layer':>18}  {'overview, 30 layers':>20}  "
        f"{'whole panel refresh':>20}"
    )
    for n in (50, 500):
        session.set_prompt(prompt_of(lm, n), immediate=True)
        while not session.analysis_is_current:
            app.processEvents()
            time.sleep(0.01)
        tokens = session.analysis.n_tokens

        def overview() -> None:
            panel._draw_overview()
            panel.overview.viewport().repaint()

        session.set_attention_view(all_layers=False)
        one = median_ms(overview)
        session.set_attention_view(all_layers=True)
        every = median_ms(overview)

        def refresh() -> None:
            panel.refresh()
            panel.repaint()
            panel.overview.viewport().repaint()
            panel.detail.graphics.viewport().repaint()

        whole = median_ms(refresh)
        session.set_attention_view(all_layers=False)
        print(f"{tokens:>5} tokens  {one:>15.1f} ms  {every:>17.1f} ms  {whole:>17.1f} ms")
    runner.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
