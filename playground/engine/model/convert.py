"""Convert a GGUF file into a model bundle, atomically.

Everything is written into a scratch folder inside the store, checked by running one
token through the new graph, and only then renamed into place: an interrupted or failed
conversion leaves no half bundle behind.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import onnx

from playground.engine.model.bundle import (
    CONVERTER_VERSION,
    DECODE_MODEL_FILE,
    INFO_FILE,
    MODEL_FILE,
    TOKENIZER_FILE,
    WEIGHTS_FILE,
    BundleInfo,
    SpecialTokens,
    bundle_name_for,
)
from playground.engine.model.bundle_weights import read_initializer
from playground.engine.model.decode_graph import Blocks, build_decode_graph
from playground.engine.model.gguf_source import TOKEN_CONTROL, GGUFSource, open_gguf
from playground.engine.model.graph import build_graph
from playground.engine.model.projection import load_or_compute_projection
from playground.engine.model.size_estimate import choose_analysis
from playground.engine.model.tokenizer_builder import build_tokenizer_json
from playground.engine.model.weights_file import WeightsFile
from playground.engine.progress import Progress, check_cancel, no_progress
from playground.engine.store.fetch import sha256_of
from playground.engine.store.folders import bundle_dir, publish_dir, scratch_dir

# what ends a turn: SmolLM2 and Qwen, Llama 3, Phi-3, Gemma, SentencePiece Llama
_END_TOKENS = (
    "<|endoftext|>",
    "<|im_end|>",
    "<|eot_id|>",
    "<|end_of_text|>",
    "<|end|>",
    "<end_of_turn>",
    "</s>",
)


BundleCheck = Callable[[Path], None]  # runs a finished bundle; raises ModelFileError if not


def build_bundle(
    gguf_path: Path,
    check: BundleCheck,
    name: str | None = None,
    title: str | None = None,
    progress: Progress = no_progress,
    cancel: threading.Event | None = None,
    sha256: str | None = None,
    destination: Path | None = None,
    analysis_on_blocks: bool | None = None,
) -> Path:
    """Convert `gguf_path` into `destination` (default `<store>/<name>/`), return it;
    `check` runs the bundle before it is published (runtime.conversion runs one token).
    `analysis_on_blocks`: the analysis graph multiplies the GGUF's blocks too; None: for
    models of 0.5 B parameters or more, and smaller ones whose fp32 matrices won't fit."""
    gguf_path = Path(gguf_path)
    name = name or bundle_name_for(gguf_path)
    progress("Reading the GGUF file", 0, 0)
    source = open_gguf(gguf_path)
    arch = source.architecture
    final = Path(destination) if destination else bundle_dir(name)
    # too big for this computer: refused now, with the numbers, before anything is written
    on_blocks = choose_analysis(
        str(source.metadata.get("general.name") or name),
        source.architecture,
        source.tensor_infos,
        _existing(final),
        analysis_on_blocks,
    )
    if on_blocks:
        progress("A big model: prompts will be analysed on its quantized matrices", 0, 0)
    sha256 = sha256 or sha256_of(gguf_path, cancel)
    final.parent.mkdir(parents=True, exist_ok=True)
    work = scratch_dir(f"convert-{name}-", final.parent)
    try:
        (work / TOKENIZER_FILE).write_text(build_tokenizer_json(source.tokenizer), encoding="utf-8")
        steps = _write_graphs(source, work, name, on_blocks, progress, cancel)
        info = BundleInfo(
            name=name,
            title=title or str(source.metadata.get("general.name") or name),
            architecture=arch,
            special=_special_tokens(
                source.tokenizer.tokens,
                source.tokenizer.token_types,
                source.tokenizer.bos_id,
                source.tokenizer.eos_id,
                source.tokenizer.add_bos,
            ),
            tokenizer_model=source.tokenizer.model,
            add_space_prefix=source.tokenizer.add_space_prefix,
            chat_template=source.tokenizer.chat_template,
            license=source.metadata.get("general.license"),
            source_file=gguf_path.name,
            source_sha256=sha256,
            source_bytes=gguf_path.stat().st_size,
            converter_version=CONVERTER_VERSION,
            analysis_on_blocks=on_blocks,
        )
        (work / INFO_FILE).write_text(json.dumps(info.to_json(), indent=2), encoding="utf-8")
        del source  # the GGUF's mapped pages (0.9 GB for a 1B model) before the graphs load
        check_cancel(cancel)
        progress("Checking the converted model", steps, steps)
        check(work)
        progress("Mapping the vocabulary to 2D", steps, steps)
        load_or_compute_projection(work, read_initializer(work, "token_embd.weight"))  # cached
        publish_dir(work, final)
        return final
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)


def _write_graphs(
    source: GGUFSource,
    work: Path,
    name: str,
    on_blocks: bool,
    progress: Progress,
    cancel: threading.Event | None,
) -> int:
    """The analysis and decoding graphs of `source` into `work`, and their weights file;
    returns the steps its progress counted."""
    arch = source.architecture
    total = 2 * arch.n_layer + 2
    stages = ("Converting the weights", "Converting the quantized weights for generation")
    stage, layers_done = stages[0], 0  # where progress stands; moved on for the second graph

    def weight(tensor_name: str) -> np.ndarray:
        check_cancel(cancel)
        if tensor_name.startswith("blk.") and tensor_name.endswith("attn_norm.weight"):
            progress(stage, layers_done + int(tensor_name.split(".")[1]) + 1, total)
        return source.weight(tensor_name)

    def blocks(tensor_name: str) -> Blocks | None:
        check_cancel(cancel)
        return source.blocks(tensor_name)

    # Two graphs of the same network: fp32 matrices analyse prompts (many rows at once,
    # where fp32 kernels are fastest); the decoding graph multiplies the GGUF's own blocks
    # directly, reading a quarter of the bytes for each generated token. Both write their
    # weights into one file as they are built (one tensor's conversion in memory at a
    # time); what they share (a big model's blocks, analysed on them too) is written once.
    progress(stage, layers_done, total)
    weights = WeightsFile(work / WEIGHTS_FILE)
    try:
        analysis = build_graph(
            arch,
            weight,
            name=name,
            rows=source.q8_0_blocks,
            blocks=blocks if on_blocks else None,
            weights=weights,
        )
        onnx.save_model(analysis, str(work / MODEL_FILE))
        del analysis
        stage, layers_done = stages[1], arch.n_layer
        progress(stage, layers_done, total)
        check_cancel(cancel)
        decode = build_decode_graph(arch, weight, blocks, f"{name}-decode", weights)
        onnx.save_model(decode, str(work / DECODE_MODEL_FILE))
    finally:
        weights.close()
    return total


def _existing(folder: Path) -> Path:
    """The nearest folder that exists (where the bundle's disk space is measured)."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def _special_tokens(
    tokens: list[str],
    types: list[int],
    bos_id: int | None,
    eos_id: int | None,
    add_bos: bool = False,
) -> SpecialTokens:
    special_ids = tuple(i for i, t in enumerate(types) if t == TOKEN_CONTROL)
    stop = {i for i in special_ids if tokens[i] in _END_TOKENS}
    if eos_id is not None:
        stop.add(eos_id)
    return SpecialTokens(
        bos_id, eos_id, tuple(sorted(stop)), special_ids, add_bos and bos_id is not None
    )
