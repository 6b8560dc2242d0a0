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
from playground.engine.finetune.before_after import continue_both
from playground.engine.finetune.saving import delete_variant
from playground.engine.inspect.logit_lens import LogitLens
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
    variant = LanguageModel(result.folder)
    b = variant.forward(ids).attentions.whole  # the variant, anew
    qtbot.waitUntil(lambda: panel.grids.heads.values is not None, timeout=patience(10_000))
    np.testing.assert_allclose(panel.grids.heads.values, heads_grid(a, b), atol=1e-5)
    heads = panel.grids.heads.image
    assert (heads.width(), heads.height()) == (9, 30)
    assert window.next_token.comparison.isVisible()

    # the logit lens of A (the base) beside B's (the variant), over the same positions
    window.show_panel("logit_lens")
    lens = s.lens_view
    qtbot.waitUntil(
        lambda: lens.reading is not None and lens.of_a.current, timeout=patience(60_000)
    )
    assert window.logit_lens.which.isEnabled()
    window.logit_lens.which.setCurrentIndex(1)
    assert lens.shown is lens.of_a.result and window.logit_lens.title.text().startswith("A: ")
    positions = list(lens.of_a.result.positions)
    reader = LogitLens(real_model.folder, real_model.arch)
    of_a = reader.read(s.pinned.run, real_model.forward(ids).hidden_states, positions)
    of_b = reader.read(s.run, variant.forward(ids).hidden_states, positions)
    np.testing.assert_array_equal(lens.of_a.result.top_ids, of_a.top_ids)
    np.testing.assert_allclose(lens.of_a.result.top_probs, of_a.top_probs, atol=1e-4)
    np.testing.assert_allclose(lens.reading.top_probs, of_b.top_probs, atol=1e-4)
    assert not np.allclose(of_a.top_probs, of_b.top_probs, atol=1e-3)  # A and B differ

    # Generate with both: the base and the variant continue the prompt on screen
    window.show_panel("finetune")
    assert panel.both.isEnabled()
    panel.both.click()
    qtbot.waitUntil(lambda: state.both is not None, timeout=patience(120_000))
    prompt, texts = state.both
    assert prompt == s.prompt
    assert texts == continue_both(real_model, variant, s.source(), s.seed)
    assert html.escape(texts[1]) in panel.after.text()
    assert state.changes is not None  # the opened variant's own weight change, read anew
    np.testing.assert_allclose(
        [c["relative"] for c in state.changes], [c["relative"] for c in result.weight_change]
    )
