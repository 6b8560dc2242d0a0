"""Shared fixtures: tiny generated models (fast, exhaustive) and the real default model."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Fine-tuning's compiled steps (JAX's persistent cache, finetune/compiled.py) in one folder
# that every test process and the commands they start share, instead of in each test
# store (most are temporary): read when JAX is first imported.
os.environ.setdefault(
    "JAX_COMPILATION_CACHE_DIR", str(Path(tempfile.gettempdir()) / "llm-playground-tests-jax")
)

import pytest

from playground.engine import LanguageModel, load_model
from playground.engine.runtime.conversion import convert_gguf
from tests.tiny_models import TinySpec, write_tiny_gguf

# ./test.sh runs most tests in two processes side by side (pytest-xdist): each gets its
# share of the cores, so that two ONNX Runtime thread pools do not fight over them (read
# when a model is opened; the commands the CLI tests start inherit it).
_WORKERS = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
if _WORKERS > 1:
    os.environ.setdefault("PLAYGROUND_THREADS", str(max(1, (os.cpu_count() or 1) // _WORKERS)))


@pytest.fixture(scope="session")
def tiny_factory(tmp_path_factory: pytest.TempPathFactory):
    """Make (and cache) a tiny model per spec: returns (gguf path, LanguageModel)."""
    made: dict[TinySpec, tuple[Path, LanguageModel]] = {}
    root = tmp_path_factory.mktemp("tiny")

    def make(spec: TinySpec | None = None) -> tuple[Path, LanguageModel]:
        spec = spec or TinySpec()
        if spec not in made:
            name = f"tiny-{len(made)}"
            gguf = write_tiny_gguf(root / f"{name}.gguf", spec)
            folder = convert_gguf(gguf, name=name, destination=root / "bundles" / name)
            made[spec] = (gguf, LanguageModel(folder))
        return made[spec]

    return make


@pytest.fixture(scope="session")
def tiny(tiny_factory) -> LanguageModel:
    return tiny_factory()[1]


@pytest.fixture(scope="session")
def real_model() -> LanguageModel:
    """The default model from the user's store, fetched and converted on first use."""
    return load_model()


@pytest.fixture(scope="session")
def real_gguf(real_model: LanguageModel) -> Path:
    from playground.engine.store.catalog import catalog_entry, default_model_name
    from playground.engine.store.fetch import fetch_model

    return fetch_model(catalog_entry(default_model_name()))


@pytest.fixture(scope="session")
def encoder():
    """The catalog's sentence encoder (all-MiniLM-L6-v2), fetched and converted on first use."""
    from playground.engine.runtime.encoder_loader import load_encoder

    return load_encoder()


@pytest.fixture(scope="session")
def encoder_reference(encoder, tmp_path_factory: pytest.TempPathFactory):
    """The independent numpy encoder on the same real weights, read from the fetched zip."""
    import json
    import zipfile

    from playground.engine.store.catalog import encoder_entry
    from playground.engine.store.fetch import fetch_model
    from tests.encoder_reference import ReferenceEncoder

    zipped = fetch_model(encoder_entry())
    folder = tmp_path_factory.mktemp("encoder-reference")
    with zipfile.ZipFile(zipped) as archive:
        archive.extract("model.safetensors", folder)
        config = json.loads(archive.read("config.json"))
    return ReferenceEncoder(folder / "model.safetensors", config)


def pytest_report_header(config: pytest.Config) -> str:
    from playground.commands.bench.cpu_info import cpu_description
    from tests.patience import slowness

    return f"cpu: {cpu_description()}; waits scaled x{slowness():.2f} (tests/patience.py)"
