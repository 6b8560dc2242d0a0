"""The embedding space: cached projection, exact neighbours and cosine, layer paths."""

from __future__ import annotations

import numpy as np
import pytest

from playground.engine.inspect.embeddings import EmbeddingSpace
from playground.engine.model import projection as projection_module
from playground.engine.model.projection import PROJECTION_FILE, compute_projection
from tests.tiny_models import TinySpec


def test_projection_is_cached_in_the_bundle_and_reused(tiny_factory, monkeypatch):
    _, lm = tiny_factory(TinySpec(seed=11))
    assert (lm.folder / PROJECTION_FILE).exists()  # made during conversion
    first = EmbeddingSpace(lm.folder)
    assert not first.computed_projection

    def must_not_run(_embeddings):
        raise AssertionError("the cached projection should have been used")

    monkeypatch.setattr(projection_module, "compute_projection", must_not_run)
    second = EmbeddingSpace(lm.folder)
    np.testing.assert_array_equal(second.projection.coords, first.projection.coords)


def test_a_damaged_projection_cache_is_recomputed(tiny_factory):
    _, lm = tiny_factory(TinySpec(seed=12))
    (lm.folder / PROJECTION_FILE).write_bytes(b"not a numpy file")
    space = EmbeddingSpace(lm.folder)
    assert space.computed_projection
    assert not EmbeddingSpace(lm.folder).computed_projection  # and cached again


def test_projection_is_the_pca_of_the_embeddings():
    rng = np.random.default_rng(0)
    embeddings = rng.normal(size=(500, 16)) * np.linspace(3, 0.1, 16)
    projection = compute_projection(embeddings)
    centered = embeddings - embeddings.mean(0)
    _, singular, vt = np.linalg.svd(centered, full_matrices=False)
    for axis in range(2):
        assert abs(float(projection.components[axis] @ vt[axis])) == pytest.approx(1, abs=1e-5)
    variance = singular**2
    np.testing.assert_allclose(projection.explained, variance[:2] / variance.sum(), rtol=1e-5)
    np.testing.assert_allclose(projection.project(embeddings), projection.coords, atol=1e-4)


def _brute_force_neighbours(vectors: np.ndarray, query: np.ndarray, k: int) -> list[int]:
    sims = [
        float(v @ query / (np.linalg.norm(v) * np.linalg.norm(query)))
        for v in vectors.astype(float)
    ]
    return sorted(range(len(vectors)), key=lambda i: -sims[i])[:k]


def test_neighbours_equal_a_brute_force_cosine_search(tiny):
    space = EmbeddingSpace(tiny.folder)
    for token in (5, 100, 250):
        found = space.neighbours(space.vectors[token], 8)
        assert [n.token_id for n in found] == _brute_force_neighbours(
            space.vectors, space.vectors[token], 8
        )
        assert found[0].token_id == token and found[0].similarity == pytest.approx(1.0, abs=1e-5)


@pytest.mark.real_model
def test_real_model_neighbours_and_the_tutorials_cosines(real_model):
    space = EmbeddingSpace(real_model.folder)
    king, queen, apple = (real_model.encode(w)[0] for w in (" king", " queen", " apple"))
    found = space.neighbours(space.vectors[king], 10, {king})
    assert [n.token_id for n in found] == _brute_force_neighbours(
        space.vectors, space.vectors[king], 11
    )[1:]
    assert queen in [n.token_id for n in found]
    king_queen = space.cosine(space.vectors[king], space.vectors[queen])
    king_apple = space.cosine(space.vectors[king], space.vectors[apple])
    assert king_queen > 0.5 > 0.3 > king_apple  # king is near queen, far from apple


@pytest.mark.real_model
def test_layer_path_starts_at_the_token_and_has_one_point_per_layer(real_model):
    space = EmbeddingSpace(real_model.folder)
    ids = real_model.encode("The king and the queen")
    path = space.layer_path(real_model.forward(ids), 1)
    assert path.shape == (31, 2)
    np.testing.assert_allclose(path[0], space.projection.coords[ids[1]], atol=1e-4)
    assert np.isfinite(path).all()
