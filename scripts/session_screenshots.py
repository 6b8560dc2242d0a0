"""A session saved with every panel in a non-default state, and opened in a second window:
pictures of both, to look at side by side (the round trip tests/ui/test_session_round_trip.py
checks in numbers).

Usage: .venv/bin/python scripts/session_screenshots.py OUT_DIR
Writes OUT_DIR/session-{saved,opened}-{inside_layer,attribution,sentences,search}.png.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from window_harness import offscreen_window, run_for, run_until

from playground.engine.runtime.knock_out import KnockOut
from playground.engine.sampling.distribution import SamplingSettings
from playground.ui.window.main_window import MainWindow


def shoot(window: MainWindow, out: Path, name: str) -> None:
    """Each panel in front in turn (docks share places), once its result is there."""
    s = window.session
    ready = {
        "inside_layer": lambda: s.layer_trace.current,
        "attribution": lambda: s.attribution.result is not None and not s.attribution.running,
        "sentences": lambda: s.sentences.current,
        "search": lambda: s.search.result is not None,
    }
    for key, done in ready.items():
        window.show_panel(key)
        run_until(lambda: s.analysis_is_current and not s.generating)
        run_until(done)
        run_for(0.5)  # let every panel repaint
        window.grab().save(str(out / f"session-{name}-{key}.png"))


def main() -> int:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    lm, first = offscreen_window()
    s = first.session
    s.set_prompt("The capital of France is", immediate=True)
    run_until(lambda: s.analysis_is_current)
    s.interventions.set_knocked_out(KnockOut.parse("23.4", lm.arch))
    run_until(lambda: s.analysis_is_current)
    s.set_sampling(SamplingSettings(temperature=0.7, top_k=30))
    s.pin_current()
    s.interventions.clear()
    s.set_prompt("The capital of Spain is", immediate=True)
    run_until(lambda: s.analysis_is_current)
    s.layer_trace.set_layer(7)
    s.layer_trace.set_head(3)
    s.layer_trace.set_step(3)
    s.attribution.set_unit("token")
    s.attribution.set_target(lm.encode(" Madrid", continues=True)[0])
    s.sentences.set_sentences(["A cat sat on the mat.", "A kitten lay on the rug.", "Stocks fell."])
    s.sentences.set_pair(0, 1)
    s.search.set_top(2)
    s.search.search("Where is the Eiffel Tower?")
    shoot(first, out, "saved")
    saved = first.save_session_file(Path(tempfile.mkdtemp()) / "every-panel")

    _, second = offscreen_window()
    notes = second.open_session_file(saved)
    print("notes:", notes)
    shoot(second, out, "opened")
    print(f"Wrote the pictures to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
