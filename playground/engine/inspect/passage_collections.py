"""Collections of passages to search: the one written for the app (collections/built-in)
or any folder of the user's .txt / .md files, each with its index in the store."""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Callable
from pathlib import Path

from playground.engine.inspect.search_index import SearchIndex, UpdateReport
from playground.engine.runtime.sentence_encoder import SentenceEncoder
from playground.engine.store.folders import index_dir
from playground.resources import app_root

BUILT_IN = app_root() / "collections" / "built-in"


def index_path(folder: Path, encoder_name: str) -> Path:
    """`<store>/indexes/<folder name>-<hash of its full path and the encoder>.sqlite`."""
    folder = Path(folder).resolve()
    digest = hashlib.sha256(f"{folder}\n{encoder_name}".encode()).hexdigest()[:12]
    slug = re.sub(r"[^a-z0-9_-]+", "-", folder.name.lower()).strip("-") or "folder"
    return index_dir() / f"{slug}-{digest}.sqlite"


def open_collection(
    encoder: SentenceEncoder,
    folder: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> tuple[SearchIndex, UpdateReport]:
    """The index of `folder` (default: the built-in collection), brought up to date."""
    folder = Path(folder) if folder is not None else BUILT_IN
    index = SearchIndex(
        index_path(folder, encoder.info.name), encoder.info.name, encoder.dimensions
    )
    report = index.update(folder, encoder, progress=progress, cancel=cancel)
    return index, report
