"""Before converting: how much disk the bundle will take and how much memory analysing a
long prompt will need, from the GGUF's header alone, so that a model too big for this
computer is refused with the numbers instead of failing half-way (or swapping for an hour).

The bundle holds the network twice: fp32 matrices for the analysis graph (4 bytes a
weight; a big model's analysis reads the decoding graph's blocks instead, held once)
and the GGUF's own 4/8-bit blocks for the decoding graph (5- and 6-bit codes as
8-bit ones; fp32 where ONNX Runtime has no kernel for the type). Analysing a prompt of
the app's longest length holds both, every layer's hidden states, queries, keys and
values, the attention maps (at most 512 MB at a time) and a block of logits rows. The
estimate errs on the large side: for SmolLM2-135M it says 2.1 GB where the measured peak
at 2,048 tokens is 1.6 GB."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playground.engine.errors import PlaygroundError
from playground.engine.model.architecture import Architecture

BLOCK_TYPES = ("Q4_1", "Q4_K", "Q8_0")  # multiplied in their own blocks by the decoding graph
# the other formats as the decoding graph keeps them (quant_formats.py): bytes a weight,
# codes (4 or 8 bits) and an fp32 scale (and minimum) per block
CODE_BYTES = {"Q4_0": 0.5 + 4 / 32, "Q5_0": 1 + 4 / 32, "Q5_1": 1 + 8 / 32, "Q5_K": 1 + 8 / 32}
CODE_BYTES["Q6_K"] = 1 + 4 / 16
MAPS_AT_ONCE = 512 * 2**20  # attention maps beyond this are computed a layer at a time
LOGIT_ROWS = 1024  # at most this many prompt rows of logits are kept at once
PROMPT_TOKENS = 2048  # the analysis limit (prompt.model_input)
# From this size on, prompts are analysed on the GGUF's blocks by default (numbers within
# ~1e-2 of fp32): fp32 matrices would make a 1B model's bundle 6 GB, its analysis 5 GB.
BLOCKS_FROM_PARAMETERS = 500_000_000


class TooLargeError(PlaygroundError):
    """The model would not fit on this computer's disk or in its memory."""


@dataclass(frozen=True)
class Needs:
    parameters: int
    bundle_bytes: int
    memory_bytes: int  # to analyse a PROMPT_TOKENS-token prompt


def estimate(arch: Architecture, tensors: list[Any], analysis_on_blocks: bool = False) -> Needs:
    """From the architecture and the GGUF's tensor list (gguf ReaderTensor: name,
    n_elements, n_bytes, tensor_type); `analysis_on_blocks`: the analysis graph keeps the
    layers' matrices in their blocks too (a model too big for fp32 ones)."""
    parameters = sum(int(t.n_elements) for t in tensors)

    decode = sum(_decode_bytes(t) for t in tensors)
    # on blocks, the analysis graph multiplies the decoding graph's own tensors: the bundle
    # holds them once, each session its copy
    analysis = decode if analysis_on_blocks else sum(4 * int(t.n_elements) for t in tensors)
    bundle = decode if analysis_on_blocks else analysis + decode
    a, T = arch, min(PROMPT_TOKENS, arch.context_length)
    per_token = 4 * (
        (a.n_layer + 1) * a.d_model  # hidden states
        + a.n_layer * (a.n_head + 2 * a.n_head_kv) * a.head_dim  # queries, keys, values
    )
    maps = min(MAPS_AT_ONCE, 4 * a.n_layer * a.n_head * T * T)
    logits = 4 * min(T, LOGIT_ROWS) * a.vocab_size
    return Needs(parameters, bundle, analysis + decode + T * per_token + maps + logits)


def choose_analysis(
    title: str, arch: Architecture, tensors: list[Any], folder: Path, asked: bool | None = None
) -> bool:
    """Whether the analysis graph keeps the layers in their blocks: as asked; by default
    for a model of BLOCKS_FROM_PARAMETERS or more, or a smaller one whose fp32 matrices
    would not fit. Raises TooLargeError, with the numbers, if the model won't fit."""
    if asked is None:
        fp32 = estimate(arch, tensors)
        asked = fp32.parameters >= BLOCKS_FROM_PARAMETERS
        if not asked:
            try:
                check_fits(title, fp32, folder)
            except TooLargeError:
                asked = True  # fp32 won't fit: blocks might
    check_fits(title, estimate(arch, tensors, asked), folder)
    return asked


def _decode_bytes(tensor: Any) -> int:
    kind = tensor.tensor_type.name
    if kind in BLOCK_TYPES:
        return int(tensor.n_bytes)
    return int(CODE_BYTES.get(kind, 4) * int(tensor.n_elements))  # else fp32


def available_memory() -> int | None:
    """Bytes of memory available now (Linux: MemAvailable), or None if unknown."""
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def check_fits(
    name: str,
    needs: Needs,
    folder: Path,
    memory: int | None = None,
    disk: int | None = None,
) -> None:
    """Raise TooLargeError, with the numbers, if the bundle would not fit in `folder`'s
    disk or the analysis in the memory available (both measured now unless given)."""
    disk = shutil.disk_usage(folder).free if disk is None else disk
    memory = available_memory() if memory is None else memory
    size = f"{name} ({needs.parameters / 1e9:.2f} B parameters)"
    if needs.bundle_bytes > disk:
        raise TooLargeError(
            f"{size} would take about {_gb(needs.bundle_bytes)} once converted; the disk "
            f"holding {folder} has {_gb(disk)} free."
        )
    if memory is not None and needs.memory_bytes > memory:
        raise TooLargeError(
            f"{size} needs about {_gb(needs.memory_bytes)} of memory to analyse a "
            f"{PROMPT_TOKENS:,}-token prompt; this computer has {_gb(memory)} available. "
            "Choose a smaller model or close other programs."
        )


def _gb(n: int) -> str:
    return f"{n / 1e9:.1f} GB"
