"""File → Open model lists the GGUFs already on the machine, and opens the one chosen."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.engine.test_found_models import _home
from tests.patience import patience


@pytest.mark.real_model
def test_open_model_lists_the_models_found_and_opens_the_one_chosen(
    qtbot, make_window, monkeypatch, tmp_path
):
    home, _ = _home(tmp_path)
    monkeypatch.setenv("HOME", str(home))
    for name in ("OLLAMA_MODELS", "LLAMA_CACHE", "HF_HOME", "HF_HUB_CACHE"):
        monkeypatch.delenv(name, raising=False)
    window = make_window(persist=False)
    opened: list[Path] = []
    monkeypatch.setattr(window, "open_model", opened.append)
    window.choose_model_file()
    dialog = window.open_model_dialog
    qtbot.waitUntil(lambda: dialog.table.rowCount() > 0, timeout=patience(30_000))
    mine = [m for m in dialog.models if m.path.startswith(str(home))]
    assert len(mine) == 6  # as `playground models scan` lists them (tests/engine)
    assert dialog.status.text().startswith(f"{len(dialog.models)} GGUF models found")
    rows = {dialog.table.item(r, 0).text(): r for r in range(dialog.table.rowCount())}
    gemma = rows["A gemma2 model"]
    assert dialog.table.item(gemma, 1).text() == "gemma2"
    assert dialog.table.item(gemma, 2).text() == "Q4_K_M"
    assert dialog.table.item(gemma, 5).text().startswith("no: architecture 'gemma2'")
    dialog.table.selectRow(gemma)
    assert not dialog.open_button.isEnabled()  # it cannot be opened: nothing to press
    ollama = rows["tiny:latest"]
    assert dialog.table.item(ollama, 4).text() == "Ollama"
    assert dialog.table.item(ollama, 5).text() == "yes"
    dialog.table.selectRow(ollama)
    assert dialog.open_button.isEnabled()
    dialog.open_button.click()
    assert opened == [Path(dialog.models[ollama].path)] and not dialog.isVisible()
