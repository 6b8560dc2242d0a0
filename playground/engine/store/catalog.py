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

    # what fetch.py needs of any file carried in a wheel
    @property
    def member_bytes(self) -> int:
        return self.gguf_bytes

    @property
    def download_name(self) -> str:
        return self.gguf_filename


@dataclass(frozen=True)
class EncoderEntry:
    """A sentence encoder: a sentence-transformers folder zipped inside a wheel."""

    name: str
    title: str
    requirement: str
    wheel: str
    member: str  # the zip's path inside the wheel
    member_bytes: int
    sha256: str  # of the zip
    license: str
    upstream: str
    architecture: dict[str, Any]

    @property
    def download_name(self) -> str:
        return f"{self.name}.zip"  # the zip's own name ("model.zip") says nothing


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


@cache
def load_encoders() -> tuple[EncoderEntry, ...]:
    """The catalog's sentence encoders; the first is the one the app uses."""
    raw = json.loads(CATALOG_PATH.read_text(encoding="utf-8"))
    return tuple(
        EncoderEntry(
            name=m["name"],
            title=m["title"],
            requirement=m["source"]["requirement"],
            wheel=m["source"]["wheel"],
            member=m["source"]["member"],
            member_bytes=int(m["member_bytes"]),
            sha256=m["sha256"],
            license=m["license"],
            upstream=m["upstream"],
            architecture=m["architecture"],
        )
        for m in raw.get("encoders", [])
    )


def encoder_entry(name: str | None = None) -> EncoderEntry:
    encoders = load_encoders()
    for entry in encoders:
        if name is None or entry.name == name:
            return entry
    known = ", ".join(e.name for e in encoders) or "none"
    raise PlaygroundError(f"Unknown sentence encoder {name!r}. Known encoders: {known}.")


def default_model_name() -> str:
    return load_catalog()[0]


def catalog_entry(name: str) -> CatalogEntry:
    for entry in load_catalog()[1]:
        if entry.name == name:
            return entry
    known = ", ".join(e.name for e in load_catalog()[1])
    raise PlaygroundError(f"Unknown model {name!r}. Known models: {known}.")
