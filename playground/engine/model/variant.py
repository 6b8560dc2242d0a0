"""A model variant: a fine-tuned copy of a converted model, kept as its small LoRA
adapter beside the base bundle rather than as another copy of the weights (the default
model's fp32 matrices are 570 MB; its adapters a few MB). The variant's folder in the
store holds:

    bundle.json   the base's info under the variant's own name and title, plus
                  "variant": {"base": NAME, "base_sha256", "data_sha256", "settings",
                  "losses", ...} (its provenance, written by the trainer)
    adapter.npz   for each adapted matrix "blk.{i}.{matrix}": A (r, in) and B (out, r);
                  and "scale" (alpha / r)

Opening it opens the base's graphs with every adapted matrix replaced by
W + scale * B A (as the analysis graph stores it, transposed: W_t + scale * A^T B^T),
and every reader of the bundle's weights (read_initializer) gets the same merged
matrices: the variant is the model, exactly, in every panel.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from playground.engine.errors import ModelFileError, PlaygroundError
from playground.engine.model.bundle import ADAPTER_FILE, INFO_FILE


def variant_section(folder: Path) -> dict[str, Any] | None:
    """The "variant" part of a bundle.json, or None for a model converted from a GGUF
    (every weight read asks: the file is read again only when it changes)."""
    path = Path(folder) / INFO_FILE
    try:
        modified = path.stat().st_mtime_ns
    except OSError:
        return None
    return _section(str(path), modified)


@lru_cache(maxsize=32)
def _section(path: str, modified: int) -> dict[str, Any] | None:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    section = data.get("variant") if isinstance(data, dict) else None
    return section if isinstance(section, dict) else None


def base_folder(folder: Path) -> Path:
    """Where a bundle's graphs and weights are: its own folder, or for a variant its
    base's (a sibling in the same store)."""
    section = variant_section(folder)
    if section is None:
        return Path(folder)
    return Path(folder).parent / str(section["base"])


@lru_cache(maxsize=4)
def _deltas(adapter: Path, modified: float) -> dict[str, np.ndarray]:
    try:
        with np.load(adapter) as stored:
            arrays = {name: stored[name] for name in stored.files}
    except (OSError, ValueError) as error:
        raise ModelFileError(f"{adapter}: damaged adapter ({error}).") from error
    scale = float(arrays.pop("scale", 1.0))
    deltas: dict[str, np.ndarray] = {}
    for name in sorted({key.rsplit(".", 1)[0] for key in arrays}):
        a, b = arrays.get(f"{name}.a"), arrays.get(f"{name}.b")  # (r, in), (out, r)
        if a is None or b is None or a.shape[0] != b.shape[1]:
            raise ModelFileError(f"{adapter}: the adapter of {name} is damaged.")
        delta = scale * (a.astype(np.float32).T @ b.astype(np.float32).T)  # (in, out)
        deltas[f"{name}.weight_t"] = delta.astype(np.float32)
    return deltas


def weight_deltas(folder: Path) -> dict[str, np.ndarray]:
    """What a variant adds to its base's matrices, by initializer name ("blk.3.attn_q.
    weight_t": (in, out)); empty for a model that is not a variant."""
    adapter = Path(folder) / ADAPTER_FILE
    if variant_section(folder) is None:
        return {}
    try:
        modified = adapter.stat().st_mtime
    except OSError as error:
        raise ModelFileError(f"{adapter}: the variant's adapter is missing.") from error
    return _deltas(adapter.resolve(), modified)


def write_variant(
    final: Path,
    base_info: Mapping[str, Any],
    adapters: Mapping[str, tuple[np.ndarray, np.ndarray]],
    scale: float,
    provenance: Mapping[str, Any],
    scratch: Path,
) -> Path:
    """Write a variant into `scratch` and move it to `final` in one rename (nothing half
    written is ever found there; a failed write leaves the scratch folder to remove).
    `base_info`: the base's bundle.json; `adapters`: name -> (A (r, in), B (out, r))."""
    info = dict(base_info)
    info["name"] = final.name
    info["title"] = str(provenance.get("title") or f"{base_info['title']} · {final.name}")
    info["variant"] = dict(provenance)
    arrays = {"scale": np.array(scale, np.float32)}
    for name, (a, b) in adapters.items():
        arrays[f"{name}.a"], arrays[f"{name}.b"] = a.astype(np.float32), b.astype(np.float32)
    try:
        np.savez(scratch / ADAPTER_FILE, **arrays)  # type: ignore[arg-type]
        (scratch / INFO_FILE).write_text(json.dumps(info, indent=1), encoding="utf-8")
        if final.exists():
            if variant_section(final) is None:
                raise PlaygroundError(f"{final.name} is a converted model, not a variant.")
            old = final.with_name(f".{final.name}.old")
            shutil.rmtree(old, ignore_errors=True)
            final.rename(old)
            scratch.rename(final)
            shutil.rmtree(old, ignore_errors=True)
        else:
            scratch.rename(final)
    except OSError as error:
        raise PlaygroundError(f"The variant could not be written ({error.strerror}).") from error
    return final
