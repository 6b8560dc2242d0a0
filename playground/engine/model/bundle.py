"""A converted model on disk: model.onnx (+ weights), tokenizer.json and bundle.json."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playground.engine.errors import ModelFileError
from playground.engine.model.architecture import Architecture

BUNDLE_FORMAT = 1
# 13: a big model's prompts multiply its 4-bit blocks in fp32 (exact; faster past ~50 rows);
# 12: one weights file for both graphs (a big model's blocks held once), written as
#   the graphs are built; a big model's analysis graph joins its products as decoding
#   does and multiplies an 8-bit token table in its blocks (no fp32 table);
# 11: interventions as inputs (stream_add, attn_add, mlp_add, head_fill by token) and
#   a run's attention, MLP and head outputs recorded on request (record_rows);
# 10, 9: no head outputs nor a block's internals as outputs (kept to a run's end: memory)
# 8: they were;
# 7: mean ablation (head_fill), head outputs; 6: knock-out masks;
# 5: opset 21, a leaner decoding graph;
# 4: decoding on 8-bit activations, Q8_0 output;
# 3: 4-bit decoding
CONVERTER_VERSION = "13"
MODEL_FILE = "model.onnx"  # fp32 weights: analysing prompts (fastest for many rows)
WEIGHTS_FILE = "model.weights"  # both graphs' weights (weights_file.py)
DECODE_MODEL_FILE = "decode.onnx"  # Q4_1 matrices as 4-bit blocks: one token at a time
TOKENIZER_FILE = "tokenizer.json"
INFO_FILE = "bundle.json"
ADAPTER_FILE = "adapter.npz"  # a variant's LoRA adapter (variant.py)
REQUIRED_FILES = (
    MODEL_FILE,
    WEIGHTS_FILE,
    DECODE_MODEL_FILE,
    TOKENIZER_FILE,
    INFO_FILE,
)


@dataclass(frozen=True)
class SpecialTokens:
    bos_id: int | None
    eos_id: int | None  # the GGUF's end-of-sequence token (for SmolLM2: <|im_end|>)
    stop_ids: tuple[int, ...]  # generation stops at any of these
    special_ids: tuple[int, ...]  # every control token (shown as special in the UI)
    add_bos: bool = False  # a text is read after BOS (Llama 2/3, Mistral; not SmolLM2)


@dataclass(frozen=True)
class BundleInfo:
    name: str
    title: str
    architecture: Architecture
    special: SpecialTokens
    chat_template: str | None
    license: str | None
    source_file: str
    source_sha256: str
    source_bytes: int
    converter_version: str
    # "gpt2" (byte-level BPE, "Ġcat") or "llama" (SentencePiece, "▁cat", "<0x0A>")
    tokenizer_model: str = "gpt2"
    add_space_prefix: bool = True  # SentencePiece: a space before each text
    # a model too big for fp32 matrices: the analysis multiplies the GGUF's own blocks too
    analysis_on_blocks: bool = False
    variant_base: str | None = None  # a fine-tuned variant: its base bundle's name

    def to_json(self) -> dict[str, Any]:
        return {
            "format": BUNDLE_FORMAT,
            "name": self.name,
            "title": self.title,
            "architecture": self.architecture.to_json(),
            "special_tokens": {
                "bos_id": self.special.bos_id,
                "eos_id": self.special.eos_id,
                "stop_ids": list(self.special.stop_ids),
                "special_ids": list(self.special.special_ids),
                "add_bos": self.special.add_bos,
            },
            "tokenizer_model": self.tokenizer_model,
            "add_space_prefix": self.add_space_prefix,
            "analysis_on_blocks": self.analysis_on_blocks,
            "chat_template": self.chat_template,
            "license": self.license,
            "source": {
                "file": self.source_file,
                "sha256": self.source_sha256,
                "bytes": self.source_bytes,
            },
            "converter_version": self.converter_version,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BundleInfo:
        special = data["special_tokens"]
        return cls(
            name=data["name"],
            title=data["title"],
            architecture=Architecture.from_json(data["architecture"]),
            special=SpecialTokens(
                bos_id=special["bos_id"],
                eos_id=special["eos_id"],
                stop_ids=tuple(special["stop_ids"]),
                special_ids=tuple(special["special_ids"]),
                add_bos=bool(special.get("add_bos", False)),
            ),
            tokenizer_model=data.get("tokenizer_model", "gpt2"),
            add_space_prefix=bool(data.get("add_space_prefix", True)),
            analysis_on_blocks=bool(data.get("analysis_on_blocks", False)),
            chat_template=data.get("chat_template"),
            license=data.get("license"),
            source_file=data["source"]["file"],
            source_sha256=data["source"]["sha256"],
            source_bytes=data["source"]["bytes"],
            converter_version=data["converter_version"],
            variant_base=None if data.get("variant") is None else str(data["variant"]["base"]),
        )


def read_bundle_info(folder: Path) -> BundleInfo:
    """Read and check a bundle folder (a variant's: its adapter, and its base as a whole
    bundle); raise ModelFileError naming what is wrong."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ModelFileError(f"{folder}: not a model bundle folder.")
    try:
        data = json.loads((folder / INFO_FILE).read_text(encoding="utf-8"))
    except OSError:
        data = None
    except ValueError as error:
        raise ModelFileError(f"{folder / INFO_FILE}: damaged ({error!r}).") from error
    variant = data.get("variant") if isinstance(data, dict) else None
    required = (INFO_FILE, ADAPTER_FILE) if variant is not None else REQUIRED_FILES
    missing = [name for name in required if not (folder / name).is_file()]
    if missing:
        raise ModelFileError(f"{folder}: the bundle is incomplete, missing {', '.join(missing)}.")
    try:
        if data.get("format") != BUNDLE_FORMAT:
            raise ModelFileError(
                f"{folder / INFO_FILE}: bundle format {data.get('format')!r} is not "
                f"{BUNDLE_FORMAT}; convert the model again."
            )
        info = BundleInfo.from_json(data)
        if variant is not None:
            base = folder.parent / str(variant["base"])
            if read_bundle_info(base).source_sha256 != info.source_sha256:
                raise ModelFileError(f"{folder}: its base {base.name} is another model now.")
        return info
    except ModelFileError:
        raise
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ModelFileError(f"{folder / INFO_FILE}: damaged ({error!r}).") from error


def is_current_bundle(folder: Path) -> bool:
    try:
        return read_bundle_info(folder).converter_version == CONVERTER_VERSION
    except ModelFileError:
        return False


def bundle_name_for(gguf_path: Path) -> str:
    """A folder name for a GGUF file: its stem, lower-case, safe characters only."""
    stem = Path(gguf_path).name.removesuffix(".gguf")
    return re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-.") or "model"
