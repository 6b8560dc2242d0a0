"""The embedding-space panel on the real model."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from tests.patience import patience

pytestmark = pytest.mark.real_model

PROMPT = "The king and the queen ate an apple"


@pytest.fixture
def window(qtbot, make_window):
    window = make_window(prompt=PROMPT)
    qtbot.waitUntil(
        lambda: window.session.extras.embedding_space is not None, timeout=patience(30_000)
    )
    window.show_panel("embeddings")
    return window


def _points(item) -> np.ndarray:
    x, y = item.getData()
    return np.column_stack([x, y])


def test_prompt_tokens_are_drawn_at_their_projected_positions(window):
    space = window.session.extras.embedding_space
    ids = list(window.session.analysis.ids)
    panel = window.embeddings
    np.testing.assert_allclose(_points(panel.map.prompt), space.projection.coords[ids], atol=1e-6)
    # labels never overlap: those that would are left out (the compared pair, king / queen,
    # comes first), and any token is labelled on hover
    shown = panel.map.prompt_labels.texts()
    assert len(shown) >= 4 and set(shown) <= {window.session.token_label(i) for i in ids}
    assert "king" in panel.map.compare_labels.texts()
    king = window.session.analysis.ids[1]
    panel._on_map_hover(king)
    assert panel.map.hover_label.texts() == ["·king"]
    boxes = panel.map.shown_label_boxes()
    assert boxes and not any(a.intersects(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    assert len(panel.map.cloud.data) == 49152
    assert "13.6%" in panel.notes.text() and "576" in panel.notes.text()


def test_search_finds_a_tokens_point(window, real_model):
    panel = window.embeddings
    space = window.session.extras.embedding_space
    panel.search_box.setText("king")
    king = real_model.encode(" king")
    np.testing.assert_allclose(_points(panel.map.search), space.projection.coords[king])
    assert "4197" in panel.search_result.text()
    panel.search_box.setText("unbelievably")
    pieces = real_model.encode(" unbelievably")
    assert len(pieces) > 1
    np.testing.assert_allclose(_points(panel.map.search), space.projection.coords[pieces])
    assert f"{len(pieces)} tokens, each shown" in panel.search_result.text()


def test_cosine_shown_is_the_engines_cosine(window, real_model):
    panel = window.embeddings
    space = window.session.extras.embedding_space
    for preset, (a, b) in enumerate([("king", "queen"), ("king", "apple")], start=1):
        panel.presets.setCurrentIndex(preset)
        panel.presets.activated.emit(preset)
        assert (panel.compare_a.text(), panel.compare_b.text()) == (a, b)
        va = space.vectors[real_model.encode(f" {a}")[0]].astype(float)
        vb = space.vectors[real_model.encode(f" {b}")[0]].astype(float)
        expected = va @ vb / (np.linalg.norm(va) * np.linalg.norm(vb))
        assert f"{expected:+.3f}" in panel.compare_result.text()
    cosine, _, _ = panel.compare_words()
    assert cosine < 0.3  # king / apple


def test_selected_token_shows_its_neighbours_both_ways(qtbot, window, real_model):
    panel = window.embeddings
    space = window.session.extras.embedding_space
    window.session.select_token(1)  # " king"
    king = real_model.encode(" king")[0]
    assert panel.focus_id == king
    expected = [n.token_id for n in space.neighbours(space.vectors[king], 12, {king})]
    listed = [panel.neighbour_list.item(i).data(256) for i in range(panel.neighbour_list.count())]
    assert listed == expected
    np.testing.assert_allclose(_points(panel.map.neighbours), space.projection.coords[expected])
    np.testing.assert_allclose(_points(panel.map.selected), space.projection.coords[[king]])
    # click a neighbour in the list: its own neighbours appear
    item = panel.neighbour_list.item(0)
    rect = panel.neighbour_list.visualItemRect(item)
    qtbot.mouseClick(panel.neighbour_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.focus_id == expected[0]
    # click a point on the map
    apple = real_model.encode(" apple")[0]
    x, y = space.projection.coords[apple]
    scene = panel.map.getViewBox().mapViewToScene(QPointF(float(x), float(y)))
    assert panel.map.token_near(scene) is not None
    pixel = panel.map.mapFromScene(scene)  # whole pixels: the clicked point is this one
    qtbot.mouseClick(panel.map.viewport(), Qt.MouseButton.LeftButton, pos=pixel)
    clicked = panel.map.token_near(panel.map.mapToScene(pixel))
    assert clicked is not None and panel.focus_id == clicked


def test_layer_path_of_the_selected_token(window):
    panel = window.embeddings
    window.session.select_token(4)  # " queen"
    panel.show_path.setChecked(True)
    path = _points(panel.map.path)
    assert path.shape == (31, 2)
    space = window.session.extras.embedding_space
    np.testing.assert_allclose(
        path[0], space.projection.coords[window.session.analysis.ids[4]], atol=1e-4
    )
    # the path starts at the selected token, labelled " queen" there: its own "embedding"
    # label would cover that one and is left out; later layers are labelled where free
    assert "·queen" in panel.map.prompt_labels.texts()
    assert "embedding" not in panel.map.path_labels.texts()
    assert any(t.startswith("layer ") for t in panel.map.path_labels.texts())
    panel.show_path.setChecked(False)
    assert panel.map.path.getData()[0] is None or len(panel.map.path.getData()[0]) == 0
