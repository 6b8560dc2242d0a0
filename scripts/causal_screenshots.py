"""The Causal lab on the default model, as a class would use it: the patching heatmap
of a capital-city pair (then one cell opened as the run on screen), a sentiment steered
with the layer sweep and the two continuations side by side, and the routes of a fact
prompt.

Usage: .venv/bin/python scripts/causal_screenshots.py OUT_DIR
Writes OUT_DIR/causal-patching.png, causal-steering.png, causal-routes.png. On a real
display (QT_QPA_PLATFORM=xcb, e.g. under Xvfb) it also captures the whole screen beside
each (NAME.screen.png, with ImageMagick's `import`): the window as the X server drew it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from window_harness import offscreen_window, run_for, run_until


def save(window, path: Path) -> None:
    run_for(0.3)
    window.grab().save(str(path))
    if os.environ.get("QT_QPA_PLATFORM") == "xcb" and shutil.which("import"):
        screen = path.with_suffix(".screen.png")
        subprocess.run(["import", "-window", "root", str(screen)], check=True)


def main() -> int:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    _, window = offscreen_window()
    s, lab = window.session, window.session.causal
    window.show_panel("causal")
    run_until(lambda: s.analysis_is_current)

    window.causal.show_tab("patching")
    lab.patching.set_inputs(
        "The Eiffel Tower is in the city of", "The Colosseum is in the city of", "resid"
    )
    start = time.perf_counter()
    lab.patching.run()
    run_until(lambda: lab.patching.result is not None or lab.patching.error is not None, 300)
    if lab.patching.error:
        print("error:", lab.patching.error)
        return 1
    print(f"patching: {time.perf_counter() - start:.1f} s in the window")
    save(window, out / "causal-patching.png")

    window.causal.show_tab("steering")
    s.set_prompt("I think that you are", immediate=True)
    steering = lab.steering
    steering.set_texts("I love you", "I hate you")
    steering.set_layer(6)
    steering.set_strength(-2.0)
    steering.set_enabled(True)
    run_until(lambda: s.analysis_is_current and s.analysis.run.interventions.steering is not None)
    steering.find_best_layer()
    run_until(lambda: steering.sweep.current or steering.error is not None, 300)
    steering.generate_pair()
    run_until(lambda: steering.pair.current or steering.error is not None, 300)
    print("pair:", steering.pair.result)
    save(window, out / "causal-steering.png")

    steering.set_enabled(False)
    s.set_prompt("The Eiffel Tower is in the city of", immediate=True)
    window.causal.show_tab("routes")
    run_until(lambda: s.analysis_is_current)
    run_until(lambda: lab.routes.routes is not None or lab.routes.error is not None, 300)
    save(window, out / "causal-routes.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
