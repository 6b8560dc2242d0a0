"""Knocking out heads in the window: a right-click on an overview tile switches a head
off, every panel then shows the run without it (equal to the engine's knocked-out
forward), the tile is marked, a saved session keeps it, and Compare shows it against the
intact run."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from playground.engine.runtime.interventions import Interventions
from playground.engine.runtime.knock_out import KnockOut
from tests.patience import patience
from tests.ui.conftest import wait_for_analysis


def _paris_prob(session, real_model):
    paris = real_model.encode(" Paris")[0]
    return next(c.prob for c in session.distribution.top(50) if c.token_id == paris)


@pytest.mark.real_model
def test_a_head_knocked_out_in_the_overview_changes_every_run(
    qtbot, make_window, real_model, tmp_path
):
    window = make_window(prompt="The capital of France is")
    session, panel = window.session, window.attention
    window.show_panel("attention")
    window.next_token.pin.click()  # the intact run as A
    intact = _paris_prob(session, real_model)
    session.set_attention_view(layer=23, all_layers=False)
    qtbot.waitUntil(lambda: panel.overview.layout_info is not None, timeout=patience(10_000))
    panel.overview.knock_out_toggled.emit(23, 4)  # what a right-click on the tile sends
    assert session.interventions.knock_out.heads == {(23, 4)}
    qtbot.waitUntil(lambda: session.analysis_is_current, timeout=patience(30_000))
    wait_for_analysis(qtbot, window)
    ids = real_model.encode("The capital of France is")
    expected = real_model.forward(
        ids, interventions=Interventions(KnockOut(frozenset({(23, 4)})))
    ).logits[-1]
    np.testing.assert_allclose(session.analysis.next_token.raw_logits, expected, atol=1e-4)
    assert _paris_prob(session, real_model) < 0.3 < intact
    status = panel.knock_outs.status
    assert status.isVisible() and "23.4" in status.text() and "zero" in status.text()
    assert panel.knock_outs.parts.text() == "23.4"
    assert len(panel.overview._knocked_marks) == 2  # the tile's frame and cross
    assert "Against A" in window.next_token.comparison.text()  # intact vs knocked out

    saved = window.save_session_file(tmp_path / "knocked")
    other = make_window(prompt="Hello")
    assert other.open_session_file(saved) == []
    qtbot.waitUntil(
        lambda: other.session.interventions.knock_out.heads == {(23, 4)}, timeout=patience(10_000)
    )
    wait_for_analysis(qtbot, other)
    np.testing.assert_allclose(other.session.analysis.next_token.raw_logits, expected, atol=1e-4)

    panel.overview.knock_out_toggled.emit(23, 4)  # on again
    wait_for_analysis(qtbot, window)
    qtbot.waitUntil(lambda: _paris_prob(session, real_model) > 0.5, timeout=patience(30_000))
    assert not panel.knock_outs.status.isVisible()


@pytest.mark.real_model
def test_typed_knock_outs_with_mean_ablation_are_the_engines_and_saved(
    qtbot, make_window, real_model, tmp_path
):
    window = make_window(prompt="The capital of France is")
    session, bar = window.session, window.attention.knock_outs
    window.show_panel("attention")
    bar.parts.setText("23.4, 29.mlp")
    bar.parts.editingFinished.emit()  # what Enter sends
    bar.ablation.setCurrentIndex(1)  # heads write their mean output
    knock_out = session.interventions.knock_out
    assert (knock_out.heads, knock_out.mlps, knock_out.ablation) == ({(23, 4)}, {29}, "mean")
    wait_for_analysis(qtbot, window)
    qtbot.waitUntil(lambda: session.analysis_is_current, timeout=patience(30_000))
    ids = real_model.encode("The capital of France is")
    expected = real_model.forward(ids, interventions=Interventions(knock_out)).logits[-1]
    zeroed = real_model.forward(
        ids, interventions=Interventions(knock_out.with_ablation("zero"))
    ).logits[-1]
    assert np.abs(expected - zeroed).max() > 0.1  # the two ablations differ
    np.testing.assert_allclose(session.analysis.next_token.raw_logits, expected, atol=1e-4)
    assert "mean output" in bar.status.text()
    assert window.attention.overview.knocked == {(23, 4)}

    bar.parts.setText("23.99")  # a head the model lacks: named, and nothing changes
    bar.parts.editingFinished.emit()
    assert "Cannot knock out '23.99'" in bar.status.text()
    assert session.interventions.knock_out == knock_out

    saved = window.save_session_file(tmp_path / "mean")
    other = make_window(prompt="Hello")
    assert other.open_session_file(saved) == []
    qtbot.waitUntil(
        lambda: other.session.interventions.knock_out == knock_out, timeout=patience(10_000)
    )
    assert other.attention.knock_outs.ablation.currentIndex() == 1
    bar.clear.click()
    assert (
        session.interventions.knock_out.empty and session.interventions.knock_out.ablation == "mean"
    )


@pytest.mark.real_model
def test_a_right_click_on_a_tile_toggles_its_head(qtbot, make_window):
    window = make_window(prompt="The cat sat on the")
    panel = window.attention
    window.show_panel("attention")
    window.session.set_attention_view(layer=5, all_layers=False)
    qtbot.waitUntil(lambda: panel.overview.layout_info is not None, timeout=patience(10_000))
    layout = panel.overview.layout_info
    x, y = layout.origins[(5, 2)]
    view = panel.overview.plot.getViewBox()
    scene = view.mapViewToScene(pg_point(x + layout.tile / 2, y + layout.tile / 2))
    widget_pos = panel.overview.mapFromScene(scene)
    qtbot.mouseClick(panel.overview.viewport(), Qt.MouseButton.RightButton, pos=widget_pos)
    qtbot.waitUntil(
        lambda: window.session.interventions.knock_out.heads == {(5, 2)}, timeout=patience(5000)
    )


def pg_point(x: float, y: float):
    from PySide6.QtCore import QPointF

    return QPointF(x, y)


@pytest.mark.real_model
def test_attention_of_a_knocked_out_run_against_the_intact_one(qtbot, make_window, real_model):
    from playground.ui.panels.attention.attention_compare import Showing

    prompt = "The capital of France is"
    window = make_window(prompt=prompt)
    session, panel = window.session, window.attention
    window.show_panel("attention")
    assert not panel.compare.choice.isVisible()  # nothing pinned: nothing to compare
    window.next_token.pin.click()  # the intact run as A
    session.interventions.toggle_head(23, 4)
    wait_for_analysis(qtbot, window)
    qtbot.waitUntil(lambda: session.analysis_is_current, timeout=patience(30_000))
    session.set_attention_view(layer=26, head=2, scope=panel.session.attention_view.scope)
    assert panel.compare.choice.isVisible()
    ids = real_model.encode(prompt)
    intact = np.asarray(real_model.forward(ids).attentions)[26, 2]  # (T, T)
    knocked = real_model.forward(ids, interventions=Interventions(KnockOut(frozenset({(23, 4)}))))
    knocked = np.asarray(knocked.attentions)[26, 2]
    np.testing.assert_allclose(panel.current_matrix(), knocked, atol=1e-5)  # B
    panel.compare.choice.setCurrentIndex(list(Showing).index(Showing.A))
    np.testing.assert_allclose(panel.current_matrix(), intact, atol=1e-5)
    panel.compare.choice.setCurrentIndex(list(Showing).index(Showing.DIFFERENCE))
    difference = panel.current_matrix()
    np.testing.assert_allclose(difference, knocked - intact, atol=1e-5)
    assert np.abs(difference).max() > 1e-3  # a later layer's attention moved
    assert panel.detail.signed and "B − A" in panel.detail.title.text()
    last = len(ids) - 1
    scores = panel.token_view.scores  # the last token's row, in percentage points
    np.testing.assert_allclose(scores, 100 * (knocked - intact)[last], atol=1e-3)
    assert "gained most" in panel.token_summary.text()

    session.set_prompt("The capital of France is a city", immediate=True)  # 2 more tokens
    wait_for_analysis(qtbot, window)
    assert not panel.compare.choice.isVisible()
    np.testing.assert_allclose(panel.current_matrix().sum(axis=1), 1.0, atol=1e-4)  # B again


@pytest.mark.real_model
def test_swapping_a_and_b_shows_a_in_every_panel(qtbot, make_window, real_model, tmp_path):
    window = make_window(prompt="The capital of France is")
    session, panel = window.session, window.next_token
    wait_for_analysis(qtbot, window)
    assert not panel.swap.isEnabled()  # nothing pinned: nothing to swap with
    panel.pin.click()  # A: intact
    session.interventions.toggle_head(23, 4)  # B: without head 23.4
    wait_for_analysis(qtbot, window)
    qtbot.waitUntil(lambda: session.analysis_is_current, timeout=patience(30_000))
    knocked = session.interventions.knock_out
    assert _paris_prob(session, real_model) < 0.3
    panel.swap.click()  # A comes back in every panel, B is pinned
    qtbot.waitUntil(
        lambda: session.analysis_is_current and _paris_prob(session, real_model) > 0.7,
        timeout=patience(30_000),
    )
    assert session.interventions.knock_out.empty and session.pinned.knock_out == knocked
    assert "Against A" in panel.comparison.text()
    saved = window.save_session_file(tmp_path / "swapped")  # A (knocked out) is kept whole
    panel.swap.click()  # and back
    qtbot.waitUntil(
        lambda: session.interventions.knock_out == knocked and session.analysis_is_current,
        timeout=patience(30_000),
    )
    assert _paris_prob(session, real_model) < 0.3 and session.pinned.knock_out.empty

    other = make_window(prompt="Hello")
    assert other.open_session_file(saved) == []
    qtbot.waitUntil(lambda: other.session.pinned.pinned, timeout=patience(30_000))
    ids = real_model.encode("The capital of France is")
    expected = real_model.forward(ids, interventions=Interventions(knocked)).logits[-1]
    np.testing.assert_allclose(other.session.pinned.logits, expected, atol=1e-4)
    assert other.session.pinned.knock_out == knocked
