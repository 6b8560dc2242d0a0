"""Where ONNX Runtime runs the model: the CPU, or a GPU when the installed ONNX Runtime
build has its provider (onnxruntime-gpu: CUDA; onnxruntime-directml: DirectML on
Windows; CoreML on macOS). A device that is asked for but not there falls back to the
CPU, with a message saying so. The CPU is the default: its kernels are the ones the
tests hold to the numpy reference."""

from __future__ import annotations

import os
from dataclasses import dataclass

from playground.engine.errors import PlaygroundError

CPU = "CPUExecutionProvider"
PROVIDERS = {  # --device name -> ONNX Runtime execution provider
    "cpu": CPU,
    "cuda": "CUDAExecutionProvider",
    "directml": "DmlExecutionProvider",
    "coreml": "CoreMLExecutionProvider",
}
TITLES = {"cpu": "CPU", "cuda": "CUDA (NVIDIA GPU)", "directml": "DirectML", "coreml": "CoreML"}
GPUS = ("cuda", "directml", "coreml")  # "auto" takes the first one there


@dataclass(frozen=True)
class DeviceChoice:
    device: str  # what runs: "cpu", "cuda", ...
    providers: list[str]  # for InferenceSession, the chosen one first, the CPU after it
    notice: str | None  # why it is not what was asked for, if it is not


def available_devices(providers: list[str] | None = None) -> list[str]:
    if providers is None:
        import onnxruntime as ort

        providers = ort.get_available_providers()
    return [name for name, provider in PROVIDERS.items() if provider in providers]


def requested_device() -> str:
    """PLAYGROUND_DEVICE (set by --device and by View → Device), or the CPU."""
    return os.environ.get("PLAYGROUND_DEVICE", "").strip().lower() or "cpu"


def choose_device(requested: str, available: list[str]) -> DeviceChoice:
    requested = requested.strip().lower()
    if requested != "auto" and requested not in PROVIDERS:
        raise PlaygroundError(f"Unknown device {requested!r}: use auto, {', '.join(PROVIDERS)}.")
    if requested == "auto":
        device = next((d for d in GPUS if d in available), "cpu")
        return DeviceChoice(device, _providers(device), None)
    if requested in available:
        return DeviceChoice(requested, _providers(requested), None)
    there = ", ".join(TITLES[d] for d in available) or "none"
    return DeviceChoice(
        "cpu",
        [CPU],
        f"{TITLES[requested]} is not available in this ONNX Runtime build (it has: {there}); "
        "running on the CPU.",
    )


def _providers(device: str) -> list[str]:
    return [PROVIDERS[device]] + ([CPU] if device != "cpu" else [])
