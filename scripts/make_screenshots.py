"""Render the README's pictures from the real window (offscreen), on the default model.

Usage: .venv/bin/python scripts/make_screenshots.py [OUT_DIR]   (default: docs/)
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from playground.engine import load_model
from playground.engine.attention import Scope
from playground.engine.sampling import SamplingSettings
from playground.ui.main_window import MainWindow
from playground.ui.runner import ModelRunner

ANIMAL = "The animal didn't cross the road because it was too tired."


def settle(app: QApplication, window: MainWindow, seconds: float = 0.3) -> None:
    while not window.session.analysis_is_current:
        app.processEvents()
        time.sleep(0.01)
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.01)


def main() -> int:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "docs")
    out.mkdir(parents=True, exist_ok=True)
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
    session, attention = window.session, window.attention

    session.set_prompt("The cat sat on the", immediate=True)
    settle(app, window)
    window.grab().save(str(out / "window.png"))

    session.set_prompt("The king and the queen ate an apple", immediate=True)
    while not session.background_work_done:
        app.processEvents()
        time.sleep(0.01)
    settle(app, window)
    window.show_panel("embeddings")
    session.select_token(1)  # " king"
    window.embeddings.show_path.setChecked(False)
    settle(app, window)
    window.grab().save(str(out / "embeddings.png"))

    session.set_prompt(ANIMAL, immediate=True)
    settle(app, window)
    session.select_token(8)  # " it"
    session.set_attention_view(scope=Scope.HEAD, layer=13, head=8, hide_first=True)
    # The attention dock alone, at slide size, as a teacher would show it.
    dock = window.docks["attention"]
    dock.setFloating(True)
    dock.resize(1500, 720)
    settle(app, window)
    attention.tabs.setCurrentWidget(attention.token_tab)
    settle(app, window)
    dock.grab().save(str(out / "attention-token-view.png"))
    attention.tabs.setCurrentWidget(attention.detail)
    settle(app, window)
    dock.grab().save(str(out / "attention-matrix.png"))
    session.set_attention_view(all_layers=True, hide_first=False)
    attention.tabs.setCurrentWidget(attention.stats)
    settle(app, window, 1.0)
    dock.grab().save(str(out / "attention-all-layers.png"))

    # Generation with two branches, then the logit lens.
    attention.tabs.setCurrentWidget(attention.token_tab)
    dock.setFloating(False)
    session.set_attention_view(all_layers=False)
    session.set_sampling(SamplingSettings(temperature=0.0))
    session.set_prompt("Once upon a time, there was a little", immediate=True)
    settle(app, window)
    session.generate(20)
    while session.generating:
        app.processEvents()
        time.sleep(0.01)
    settle(app, window)
    first = session.current_branch.tokens[0]
    session.branch_from(0, 0, first.alternatives[1].token_id)
    settle(app, window)
    session.generate(14)
    while session.generating:
        app.processEvents()
        time.sleep(0.01)
    generation = window.docks["generation"]
    generation.setFloating(True)
    generation.resize(1400, 330)
    settle(app, window, 0.5)
    generation.grab().save(str(out / "generation-branches.png"))
    generation.setFloating(False)

    session.set_prompt("The capital of France is", immediate=True)
    lens = window.docks["logit_lens"]
    lens.setFloating(True)
    lens.resize(1400, 800)
    lens.show()
    settle(app, window)
    session.select_token(None)
    session.set_lens_wanted(True)
    deadline = time.monotonic() + 60
    while session.lens is None or session.lens.positions[-1] != 4:
        if time.monotonic() > deadline:
            raise TimeoutError(f"no lens: wanted={session.lens_wanted} lens={session.lens}")
        app.processEvents()
        time.sleep(0.01)
    settle(app, window, 0.5)
    lens.grab().save(str(out / "logit-lens.png"))
    runner.shutdown()
    print(f"wrote {', '.join(sorted(p.name for p in out.glob('*.png')))} in {out}/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
