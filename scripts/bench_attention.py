"""Benchmark the attention panel on the real default model (offscreen window).

For a 50- and a 500-token prompt, prints the median time to redraw the layer x head
overview (mosaic built from the attention probabilities, image updated, repainted), for
one layer (9 heads) and for all 30 layers (270 heads), plus the whole panel refresh.

Usage: .venv/bin/python scripts/bench_attention.py
"""

from __future__ import annotations

from window_harness import median_ms, offscreen_window, run_until

SENTENCE = (
    "the river carried small boats past old houses while children watched from bridges and "
    "merchants counted coins in quiet shops near the square where musicians played songs"
)


def prompt_of(lm, n_tokens: int) -> str:
    """Ordinary words, as many as fit in n_tokens."""
    vocabulary, words = SENTENCE.split(" "), []
    while len(lm.encode(" ".join([*words, vocabulary[len(words) % len(vocabulary)]]))) <= n_tokens:
        words.append(vocabulary[len(words) % len(vocabulary)])
    return " ".join(words)


def main() -> int:
    lm, window = offscreen_window()
    window.show_panel("attention")
    session, panel = window.session, window.attention
    print(f"model: {lm.info.title}; window 1600x1000 offscreen; median of 7 after a warm-up")
    print(
        f"{'prompt':>12}  {'overview, 1 layer':>18}  {'overview, 30 layers':>20}  "
        f"{'whole panel refresh':>20}"
    )
    for n in (50, 500):
        session.set_prompt(prompt_of(lm, n), immediate=True)
        run_until(lambda: session.analysis_is_current)

        def overview() -> None:
            panel._draw_overview()
            panel.overview.viewport().repaint()

        def refresh() -> None:
            panel.refresh()
            panel.overview.viewport().repaint()
            panel.detail.graphics.viewport().repaint()
            panel.token_view.repaint()

        session.set_attention_view(all_layers=False)
        one = median_ms(overview)
        session.set_attention_view(all_layers=True)
        every = median_ms(overview)
        whole = median_ms(refresh)
        session.set_attention_view(all_layers=False)
        tokens = session.analysis.n_tokens
        print(f"{tokens:>5} tokens  {one:>15.1f} ms  {every:>17.1f} ms  {whole:>17.1f} ms")
    window.runner.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
