"""Converting a GGUF file into a bundle that is known to run."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from playground.engine.errors import ModelFileError
from playground.engine.model.convert import build_bundle
from playground.engine.progress import Progress, no_progress
from playground.engine.runtime.language_model import LanguageModel


def convert_gguf(
    gguf_path: Path,
    name: str | None = None,
    title: str | None = None,
    progress: Progress = no_progress,
    cancel: threading.Event | None = None,
    sha256: str | None = None,
    destination: Path | None = None,
    analysis_on_blocks: bool | None = None,
) -> Path:
    """Convert `gguf_path` into `destination` (default `<store>/<name>/`), return it; a
    bundle whose graphs cannot run is never published. `analysis_on_blocks`: see
    convert.build_bundle (None: for big models, or when fp32 matrices would not fit)."""
    return build_bundle(
        gguf_path,
        check_bundle_runs,
        name=name,
        title=title,
        progress=progress,
        cancel=cancel,
        sha256=sha256,
        destination=destination,
        analysis_on_blocks=analysis_on_blocks,
    )


def check_bundle_runs(folder: Path) -> None:
    """Run one token through the new bundle; a graph that cannot run is never published."""

    try:
        lm = LanguageModel(folder)
        first = lm.info.special.special_ids[0] if lm.info.special.special_ids else 0
        fw = lm.forward([first, first])  # the analysis graph
        del lm.session  # one graph's weights in memory at a time (a 3B model's: 3.5 GB)
        step = lm.step(fw.cache, [first])  # the decoding graph
    except Exception as error:
        raise ModelFileError(f"The converted model does not run: {error}") from error
    if not (np.isfinite(fw.logits).all() and np.isfinite(step.logits).all()):
        raise ModelFileError("The converted model produces non-finite logits.")
