"""`playground bench` helpers: costs from the architecture, and the report's arithmetic."""

from __future__ import annotations

import pytest

from playground.commands.bench.cpu_info import cpu_description
from playground.commands.bench.suite import ANALYSIS_LENGTHS, _subprocess_json, model_costs, report


def test_model_costs_count_every_matrix_product(tiny):
    a = tiny.arch
    costs = model_costs(tiny)
    per_layer = 2 * a.d_model * a.d_model + 2 * a.d_model * a.n_head_kv * a.head_dim
    per_layer += 3 * a.d_model * a.d_ff
    assert costs["flops_per_token"] == 2 * (a.n_layer * per_layer + a.vocab_size * a.d_model)
    assert costs["decode_weight_bytes_per_token"] < costs["weight_bytes_per_token"]


def test_report_states_limits_and_ratios():
    ours = {f"analysis_{n}_seconds": n / 1000 for n in ANALYSIS_LENGTHS}
    ours.update(
        model="M",
        decode_tokens_per_second=30.0,
        felt_decode_tokens_per_second=25.0,
        slider_recompute_ms=0.4,
        rank_logits_ms=5.0,
        load_seconds=2.0,
        start_to_first_analysis_seconds=2.5,
        peak_rss_mb_1024=1000.0,
        analysis_1024_with_statistics_seconds=3.0,
        peak_rss_mb_2048=1900.0,
        analysis_2048_with_statistics_seconds=12.0,
        analysis_2048_shown_seconds=4.5,
        components_seconds=0.012,
        knock_out_rerun_seconds=0.05,
        mean_ablation_rerun_seconds=0.1,
    )
    theirs = {f"analysis_{n}_seconds": 2 * n / 1000 for n in ANALYSIS_LENGTHS}
    theirs["decode_tokens_per_second"] = 10.0
    text = report(
        {
            "playground": ours,
            "transformers": theirs,
            "limits": {"matmul_gflops": 100.0, "memory_gbps": 20.0},
            "costs": {
                "flops_per_token": 2e8,
                "weight_bytes_per_token": 9e8,  # the analysis graph's fp32 weights
                "decode_weight_bytes_per_token": 5e8,  # the decoding graph's 4-bit blocks
            },
        }
    )
    line_32 = next(line for line in text.splitlines() if "32 tokens" in line)
    assert "32.0 ms" in line_32 and "64.0 ms" in line_32 and "2.00x" in line_32
    assert "64.0 ms" in line_32  # limit: 32 tokens x 2e8 FLOPs / 1e11 FLOP/s
    decode = next(line for line in text.splitlines() if line.startswith("decode"))
    assert "30.0 t/s" in decode and "40.0 t/s" in decode and "3.00x" in decode
    long = next(line for line in text.splitlines() if line.startswith("2,048-token"))
    assert "12.00 s" in long and "after 4.50 s" in long and "1900 MB" in long
    knocked = next(line for line in text.splitlines() if line.startswith("knock-out rerun"))
    assert "50 ms" in knocked
    assert any(
        line.startswith("components, 20 tokens") and "12 ms" in line for line in text.splitlines()
    )


def test_report_names_the_cpu_and_the_llama_cpp_ratio():
    ours = {f"analysis_{n}_seconds": n / 1000 for n in ANALYSIS_LENGTHS}
    ours.update(
        model="M",
        decode_tokens_per_second=90.0,
        felt_decode_tokens_per_second=75.0,
        slider_recompute_ms=0.4,
        rank_logits_ms=5.0,
        load_seconds=2.0,
        start_to_first_analysis_seconds=2.5,
        convert_seconds=21.5,
        convert_peak_rss_mb=812.0,
        bundle_bytes=2.4e8,
        gguf_bytes=1.2e8,
        analysis_on_blocks=True,
    )
    text = report(
        {
            "cpu": "Some CPU (AVX2, FMA)",
            "playground": ours,
            "llama.cpp": {"decode_tokens_per_second": 60.0},
            "limits": {"matmul_gflops": 100.0, "memory_gbps": 20.0},
            "costs": {
                "flops_per_token": 2e8,
                "weight_bytes_per_token": 9e8,
                "decode_weight_bytes_per_token": 5e8,
            },
        }
    )
    assert "cpu: Some CPU (AVX2, FMA)" in text
    llama = next(line for line in text.splitlines() if "llama.cpp decode" in line)
    assert "60.0 t/s" in llama and "1.50x (as felt 1.25x) llama.cpp" in llama
    felt = next(line for line in text.splitlines() if "as generate feels it" in line)
    assert "75.0 t/s" in felt
    converted = next(line for line in text.splitlines() if line.startswith("conversion"))
    assert "21.5 s" in converted and "812 MB" in converted
    bundle = next(line for line in text.splitlines() if "bundle on disk" in line)
    assert "0.24 GB" in bundle and "2.00x the GGUF" in bundle and "on its blocks" in bundle


def test_cpu_description_lists_the_simd_features_kernels_choose_between():
    cpuinfo = (
        "processor : 0\nmodel name : AMD EPYC 7B13\n"
        "flags : fpu sse2 avx avx2 fma bmi2\n"
        "processor : 1\nmodel name : AMD EPYC 7B13\nflags : fpu sse2 avx avx2 fma bmi2\n"
    )
    assert cpu_description(cpuinfo) == "AMD EPYC 7B13 (AVX2, FMA)"
    avx512 = cpuinfo.replace("bmi2", "avx512f avx512_vnni amx_int8")
    assert cpu_description(avx512) == "AMD EPYC 7B13 (AVX2, FMA, AVX-512, AVX-512 VNNI, AMX)"


def test_retrieval_lines_state_what_was_measured():
    from playground.commands.bench.suite import _retrieval

    measured = {
        "encoder": "all-minilm-l6-v2",
        "embedded_tokens": 9000,
        "embed_100_passages_seconds": 1.5,
        "indexed_passages": 10_000,
        "index_load_seconds": 0.08,
        "search_10000_seconds": 0.008,
        "score_100000_seconds": 0.01,
        "score_100000_megabytes": 153.6,
        "score_1000000_seconds": 0.093,
        "score_1000000_megabytes": 1536.0,
    }
    lines = _retrieval(measured)
    assert lines[0].startswith("embed 100 passages") and "1500 ms" in lines[0]
    assert "6,000 tokens/s" in lines[0]
    assert lines[1].startswith("search, 10,000 passages") and "8.0 ms" in lines[1]
    assert "93.0 ms" in lines[-1] and "1,536 MB" in lines[-1]
    assert _retrieval({"error": "no network"}) == [f"{'retrieval':<34}not measured: no network"]
    assert _retrieval(None) == []


def test_a_measuring_process_that_crashes_says_so():
    """A crash in native code (llama.cpp's AMX kernel did) leaves no Python message."""
    with pytest.raises(RuntimeError, match=r"crashed \(SIGSEGV\)"):
        _subprocess_json("import os, signal; os.kill(os.getpid(), signal.SIGSEGV)")
