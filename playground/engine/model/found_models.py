"""GGUF models already on this machine: where LM Studio, Ollama, the Hugging Face cache,
llama.cpp and the browser (Downloads) keep them, each file listed once with its name,
family, quantization, size and whether this app can open it (and if not, why).

Ollama names its files by their sha256 under blobs/ and keeps the model's name in a
manifest (manifests/<registry>/<namespace>/<model>/<tag>, JSON whose layer of media type
application/vnd.ollama.image.model is the GGUF); the Hugging Face cache keeps blobs too,
with the repository's file names as symlinks under snapshots/.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from playground.engine.errors import PlaygroundError
from playground.engine.model.gguf_source import GGUF_MAGIC, open_gguf
from playground.engine.model.size_estimate import choose_analysis
from playground.engine.model.tokenizer_builder import pre_tokenizer_for
from playground.engine.store.folders import store_root

OLLAMA_MODEL_LAYER = "application/vnd.ollama.image.model"
_SPLIT_PART = re.compile(r"-(\d{5})-of-(\d{5})\.gguf$")  # llama.cpp's gguf-split names


@dataclass(frozen=True)
class FoundModel:
    path: str
    name: str
    family: str | None  # general.architecture, if the header could be read
    quantization: str | None  # e.g. "Q4_K_M", from general.file_type
    bytes: int
    supported: bool
    reason: str  # why it cannot be opened ("" when it can)
    where: str  # "LM Studio", "Ollama", "Hugging Face cache", "llama.cpp cache", "Downloads"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def model_folders(home: Path | None = None) -> list[tuple[str, Path]]:
    """(where, folder) pairs to look in: the usual places under `home`, and the folders the
    tools' own environment variables name (only when looking in the real home)."""
    real = home is None
    home = Path.home() if home is None else Path(home)
    env = os.environ if real else {}
    folders = [
        ("LM Studio", home / ".lmstudio" / "models"),
        ("LM Studio", home / ".cache" / "lm-studio" / "models"),
        (
            "Ollama",
            Path(env["OLLAMA_MODELS"]) if "OLLAMA_MODELS" in env else home / ".ollama" / "models",
        ),
        ("Hugging Face cache", _hugging_face_hub(home, env)),
        (
            "llama.cpp cache",
            Path(env["LLAMA_CACHE"]) if "LLAMA_CACHE" in env else home / ".cache" / "llama.cpp",
        ),
        ("Downloads", home / "Downloads"),
    ]
    if real:  # Ollama installed as a Linux service keeps its store here
        folders.append(("Ollama", Path("/usr/share/ollama/.ollama/models")))
    return folders


def _hugging_face_hub(home: Path, env: Any) -> Path:
    if "HF_HUB_CACHE" in env:
        return Path(env["HF_HUB_CACHE"])
    if "HF_HOME" in env:
        return Path(env["HF_HOME"]) / "hub"
    return home / ".cache" / "huggingface" / "hub"


def scan(home: Path | None = None) -> list[FoundModel]:
    """Every GGUF found, each file once (symlinks and snapshots resolved), by place then name."""
    seen: set[Path] = set()
    found: list[FoundModel] = []
    for where, folder in model_folders(home):
        for path, name in _candidates(where, folder):
            try:
                real = path.resolve()
            except OSError:
                continue
            if real in seen or not real.is_file():
                continue
            seen.add(real)
            found.append(describe(path, where, name))
    return found


def _candidates(where: str, folder: Path) -> Iterator[tuple[Path, str | None]]:
    """(path, name given by the tool) of each GGUF in a tool's folder."""
    if not folder.is_dir():
        return
    if where == "Ollama":
        yield from _ollama(folder)
        return
    depth = 1 if where == "Downloads" else 6  # Downloads: the folder and one below it
    yield from ((p, None) for p in _gguf_files(folder, depth))


def _gguf_files(folder: Path, depth: int) -> Iterator[Path]:
    try:
        entries = sorted(folder.iterdir())
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            if entry.is_dir() and depth > 0:
                yield from _gguf_files(entry, depth - 1)
            elif entry.suffix.lower() == ".gguf" and entry.is_file():
                part = _SPLIT_PART.search(entry.name)
                if part is None or part.group(1) == "00001":  # a split model: its first part
                    yield entry
        except OSError:
            continue


