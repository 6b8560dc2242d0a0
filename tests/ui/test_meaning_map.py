"""The UMAP map: made in a separate process with progress, cached in the bundle, read again
without computing; a failure is one message. On a tiny model (the real one's map takes two
minutes); the panel's use of a map is tested on the real model with the map given."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from playground.engine.model.bundle_weights import read_initializer
from playground.engine.model.meaning_map import UMAP_FILE, load_umap, save_umap
from playground.ui.state.meaning_map import MeaningMap
from tests.patience import patience


def _neighbours(points: np.ndarray, k: int, cosine: bool) -> np.ndarray:
    """(V, k) each point's k nearest others."""
    if cosine:
        unit = points / np.linalg.norm(points, axis=1, keepdims=True)
        distance = -(unit @ unit.T)
    else:
        distance = ((points[:, None, :] - points[None, :, :]) ** 2).sum(-1)
    np.fill_diagonal(distance, np.inf)
    return np.argsort(distance, axis=1)[:, :k]


def test_the_map_is_made_once_with_progress_and_keeps_neighbours(qtbot, tiny, tmp_path):
    folder = tmp_path / "bundle"
    shutil.copytree(tiny.folder, folder)
    vectors = read_initializer(folder, "token_embd.weight").astype(np.float64)  # (V, D)
    meaning = MeaningMap()
    meaning.set_model(folder, len(vectors))
    assert meaning.coords is None
    stages = []
    meaning.changed.connect(lambda: meaning.progress and stages.append(meaning.progress[0]))
    meaning.request()
    meaning.request()  # asked twice while running: one process
    qtbot.waitUntil(
        lambda: meaning.coords is not None or meaning.error is not None,
        timeout=patience(240_000),
    )
    assert meaning.error is None
    assert meaning.coords.shape == (len(vectors), 2) and np.isfinite(meaning.coords).all()
    assert "Finding each token's neighbours" in stages
    assert (folder / UMAP_FILE).exists()
    # a map keeps neighbours together: far more of each token's 5 nearest on the map are
    # among its 15 nearest by cosine than chance (15 / V) would give
    on_map = _neighbours(meaning.coords.astype(np.float64), 5, cosine=False)
    in_space = _neighbours(vectors, 15, cosine=True)
    kept = np.mean([len(set(a) & set(b)) / 5 for a, b in zip(on_map, in_space, strict=True)])
    assert kept > 5 * 15 / len(vectors), kept
    again = MeaningMap()
    again.set_model(folder, len(vectors))  # read from the bundle, not made again
    np.testing.assert_array_equal(again.coords, meaning.coords)


def test_a_damaged_or_mismatched_map_is_made_again_and_a_failure_says_why(qtbot, tmp_path):
    (tmp_path / UMAP_FILE).write_bytes(b"not a numpy file")
    assert load_umap(tmp_path, 10) is None
    save_umap(tmp_path, np.zeros((8, 2), np.float32))
    assert load_umap(tmp_path, 10) is None  # another vocabulary's map
    assert load_umap(tmp_path, 8).shape == (8, 2)
    empty = tmp_path / "no-weights"
    empty.mkdir()
    meaning = MeaningMap()
    meaning.set_model(empty, 10)
    meaning.request()
    qtbot.waitUntil(lambda: meaning.error is not None, timeout=patience(60_000))
    assert meaning.error.startswith("The UMAP map could not be made: ")
    assert meaning.coords is None and meaning.progress is None
    assert "\n" not in meaning.error


@pytest.mark.real_model
def test_the_panel_shows_the_umap_map_once_ready_and_pca_until_then(
    qtbot, make_window, monkeypatch
):
    window = make_window(persist=False, prompt="The king and the queen ate an apple")
    qtbot.waitUntil(
        lambda: window.session.extras.embedding_space is not None, timeout=patience(30_000)
    )
    window.show_panel("embeddings")
    panel, meaning = window.embeddings, window.session.extras.meaning_map
    space = window.session.extras.embedding_space
    meaning.stop()
    meaning.coords = None  # as on a first start: no map in the bundle yet
    monkeypatch.setattr(meaning, "request", lambda: None)  # the real map takes two minutes
    meaning.progress = ("Laying out the map", 50, 200)
    panel.map_kind.setCurrentIndex(1)
    assert panel.map.coords is space.projection.coords  # PCA until it is ready
    assert "Making the UMAP map (once for this model): Laying out the map 25 %" in (
        panel.status.text()
    )
    assert panel.show_path.isEnabled()  # the path is drawn on the PCA map
    given = np.random.default_rng(0).normal(size=(space.vocab_size, 2)).astype(np.float32)
    meaning.coords, meaning.progress = given, None
    meaning.changed.emit()
    assert panel.map.coords is given
    assert "UMAP places each token near" in panel.status.text()
    assert not panel.show_path.isEnabled()
    king = window.session.model.encode(" king")[0]
    assert {"id": king, "x": float(given[king, 0])}.items() <= next(
        row for row in panel.export_rows() if row["id"] == king
    ).items()
    boxes = panel.map.shown_label_boxes()
    assert boxes and all(not a.intersects(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    panel.map_kind.setCurrentIndex(0)
    assert panel.map.coords is space.projection.coords and panel.show_path.isEnabled()
