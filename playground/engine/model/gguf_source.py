"""Read a GGUF file: architecture, tokenizer vocabulary and dequantized fp32 weights.

Weights come back in Hugging Face orientation, (out_features, in_features), with the
llama.cpp rotary permutation of Q and K rows undone, so the graph can use the
rotate-half form of RoPE.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from playground.engine.errors import ModelFileError, UnsupportedModelError
from playground.engine.model.architecture import Architecture
from playground.engine.model.fused_tensors import FUSED_LAYER_TENSORS, fused_part
from playground.engine.model.gguf_architecture import architecture_of, require_field
from playground.engine.model.quant_blocks import CodeBlocks, Q4Blocks, Q8Blocks, q4_k_parts
from playground.engine.model.quant_formats import FORMATS

SUPPORTED_FAMILIES = ("llama", "qwen2", "qwen3", "phi3", "gemma3")
TOKENIZER_MODELS = ("gpt2", "llama")  # byte-level BPE; SentencePiece (Llama 2, Mistral)
GGUF_MAGIC = b"GGUF"
VISION_PREFIXES = ("v.", "mm.")  # an image encoder's tensors and its projector

# GGUF token types (llama.cpp's llama_token_type)
TOKEN_NORMAL, TOKEN_UNKNOWN, TOKEN_CONTROL, TOKEN_USER_DEFINED, TOKEN_UNUSED, TOKEN_BYTE = (
    1,
    2,
    3,
    4,
    5,
    6,
)

_LAYER_TENSORS = {
    "attn_norm.weight",
    "attn_q.weight",
    "attn_k.weight",
    "attn_v.weight",
    "attn_output.weight",
    "ffn_norm.weight",
    "ffn_gate.weight",
    "ffn_up.weight",
    "ffn_down.weight",
}
_BIAS_TENSORS = {"attn_q.bias", "attn_k.bias", "attn_v.bias"}
_QK_NORM_TENSORS = {"attn_q_norm.weight", "attn_k_norm.weight"}  # Qwen3, Gemma 3
_POST_NORM_TENSORS = {"post_attention_norm.weight", "post_ffw_norm.weight"}  # Gemma 3


@dataclass(frozen=True)
class TokenizerSource:
    model: str  # tokenizer.ggml.model: "gpt2" = byte-level BPE, "llama" = SentencePiece
    pre: str  # pre-tokenizer name, e.g. "smollm"
    tokens: list[str]
    token_types: list[int]
    merges: list[str]
    bos_id: int | None
    eos_id: int | None
    chat_template: str | None
    scores: list[float] = field(default_factory=list)  # SentencePiece: each piece's score
    add_bos: bool = False  # the model expects BOS before a text (llama.cpp's add_bos_token)
    add_space_prefix: bool = True  # SentencePiece: a space before a text ("▁Hello")


@dataclass
class GGUFSource:
    path: Path
    architecture: Architecture
    tokenizer: TokenizerSource
    metadata: dict[str, Any]  # general.* fields (name, license, ...)
    _reader: Any = field(repr=False)
    _tensors: dict[str, Any] = field(repr=False)

    def weight(self, name: str) -> np.ndarray:
        """A tensor dequantized to float32, Hugging Face orientation."""
        from gguf.quants import dequantize

        stored, rows = self._stored(name)
        tensor = self._tensors.get(stored)
        if tensor is None:
            raise ModelFileError(f"{self.path.name}: tensor {name!r} is missing.")
        try:
            array = dequantize(tensor.data, tensor.tensor_type)
        except NotImplementedError as error:
            raise UnsupportedModelError(
                f"{self.path.name}: tensor {name} uses quantization "
                f"{tensor.tensor_type.name}, which the gguf package cannot dequantize."
            ) from error
        # GGUF lists dims fastest-first; numpy wants them slowest-first.
        shape = tuple(int(d) for d in reversed(tensor.shape))
        array = np.ascontiguousarray(array.reshape(shape)[rows], dtype=np.float32)
        if self.architecture.family == "llama":
            if name.endswith("attn_q.weight"):
                array = unpermute_rotary(array, self.architecture.n_head)
            elif name.endswith("attn_k.weight"):
                array = unpermute_rotary(array, self.architecture.n_head_kv)
        return array

    @property
    def tensor_infos(self) -> list[Any]:
        """The stored tensors' descriptions (gguf ReaderTensor: name, shape, type, bytes)."""
        return list(self._tensors.values())

    def has(self, name: str) -> bool:
        return self._stored(name)[0] in self._tensors

    def _stored(self, name: str) -> tuple[str, slice]:
        """The stored tensor and rows that hold `name` (Phi-3's fused matrices)."""
        return fused_part(self.architecture, name) or (name, slice(None))

    def q4_1_blocks(self, name: str) -> Q4Blocks | None:
        """The tensor's own 4-bit blocks when it is stored as Q4_1, else None.

        Rows are in Hugging Face orientation like `weight` (blocks run along the input
        axis, so undoing the rotary row permutation keeps every block whole).
        """
        stored, rows = self._stored(name)
        tensor = self._tensors.get(stored)
        if tensor is None or tensor.tensor_type.name != "Q4_1":
            return None
        out_features, in_features = (int(d) for d in reversed(tensor.shape))
        # A Q4_1 block is 20 bytes: scale d (f16), minimum m (f16), 16 bytes of codes whose
        # low nibbles are elements 0..15 and high nibbles elements 16..31.
        raw = np.asarray(tensor.data, dtype=np.uint8).reshape(out_features, -1, 20)  # (out, nb, 20)
        scales = raw[..., 0:2].copy().view(np.float16)[..., 0].astype(np.float32)  # (out, nb)
        minimums = raw[..., 2:4].copy().view(np.float16)[..., 0].astype(np.float32)
        packed = raw[..., 4:20]  # (out, nb, 16)
        codes = np.concatenate([packed & 0x0F, packed >> 4], axis=-1)  # (out, nb, 32)
        if in_features != codes.shape[1] * 32:
            raise ModelFileError(f"{self.path.name}: tensor {name} has a damaged shape.")
        codes, scales, minimums = (
            self._rotary_rows(name, a[rows]) for a in (codes, scales, minimums)
        )
        contiguous = np.ascontiguousarray
        return Q4Blocks(contiguous(codes), contiguous(scales), contiguous(minimums))

    def q8_0_blocks(self, name: str) -> Q8Blocks | None:
        """The tensor's own 8-bit blocks when it is stored as Q8_0 (the token embeddings of
        SmolLM2), else None; rows in Hugging Face orientation like `weight`."""
        stored, part = self._stored(name)
        tensor = self._tensors.get(stored)
        if tensor is None or tensor.tensor_type.name != "Q8_0":
            return None
        rows = int(tensor.shape[-1])
        # A Q8_0 block is 34 bytes: scale d (f16), then 32 signed 8-bit codes.
        raw = np.asarray(tensor.data, dtype=np.uint8).reshape(rows, -1, 34)  # (rows, nb, 34)
        scales = raw[..., 0:2].copy().view(np.float16)[..., 0].astype(np.float32)  # (rows, nb)
        codes = np.ascontiguousarray(raw[..., 2:34]).view(np.int8)  # (rows, nb, 32)
        codes, scales = self._rotary_rows(name, codes[part]), self._rotary_rows(name, scales[part])
        return Q8Blocks(np.ascontiguousarray(codes), np.ascontiguousarray(scales))

    def q4_k_blocks(self, name: str) -> Q4Blocks | None:
        """A Q4_K tensor (the bulk of Q4_K_M files) as Q4_1-style blocks of 32, exactly:
        each sub-block's value is d * scale * code - dmin * min (llama.cpp's
        dequantize_row_q4_K), i.e. a scale and a minimum per 32 weights."""
        stored, rows = self._stored(name)
        tensor = self._tensors.get(stored)
        if tensor is None or tensor.tensor_type.name != "Q4_K":
            return None
        out_features, in_features = (int(d) for d in reversed(tensor.shape))
        raw = np.asarray(tensor.data, dtype=np.uint8).reshape(out_features, -1, 144)[rows]
        scales, minimums, codes = q4_k_parts(raw)  # (out, nb, 8), (out, nb, 8), (out, nb, 8, 32)
        n = raw.shape[0]
        if in_features != raw.shape[1] * 256:
            raise ModelFileError(f"{self.path.name}: tensor {name} has a damaged shape.")
        parts = (codes.reshape(n, -1, 32), scales.reshape(n, -1), minimums.reshape(n, -1))
        codes, scales, minimums = (self._rotary_rows(name, a) for a in parts)
        contiguous = np.ascontiguousarray
        return Q4Blocks(contiguous(codes), contiguous(scales), contiguous(minimums))

    def code_blocks(self, name: str) -> CodeBlocks | None:
        """A Q4_0, Q5_0, Q5_1, Q5_K or Q6_K tensor as the blocks MatMulNBits multiplies,
        exactly (quant_formats.py), rows as `weight` gives them; else None."""
        stored, rows = self._stored(name)
        tensor = self._tensors.get(stored)
        if tensor is None or tensor.tensor_type.name not in FORMATS:
            return None
        block_bytes, weights, read = FORMATS[tensor.tensor_type.name]
        out_features, in_features = (int(d) for d in reversed(tensor.shape))
        if in_features % weights:
            raise ModelFileError(f"{self.path.name}: tensor {name} has a damaged shape.")
        raw = np.asarray(tensor.data, dtype=np.uint8).reshape(out_features, -1, block_bytes)
        blocks = read(raw[rows])
        order = self._rotary_rows(name, np.arange(blocks.codes.shape[0]))  # llama's q/k rows
        return blocks.rows(order)

    def blocks(self, name: str) -> Q4Blocks | Q8Blocks | CodeBlocks | None:
        """The tensor's own blocks when ONNX Runtime multiplies them directly (Q4_1, Q4_K
        re-packed exactly, Q8_0; the other formats as CodeBlocks)."""
        return (
            self.q4_1_blocks(name)
            or self.q4_k_blocks(name)
            or self.q8_0_blocks(name)
            or self.code_blocks(name)
        )

    def _rotary_rows(self, name: str, rows: np.ndarray) -> np.ndarray:
        """Rows (or blocks of rows) of attn_q / attn_k with llama.cpp's rotary permutation
        undone, as `weight` does; any other tensor's unchanged. Blocks run along the input
        axis, so reordering rows keeps every block whole."""
        arch = self.architecture
        if arch.family == "llama":
            heads = {"attn_q.weight": arch.n_head, "attn_k.weight": arch.n_head_kv}
            for suffix, n_heads in heads.items():
                if name.endswith(suffix):
                    return unpermute_rotary(rows, n_heads)
        return rows


