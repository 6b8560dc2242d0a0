"""The Fine-tune panel on the real model: a short training from the made-up-fact preset,
its curve and numbers as the trainer reported them, the variant written; then Compare
with the base: the variant open, the base's run pinned as A, and the heads grid equal to
an independent computation from both models' attention maps."""

from __future__ import annotations

import contextlib
import html

import numpy as np
import pytest

from playground.engine.errors import PlaygroundError
from playground.engine.finetune.saving import delete_variant
from playground.engine.runtime.language_model import LanguageModel
from playground.ui.panels.finetune.change_grids import heads_grid
from tests.patience import patience

NAME = "test-zubrowka-panel"


@pytest.fixture()
def cleanup():
    yield
    with contextlib.suppress(PlaygroundError):
        delete_variant(NAME)


@pytest.mark.real_model
def test_train_then_compare_with_the_base(qtbot, make_window, real_model, cleanup):
    window = make_window(persist=False)
    s, state, panel = window.session, window.session.finetune, window.finetune
    window.show_panel("finetune")
    state.use_preset("fact")
    state.set_name(NAME)
    state.set_settings(steps=3)
    assert panel.steps.value() == 3 and panel.name.text() == NAME
    state.start(force=True)
    assert not panel.start.isEnabled() and panel.stop.isEnabled()
    qtbot.waitUntil(lambda: not state.running, timeout=patience(600_000))
    assert state.error is None, state.error
    result = state.result
    assert len(result.losses) == 3 and result.final_loss < result.initial_loss
    _, y = panel.chart.loss.getData()
    np.testing.assert_allclose(y, result.losses)
    assert NAME in panel.summary.text() and "KL(base" in panel.summary.text()
    grid = panel.grids.weights.values  # (L, 7): every matrix of every layer adapted
    assert grid.shape == (30, 7) and np.all(grid > 0)
    image = panel.grids.weights.image  # drawn with the layers down, the matrices across
    assert (image.width(), image.height()) == (7, 30)
    base_text, variant_text = result.side_by_side
    assert html.escape(base_text) in panel.before.text()
    assert html.escape(variant_text) in panel.after.text()

    window.variants.compare(result.folder, state.check[0])
    qtbot.waitUntil(
        lambda: s.model_info is not None and s.model_info.name == NAME and s.analysis_is_current,
        timeout=patience(120_000),
    )
    assert s.pinned.pinned and s.pinned.run.model.variant == ""  # A: the base
    assert s.run.model.variant == NAME and s.pinned.ids == s.analysis.ids
    ids = list(s.analysis.ids)
    a = real_model.forward(ids).attentions.whole  # (L, H, T, T), the base
    b = LanguageModel(result.folder).forward(ids).attentions.whole  # the variant, anew
    qtbot.waitUntil(lambda: panel.grids.heads.values is not None, timeout=patience(10_000))
    np.testing.assert_allclose(panel.grids.heads.values, heads_grid(a, b), atol=1e-5)
    heads = panel.grids.heads.image
    assert (heads.width(), heads.height()) == (9, 30)
    assert window.next_token.comparison.isVisible()
