"""GGUFs already on the machine, laid out as LM Studio, Ollama, the Hugging Face cache and
a browser's Downloads folder keep them: each listed once, with what it is and whether it
can be opened (and if not, why)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
from gguf import GGUFWriter, LlamaFileType

from playground.engine.model.found_models import scan
from tests.tiny_models import TinySpec, write_tiny_gguf


def _other_family(path: Path, family: str) -> Path:
    """A small GGUF of an architecture the converter does not know (header + one tensor)."""
    writer = GGUFWriter(str(path), family)
    writer.add_name(f"A {family} model")
    writer.add_file_type(LlamaFileType.MOSTLY_Q4_K_M)
    writer.add_block_count(1)
    writer.add_tensor("token_embd.weight", np.zeros((4, 8), np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def _home(tmp_path: Path) -> tuple[Path, Path]:
    """A home folder with models in each tool's place; returns (home, the tiny GGUF)."""
    home = tmp_path / "home"
    tiny = write_tiny_gguf(tmp_path / "tiny.gguf", TinySpec())
    # LM Studio: models/<publisher>/<repository>/<file>.gguf
    lm_studio = home / ".lmstudio" / "models" / "someone" / "tiny-GGUF"
    lm_studio.mkdir(parents=True)
    shutil.copy(tiny, lm_studio / "tiny-Q4_1.gguf")
    _other_family(lm_studio / "gemma-2-2b-it-Q4_K_M.gguf", "gemma2")
    # Ollama: a manifest naming a blob called by its digest, no .gguf anywhere
    store = home / ".ollama" / "models"
    data = tiny.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    (store / "blobs").mkdir(parents=True)
    (store / "blobs" / f"sha256-{digest}").write_bytes(data)
    manifest = store / "manifests" / "registry.ollama.ai" / "library" / "tiny" / "latest"
    manifest.parent.mkdir(parents=True)
    manifest.write_text(
        json.dumps(
            {
                "schemaVersion": 2,
                "layers": [
                    {
                        "mediaType": "application/vnd.ollama.image.model",
                        "digest": f"sha256:{digest}",
                    },
                    {"mediaType": "application/vnd.ollama.image.template", "digest": "sha256:00"},
                ],
            }
        ),
        "utf-8",
    )
    (manifest.parent / "broken").write_text("{not json", "utf-8")  # skipped, as by Ollama
    # Hugging Face cache: two snapshots whose file names link to one blob
    repo = home / ".cache" / "huggingface" / "hub" / "models--someone--tiny-GGUF"
    (repo / "blobs").mkdir(parents=True)
    blob = repo / "blobs" / "0123abcd"
    shutil.copy(tiny, blob)
    for revision in ("aaaa", "bbbb"):
        snapshot = repo / "snapshots" / revision
        snapshot.mkdir(parents=True)
        (snapshot / "tiny-q4_1.gguf").symlink_to(Path("../..") / "blobs" / "0123abcd")
    # Downloads: a renamed text file, a split model's two parts
    downloads = home / "Downloads"
    downloads.mkdir()
    (downloads / "notes.gguf").write_text("not a model", "utf-8")
    shutil.copy(tiny, downloads / "big-00001-of-00002.gguf")
    (downloads / "big-00002-of-00002.gguf").write_bytes(b"GGUF rest")
    return home, tiny


def test_models_on_the_machine_are_each_listed_once_with_what_they_are(tmp_path):
    home, tiny = _home(tmp_path)
    found = scan(home)
    by_where = [(m.where, Path(m.path).name) for m in found]
    assert by_where == [
        ("LM Studio", "gemma-2-2b-it-Q4_K_M.gguf"),
        ("LM Studio", "tiny-Q4_1.gguf"),
        ("Ollama", next(p.name for p in (home / ".ollama/models/blobs").iterdir())),
        ("Hugging Face cache", "tiny-q4_1.gguf"),  # two snapshots, one blob: once
        ("Downloads", "big-00001-of-00002.gguf"),
        ("Downloads", "notes.gguf"),
    ]
    gemma, lm_tiny, ollama, hugging_face, split, notes = found
    assert (lm_tiny.name, lm_tiny.family, lm_tiny.supported, lm_tiny.reason) == (
        "tiny-llama",
        "llama",
        True,
        "",
    )
    assert lm_tiny.bytes == tiny.stat().st_size
    # the tiny writer leaves general.file_type out: the type of most of its matrices' bytes
    # (this tiny model is not quantized)
    assert lm_tiny.quantization == "F32"
    assert (gemma.name, gemma.family, gemma.quantization) == ("A gemma2 model", "gemma2", "Q4_K_M")
    assert not gemma.supported and "architecture 'gemma2' is not supported" in gemma.reason
    assert (ollama.name, ollama.family, ollama.supported) == ("tiny:latest", "llama", True)
    assert hugging_face.supported and hugging_face.name == "tiny-llama"
    assert not split.supported and "split into 2 files" in split.reason
    assert not notes.supported and notes.reason.startswith("not a GGUF file")
    assert notes.name == "notes" and notes.family is None


def test_no_tool_folders_means_an_empty_list(tmp_path):
    assert scan(tmp_path) == []


def test_models_scan_json_lists_them_as_the_contract_says(tmp_path):
    home, _ = _home(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("OLLAMA_MODELS", "LLAMA_CACHE")}
    env = {k: v for k, v in env.items() if not k.startswith("HF_")}
    result = subprocess.run(
        [sys.executable, "-m", "playground", "models", "scan", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**env, "HOME": str(home)},
    )
    assert result.returncode == 0, result.stderr
    models = [m for m in json.loads(result.stdout)["models"] if m["path"].startswith(str(home))]
    assert [m["where"] for m in models] == [
        "LM Studio",
        "LM Studio",
        "Ollama",
        "Hugging Face cache",
        "Downloads",
        "Downloads",
    ]
    fields = {"path", "name", "family", "quantization", "bytes", "supported", "reason"}
    assert all(fields <= set(m) for m in models)
    assert [m["supported"] for m in models] == [False, True, True, True, False, False]
    assert models[2]["name"] == "tiny:latest" and models[2]["bytes"] > 0
    text = subprocess.run(
        [sys.executable, "-m", "playground", "models", "scan"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**env, "HOME": str(home)},
    ).stdout
    assert "tiny:latest (llama, " in text and "cannot be opened: architecture 'gemma2'" in text


def test_a_model_too_big_for_this_computer_is_listed_with_why(tmp_path, monkeypatch):
    from playground.engine.model import size_estimate

    home, _ = _home(tmp_path)
    monkeypatch.setattr(size_estimate, "available_memory", lambda: 1000)
    lm_tiny = next(m for m in scan(home) if m.path.endswith("tiny-Q4_1.gguf"))
    assert not lm_tiny.supported
    assert "of memory to analyse a 2,048-token prompt" in lm_tiny.reason
