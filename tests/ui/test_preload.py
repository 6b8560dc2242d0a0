"""Opening the default model while the window is being built: the window takes the model
opened ahead (not a second copy), once; with nothing converted, nothing is opened ahead."""

from __future__ import annotations

import numpy as np
import pytest

from playground.engine.runtime import preload
from playground.engine.runtime.preload import start_preload, take_preloaded
from playground.engine.store.catalog import catalog_entry, default_model_name
from playground.engine.store.folders import bundle_dir
from playground.ui.window.main_window import MainWindow
from playground.ui.worker import model_jobs
from playground.ui.worker.runner import ModelRunner
from tests.patience import patience


@pytest.mark.real_model
def test_the_window_takes_the_model_opened_ahead(qtbot, real_model, monkeypatch):
    start_preload()
    opened_again: list[object] = []

    class Counting(model_jobs.LanguageModel):  # type: ignore[misc, valid-type]
        def __init__(self, *args, **kwargs):
            opened_again.append(args)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(model_jobs, "LanguageModel", Counting)
    window = MainWindow(ModelRunner(), persist=False)
    qtbot.addWidget(window)
    window.show()
    window.start_loading()
    qtbot.waitUntil(lambda: window.session.analysis_is_current, timeout=patience(60_000))
    assert opened_again == []  # the window opened no second copy
    assert window.session.analysis is not None
    assert np.isfinite(window.session.analysis.forward.logits).all()
    assert take_preloaded(real_model.folder) is None  # taken once
    window.runner.shutdown()


def test_a_model_opened_ahead_is_taken_once(tiny, monkeypatch):
    folder = tiny.folder
    monkeypatch.setattr(preload, "_ready_bundle", lambda: folder)
    start_preload()
    lm = take_preloaded(folder)
    assert lm is not None and lm is not tiny
    np.testing.assert_allclose(lm.forward([1, 2, 3]).logits, tiny.forward([1, 2, 3]).logits)
    assert take_preloaded(folder) is None


def test_nothing_is_opened_ahead_on_an_empty_store(tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYGROUND_HOME", str(tmp_path / "store"))
    start_preload()
    assert take_preloaded(bundle_dir(catalog_entry(default_model_name()).name)) is None
