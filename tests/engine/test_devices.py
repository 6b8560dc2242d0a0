"""Choosing where the model runs: the CPU by default, a GPU only when the ONNX Runtime
build has it, and a clear fallback to the CPU otherwise (the choice tested on the CPU)."""

from __future__ import annotations

import pytest

from playground.engine.errors import PlaygroundError
from playground.engine.runtime.devices import (
    CPU,
    available_devices,
    choose_device,
    requested_device,
)


def test_the_cpu_unless_a_gpu_is_asked_for_and_there():
    cpu_only = ["cpu"]
    assert choose_device("cpu", cpu_only).providers == [CPU]
    auto = choose_device("auto", cpu_only)
    assert (auto.device, auto.notice) == ("cpu", None)
    cuda = choose_device("cuda", ["cpu", "cuda"])
    assert cuda.device == "cuda" and cuda.providers == ["CUDAExecutionProvider", CPU]
    assert choose_device("auto", ["cpu", "directml"]).device == "directml"
    assert choose_device("auto", ["cpu", "coreml", "cuda"]).device == "cuda"  # CUDA first


def test_a_device_that_is_not_there_falls_back_to_the_cpu_and_says_so():
    missing = choose_device("CUDA", ["cpu"])
    assert missing.device == "cpu" and missing.providers == [CPU]
    assert missing.notice == (
        "CUDA (NVIDIA GPU) is not available in this ONNX Runtime build (it has: CPU); "
        "running on the CPU."
    )
    with pytest.raises(PlaygroundError, match="Unknown device 'gpu': use auto, cpu, cuda"):
        choose_device("gpu", ["cpu"])


def test_the_installed_build_and_the_environment(monkeypatch):
    assert "cpu" in available_devices()  # this machine's onnxruntime
    assert available_devices(["CUDAExecutionProvider", CPU]) == ["cpu", "cuda"]
    monkeypatch.delenv("PLAYGROUND_DEVICE", raising=False)
    assert requested_device() == "cpu"
    monkeypatch.setenv("PLAYGROUND_DEVICE", " CoreML ")
    assert requested_device() == "coreml"


def test_a_model_opened_on_a_missing_gpu_runs_on_the_cpu(tiny_factory, monkeypatch):
    from playground.engine import LanguageModel

    monkeypatch.setenv("PLAYGROUND_DEVICE", "cuda")
    lm = LanguageModel(tiny_factory()[1].folder)
    assert lm.device == "cpu" and "not available" in lm.device_notice
    assert lm.session.get_providers() == [CPU]
