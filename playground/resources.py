"""Where the app's own files are: the repository (or installed package) root, or the
folder a standalone build unpacked them into."""

from __future__ import annotations

import sys
from pathlib import Path


def app_root() -> Path:
    frozen = getattr(sys, "_MEIPASS", None)  # set by a PyInstaller build
    return Path(frozen) if frozen else Path(__file__).resolve().parents[1]


def resources_dir() -> Path:
    return app_root() / "resources"


def app_icon_path() -> Path:
    return resources_dir() / "icons" / "llm-playground.svg"
