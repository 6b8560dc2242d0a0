"""`playground bench`: what the engine costs on this machine, and how far from its limits.

Every figure is the median of several runs after a warm-up, measured in this process
(model load and peak memory in a fresh subprocess each). With --compare transformers the
same forward and decode run in Hugging Face transformers (eager attention, fp32) on the
same GGUF weights, side by side; with --compare llama.cpp, llama.cpp's own decoding
(llama-cpp-python) on the same GGUF file with the same thread count.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from functools import partial
from typing import Any

import numpy as np

from playground.commands.bench.causal import bench_causal, causal_lines
from playground.commands.bench.cpu_info import cpu_description
from playground.commands.bench.experiments import (
    EXPERIMENT_TOKENS,
    LEAVE_ONE_OUT_RUNS,
    bench_experiments,
)
from playground.commands.bench.finetune import FINETUNE, FINETUNE_LENGTHS, finetune_lines
from playground.commands.bench.peers import LLAMA_CPP, TRANSFORMERS
from playground.commands.bench.retrieval import bench_retrieval, retrieval_lines
from playground.commands.bench.scale import (
    CONVERSION,
    FIRST_ANALYSIS,
    LOAD_AND_MEMORY,
    conversion_lines,
    felt_generation,
    model_gguf,
)
from playground.commands.bench.timing import (
    ANALYSIS_LENGTHS,
    DECODE_NEW,
    DECODE_PROMPT,
    median_seconds,
    timed,
    token_ids,
)
from playground.engine.errors import PlaygroundError
from playground.engine.model.bundle import DECODE_MODEL_FILE, MODEL_FILE
from playground.engine.model.bundle_weights import graph_weight_bytes
from playground.engine.model.decode_paths import EIGHT_BIT, FOUR_BIT, FP32, decode_products
from playground.engine.runtime.language_model import LanguageModel
from playground.engine.sampling.distribution import SamplingSettings, distribution, rank_logits


def _ort_matmul_gflops(m: int, k: int, n: int) -> float:
    """Throughput of an (m x k) @ (k x n) fp32 product with a constant right-hand side in
    ONNX Runtime: the kernels (MLAS) the model itself runs on."""
    import onnxruntime as ort
    from onnx import TensorProto, helper, numpy_helper

    weight = np.random.default_rng(1).random((k, n), dtype=np.float32)
    graph = helper.make_graph(
        [helper.make_node("MatMul", ["x", "w"], ["y"])],
        "matmul",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [m, k])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [m, n])],
        [numpy_helper.from_array(weight, "w")],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    x = np.random.default_rng(2).random((m, k), dtype=np.float32)
    for _ in range(3):  # warm-up
        session.run(None, {"x": x})
    best = min(timed(lambda: session.run(None, {"x": x})) for _ in range(15))
    return 2 * m * k * n / best / 1e9  # a peak: the best run, not the typical one


def machine_limits() -> dict[str, float]:
    """Measured peaks: fp32 matmul throughput (the best of a few model-like shapes in ONNX
    Runtime) and memory copy bandwidth."""
    shapes = ((512, 576, 1536), (1536, 1536, 1536), (2048, 1536, 576))
    big = np.ones(64 * 1024 * 1024, np.float32)  # 256 MB
    out = np.empty_like(big)
    np.copyto(out, big)
    copy = min(timed(lambda: np.copyto(out, big)) for _ in range(7))
    return {
        "matmul_gflops": max(_ort_matmul_gflops(*shape) for shape in shapes),
        "memory_gbps": 2 * big.nbytes / copy / 1e9,  # read + write
    }


def model_costs(lm: LanguageModel) -> dict[str, float]:
    """FLOPs and weight bytes one token costs in the big matrix products."""
    a = lm.arch
    per_layer = a.d_model * (a.n_head + 2 * a.n_head_kv) * a.head_dim  # q, k, v
    per_layer += a.d_model * a.d_model + 3 * a.d_model * a.d_ff  # output, gate, up, down
    weights = a.n_layer * per_layer + a.vocab_size * a.d_model  # + the output layer
    return {
        "flops_per_token": 2.0 * weights,
        # the analysis graph reads its fp32 weights; a generated token, the decoding
        # graph's (4-bit blocks for the Q4_1 matrices): both read every weight once
        "weight_bytes_per_token": float(graph_weight_bytes(lm.weights_folder, MODEL_FILE)),
        # (a fine-tuned variant generates on the analysis graph: its fp32 weights)
        "decode_weight_bytes_per_token": float(
            graph_weight_bytes(
                lm.weights_folder, DECODE_MODEL_FILE if lm.decode_session else MODEL_FILE
            )
        ),
    }


def _subprocess_json(code: str) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    if result.returncode < 0:  # killed by a signal: a crash in native code says nothing
        name = signal.Signals(-result.returncode).name
        raise RuntimeError(f"the measuring process crashed ({name})")
    if result.returncode != 0:
        raise RuntimeError(result.stderr.strip().splitlines()[-1] if result.stderr else "failed")
    return json.loads(result.stdout.strip().splitlines()[-1])


MEMORY_LENGTHS = (1024, 2048)


def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM belongs to the process's own
    memory map; ru_maxrss would also count the parent's peak (the forking process's
    memory is carried into the child's maximum at exec)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB -> MB
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_engine(lm: LanguageModel, source: str | None, repeats: int = 5) -> dict[str, Any]:
    results: dict[str, Any] = {"model": lm.info.title}
    if lm.decode_session is not None:  # (a variant generates on the analysis graph)
        results["decode_path"] = decode_products(lm.folder)
    for n in ANALYSIS_LENGTHS:
        ids = token_ids(lm, n)
        results[f"analysis_{n}_seconds"] = median_seconds(partial(lm.forward, ids), repeats)
    prompt = token_ids(lm, DECODE_PROMPT)

    def decode() -> None:
        step = lm.step(lm.empty_cache(), prompt)
        for _ in range(DECODE_NEW):
            step = lm.step(step.cache, [int(np.argmax(step.logits[-1]))])

    prefill = median_seconds(lambda: lm.step(lm.empty_cache(), prompt), repeats)
    decode_seconds = median_seconds(decode, max(1, repeats // 2))
    results["decode_tokens_per_second"] = DECODE_NEW / (decode_seconds - prefill)
    results.update(felt_generation(lm, DECODE_PROMPT))
    logits = lm.forward(prompt).logits[-1]
    ranked = rank_logits(logits)
    settings = SamplingSettings(temperature=0.8, top_k=50, top_p=0.9)
    results["slider_recompute_ms"] = 1000 * median_seconds(
        lambda: distribution(ranked, settings), repeats=200, warmup=5
    )
    results["rank_logits_ms"] = 1000 * median_seconds(lambda: rank_logits(logits), 50, 2)
    results.update(bench_experiments(lm))  # attribution and knock-outs
    results.update(bench_causal(lm))  # patching, steering, routes
    for n in MEMORY_LENGTHS:  # each in a fresh process: peak memory only ever grows
        results.update(_subprocess_json(LOAD_AND_MEMORY.format(source=source, n=n)))
    results.update(_subprocess_json(FIRST_ANALYSIS.format(source=source)))
    for n in FINETUNE_LENGTHS:  # each in a fresh process, for its peak memory
        if lm.info.analysis_on_blocks:  # a big model: fine-tuning it is not the app's aim
            break
        try:
            results.update(_subprocess_json(FINETUNE.format(source=source, n=n)))
        except RuntimeError as error:  # e.g. a model family fine-tuning does not cover
            results[f"finetune_{n}_error"] = str(error)
    return results


def report(results: dict[str, Any]) -> str:
    ours, limits = results["playground"], results["limits"]
    theirs = results.get("transformers")
    lines = [
        f"model: {ours['model']}; {os.cpu_count()} CPU threads; median of several runs",
        f"cpu: {results.get('cpu', '?')}",
        f"machine: fp32 matmul {limits['matmul_gflops']:.0f} GFLOP/s, "
        f"memory copy {limits['memory_gbps']:.1f} GB/s (measured now)",
        "",
        f"{'figure':<34}{'playground':>14}{'limit':>12}{'of limit':>10}"
        + (f"{'transformers':>14}{'ratio':>8}" if theirs else ""),
    ]
    costs = results["costs"]
    for n in ANALYSIS_LENGTHS:
        key = f"analysis_{n}_seconds"
        compute = n * costs["flops_per_token"] / (limits["matmul_gflops"] * 1e9)
        memory = costs["weight_bytes_per_token"] / (limits["memory_gbps"] * 1e9)  # read once
        limit = max(compute, memory)  # short prompts are bound by reading the weights
        row = (
            f"{f'analysis forward, {n} tokens':<34}{ours[key] * 1000:>11.1f} ms"
            f"{limit * 1000:>9.1f} ms{limit / ours[key]:>10.0%}"
        )
        if theirs:
            row += f"{theirs[key] * 1000:>11.1f} ms{theirs[key] / ours[key]:>7.2f}x"
        lines.append(row)
    lines += conversion_lines(ours)
    decode_limit = limits["memory_gbps"] * 1e9 / costs["decode_weight_bytes_per_token"]
    row = (
        f"{'decode (KV cache)':<34}{ours['decode_tokens_per_second']:>10.1f} t/s"
        f"{decode_limit:>8.1f} t/s{ours['decode_tokens_per_second'] / decode_limit:>10.0%}"
    )
    if theirs:
        ratio = ours["decode_tokens_per_second"] / theirs["decode_tokens_per_second"]
        row += f"{theirs['decode_tokens_per_second']:>10.1f} t/s{ratio:>7.2f}x"
    lines.append(row)
    if "decode_path" in ours:
        path = ours["decode_path"]
        lines.append(
            f"{'  decode path (weight products)':<34}{path[FOUR_BIT]} on 4-bit blocks, "
            f"{path[EIGHT_BIT]} on 8-bit blocks (MatMulNBits), {path[FP32]} fp32"
        )
    felt = ours["felt_decode_tokens_per_second"]
    lines.append(f"{'  as generate feels it (sampling)':<34}{felt:>10.1f} t/s")
    llama = results.get("llama.cpp")
    if llama:
        theirs_rate = llama["decode_tokens_per_second"]
        lines.append(
            f"{'  llama.cpp decode, same GGUF':<34}{theirs_rate:>10.1f} t/s"
            f"{'':>18}  playground {ours['decode_tokens_per_second'] / theirs_rate:.2f}x "
            f"(as felt {felt / theirs_rate:.2f}x) llama.cpp"
        )
    lines += [
        f"{'slider recompute (full vocabulary)':<34}{ours['slider_recompute_ms']:>11.2f} ms",
        f"{'  ranking new logits (once each)':<34}{ours['rank_logits_ms']:>11.2f} ms",
        *(
            f"{f'leave-one-out, {n} tokens by {unit}':<34}{ours[key] * 1000:>11.0f} ms"
            for n, unit in LEAVE_ONE_OUT_RUNS
            if (key := f"leave_one_out_{n}_seconds") in ours
        ),
        *(
            f"{label:<34}{ours[key] * 1000:>11.0f} ms"
            for key, label in (
                ("components_seconds", f"components, {EXPERIMENT_TOKENS} tokens"),
                ("knock_out_rerun_seconds", f"knock-out rerun, {EXPERIMENT_TOKENS} tokens"),
                ("mean_ablation_rerun_seconds", "  with mean ablation (means anew)"),
            )
            if key in ours
        ),
        f"{'model load':<34}{ours['load_seconds'] * 1000:>11.0f} ms",
        f"{'start to first analysed prompt':<34}{ours['start_to_first_analysis_seconds']:>12.2f} s",
        *(
            f"{f'{n:,}-token prompt analysed':<34}"
            f"{ours[f'analysis_{n}_with_statistics_seconds']:>12.2f} s"
            f"   on screen after {ours.get(f'analysis_{n}_shown_seconds', float('nan')):.2f} s,"
            f" peak memory {ours[f'peak_rss_mb_{n}']:.0f} MB"
            for n in MEMORY_LENGTHS
            if f"peak_rss_mb_{n}" in ours
        ),
        *causal_lines(ours),
        *finetune_lines(ours),
        *_retrieval(results.get("retrieval")),
        "",
        "limits: forward = the larger of FLOPs / measured matmul throughput and weight "
        "bytes / measured memory bandwidth; decode = weight bytes per token (the 4-bit "
        "decoding graph's) / bandwidth. Long prompts: forward + every layer's statistics "
        "and thumbnails (maps beyond 512 MB are computed a layer at a time); on screen: "
        "the tokens and predictions, shown while the statistics are made.",
    ]
    return "\n".join(lines)


def _retrieval(results: dict[str, Any] | None) -> list[str]:
    if not results:
        return []
    if "error" in results:
        return [f"{'retrieval':<34}not measured: {results['error']}"]
    return retrieval_lines(results)


def run_bench(source: str | None, compare: str | None, as_json: bool) -> int:
    from playground.engine.runtime.loader import load_model

    lm = load_model(source)
    results: dict[str, Any] = {
        "cpu": cpu_description(),
        "limits": machine_limits(),
        "costs": model_costs(lm),
        "playground": bench_engine(lm, source),
    }
    try:
        results["retrieval"] = bench_retrieval()
    except PlaygroundError as error:  # e.g. the encoder cannot be fetched: say so, go on
        results["retrieval"] = {"error": str(error)}
    try:
        gguf = str(model_gguf(lm, source))
        results["playground"].update(
            _subprocess_json(CONVERSION.format(gguf=gguf, store=str(lm.folder.parent)))
        )
    except (PlaygroundError, RuntimeError) as error:
        results["playground"]["convert_error"] = str(error)
        if compare:  # a peer needs the GGUF
            raise
    if compare:
        from playground.engine.store.catalog import catalog_entry, default_model_name

        # In its own process: ONNX Runtime's idle threads would otherwise spin beside it.
        if compare == "transformers":
            if lm.info.source_sha256 != catalog_entry(default_model_name()).sha256:
                raise PlaygroundError("--compare transformers runs on the default model only.")
            results["transformers"] = _subprocess_json(
                TRANSFORMERS.format(source=source, gguf=gguf)
            )
        else:
            prompt = token_ids(lm, DECODE_PROMPT)
            results["llama.cpp"] = _subprocess_json(
                LLAMA_CPP.format(gguf=gguf, prompt=prompt, threads=lm.threads)
            )
    print(json.dumps(results, indent=2) if as_json else report(results))
    return 0
