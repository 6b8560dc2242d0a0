"""Write a GGUF shaped like a real model, with random weights, to measure the app at that
size without downloading gigabytes (speed and memory do not depend on the weights'
values). Matrices are Q4_1 blocks, the token embedding Q8_0 (as the issue's measurements
and the default model have them); the blocks are random bytes with small scales, written
straight (no quantization pass: seconds for a billion weights). The tokenizer is GPT-2's
byte-level one over the shape's vocabulary size: the 256 byte tokens, a few merges, and
placeholder tokens no text reaches, then the special tokens.

Usage: .venv/bin/python scripts/make_scale_model.py SHAPE OUT.gguf
       SHAPE: llama-3.2-1b, qwen2.5-0.5b, llama-3.2-3b
Then:  /usr/bin/time -v .venv/bin/playground models convert OUT.gguf --name SHAPE-shape
       .venv/bin/playground bench --model SHAPE-shape [--compare llama.cpp]
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from gguf import GGMLQuantizationType, GGUFWriter


@dataclass(frozen=True)
class Shape:
    family: str
    n_layer: int
    d_model: int
    n_head: int
    n_head_kv: int
    head_dim: int
    d_ff: int
    vocab: int
    rope_theta: float
    attention_bias: bool = False


SHAPES = {  # the published configurations (config.json of each model)
    "llama-3.2-1b": Shape("llama", 16, 2048, 32, 8, 64, 8192, 128_256, 500_000.0),
    "qwen2.5-0.5b": Shape("qwen2", 24, 896, 14, 2, 64, 4864, 151_936, 1_000_000.0, True),
    "llama-3.2-3b": Shape("llama", 28, 3072, 24, 8, 128, 8192, 128_256, 500_000.0),
}
SPECIAL = ["<|begin_of_text|>", "<|end_of_text|>", "<|eot_id|>"]
MERGES = [("Ġ", "t"), ("h", "e"), ("Ġt", "he"), ("i", "n"), ("Ġ", "a"), ("o", "n")]
CHAT_TEMPLATE = (
    "{% for m in messages %}<|begin_of_text|>{{ m['role'] }}\n{{ m['content'] }}<|eot_id|>"
    "{% endfor %}{% if add_generation_prompt %}<|begin_of_text|>assistant\n{% endif %}"
)


def byte_tokens() -> list[str]:
    """GPT-2's byte -> printable character table, in byte order."""
    printable = [*range(33, 127), *range(161, 173), *range(174, 256)]
    table, extra = {b: chr(b) for b in printable}, 0
    for b in range(256):
        if b not in table:
            table[b], extra = chr(256 + extra), extra + 1
    return [table[b] for b in range(256)]


def vocabulary(size: int) -> tuple[list[str], list[int], list[str]]:
    words = byte_tokens() + [a + b for a, b in MERGES]
    filler = [f"<placeholder_{i}>" for i in range(size - len(words) - len(SPECIAL))]
    tokens = words + filler + SPECIAL
    types = [1] * len(words) + [5] * len(filler) + [3] * len(SPECIAL)  # 5: unused
    return tokens, types, [f"{a} {b}" for a, b in MERGES]


def q4_1(rows: int, cols: int, rng: np.random.Generator) -> np.ndarray:
    """(rows, cols / 32 * 20) uint8: Q4_1 blocks (fp16 d, fp16 m, 16 bytes of codes);
    weights d * q + m with q in 0..15, about +-0.075 around 0."""
    blocks = rng.integers(0, 256, size=(rows, cols // 32, 20), dtype=np.uint8)
    scales = np.array([0.01, -0.075], np.float16).view(np.uint8)  # d, m
    blocks[..., :4] = scales
    return blocks.reshape(rows, -1)


def q8_0(rows: int, cols: int, rng: np.random.Generator) -> np.ndarray:
    """(rows, cols / 32 * 34) uint8: Q8_0 blocks (fp16 d, 32 int8 codes), weights +-0.5."""
    blocks = rng.integers(0, 256, size=(rows, cols // 32, 34), dtype=np.uint8)
    blocks[..., :2] = np.array([0.5 / 127], np.float16).view(np.uint8)
    return blocks.reshape(rows, -1)


def write(shape: Shape, name: str, path: Path, seed: int = 0) -> Path:
    rng = np.random.default_rng(seed)
    s = shape
    tokens, types, merges = vocabulary(s.vocab)
    writer = GGUFWriter(str(path), s.family)
    writer.add_name(f"{name} (random weights, for measuring)")
    writer.add_license("apache-2.0")
    writer.add_block_count(s.n_layer)
    writer.add_context_length(8192)
    writer.add_embedding_length(s.d_model)
    writer.add_feed_forward_length(s.d_ff)
    writer.add_head_count(s.n_head)
    writer.add_head_count_kv(s.n_head_kv)
    writer.add_rope_freq_base(s.rope_theta)
    writer.add_rope_dimension_count(s.head_dim)
    writer.add_key_length(s.head_dim)
    writer.add_value_length(s.head_dim)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_vocab_size(s.vocab)
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("llama-bpe")
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    writer.add_token_merges(merges)
    writer.add_bos_token_id(s.vocab - 3)
    writer.add_eos_token_id(s.vocab - 2)
    writer.add_chat_template(CHAT_TEMPLATE)
    Q4, Q8 = GGMLQuantizationType.Q4_1, GGMLQuantizationType.Q8_0
    writer.add_tensor("token_embd.weight", q8_0(s.vocab, s.d_model, rng), raw_dtype=Q8)
    q_dim, kv_dim = s.n_head * s.head_dim, s.n_head_kv * s.head_dim
    for i in range(s.n_layer):
        p = f"blk.{i}"
        norm = (1.0 + rng.normal(0, 0.05, s.d_model)).astype(np.float32)
        writer.add_tensor(f"{p}.attn_norm.weight", norm)
        for kind, rows in (("attn_q", q_dim), ("attn_k", kv_dim), ("attn_v", kv_dim)):
            writer.add_tensor(f"{p}.{kind}.weight", q4_1(rows, s.d_model, rng), raw_dtype=Q4)
            if s.attention_bias:
                bias = rng.normal(0, 0.05, rows).astype(np.float32)
                writer.add_tensor(f"{p}.{kind}.bias", bias)
        writer.add_tensor(f"{p}.attn_output.weight", q4_1(s.d_model, q_dim, rng), raw_dtype=Q4)
        writer.add_tensor(f"{p}.ffn_norm.weight", norm.copy())
        for kind in ("ffn_gate", "ffn_up"):
            writer.add_tensor(f"{p}.{kind}.weight", q4_1(s.d_ff, s.d_model, rng), raw_dtype=Q4)
        writer.add_tensor(f"{p}.ffn_down.weight", q4_1(s.d_model, s.d_ff, rng), raw_dtype=Q4)
    writer.add_tensor("output_norm.weight", np.ones(s.d_model, np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def main() -> int:
    if len(sys.argv) != 3 or sys.argv[1] not in SHAPES:
        print(__doc__.strip().splitlines()[-5], file=sys.stderr)
        print(f"shapes: {', '.join(SHAPES)}", file=sys.stderr)
        return 2
    path = write(SHAPES[sys.argv[1]], sys.argv[1], Path(sys.argv[2]))
    print(f"{path}: {path.stat().st_size / 1e9:.2f} GB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
