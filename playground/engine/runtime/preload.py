"""Opening the default model while the window is being built.

Starting the window is ~2 s of Python (Qt, the plotting library, the panels); opening a
model is mostly ONNX Runtime packing its weights, native code that lets Python run on.
Begun first, on a second core, the two overlap: the window's first analysed prompt comes
that much sooner. Only a bundle already converted is opened ahead; fetching and
converting report their progress in the window, which does them itself.
"""

from __future__ import annotations

import contextlib
import threading
from pathlib import Path

from playground.engine.runtime.language_model import LanguageModel
from playground.engine.runtime.loader import is_bundle_of

_lock = threading.Lock()
_pending: dict[Path, tuple[threading.Thread, list[LanguageModel]]] = {}


def start_preload() -> None:
    """Open the default model's bundle in the background, if it is converted already."""
    folder = _ready_bundle()
    if folder is None:
        return
    opened: list[LanguageModel] = []

    def open_it() -> None:
        with contextlib.suppress(Exception):  # the window opens it again, says what failed
            opened.append(LanguageModel(folder))

    thread = threading.Thread(target=open_it, name="preload", daemon=True)
    with _lock:
        _pending[folder.resolve()] = (thread, opened)
    thread.start()


def _ready_bundle() -> Path | None:
    """The default model's bundle folder, if it is converted and current."""
    from playground.engine.store.catalog import catalog_entry, default_model_name
    from playground.engine.store.folders import bundle_dir

    try:
        entry = catalog_entry(default_model_name())
        if is_bundle_of(bundle_dir(entry.name), entry.sha256):
            return bundle_dir(entry.name)
    except Exception:  # a damaged catalog or store: the window will say so
        pass
    return None


def take_preloaded(folder: Path) -> LanguageModel | None:
    """The model opened ahead for `folder` (waiting for it), once; None if none was."""
    with _lock:
        pending = _pending.pop(Path(folder).resolve(), None)
    if pending is None:
        return None
    thread, opened = pending
    thread.join()
    return opened[0] if opened else None
