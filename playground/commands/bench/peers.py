"""The peers the benchmark measures in the same run, each in its own process (ONNX
Runtime's idle threads would otherwise spin beside it): Hugging Face transformers and
llama.cpp, on the same GGUF weights and the same prompt."""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from playground.commands.bench.timing import (
    ANALYSIS_LENGTHS,
    DECODE_NEW,
    DECODE_PROMPT,
    median_seconds,
    token_ids,
)
from playground.engine.runtime.language_model import LanguageModel

TRANSFORMERS = """
import json, warnings
warnings.filterwarnings("ignore")
from transformers.utils import logging
logging.set_verbosity_error()
logging.disable_progress_bar()
from playground.engine import load_model
from playground.commands.bench.peers import bench_transformers
print(json.dumps(bench_transformers(load_model({source!r}), {gguf!r})))
"""


LLAMA_CPP = """
import json
from playground.commands.bench.peers import bench_llama_cpp
print(json.dumps(bench_llama_cpp({gguf!r}, {prompt!r}, {threads})))
"""


def bench_llama_cpp(gguf_path: str, prompt: list[int], threads: int) -> dict[str, Any]:
    """llama.cpp decoding the same prompt greedily, timed like ours: prompt, then
    DECODE_NEW tokens one at a time, reading the logits of each."""
    from llama_cpp import Llama

    model = Llama(gguf_path, n_threads=threads, n_threads_batch=threads, n_ctx=256, verbose=False)

    def run(prefill_only: bool) -> None:
        model.reset()
        # One token at a time: llama.cpp 0.3.36 built on a CPU with AMX crashed in its AMX
        # kernel (ggml_backend_amx_mul_mat) on a prompt of several tokens, never on one.
        # Only the time after the prompt is compared, so how it is read does not matter.
        for token in prompt:
            model.eval([token])
        if prefill_only:
            return
        for _ in range(DECODE_NEW):
            model.eval([int(np.argmax(model.scores[model.n_tokens - 1]))])

    prefill = median_seconds(lambda: run(True), 5)
    decode = median_seconds(lambda: run(False), 5)
    return {"decode_tokens_per_second": DECODE_NEW / (decode - prefill)}


def bench_transformers(lm: LanguageModel, gguf_path: str, repeats: int = 5) -> dict[str, Any]:
    """The same forward and decode in transformers eager, fp32, on the same GGUF weights."""
    import torch
    from transformers import AutoModelForCausalLM

    torch.set_num_threads(os.cpu_count() or 1)
    model = AutoModelForCausalLM.from_pretrained(
        os.path.dirname(gguf_path),
        gguf_file=os.path.basename(gguf_path),
        dtype=torch.float32,
        attn_implementation="eager",
    ).eval()
    results: dict[str, Any] = {}
    with torch.inference_mode():
        for n in ANALYSIS_LENGTHS:
            ids = torch.tensor([token_ids(lm, n)])

            def forward(ids: torch.Tensor = ids) -> object:
                return model(ids, output_attentions=True, output_hidden_states=True)

            results[f"analysis_{n}_seconds"] = median_seconds(forward, repeats)
        prompt = torch.tensor([token_ids(lm, DECODE_PROMPT)])

        def prefill() -> object:
            return model(prompt, use_cache=True)

        def decode() -> None:
            out = model(prompt, use_cache=True)
            past = out.past_key_values
            token = out.logits[:, -1:].argmax(-1)
            for _ in range(DECODE_NEW):
                out = model(token, past_key_values=past, use_cache=True)
                past, token = out.past_key_values, out.logits[:, -1:].argmax(-1)

        prefill_seconds = median_seconds(prefill, repeats)
        decode_seconds = median_seconds(decode, max(1, repeats // 2))
        results["decode_tokens_per_second"] = DECODE_NEW / (decode_seconds - prefill_seconds)
    return results
