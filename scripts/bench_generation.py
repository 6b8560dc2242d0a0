"""Benchmark generation speed on the real default model: greedy decode of 64 new tokens
with the KV cache.

Prints tokens/s for the bare engine loop (what `playground generate` does), for the
window with only the generated text on screen, and for the window with the tokenization,
attention and next-token panels following every token.

Usage: .venv/bin/python scripts/bench_generation.py
"""

from __future__ import annotations

import time

from window_harness import offscreen_window, run_until

from playground.engine.sampling.distribution import Sampler, SamplingSettings
from playground.engine.sampling.generation import generate_tokens
from playground.ui.window.main_window import MainWindow

PROMPT = "The old lighthouse keeper climbed the stairs every evening to light the"
NEW_TOKENS = 64
GREEDY = SamplingSettings(temperature=0.0)


def window_rate(window: MainWindow) -> float:
    session = window.session
    session.set_prompt(PROMPT, immediate=True)
    run_until(lambda: session.analysis_is_current)
    start = time.perf_counter()
    session.generate(NEW_TOKENS)
    run_until(lambda: not session.generating)
    return len(session.current_branch.tokens) / (time.perf_counter() - start)


def main() -> int:
    lm, window = offscreen_window()
    ids = lm.encode(PROMPT)
    rates = []
    for _ in range(3):
        start = time.perf_counter()
        n = sum(1 for _ in generate_tokens(lm, ids, NEW_TOKENS, GREEDY, Sampler(0)))
        rates.append(n / (time.perf_counter() - start))
    engine = sorted(rates)[1]

    window.session.set_sampling(GREEDY)
    others = ("tokenization", "next_token", "embeddings", "attention", "logit_lens")
    for key in others:  # only the generated text stays on screen
        window.docks[key].hide()
    window.show_panel("generation")
    hidden = window_rate(window)
    for key in others:
        window.docks[key].show()
    window.show_panel("tokenization")
    window.show_panel("attention")
    visible = window_rate(window)
    window.runner.shutdown()
    print(f"model: {lm.info.title}; greedy, {NEW_TOKENS} new tokens, {len(ids)}-token prompt")
    print(f"engine loop (playground generate)        {engine:6.1f} tokens/s")
    print(f"window, only the generated text shown     {hidden:6.1f} tokens/s")
    print(f"window, tokens + attention + next token   {visible:6.1f} tokens/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