def unpermute_rotary(weight: np.ndarray, n_heads: int) -> np.ndarray:
    """Undo llama.cpp's permutation of Q/K rows (adjacent-pair RoPE -> rotate-half RoPE).

    llama.cpp stores, per head, rows as (d/2, 2) interleaved; Hugging Face as (2, d/2).
    Any axes after the first (the input features, or blocks of them) come along.
    """
    out_features, *rest = weight.shape
    head_dim = out_features // n_heads
    return (
        weight.reshape(n_heads, head_dim // 2, 2, *rest)  # (heads, d/2, 2, ...)
        .swapaxes(1, 2)  # (heads, 2, d/2, ...)
        .reshape(out_features, *rest)
    )


def open_gguf(path: Path) -> GGUFSource:
    path = Path(path)
    if path.is_dir():
        found = sorted(p.name for p in path.glob("*.gguf"))
        hint = f" It holds {', '.join(found[:3])}: give one of them." if found else ""
        raise ModelFileError(f"{path} is a folder, not a .gguf file.{hint}")
    if not path.is_file():
        raise ModelFileError(f"{path}: no such file.")
    with path.open("rb") as f:
        magic = f.read(4)
    if magic != GGUF_MAGIC:
        raise ModelFileError(f"{path.name}: not a GGUF file (it does not start with 'GGUF').")
    from gguf import GGUFReader

    try:
        reader = GGUFReader(path)
    except Exception as error:  # the reader raises bare ValueError/IndexError on bad files
        raise ModelFileError(
            f"{path.name}: the GGUF file is damaged or truncated ({error})."
        ) from error
    fields = {name: _field_value(f) for name, f in reader.fields.items()}
    family = fields.get("general.architecture")
    if family not in SUPPORTED_FAMILIES:
        raise UnsupportedModelError(
            f"{path.name}: architecture {family!r} is not supported "
            f"(supported: {', '.join(SUPPORTED_FAMILIES)})."
        )
    tensors = {t.name: t for t in reader.tensors}
    architecture = architecture_of(path, family, fields, tensors)
    _check_tensors(path, architecture, tensors, fields)
    tokenizer = _tokenizer(path, fields)
    if len(tokenizer.tokens) != architecture.vocab_size:
        raise ModelFileError(
            f"{path.name}: the vocabulary has {len(tokenizer.tokens)} tokens but the "
            f"embedding matrix has {architecture.vocab_size} rows."
        )
    metadata = {k: v for k, v in fields.items() if k.startswith("general.")}
    return GGUFSource(path, architecture, tokenizer, metadata, reader, tensors)


def _field_value(f: Any) -> Any:
    try:
        return f.contents()
    except Exception:  # a field the reader cannot decode is simply not used
        return None


def _check_tensors(
    path: Path, arch: Architecture, tensors: dict[str, Any], fields: dict[str, Any]
) -> None:
    expected = {"token_embd.weight", "output_norm.weight"}
    if arch.rope_freq_factors:
        expected.add("rope_freqs.weight")
    if not arch.tied_embeddings:
        expected.add("output.weight")
    fused = arch.family == "phi3"
    per_layer = (FUSED_LAYER_TENSORS if fused else _LAYER_TENSORS) | (
        _BIAS_TENSORS if arch.attention_bias else set()
    )
    per_layer |= _QK_NORM_TENSORS if arch.qk_norm else set()
    per_layer |= _POST_NORM_TENSORS if arch.post_norms else set()
    for i in range(arch.n_layer):
        expected |= {f"blk.{i}.{name}" for name in per_layer}
    missing = sorted(expected - tensors.keys())
    if missing:
        shown = ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise ModelFileError(f"{path.name}: {len(missing)} tensors are missing: {shown}")
    # a vision tower in the same file (Ollama's Gemma 3): the text model runs without it
    unknown = sorted(n for n in tensors.keys() - expected if not n.startswith(VISION_PREFIXES))
    if unknown:
        shown = ", ".join(unknown[:5]) + (" ..." if len(unknown) > 5 else "")
        raise UnsupportedModelError(
            f"{path.name}: tensors this converter does not understand: {shown}"
        )
    # A truncated file often still parses its header: check the data really is there.
    size = path.stat().st_size
    for tensor in tensors.values():
        end = int(tensor.data_offset) + int(tensor.n_bytes)
        if end > size:
            raise ModelFileError(
                f"{path.name}: the file is truncated ({size:,} bytes; tensor "
                f"{tensor.name} needs {end:,})."
            )


def _tokenizer(path: Path, fields: dict[str, Any]) -> TokenizerSource:
    model = fields.get("tokenizer.ggml.model")
    if model not in TOKENIZER_MODELS:
        raise UnsupportedModelError(
            f"{path.name}: tokenizer model {model!r} is not supported "
            "(byte-level BPE 'gpt2' and SentencePiece 'llama' are)."
        )
    tokens = require_field(path, fields, "tokenizer.ggml.tokens")
    merges = require_field(path, fields, "tokenizer.ggml.merges") if model == "gpt2" else []
    scores = (
        [float(s) for s in fields.get("tokenizer.ggml.scores") or []] if model == "llama" else []
    )
    if model == "llama" and len(scores) != len(tokens):
        raise ModelFileError(f"{path.name}: the SentencePiece vocabulary has no scores.")
    add_bos = fields.get("tokenizer.ggml.add_bos_token")
    prefix = fields.get("tokenizer.ggml.add_space_prefix")
    types = fields.get("tokenizer.ggml.token_type") or [TOKEN_NORMAL] * len(tokens)
    bos = fields.get("tokenizer.ggml.bos_token_id")
    eos = fields.get("tokenizer.ggml.eos_token_id")
    return TokenizerSource(
        model=model,
        pre=str(fields.get("tokenizer.ggml.pre") or "default"),
        tokens=list(tokens),
        token_types=[int(t) for t in types],
        merges=list(merges),
        bos_id=None if bos is None else int(bos),
        eos_id=None if eos is None else int(eos),
        chat_template=fields.get("tokenizer.chat_template"),
        scores=scores,
        add_bos=bool(model == "llama" if add_bos is None else add_bos),  # llama.cpp's defaults
        add_space_prefix=True if prefix is None else bool(prefix),
    )
