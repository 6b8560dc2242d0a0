"""Find or make the bundle for what the user asked for, then load it."""

from __future__ import annotations

import threading
from pathlib import Path

from playground.engine.errors import PlaygroundError
from playground.engine.model.bundle import bundle_name_for, is_current_bundle, read_bundle_info
from playground.engine.progress import Progress, no_progress
from playground.engine.runtime.language_model import LanguageModel
from playground.engine.store.catalog import catalog_entry, default_model_name, load_catalog
from playground.engine.store.fetch import fetch_model
from playground.engine.store.folders import bundle_dir, model_lock
from playground.engine.store.source_record import converted_from, record_source


def ensure_catalog_bundle(
    name: str, progress: Progress = no_progress, cancel: threading.Event | None = None
) -> Path:
    """The bundle folder of a catalog model, fetching and converting it if needed."""
    entry = catalog_entry(name)
    folder = bundle_dir(entry.name)
    if is_bundle_of(folder, entry.sha256):
        return folder
    with model_lock(entry.name, progress, cancel):
        if is_bundle_of(folder, entry.sha256):  # another instance made it meanwhile
            return folder
        gguf = fetch_model(entry, progress, cancel)
        from playground.engine.runtime.conversion import convert_gguf  # onnx, gguf: ~1 s

        return convert_gguf(
            gguf,
            name=entry.name,
            title=entry.title,
            progress=progress,
            cancel=cancel,
            sha256=entry.sha256,
        )


def is_bundle_of(folder: Path, sha256: str) -> bool:
    """A current bundle converted from the GGUF with this checksum."""
    return is_current_bundle(folder) and read_bundle_info(folder).source_sha256 == sha256


def ensure_gguf_bundle(
    gguf_path: Path, progress: Progress = no_progress, cancel: threading.Event | None = None
) -> Path:
    """The bundle folder for any GGUF file, converting it unless an identical one exists."""
    name = bundle_name_for(gguf_path)
    folder = bundle_dir(name)
    with model_lock(name, progress, cancel):
        if is_current_bundle(folder):
            progress("Checking the GGUF file", 0, 1)
            source = read_bundle_info(folder).source_sha256
            if converted_from(folder, gguf_path, source, cancel):  # (hashed when changed)
                return folder
        from playground.engine.runtime.conversion import convert_gguf  # onnx, gguf: ~1 s

        folder = convert_gguf(gguf_path, name=name, progress=progress, cancel=cancel)
        record_source(folder, gguf_path, read_bundle_info(folder).source_sha256)
        return folder


def convert_into_store(
    gguf_path: Path,
    name: str | None = None,
    progress: Progress = no_progress,
    cancel: threading.Event | None = None,
    analysis_on_blocks: bool | None = None,
) -> Path:
    """Convert a GGUF file into `<store>/<name>`, taking turns with other instances."""
    name = name or bundle_name_for(gguf_path)
    with model_lock(name, progress, cancel):
        from playground.engine.runtime.conversion import convert_gguf  # onnx, gguf: ~1 s

        return convert_gguf(
            gguf_path, name, progress=progress, cancel=cancel, analysis_on_blocks=analysis_on_blocks
        )


def resolve_bundle(
    source: str | Path | None = None,
    progress: Progress = no_progress,
    cancel: threading.Event | None = None,
) -> Path:
    """A bundle folder for: None (the default model), a catalog name, a bundle folder,
    or a .gguf file."""
    if source is None:
        return ensure_catalog_bundle(default_model_name(), progress, cancel)
    path = Path(source).expanduser()
    if path.is_dir():
        return path
    if path.is_file():
        return ensure_gguf_bundle(path, progress, cancel)
    if str(source) in {e.name for e in load_catalog()[1]}:
        return ensure_catalog_bundle(str(source), progress, cancel)
    if bundle_dir(str(source)).is_dir() and "/" not in str(source):
        return bundle_dir(str(source))
    raise PlaygroundError(
        f"{source}: no such file, bundle folder or catalog model (try `playground models list`)."
    )


def load_model(
    source: str | Path | None = None,
    progress: Progress = no_progress,
    cancel: threading.Event | None = None,
) -> LanguageModel:
    """Load the default model (fetched and converted on first use), a catalog model,
    a converted bundle folder, or a .gguf file (converted into the store on first use)."""
    return LanguageModel(resolve_bundle(source, progress, cancel))
