"""The attention panel on the real model: "it" -> "animal", in both directions."""

from __future__ import annotations

import threading

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from playground.engine.inspect.attention_summary import head_statistics
from playground.engine.inspect.attention_view import Scope, without_first_token
from playground.engine.runtime import attention_maps
from playground.engine.sampling.distribution import SamplingSettings
from playground.ui.worker import model_jobs
from tests.patience import patience
from tests.ui.conftest import wait_for_analysis

pytestmark = pytest.mark.real_model

SENTENCE = "The animal didn't cross the road because it was too tired."
IT = 8  # token index of " it"


@pytest.fixture
def window(make_window):
    window = make_window(prompt=SENTENCE)
    window.show_panel("attention")
    return window


def _click_scene_point(qtbot, graphics_view, scene_point: QPointF) -> None:
    qtbot.mouseClick(
        graphics_view.viewport(),
        Qt.MouseButton.LeftButton,
        pos=graphics_view.mapFromScene(scene_point),
    )


@pytest.mark.parametrize(("layer", "head"), [(13, 8), (0, 0), (29, 4), (18, 6)])
def test_token_view_shows_the_engines_attention_row_for_it(window, real_model, layer, head):
    panel = window.attention
    window.session.select_token(IT)
    window.session.set_attention_view(scope=Scope.HEAD, layer=layer, head=head)
    assert panel.labels()[IT] == "·it" and panel.labels()[1] == "·animal"
    expected = real_model.forward(real_model.encode(SENTENCE)).attentions[layer, head, IT]
    shown = panel.token_view._weights
    np.testing.assert_allclose(shown, expected, atol=1e-6)
    assert panel.token_view._focus == IT
    np.testing.assert_allclose(panel.detail.matrix[IT], expected, atol=1e-6)
    top_key = int(np.argmax(expected))
    assert f"{expected[top_key]:.1%}" in panel.token_summary.text()


def test_it_looks_at_animal_in_a_real_head_with_the_sink_hidden(window):
    window.session.select_token(IT)
    window.session.set_attention_view(scope=Scope.HEAD, layer=13, head=8, hide_first=True)
    weights = window.attention.token_view._weights
    assert weights[0] == 0
    assert weights[: IT + 1].sum() == pytest.approx(1.0, abs=1e-5)
    assert int(np.argmax(weights)) == 1  # " animal"
    assert weights[1] > 0.5


def test_sink_toggle_renormalises_and_says_so(window):
    panel = window.attention
    window.session.select_token(IT)
    raw = panel.current_matrix().copy()
    panel.hide_first.setChecked(True)
    assert window.session.attention_view.hide_first
    assert panel.note.isVisible() and "renormalised" in panel.note.text()
    assert "first token hidden" in panel.detail.title.text()
    np.testing.assert_allclose(panel.current_matrix(), without_first_token(raw), atol=1e-6)
    np.testing.assert_allclose(panel.token_view._weights, without_first_token(raw)[IT], atol=1e-6)
    panel.hide_first.setChecked(False)
    assert not panel.note.isVisible()


def test_means_over_heads_and_layers(window):
    panel = window.attention
    attentions = window.session.analysis.forward.attentions
    panel.scope.setCurrentIndex(1)  # mean of a layer's heads
    panel.layer.setValue(5)
    assert window.session.attention_view.scope is Scope.LAYER_MEAN
    np.testing.assert_allclose(panel.current_matrix(), attentions[5].mean(0), atol=1e-6)
    assert not panel.head.isEnabled()
    panel.scope.setCurrentIndex(2)
    np.testing.assert_allclose(
        panel.current_matrix(), np.asarray(attentions).mean((0, 1)), atol=1e-6
    )
    assert not panel.layer.isEnabled()
    assert "Mean of all 270 heads" in panel.detail.title.text()


