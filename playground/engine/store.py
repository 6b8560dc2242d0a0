"""Where models live on disk: the per-user model store.

    <store>/<model-name>/       a converted bundle (model.onnx, tokenizer.json, bundle.json)
    <store>/downloads/          fetched GGUF files, verified against the catalog
    <store>/.tmp/               work in progress; renamed into place only when complete

The store is `$PLAYGROUND_HOME` if set, else `$XDG_DATA_HOME/llm-playground`
(default `~/.local/share/llm-playground`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def store_root() -> Path:
    override = os.environ.get("PLAYGROUND_HOME")
    if override:
        root = Path(override).expanduser()
    else:
        data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
        root = Path(data_home) / "llm-playground"
    root.mkdir(parents=True, exist_ok=True)
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
