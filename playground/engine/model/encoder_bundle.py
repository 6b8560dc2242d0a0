"""A converted sentence encoder on disk, and its conversion from the sentence-transformers
folder that the catalog's wheel carries as a zip (model.safetensors, config.json,
tokenizer.json, 1_Pooling/config.json, modules.json).

    <store>/<name>/encoder.onnx             sentence vectors and token states
    <store>/<name>/encoder-attentions.onnx  the same graph, with every head's weights too
    <store>/<name>/encoder.weights          fp32 weights, read by both graphs
    <store>/<name>/tokenizer.json, encoder.json
"""

from __future__ import annotations

import json
import shutil
import threading
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from playground.engine.errors import ModelFileError
from playground.engine.progress import Progress, check_cancel, no_progress
from playground.engine.store.folders import publish_dir, scratch_dir

ENCODER_FORMAT = 1
ENCODER_CONVERTER_VERSION = "1"
ENCODER_FILE = "encoder.onnx"
ENCODER_ATTENTIONS_FILE = "encoder-attentions.onnx"
ENCODER_WEIGHTS_FILE = "encoder.weights"
ENCODER_TOKENIZER_FILE = "tokenizer.json"
ENCODER_INFO_FILE = "encoder.json"
ENCODER_FILES = (
    ENCODER_FILE,
    ENCODER_ATTENTIONS_FILE,
    ENCODER_WEIGHTS_FILE,
    ENCODER_TOKENIZER_FILE,
    ENCODER_INFO_FILE,
)


@dataclass(frozen=True)
class EncoderInfo:
    name: str
    title: str
    dimensions: int
    max_tokens: int  # what sentence-transformers reads of a text (its max_seq_length)
    n_layer: int
    n_head: int
    pooling: str  # "mean" (over the attention mask), then L2 normalisation
    license: str
    upstream: str
    source_sha256: str
    converter_version: str

    def to_json(self) -> dict[str, Any]:
        return {"format": ENCODER_FORMAT, **asdict(self)}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> EncoderInfo:
        if raw.get("format") != ENCODER_FORMAT:
            raise ModelFileError(f"encoder format {raw.get('format')!r} is not {ENCODER_FORMAT}")
        fields = {k: v for k, v in raw.items() if k != "format"}
        return cls(**fields)


def is_current_encoder(folder: Path, sha256: str) -> bool:
    try:
        info = EncoderInfo.from_json(
            json.loads((folder / ENCODER_INFO_FILE).read_text(encoding="utf-8"))
        )
    except (OSError, ValueError, TypeError, ModelFileError):
        return False
    return (
        all((folder / f).is_file() for f in ENCODER_FILES)
        and info.converter_version == ENCODER_CONVERTER_VERSION
        and info.source_sha256 == sha256
    )


@dataclass(frozen=True)
class EncoderSource:
    """What the zip holds, checked: the weights, the shape, the tokenizer, the pooling."""

    weights: dict[str, np.ndarray]
    config: dict[str, Any]
    tokenizer_json: str
    max_tokens: int


def read_encoder_zip(path: Path) -> EncoderSource:
    from safetensors.numpy import load as load_safetensors

    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())

            def member(name: str) -> bytes:
                # the files may sit in a top folder of the zip
                found = [n for n in names if n == name or n.endswith("/" + name)]
                if not found:
                    raise ModelFileError(f"{path.name} has no {name}.")
                return archive.read(min(found, key=len))

            config = json.loads(member("config.json"))
            pooling = json.loads(member("1_Pooling/config.json"))
            modules = json.loads(member("modules.json"))
            tokenizer_json = member("tokenizer.json").decode("utf-8")
            try:
                max_tokens = int(json.loads(member("sentence_bert_config.json"))["max_seq_length"])
            except ModelFileError:
                max_tokens = int(config.get("max_position_embeddings", 512))
            weights = load_safetensors(member("model.safetensors"))
    except (zipfile.BadZipFile, OSError, ValueError, KeyError) as error:
        raise ModelFileError(f"{path}: not a readable sentence-encoder zip ({error}).") from error
    if config.get("model_type") != "bert":
        raise ModelFileError(f"{path.name}: model type {config.get('model_type')!r} is not BERT.")
    if not pooling.get("pooling_mode_mean_tokens"):
        raise ModelFileError(f"{path.name}: only mean pooling is supported.")
    if not any(str(m.get("type", "")).endswith("Normalize") for m in modules):
        raise ModelFileError(f"{path.name}: the vectors are not normalised (no Normalize module).")
    if config.get("hidden_act") != "gelu" or config.get("position_embedding_type") != "absolute":
        raise ModelFileError(f"{path.name}: only GELU and absolute positions are supported.")
    return EncoderSource(
        weights, config, tokenizer_json, min(max_tokens, config["max_position_embeddings"])
    )


EncoderCheck = Callable[[Path], None]  # runs a finished encoder; raises ModelFileError if not


def build_encoder_bundle(
    zip_path: Path,
    destination: Path,
    describe: dict[str, str],  # name, title, license, upstream, sha256 of the zip
    check: EncoderCheck,
    progress: Progress = no_progress,
    cancel: threading.Event | None = None,
) -> Path:
    """Convert the zip into `destination`, atomically: written into a scratch folder,
    run by `check`, then renamed into place."""
    import onnx

    from playground.engine.model.encoder_graph import (
        EncoderShape,
        build_encoder_graph,
        with_attention_outputs,
    )

    progress("Reading the sentence encoder", 0, 0)
    source = read_encoder_zip(Path(zip_path))
    c = source.config
    shape = EncoderShape(
        n_layer=int(c["num_hidden_layers"]),
        d_model=int(c["hidden_size"]),
        n_head=int(c["num_attention_heads"]),
        d_ff=int(c["intermediate_size"]),
        max_positions=int(c["max_position_embeddings"]),
        layer_norm_eps=float(c["layer_norm_eps"]),
    )
    check_cancel(cancel)
    work = scratch_dir(f"encoder-{describe['name']}-", parent=destination.parent)
    try:
        progress("Writing the sentence encoder's graph", 0, 1)
        try:
            graph = build_encoder_graph(source.weights, shape)
        except KeyError as error:
            raise ModelFileError(
                f"{Path(zip_path).name}: no weight {error} in the model."
            ) from None
        onnx.save_model(
            graph,
            str(work / ENCODER_FILE),
            save_as_external_data=True,
            all_tensors_to_one_file=True,
            location=ENCODER_WEIGHTS_FILE,
            size_threshold=1024,
        )
        shell = onnx.load(str(work / ENCODER_FILE), load_external_data=False)
        onnx.save_model(with_attention_outputs(shell, shape), str(work / ENCODER_ATTENTIONS_FILE))
        (work / ENCODER_TOKENIZER_FILE).write_text(source.tokenizer_json, encoding="utf-8")
        info = EncoderInfo(
            name=describe["name"],
            title=describe["title"],
            dimensions=shape.d_model,
            max_tokens=source.max_tokens,
            n_layer=shape.n_layer,
            n_head=shape.n_head,
            pooling="mean",
            license=describe.get("license", ""),
            upstream=describe.get("upstream", ""),
            source_sha256=describe["sha256"],
            converter_version=ENCODER_CONVERTER_VERSION,
        )
        (work / ENCODER_INFO_FILE).write_text(
            json.dumps(info.to_json(), indent=2), encoding="utf-8"
        )
        progress("Writing the sentence encoder's graph", 1, 1)
        check_cancel(cancel)
        check(work)
        publish_dir(work, destination)
        return destination
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)