def test_session_changes_show_in_the_controls_and_highlights(window):
    panel = window.attention
    window.session.set_attention_view(scope=Scope.HEAD, layer=7, head=4, all_layers=True)
    assert (panel.layer.value(), panel.head.value()) == (7, 4)
    assert panel.all_layers.isChecked()
    assert set(panel.overview.layout_info.origins) == {
        (lay, h) for lay in range(30) for h in range(9)
    }
    assert panel.overview.highlight.isVisible()
    window.session.select_token(3)
    assert panel.detail.row_box.isVisible() and panel.detail.row_box.rect().top() == 2.5
    assert panel.detail.column_box.rect().left() == 2.5
    assert panel.token_view._focus == 3


def test_clicking_a_head_in_the_overview_opens_it(qtbot, window):
    panel = window.attention
    window.session.set_attention_view(layer=4)
    layout = panel.overview.layout_info
    x, y = layout.origins[(4, 5)]
    scene = panel.overview.plot.getViewBox().mapViewToScene(
        QPointF(x + layout.tile / 2, y + layout.tile / 2)
    )
    _click_scene_point(qtbot, panel.overview, scene)
    view = window.session.attention_view
    assert (view.scope, view.layer, view.head) == (Scope.HEAD, 4, 5)
    assert "Layer 4, head 5" in panel.detail.title.text()


def test_clicking_tokens_and_cells_selects_the_query(qtbot, window):
    panel = window.attention
    chips = panel.token_view
    qtbot.mouseClick(chips, Qt.MouseButton.LeftButton, pos=chips.chip_rect(IT).center().toPoint())
    assert window.session.selected_token == IT
    panel.tabs.setCurrentWidget(panel.detail)
    scene = panel.detail.plot.getViewBox().mapViewToScene(QPointF(1, 5))  # key 1, query 5
    assert panel.detail.cell_at(scene) == (5, 1)
    assert "'·animal'" in panel.detail.describe(5, 1)
    _click_scene_point(qtbot, panel.detail.graphics, scene)
    assert window.session.selected_token == 5


