"""Opening a model for a command: with progress on the terminal, on the device asked for
(--device), with a note when that device is not there."""

from __future__ import annotations

import os
import sys

from playground.commands.models import TerminalProgress

DEVICE_HELP = "where the model runs: cpu (default), auto, cuda, directml or coreml"


def set_device(device: str) -> None:
    """Check the name now (one clear line if it is wrong); the model reads it when it opens."""
    from playground.engine.runtime.devices import choose_device

    choose_device(device, [])
    os.environ["PLAYGROUND_DEVICE"] = device


def load_model_for_command(source: str | None):  # -> LanguageModel
    from playground.engine.runtime.loader import load_model

    progress = TerminalProgress()
    try:
        lm = load_model(source, progress=progress)
    finally:
        progress.close()
    if lm.device_notice:
        print(f"playground: note: {lm.device_notice}", file=sys.stderr)
    return lm