def _ollama(store: Path) -> Iterator[tuple[Path, str]]:
    manifests = store / "manifests"
    if not manifests.is_dir():
        return
    for manifest in sorted(p for p in manifests.rglob("*") if p.is_file()):
        try:
            layers = json.loads(manifest.read_text("utf-8")).get("layers", [])
        except (OSError, ValueError, AttributeError):
            continue  # not a manifest Ollama could read either
        for layer in layers if isinstance(layers, list) else []:
            if not isinstance(layer, dict) or layer.get("mediaType") != OLLAMA_MODEL_LAYER:
                continue
            digest = str(layer.get("digest", "")).replace(":", "-")
            parts = manifest.relative_to(manifests).parts  # registry, namespace, model, tag
            model, tag = (parts[-2], parts[-1]) if len(parts) >= 2 else (parts[-1], "latest")
            namespace = parts[-3] if len(parts) >= 3 else "library"
            name = f"{model}:{tag}" if namespace == "library" else f"{namespace}/{model}:{tag}"
            yield store / "blobs" / digest, name


def describe(path: Path, where: str, name: str | None = None) -> FoundModel:
    """Read a GGUF's header (not its weights) and try what opening it would check."""
    size = _size(path)
    header: dict[str, Any] = {}
    reason = ""
    try:
        with path.open("rb") as f:
            if f.read(4) != GGUF_MAGIC:
                raise PlaygroundError("not a GGUF file (it does not start with 'GGUF')")
        part = _SPLIT_PART.search(path.name)
        if part is not None:
            raise PlaygroundError(
                f"split into {int(part.group(2))} files: join them first (llama-gguf-split --merge)"
            )
        source = open_gguf(path)
        header = dict(source.metadata)
        header.setdefault("tensor_type", _main_tensor_type(source.tensor_infos))
        pre_tokenizer_for(source.tokenizer.pre)  # what conversion would build
        title = str(header.get("general.name") or _stem(path))
        choose_analysis(title, source.architecture, source.tensor_infos, store_root())
    except PlaygroundError as error:
        reason = str(error).removeprefix(f"{path.name}: ").rstrip(".")
        header = header or _header(path)
    except OSError as error:
        reason = f"cannot be read ({error.strerror or error})"
    title = header.get("general.name") or name or _stem(path)
    return FoundModel(
        path=str(path),
        name=str(name if name and where == "Ollama" else title),
        family=header.get("general.architecture"),
        quantization=_quantization(header.get("general.file_type")) or header.get("tensor_type"),
        bytes=size,
        supported=not reason,
        reason=reason,
        where=where,
    )


def _header(path: Path) -> dict[str, Any]:
    """The general.* fields of a GGUF that cannot be opened, for its name and family."""
    try:
        from gguf import GGUFReader

        reader = GGUFReader(path)
        fields = {}
        for key in ("general.name", "general.architecture", "general.file_type"):
            if key in reader.fields:
                fields[key] = reader.fields[key].contents()
        fields["tensor_type"] = _main_tensor_type(reader.tensors)
        return fields
    except Exception:  # a damaged header: nothing more to say than the reason already given
        return {}


def _quantization(file_type: object) -> str | None:
    from gguf import LlamaFileType

    try:
        kind = LlamaFileType(int(file_type))  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
    return kind.name.removeprefix("MOSTLY_").removeprefix("ALL_")


def _main_tensor_type(tensors: Iterable[Any]) -> str | None:
    """When the header names no file type: the type holding most of the matrices' bytes."""
    totals: Counter[str] = Counter()
    for t in tensors:
        if len(t.shape) > 1:
            totals[t.tensor_type.name] += int(t.n_bytes)
    return totals.most_common(1)[0][0] if totals else None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _stem(path: Path) -> str:
    return _SPLIT_PART.sub("", path.name).removesuffix(".gguf")
