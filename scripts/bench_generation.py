"""Benchmark generation speed on the real default model: greedy decode of 64 new tokens
after a 16-token prompt, with the KV cache.

Prints tokens/s for the bare engine loop (what `playground generate` does), for the
window with its panels hidden behind other tabs, and for the window with the token-heavy
panels on screen (tokenization chips, attention, next-token chart redrawing as the text
grows).

Usage: .venv/bin/python scripts/bench_generation.py
"""

from __future__ import annotations

import os
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication

from playground.engine import load_model
from playground.engine.generation import generate_tokens
from playground.engine.sampling import Sampler, SamplingSettings
from playground.ui.main_window import MainWindow
from playground.ui.runner import ModelRunner

PROMPT = "The old lighthouse keeper climbed the stairs every evening to light the"
NEW_TOKENS = 64


def run_loop(app: QApplication, condition) -> None:
    loop, poll = QEventLoop(), QTimer()
    poll.setInterval(2)
    poll.timeout.connect(lambda: condition() and loop.quit())
    poll.start()
    loop.exec()
    poll.stop()


def window_rate(app: QApplication, window: MainWindow) -> float:
    session = window.session
    session.set_prompt(PROMPT, immediate=True)
    run_loop(app, lambda: session.analysis_is_current)
    start = time.perf_counter()
    session.generate(NEW_TOKENS)
    run_loop(app, lambda: not session.generating)
    return len(session.current_branch.tokens) / (time.perf_counter() - start)


def main() -> int:
    app = QApplication(sys.argv[:1])
    lm = load_model()
    ids = lm.encode(PROMPT)
    greedy = SamplingSettings(temperature=0.0)
    rates = []
    for _ in range(3):
        start = time.perf_counter()
        n = sum(1 for _ in generate_tokens(lm, ids, NEW_TOKENS, greedy, Sampler(0)))
        rates.append(n / (time.perf_counter() - start))
    engine = sorted(rates)[1]

    runner = ModelRunner()
    window = MainWindow(runner, persist=False)
    window.resize(1600, 1000)
    window.show()
    window.start_loading(lm)
    session = window.session
    run_loop(app, lambda: session.model_info is not None and session.background_work_done)
    session.set_sampling(greedy)
    others = ("tokenization", "next_token", "embeddings", "attention", "logit_lens")
    for key in others:  # only the generated text stays on screen
        window.docks[key].hide()
    window.show_panel("generation")
    hidden = window_rate(app, window)
    for key in others:
        window.docks[key].show()
    window.show_panel("tokenization")
    window.show_panel("attention")
    visible = window_rate(app, window)
    runner.shutdown()
    print(f"model: {lm.info.title}; greedy, {NEW_TOKENS} new tokens, {len(ids)}-token prompt")
    print(f"engine loop (playground generate)      {engine:6.1f} tokens/s")
    print(f"window, only the generated text shown   {hidden:6.1f} tokens/s")
    print(f"window, tokens + attention + next token {visible:6.1f} tokens/s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
