"""A training's result kept as a model variant in the store (variant.py), with where it
came from: the base model and its checksum, the data's checksum, every setting and the
loss curve; and how much each matrix changed, ||delta W|| / ||W||."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from playground.engine.errors import PlaygroundError
from playground.engine.finetune.examples import TrainingData
from playground.engine.model.bundle import ADAPTER_FILE, INFO_FILE
from playground.engine.model.bundle_weights import read_initializer
from playground.engine.model.found_models import FoundModel
from playground.engine.model.variant import base_folder, variant_section, write_variant
from playground.engine.runtime.language_model import LanguageModel
from playground.engine.store.folders import bundle_dir, model_lock, scratch_dir

if TYPE_CHECKING:  # (training imports JAX: listing and deleting variants does not need it)
    from playground.engine.finetune.trainer import TrainingResult

NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


def checked_name(name: str, force: bool) -> Path:
    """The store folder a variant of this name goes to; PlaygroundError if the name is
    not one, or names an existing model (a variant may be replaced with `force`)."""
    if not NAME.match(name):
        raise PlaygroundError(
            f"{name!r} cannot name a model: use lower-case letters, digits, '.', '-', '_'."
        )
    final = bundle_dir(name)
    if final.exists():
        if variant_section(final) is None:
            raise PlaygroundError(f"{name} is a converted model: choose another name.")
        if not force:
            raise PlaygroundError(f"A variant named {name} exists: choose another name or --force.")
    return final


def weight_change(lm: LanguageModel, result: TrainingResult) -> list[dict[str, Any]]:
    """Per adapted matrix: ||scale * B A||_F / ||W||_F (the Frobenius norms)."""
    return matrix_changes(result.adapters, result.settings.scale, lm.weights_folder)


def variant_weight_change(folder: Path) -> list[dict[str, Any]]:
    """The same for a variant kept in the store, from its adapter."""
    try:
        with np.load(Path(folder) / ADAPTER_FILE) as stored:
            arrays = {name: stored[name] for name in stored.files}
    except (OSError, ValueError) as error:
        raise PlaygroundError(
            f"{folder}: the variant's adapter cannot be read ({error})."
        ) from error
    scale = float(arrays.pop("scale"))
    names = sorted({key.rsplit(".", 1)[0] for key in arrays})
    adapters = {name: (arrays[f"{name}.a"], arrays[f"{name}.b"]) for name in names}
    return matrix_changes(adapters, scale, base_folder(folder))


def matrix_changes(
    adapters: dict[str, tuple[np.ndarray, np.ndarray]], scale: float, base: Path
) -> list[dict[str, Any]]:
    """`adapters`: name -> (A (r, in), B (out, r)); `base`: the bundle of the weights W."""
    rows = []
    for name, (a, b) in sorted(adapters.items(), key=lambda item: _order(item[0])):
        # ||B A||_F^2 = sum((B^T B) * (A A^T)): r x r products instead of the matrix
        a64, b64 = a.astype(np.float64), b.astype(np.float64)
        squared = float(np.sum((b64.T @ b64) * (a64 @ a64.T)))
        weight = np.asarray(read_initializer(base, f"{name}.weight_t"), np.float64)
        layer, matrix = name.split(".")[1:]
        relative = scale * np.sqrt(max(squared, 0.0)) / float(np.linalg.norm(weight))
        rows.append({"layer": int(layer), "matrix": matrix, "relative": relative})
    return rows


def _order(name: str) -> tuple[int, str]:
    return int(name.split(".")[1]), name


def save_variant(
    lm: LanguageModel,
    name: str,
    result: TrainingResult,
    data: TrainingData,
    force: bool = False,
) -> Path:
    """Write the variant atomically into the store, beside `lm`'s bundle (whose files
    are only read)."""
    if lm.info.variant_base is not None:
        raise PlaygroundError("Train from the base model: a variant of a variant is not kept.")
    final = checked_name(name, force)
    base_name = lm.info.variant_base or lm.info.name
    base_info = json.loads((lm.weights_folder / INFO_FILE).read_text(encoding="utf-8"))
    provenance = {
        "base": base_name,
        "base_title": base_info["title"],
        "base_sha256": lm.info.source_sha256,
        "trained_from": lm.info.name,
        "data_sha256": data.sha256,
        "examples": len(data.examples),
        "settings": result.settings.to_dict(),
        "losses": result.losses,
        "initial_loss": result.initial_loss,
        "final_loss": result.final_loss,
        "check_probabilities": result.check_probs,
        "steps_done": len(result.losses),
        "stopped": result.stopped,
        "seconds": result.seconds,
        "trainable_parameters": result.trainable_parameters,
        "title": f"{base_info['title']} · {name}",
    }
    adapters = dict(result.adapters)
    with model_lock(name):
        scratch = scratch_dir(f"finetune-{name}-")
        try:
            return write_variant(
                final, base_info, adapters, result.settings.scale, provenance, scratch
            )
        finally:
            shutil.rmtree(scratch, ignore_errors=True)


def delete_variant(name: str) -> None:
    """Remove a variant from the store (a converted model is refused: models delete is
    for what fine-tuning made)."""
    folder = bundle_dir(name)
    if not folder.exists() or variant_section(folder) is None:
        raise PlaygroundError(f"There is no variant named {name}.")
    with model_lock(name):
        shutil.rmtree(folder)


def variants_of(base: str) -> list[Path]:
    """The variants of a converted model in the store, by name."""
    root = bundle_dir(base).parent
    found = []
    for folder in sorted(root.iterdir()) if root.is_dir() else []:
        section = variant_section(folder) if folder.is_dir() else None
        if section is not None and section.get("base") == base:
            found.append(folder)
    return found


def variant_rows() -> list[FoundModel]:
    """For File → Open model: each converted model of the store that has fine-tuned
    variants, each followed by its variants (opened like any model, by folder)."""
    from playground.engine.errors import ModelFileError
    from playground.engine.model.bundle import read_bundle_info
    from playground.engine.store.folders import folder_size, store_root

    rows: list[FoundModel] = []
    root = store_root()
    for folder in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if variant_section(folder) is not None or not (folder / INFO_FILE).is_file():
            continue
        variants = variants_of(folder.name)
        try:
            info = read_bundle_info(folder)
        except ModelFileError:
            continue
        if not variants:
            continue
        family = info.architecture.family
        rows.append(
            FoundModel(
                str(folder),
                info.title,
                family,
                "converted",
                folder_size(folder),
                True,
                "",
                "Model store",
            )
        )
        for variant in variants:
            try:
                title = read_bundle_info(variant).title
            except ModelFileError as error:
                rows.append(
                    FoundModel(
                        str(variant),
                        f"  └ {variant.name}",
                        family,
                        "fine-tuned",
                        folder_size(variant),
                        False,
                        str(error),
                        "Model store",
                    )
                )
                continue
            rows.append(
                FoundModel(
                    str(variant),
                    f"  └ {title}",
                    family,
                    "fine-tuned",
                    folder_size(variant),
                    True,
                    "",
                    "Model store",
                )
            )
    return rows
