"""What CPU this is: its model name and the SIMD features the kernels choose between."""

from __future__ import annotations

import platform
from pathlib import Path

# /proc/cpuinfo flag -> the name a reader knows it by
SIMD_FEATURES = {
    "avx2": "AVX2",
    "fma": "FMA",
    "avx512f": "AVX-512",
    "avx512_vnni": "AVX-512 VNNI",
    "avx_vnni": "AVX-VNNI",
    "amx_int8": "AMX",
    "asimd": "NEON",
}


def cpu_description(cpuinfo: str | None = None) -> str:
    """'AMD EPYC 9B14 (AVX2, FMA, AVX-512, AVX-512 VNNI)': the model name and which of
    SIMD_FEATURES it has (from /proc/cpuinfo on Linux; the platform's name elsewhere)."""
    if cpuinfo is None:
        try:
            cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            cpuinfo = ""
    name, flags = platform.processor() or platform.machine(), set()
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        key = key.strip()
        if key == "model name" and value.strip():
            name = value.strip()
        elif key in ("flags", "Features"):
            flags |= set(value.split())
    features = [label for flag, label in SIMD_FEATURES.items() if flag in flags]
    return f"{name} ({', '.join(features) or 'no AVX2'})"
