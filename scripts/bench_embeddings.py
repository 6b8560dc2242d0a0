"""Benchmark the embedding-space panel on the real default model (offscreen window).

Prints the median time to open the panel with the cached projection (load the embedding
matrix and map, draw all points), to redraw after a prompt change, and one pan/zoom
frame with all 49,152 points (view range changed, map repainted).

Usage: .venv/bin/python scripts/bench_embeddings.py
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from playground.engine import load_model
from playground.engine.analysis import analyse
from playground.engine.embeddings import EmbeddingSpace
from playground.ui.main_window import MainWindow
from playground.ui.runner import ModelRunner


def median_ms(action, repeats: int = 9) -> float:
    action()
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
    while not (window.session.model_info and window.session.background_work_done):
        app.processEvents()
        time.sleep(0.01)
    window.show_panel("embeddings")
    session, panel = window.session, window.embeddings
    app.processEvents()

    load = median_ms(lambda: EmbeddingSpace(lm.folder), repeats=5)

    def draw() -> None:
        panel.refresh()
        panel.map.viewport().repaint()

    open_ms = median_ms(draw)
    prompts = [
        analyse(lm, text)
        for text in ("The king and the queen ate an apple", "A cat and a dog played in the garden")
    ]
    turn = iter(range(1000))

    def prompt_change() -> None:
        session.analysis = prompts[next(turn) % 2]
        panel._on_analysis_changed()
        panel.map.viewport().repaint()

    prompt_ms = median_ms(prompt_change)
    view = panel.map.getViewBox()
    (x0, x1), (y0, y1) = view.viewRange()
    steps = iter(range(10_000))

    def frame() -> None:
        i = next(steps) % 20
        zoom = 1.0 - 0.04 * i  # zoom in step by step while panning right
        shift = 0.05 * i * (x1 - x0)
        view.setRange(
            xRange=(x0 + shift, x0 + shift + (x1 - x0) * zoom),
            yRange=(y0, y0 + (y1 - y0) * zoom),
            padding=0,
        )
        panel.map.viewport().repaint()

    frame_ms = median_ms(frame, repeats=40)
    print(f"model: {lm.info.title}; {lm.vocab_size:,} points; window 1600x1000 offscreen")
    print(f"load embeddings + cached map  {load:8.1f} ms   (engine, on the worker thread)")
    print(f"open panel: draw everything   {open_ms:8.1f} ms")
    print(f"redraw after a prompt change  {prompt_ms:8.1f} ms")
    print(f"pan/zoom frame, all points    {frame_ms:8.1f} ms   ({1000 / frame_ms:.0f} frames/s)")
    runner.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
