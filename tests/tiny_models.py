"""Build KB-sized GGUF models from random weights, written the way llama.cpp writes them.

They go through the same conversion path as the real model, so the engine can be checked
exhaustively in milliseconds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from gguf import GGMLQuantizationType, GGUFWriter, RopeScalingType
from gguf.quants import quantize

from tests.sentencepiece_reference import SPM_CHAT_TEMPLATE, sentencepiece_vocab

SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
MERGES = [
    ("Ġ", "t"),
    ("h", "e"),
    ("Ġt", "he"),
    ("Ġ", "c"),
    ("a", "t"),
    ("Ġc", "at"),
    ("i", "n"),
    ("Ġ", "s"),
    ("Ġs", "at"),
    ("Ġ", "o"),
    ("Ġo", "n"),
    ("o", "n"),
    ("Ġ", "m"),
    ("Ġm", "at"),
    ("T", "he"),
]
# Gemma 3's own template (google/gemma-3-1b-it), which writes its BOS itself
GEMMA_CHAT_TEMPLATE = """{{ bos_token }}
{%- if messages[0]['role'] == 'system' -%}
    {%- set first_user_prefix = messages[0]['content'] + '\n\n' -%}
    {%- set loop_messages = messages[1:] -%}
{%- else -%}
    {%- set first_user_prefix = "" -%}
    {%- set loop_messages = messages -%}
{%- endif -%}
{%- for message in loop_messages -%}
    {%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) -%}
        {{ raise_exception("Conversation roles must alternate user/assistant/user/assistant/...") }}
    {%- endif -%}
    {%- if (message['role'] == 'assistant') -%}
        {%- set role = "model" -%}
    {%- else -%}
        {%- set role = message['role'] -%}
    {%- endif -%}
    {{ '<start_of_turn>' + role + '\n' + (first_user_prefix if loop.first else "") }}
    {{- message['content'] | trim -}}
    {{ '<end_of_turn>\n' }}
{%- endfor -%}
{%- if add_generation_prompt -%}
    {{'<start_of_turn>model\n'}}
{%- endif -%}
"""
GEMMA_TURN_TOKENS = ["<start_of_turn>", "<end_of_turn>"]
CHAT_TEMPLATE = (
    "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + "
    "message['content'] + '<|im_end|>' + '\n'}}{% endfor %}"
)


@dataclass(frozen=True)
class TinySpec:
    # "llama" (Q/K rows permuted like llama.cpp), "qwen2", "qwen3", "phi3", "gemma3"
    family: str = "llama"
    n_layer: int = 2
    d_model: int = 64
    n_head: int = 4
    n_head_kv: int = 2
    d_ff: int = 96
    context_length: int = 64
    rope_theta: float = 10000.0
    tied: bool = True
    attention_bias: bool = False
    quantized: bool = True  # embeddings Q8_0, attention Q4_1, like the real model
    chat_template: bool = True  # False: a base model without one
    rope_freqs: bool = False  # Llama 3.1/3.2: a factor per rotary frequency (rope_freqs)
    head_dim: int | None = None  # None: d_model / n_head (Qwen3's heads are wider)
    tokenizer: str = "gpt2"  # or "llama": SentencePiece, as Llama 2 / Mistral GGUFs
    sliding_window: int | None = None  # Phi-3 mini: 2,047; Gemma 3 1B: 512 (5 of 6 layers)
    rope_scaling: float | None = None  # linear RoPE scaling (Gemma 3 4B and up: 8)
    k_quants: bool = False  # 4-bit matrices as Q4_K (Q4_K_M files' bulk); needs d_model 256
    # other formats for some tensors: (name ending, GGUF type), e.g. ("attn_v", "Q6_K")
    formats: tuple[tuple[str, str], ...] = ()
    vision_tower: bool = False  # an image encoder's tensors too (Ollama's Gemma 3 files)
    seed: int = 0


def bytes_to_unicode() -> dict[int, str]:
    """GPT-2's byte -> printable character table."""
    printable = (
        list(range(ord("!"), ord("~") + 1))
        + list(range(ord("¡"), ord("¬") + 1))
        + list(range(ord("®"), ord("ÿ") + 1))
    )
    table = {b: chr(b) for b in printable}
    extra = 0
    for b in range(256):
        if b not in table:
            table[b] = chr(256 + extra)
            extra += 1
    return table


def tiny_vocab() -> tuple[list[str], list[int], list[str]]:
    byte_chars = bytes_to_unicode()
    tokens = SPECIAL_TOKENS + [byte_chars[b] for b in range(256)] + [a + b for a, b in MERGES]
    types = [3] * len(SPECIAL_TOKENS) + [1] * (len(tokens) - len(SPECIAL_TOKENS))
    merges = [f"{a} {b}" for a, b in MERGES]
    return tokens, types, merges


