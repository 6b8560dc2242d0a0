"""`playground install-desktop`: a launcher in the desktop's application menu, with icon.

Writes `<XDG_DATA_HOME>/applications/llm-playground.desktop` (default `~/.local/share`)
pointing at this installation's `llm-playground` command, and the icons into the hicolor
theme. Nothing outside the user's own data folder is touched.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from playground.resources import resources_dir

APP_ID = "llm-playground"


def launcher_command() -> str:
    """The command a double-click should run: the frozen app, or the gui-script beside
    this Python (falling back to `python -m playground`)."""
    if getattr(sys, "frozen", False):
        return f'"{sys.executable}"'
    script = Path(sys.executable).with_name(APP_ID)
    if script.is_file():
        return f'"{script}"'
    return f'"{sys.executable}" -m playground'


def install_desktop_entry(data_home: Path | None = None) -> list[Path]:
    data_home = Path(data_home or os.environ.get("XDG_DATA_HOME") or Path.home() / ".local/share")
    resources = resources_dir()
    written: list[Path] = []
    entry = data_home / "applications" / f"{APP_ID}.desktop"
    entry.parent.mkdir(parents=True, exist_ok=True)
    template = (resources / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    entry.write_text(template.replace("{exec}", launcher_command()), encoding="utf-8")
    written.append(entry)
    icons = data_home / "icons" / "hicolor"
    for source, size in (
        (f"{APP_ID}.svg", "scalable"),
        (f"{APP_ID}-256.png", "256x256"),
        (f"{APP_ID}-48.png", "48x48"),
    ):
        target = icons / size / "apps" / (APP_ID + Path(source).suffix)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(resources / "icons" / source, target)
        written.append(target)
    return written
