"""The Fine-tune panel on the default model, as a class would use it: the made-up fact
preset trained (a picture mid-training, one when done, with the base and the variant
continuing the held-out question side by side), then Compare with the base (the variant
open, the base pinned as A: the next-token chart against A and the heads that changed).

Usage: .venv/bin/python scripts/finetune_screenshots.py OUT_DIR [--name NAME]
Writes OUT_DIR/finetune-training.png, finetune-done.png, finetune-compare.png.
"""

from __future__ import annotations

import sys
from pathlib import Path

from window_harness import offscreen_window, run_for, run_until


def main() -> int:
    out = Path(sys.argv[1])
    name = sys.argv[sys.argv.index("--name") + 1] if "--name" in sys.argv else "zubrowka-demo"
    out.mkdir(parents=True, exist_ok=True)
    _, window = offscreen_window()
    s, state = window.session, window.session.finetune
    window.show_panel("finetune")
    run_until(lambda: s.analysis_is_current)
    state.use_preset("fact")
    state.set_name(name)
    state.start(force=True)
    run_until(lambda: len(state.steps) >= 8 or not state.running, timeout=600)
    run_for(0.3)
    window.grab().save(str(out / "finetune-training.png"))
    run_until(lambda: not state.running, timeout=600)
    if state.error:
        print("error:", state.error)
        return 1
    run_for(0.3)
    window.grab().save(str(out / "finetune-done.png"))
    result = state.result
    print(f"losses {result.losses[0]:.3f} -> {result.final_loss:.4f}, {result.seconds:.1f} s")
    print("check", result.check_probs[0], "->", result.check_probs[-1])
    print("unrelated KL (bits)", result.unrelated_kl)
    print("side by side", result.side_by_side)
    window.variants.compare(result.folder, state.check[0])
    run_until(lambda: s.model_info is not None and s.model_info.name == name, timeout=300)
    run_until(lambda: s.analysis_is_current and s.pinned.pinned, timeout=300)
    window.show_panel("finetune")
    results = window.finetune.columns[1].verticalScrollBar()
    results.setValue(results.maximum())  # down to the grids of what changed
    run_for(0.5)
    window.grab().save(str(out / "finetune-compare.png"))
    window.show_panel("attention")
    run_for(0.5)
    window.grab().save(str(out / "finetune-compare-attention.png"))
    print(f"Wrote the pictures to {out}")
    window.close()  # stops the model's worker (a job still running aborted Python's exit)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
