"""Where models live on disk: the per-user model store.

    <store>/<model-name>/       a converted bundle (model.onnx, tokenizer.json, bundle.json)
    <store>/downloads/          fetched GGUF files, verified against the catalog
    <store>/.tmp/               work in progress; renamed into place only when complete
    <store>/.locks/             one lock file per model: one process prepares it at a time

The store is `$PLAYGROUND_HOME` if set, else `$XDG_DATA_HOME/llm-playground`
(default `~/.local/share/llm-playground`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playground.engine.errors import StoreError
from playground.engine.progress import Progress, check_cancel, no_progress

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; one instance at a time is assumed
    fcntl = None  # type: ignore[assignment]


def store_root() -> Path:
    override = os.environ.get("PLAYGROUND_HOME")
    if override:
        root = Path(override).expanduser()
    else:
        data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
        root = Path(data_home) / "llm-playground"
    where = "PLAYGROUND_HOME" if override else "the model store"
    if root.exists() and not root.is_dir():
        raise StoreError(f"{where} ({root}) is a file, not a folder: point it at a folder.")
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"Cannot create {where} ({root}): {error.strerror or error}.") from None
    if not os.access(root, os.W_OK | os.X_OK):
        raise StoreError(f"Cannot write to {where} ({root}): choose a folder you can write to.")
    return root


def bundle_dir(model_name: str) -> Path:
    return store_root() / model_name


def downloads_dir() -> Path:
    path = store_root() / "downloads"
    path.mkdir(parents=True, exist_ok=True)
    return path


def scratch_dir(prefix: str, parent: Path | None = None) -> Path:
    """A fresh private folder beside `parent` (default: the store), so that the final
    rename into `parent` is atomic (same file system)."""
    tmp_root = (parent or store_root()) / ".tmp"
    tmp_root.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=tmp_root))


def publish_dir(scratch: Path, final: Path) -> None:
    """Move a completed folder into place atomically, replacing an older one if present."""
    if final.exists():
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        final.rename(old)
        scratch.rename(final)
        shutil.rmtree(old, ignore_errors=True)
    else:
        scratch.rename(final)


def folder_size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


@contextmanager
def model_lock(
    name: str, progress: Progress = no_progress, cancel: threading.Event | None = None
) -> Iterator[None]:
    """Hold the store's lock for one model while fetching or converting it.

    Two app instances preparing the same model take turns: the second waits (cancellable)
    and then finds the finished bundle. Holding the lock also means that any scratch
    folder of this model is left over from a process that was killed: it is removed.
    """
    locks = store_root() / ".locks"
    locks.mkdir(parents=True, exist_ok=True)
    with (locks / f"{name}.lock").open("w") as handle:
        if fcntl is not None:
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    progress("Waiting for another LLM Playground preparing this model", 0, 0)
                    check_cancel(cancel)
                    time.sleep(0.2)
        try:
            _remove_leftovers(name)
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_leftovers(name: str) -> None:
    """Scratch folders of `name` from killed runs (we hold its lock, so none is live)."""
    root = store_root()
    leftovers = [*root.glob(f".{name}.old-*")]
    if (root / ".tmp").is_dir():
        leftovers += [*(root / ".tmp").glob(f"convert-{name}-*")]
        leftovers += [*(root / ".tmp").glob(f"fetch-{name}-*")]
    for path in leftovers:
        shutil.rmtree(path, ignore_errors=True)


INDEX_FOLDER = "indexes"  # in the store, beside the bundles


def index_dir() -> Path:
    """Where search indexes live: one SQLite file per collection folder and encoder."""
    path = store_root() / INDEX_FOLDER
    path.mkdir(parents=True, exist_ok=True)
    return path