def test_head_statistics_are_sortable_and_open_a_head(qtbot, window):
    table = window.attention.stats
    assert table.rowCount() == 0  # built only when the tab is opened
    window.attention.tabs.setCurrentWidget(table)
    qtbot.waitUntil(
        lambda: window.session.extras.induction_scores is not None, timeout=patience(30_000)
    )
    assert table.rowCount() == 270
    assert table.item(0, 7).text() != "…"  # the induction column is filled in
    table.sortItems(3, Qt.SortOrder.DescendingOrder)  # most previous-token-like first
    values = [float(table.item(r, 3).text()) for r in range(table.rowCount())]
    assert values == sorted(values, reverse=True)
    layer, head = table.head_in_row(0)
    stats = window.session.analysis.head_stats
    assert stats.previous_token[layer, head] == pytest.approx(stats.previous_token.max(), abs=1e-3)
    rect = table.visualItemRect(table.item(0, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert (window.session.attention_view.layer, window.session.attention_view.head) == (
        layer,
        head,
    )
    assert window.attention.tabs.currentWidget() is window.attention.detail


def test_panel_follows_a_new_prompt(qtbot, window):
    window.session.set_prompt("Hello world", immediate=True)
    wait_for_analysis(qtbot, window)
    assert window.attention.detail.matrix.shape == (2, 2)
    assert window.attention.token_view._focus == 1


def test_maps_computed_per_layer_are_drawn_from_their_summaries(
    make_window, real_model, monkeypatch
):
    """A long prompt's maps are computed a layer at a time; the window shows the same."""
    monkeypatch.setattr(attention_maps, "FULL_MAPS_BYTES", 1)  # every prompt counts as long
    window = make_window(prompt=SENTENCE)
    window.show_panel("attention")
    panel = window.attention
    maps = window.session.analysis.forward.attentions
    assert not maps.is_whole and maps.summary  # made on the worker with the analysis
    whole = real_model.forward(real_model.encode(SENTENCE), whole_maps=True).attentions
    window.session.set_attention_view(scope=Scope.HEAD, layer=13, head=8, all_layers=True)
    assert len(panel.overview.layout_info.origins) == 270
    assert "Click a head" in panel.overview_caption.text()
    np.testing.assert_allclose(panel.current_matrix(), whole[13, 8], atol=1e-6)
    panel.scope.setCurrentIndex(2)  # the mean of all heads, stored by the worker
    np.testing.assert_allclose(panel.current_matrix(), np.asarray(whole).mean((0, 1)), atol=1e-6)


def test_a_long_prompt_is_shown_first_and_its_statistics_follow(qtbot, make_window, monkeypatch):
    """A long prompt's tokens and predictions are on screen before every head's statistics
    (seconds at 2,048 tokens), which follow, say so in the status line while they are
    made, and equal those of the whole maps; a newer prompt's analysis is never replaced
    by an older prompt's statistics."""
    monkeypatch.setattr(attention_maps, "FULL_MAPS_BYTES", 1)  # every prompt counts as long
    window = make_window(prompt="Hello")
    session = window.session
    release, made = threading.Event(), model_jobs.with_statistics

    def held(analysis, cancelled=None):  # the statistics wait until the test has looked
        release.wait(60)
        return made(analysis, cancelled)

    monkeypatch.setattr(model_jobs, "with_statistics", held)
    shown = []
    said = []
    session.analysis_changed.connect(lambda: shown.append(session.analysis))
    session.analysis_changed.connect(lambda: said.append(window.status_line.timing.text()))
    session.set_prompt(SENTENCE, immediate=True)
    qtbot.waitUntil(lambda: session.analysis_is_current, timeout=patience(30_000))
    first = shown[0]
    assert first.source[1] == SENTENCE and first.statistics_pending and first.head_stats is None
    assert first.next_token is not None  # the predictions did not wait
    assert "computing every head's statistics" in said[0]
    window.show_panel("attention")
    session.set_attention_view(all_layers=True)
    assert "computing every layer's maps" in window.attention.overview_caption.text()
    release.set()
    wait_for_analysis(qtbot, window)
    final = session.analysis
    assert final.forward is first.forward and final.head_stats is not None
    assert "statistics" not in window.status_line.timing.text()
    whole = np.asarray(final.forward.attentions)  # (L, H, T, T)
    expected = head_statistics(whole)
    for name in ("previous_token", "first_token", "same_token", "entropy_bits"):
        np.testing.assert_allclose(
            getattr(final.head_stats, name), getattr(expected, name), atol=1e-4
        )
    # two prompts in a row: only the newer one's statistics are ever shown
    session.set_prompt(SENTENCE + " It slept.", immediate=True)
    session.set_prompt("A cat sat on the mat.", immediate=True)
    wait_for_analysis(qtbot, window)
    qtbot.wait(200)
    assert session.analysis.source[1] == "A cat sat on the mat."
    assert session.analysis.head_stats is not None
    assert session.analysis.head_stats.previous_token.shape == expected.previous_token.shape


def test_a_long_generation_ends_first_and_its_statistics_follow(qtbot, make_window, monkeypatch):
    monkeypatch.setattr(attention_maps, "FULL_MAPS_BYTES", 1)  # every prompt counts as long
    window = make_window(prompt=SENTENCE)
    session = window.session
    before = session.analysis.n_tokens
    session.set_sampling(SamplingSettings(temperature=0.0))
    session.generate(4)
    qtbot.waitUntil(lambda: not session.generating, timeout=patience(60_000))
    qtbot.waitUntil(lambda: session.analysis.head_stats is not None, timeout=patience(60_000))
    maps = session.analysis.forward.attentions
    assert session.analysis.n_tokens == before + 4 and maps.n_tokens == before + 4
    assert not maps.is_whole and maps.summary  # the overview's thumbnails came with them
    window.show_panel("attention")
    session.set_attention_view(all_layers=True)
    assert "Click a head" in window.attention.overview_caption.text()
    assert len(window.attention.overview.layout_info.origins) == 270
