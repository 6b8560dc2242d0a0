"""A tiny GGUF packed in a wheel the way the real model is, and a catalog entry for it, so
fetching (pip download, extraction, checksum) runs for real without the network."""

from __future__ import annotations

import zipfile
from dataclasses import replace
from pathlib import Path

from playground.engine.store.catalog import CatalogEntry, catalog_entry, default_model_name

MEMBER = "tiny_model/tiny-model.gguf"


def wheel_carrying(folder: Path, gguf: Path) -> Path:
    wheel = folder / "tiny_model-0.1-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        archive.write(gguf, MEMBER)
        info = "tiny_model-0.1.dist-info"
        archive.writestr(
            f"{info}/METADATA", "Metadata-Version: 2.1\nName: tiny-model\nVersion: 0.1\n"
        )
        archive.writestr(
            f"{info}/WHEEL",
            "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        )
        archive.writestr(f"{info}/RECORD", "")
    return wheel


def wheel_entry(wheel: Path, gguf: Path, sha256: str) -> CatalogEntry:
    """A catalog entry named "tiny-from-wheel" for `wheel`, pinned to `sha256`."""
    return replace(
        catalog_entry(default_model_name()),
        name="tiny-from-wheel",
        requirement=str(wheel),
        wheel=wheel.name,
        member=MEMBER,
        gguf_bytes=gguf.stat().st_size,
        sha256=sha256,
    )
