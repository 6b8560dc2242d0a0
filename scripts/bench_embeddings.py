"""Benchmark the embedding-space panel on the real default model (offscreen window).

Prints the median time to open the panel with the cached projection (load the embedding
matrix and map, draw all points), to redraw after a prompt change, and one pan/zoom
frame with all 49,152 points (view range changed, map repainted).

Usage: .venv/bin/python scripts/bench_embeddings.py
"""

from __future__ import annotations

from itertools import count

from window_harness import median_ms, offscreen_window

from playground.engine.inspect.analysis import analyse
from playground.engine.inspect.embeddings import EmbeddingSpace


def main() -> int:
    lm, window = offscreen_window()
    window.show_panel("embeddings")
    session, panel = window.session, window.embeddings
    load = median_ms(lambda: EmbeddingSpace(lm.folder), repeats=5)

    def draw() -> None:
        panel.refresh()
        panel.map.viewport().repaint()

    open_ms = median_ms(draw)
    texts = ("The king and the queen ate an apple", "A cat and a dog played in the garden")
    prompts = [analyse(lm, text) for text in texts]
    turns = count()

    def prompt_change() -> None:
        session.analysis = prompts[next(turns) % 2]
        panel._on_analysis_changed()
        panel.map.viewport().repaint()

    prompt_ms = median_ms(prompt_change)
    view = panel.map.getViewBox()
    (x0, x1), (y0, y1) = view.viewRange()
    steps = count()

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
    window.runner.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
