"""Whether a bundle was converted from a given GGUF file, without reading the whole file
each time it is opened: the file's checksum is recorded beside the bundle with its size
and modification time, and computed again only when those change (hashing a 0.9 GB 1B
model took 0.9 s of every opening; a 5 GB 8B model, seconds more, from disk)."""

from __future__ import annotations

import contextlib
import json
import threading
from pathlib import Path
from typing import Any

from playground.engine.store.fetch import sha256_of

RECORD_FILE = "source.json"  # in the bundle folder


def converted_from(
    folder: Path, gguf_path: Path, sha256: str, cancel: threading.Event | None = None
) -> bool:
    """Whether the GGUF file at `gguf_path` is the one with checksum `sha256` (the
    bundle's source): from the record when the file is as it was at the last check,
    else by hashing it (and recording the answer)."""
    seen = _as_seen(gguf_path, sha256)
    with contextlib.suppress(OSError, ValueError):
        if json.loads((folder / RECORD_FILE).read_text(encoding="utf-8")) == seen:
            return True
    if sha256_of(gguf_path, cancel) != sha256:
        return False
    record_source(folder, gguf_path, sha256)
    return True


def record_source(folder: Path, gguf_path: Path, sha256: str) -> None:
    """Note that `gguf_path`, as it is now, has checksum `sha256` (best effort: a store
    that cannot be written to only means hashing again next time)."""
    with contextlib.suppress(OSError):
        (folder / RECORD_FILE).write_text(json.dumps(_as_seen(gguf_path, sha256)), "utf-8")


def _as_seen(gguf_path: Path, sha256: str) -> dict[str, Any]:
    stat = gguf_path.stat()
    return {
        "path": str(gguf_path.resolve()),
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "sha256": sha256,
    }