def permute_for_llama_cpp(weight: np.ndarray, n_heads: int) -> np.ndarray:
    """What llama.cpp's converter does to Q/K rows (rotate-half -> adjacent pairs)."""
    out, inp = weight.shape
    return weight.reshape(n_heads, 2, out // n_heads // 2, inp).swapaxes(1, 2).reshape(out, inp)


def random_q4_k(shape: tuple[int, ...]) -> np.ndarray:
    """Q4_K super-blocks for a (rows, cols) matrix: random codes, 6-bit scales and minimums,
    small d and dmin (gguf-py cannot quantize to Q4_K; llama.cpp's layout, 144 bytes per
    256 weights)."""
    rows, cols = shape
    rng = np.random.default_rng(rows * 7919 + cols)
    raw = rng.integers(0, 256, size=(rows, cols // 256, 144), dtype=np.uint8)
    for start, value in ((0, 0.0002), (2, 0.0015)):  # d, dmin: centred around 0 on average
        halves = np.full(raw.shape[:2], value, np.float16)
        raw[..., start : start + 2] = halves.view(np.uint8).reshape(*raw.shape[:2], 2)
    return raw.reshape(rows, -1)


def random_k_blocks(shape: tuple[int, ...], kind: str) -> np.ndarray:
    """Q5_K or Q6_K super-blocks for a (rows, cols) matrix (gguf-py cannot quantize to
    them): random codes and sub-block scales, with small d (and dmin) as llama.cpp lays
    them out (Q5_K: d, dmin first, 176 bytes; Q6_K: d last, 210 bytes per 256 weights)."""
    rows, cols = shape
    size = {"Q5_K": 176, "Q6_K": 210}[kind]
    rng = np.random.default_rng(rows * 31 + cols + size)
    raw = rng.integers(0, 256, size=(rows, cols // 256, size), dtype=np.uint8)
    places = ((0, 0.0001), (2, 0.0008)) if kind == "Q5_K" else ((208, 0.00005),)
    for start, value in places:
        halves = np.full(raw.shape[:2], value, np.float16)
        raw[..., start : start + 2] = halves.view(np.uint8).reshape(*raw.shape[:2], 2)
    return raw.reshape(rows, -1)


def write_tiny_gguf(path: Path, spec: TinySpec = TinySpec()) -> Path:
    rng = np.random.default_rng(spec.seed)
    tokens, types, merges = tiny_vocab()
    if spec.tokenizer == "llama":
        tokens, types, scores = sentencepiece_vocab()
        if spec.family == "gemma3":  # its turn markers are control tokens
            tokens, types = tokens + GEMMA_TURN_TOKENS, [*types, 3, 3]
            scores = [*scores, 0.0, 0.0]
    vocab = len(tokens)
    head_dim = spec.head_dim or spec.d_model // spec.n_head
    q_dim = spec.n_head * head_dim
    writer = GGUFWriter(str(path), spec.family)
    writer.add_name(f"tiny-{spec.family}")
    writer.add_license("apache-2.0")
    writer.add_block_count(spec.n_layer)
    writer.add_context_length(spec.context_length)
    writer.add_embedding_length(spec.d_model)
    writer.add_feed_forward_length(spec.d_ff)
    writer.add_head_count(spec.n_head)
    writer.add_head_count_kv(spec.n_head_kv)
    writer.add_rope_freq_base(spec.rope_theta)
    writer.add_rope_dimension_count(head_dim)
    if spec.head_dim:
        writer.add_key_length(head_dim)
        writer.add_value_length(head_dim)
    writer.add_layer_norm_rms_eps(1e-5)
    if spec.sliding_window:
        writer.add_sliding_window(spec.sliding_window)
    if spec.rope_scaling:
        writer.add_rope_scaling_type(RopeScalingType.LINEAR)
        writer.add_rope_scaling_factor(spec.rope_scaling)
    gemma = spec.family == "gemma3"
    writer.add_vocab_size(vocab)
    writer.add_tokenizer_model(spec.tokenizer)
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    if spec.tokenizer == "llama":  # no merges: each piece's score (llama.cpp's layout)
        writer.add_token_scores(scores)
        writer.add_add_bos_token(True)
        if gemma:  # Gemma's SentencePiece adds no space before a text
            writer.add_add_space_prefix(False)
    else:
        writer.add_tokenizer_pre("smollm")
        writer.add_token_merges(merges)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)
    if spec.chat_template:
        template = SPM_CHAT_TEMPLATE if spec.tokenizer == "llama" else CHAT_TEMPLATE
        writer.add_chat_template(GEMMA_CHAT_TEMPLATE if spec.family == "gemma3" else template)

    def add(name: str, array: np.ndarray, qtype: GGMLQuantizationType | None = None) -> None:
        array = array.astype(np.float32)
        chosen = [kind for end, kind in spec.formats if name.endswith(f"{end}.weight")]
        if chosen and chosen[0] in ("Q5_K", "Q6_K"):
            kind = GGMLQuantizationType[chosen[0]]
            writer.add_tensor(name, random_k_blocks(array.shape, chosen[0]), raw_dtype=kind)
        elif chosen:
            kind = GGMLQuantizationType[chosen[0]]
            writer.add_tensor(name, quantize(array, kind), raw_dtype=kind)
        elif spec.k_quants and qtype == GGMLQuantizationType.Q4_1:  # random valid Q4_K blocks
            writer.add_tensor(name, random_q4_k(array.shape), raw_dtype=GGMLQuantizationType.Q4_K)
        elif spec.quantized and qtype is not None:
            writer.add_tensor(name, quantize(array, qtype), raw_dtype=qtype)
        else:
            writer.add_tensor(name, array)

    def matrix(rows: int, cols: int, scale: float) -> np.ndarray:
        return rng.normal(0.0, scale, size=(rows, cols))

    q4, q8 = GGMLQuantizationType.Q4_1, GGMLQuantizationType.Q8_0
    add("token_embd.weight", matrix(vocab, spec.d_model, 1.0), q8)
    if spec.rope_freqs:  # like Llama 3's: high frequencies kept, low ones slowed up to 8x
        add("rope_freqs.weight", np.geomspace(1.0, 8.0, head_dim // 2))
    kv_dim = spec.n_head_kv * head_dim
    for i in range(spec.n_layer):
        p = f"blk.{i}"
        wq = matrix(q_dim, spec.d_model, 0.3)
        wk = matrix(kv_dim, spec.d_model, 0.3)
        if spec.family == "llama":
            wq = permute_for_llama_cpp(wq, spec.n_head)
            wk = permute_for_llama_cpp(wk, spec.n_head_kv)
        add(f"{p}.attn_norm.weight", 1.0 + rng.normal(0, 0.1, spec.d_model))
        wv = matrix(kv_dim, spec.d_model, 0.3)
        if spec.family == "phi3":  # one matrix for q|k|v (llama.cpp's attn_qkv)
            add(f"{p}.attn_qkv.weight", np.concatenate([wq, wk, wv]), q4)
        else:
            add(f"{p}.attn_q.weight", wq, q4)
            add(f"{p}.attn_k.weight", wk, q4)
            add(f"{p}.attn_v.weight", wv, q4)
        if spec.attention_bias:
            add(f"{p}.attn_q.bias", rng.normal(0, 0.1, q_dim))
            add(f"{p}.attn_k.bias", rng.normal(0, 0.1, kv_dim))
            add(f"{p}.attn_v.bias", rng.normal(0, 0.1, kv_dim))
        if spec.family in ("qwen3", "gemma3"):  # a gain per head dimension, q and k
            add(f"{p}.attn_q_norm.weight", 1.0 + rng.normal(0, 0.2, head_dim))
            add(f"{p}.attn_k_norm.weight", 1.0 + rng.normal(0, 0.2, head_dim))
        add(f"{p}.attn_output.weight", matrix(spec.d_model, q_dim, 0.1), q4)
        add(f"{p}.ffn_norm.weight", 1.0 + rng.normal(0, 0.1, spec.d_model))
        gate, up = matrix(spec.d_ff, spec.d_model, 0.2), matrix(spec.d_ff, spec.d_model, 0.2)
        if spec.family == "phi3":  # gate then up, one matrix (llama.cpp's ffn_up)
            add(f"{p}.ffn_up.weight", np.concatenate([gate, up]), q4)
        else:
            add(f"{p}.ffn_gate.weight", gate, q4)
            add(f"{p}.ffn_up.weight", up, q4)
        add(f"{p}.ffn_down.weight", matrix(spec.d_model, spec.d_ff, 0.1))
        if gemma:  # each block's attention and MLP output normalised before the add
            add(f"{p}.post_attention_norm.weight", 1.0 + rng.normal(0, 0.1, spec.d_model))
            add(f"{p}.post_ffw_norm.weight", 1.0 + rng.normal(0, 0.1, spec.d_model))
    add("output_norm.weight", 1.0 + rng.normal(0, 0.1, spec.d_model))
    if spec.vision_tower:
        add("v.blk.0.attn_q.weight", matrix(32, 32, 0.1))
        add("mm.input_projection.weight", matrix(spec.d_model, 32, 0.1))
    if not spec.tied:
        add("output.weight", matrix(vocab, spec.d_model, 0.5), q8)

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path
