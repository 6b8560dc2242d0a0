"""`playground embed | search | rag --json`, run as a user runs them: the contract's fields,
and the numbers against the engine computed here."""

from __future__ import annotations

import json

import numpy as np
import pytest

from playground.engine.inspect.passage_collections import index_path
from playground.engine.inspect.sentence_similarity import cosine_matrix
from tests.engine.test_cli import _playground

pytestmark = [pytest.mark.real_encoder]

TEACHING = ["How to deploy React", "Deploying a React application", "Best pizza in New York"]


def test_embed_prints_the_cosine_matrix(encoder):
    result = _playground("embed", *TEACHING, "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["model"] == "all-minilm-l6-v2" and data["dimensions"] == 384
    expected = cosine_matrix(encoder.embed(TEACHING))
    np.testing.assert_allclose(data["cosine"], expected, atol=1e-5)
    table = _playground("embed", *TEACHING)
    assert "0.863" in table.stdout and "384 dimensions" in table.stdout


def test_search_ranks_a_folders_passages(tmp_path, encoder):
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "a.md").write_text("# Space\n\nVenus has a day longer than its year.\n", "utf-8")
    (folder / "b.txt").write_text("Octopuses have three hearts.\n\nBread needs yeast.", "utf-8")
    (folder / "broken.txt").write_bytes(b"\xff\xfe\x00 not text")
    question = "How many hearts does an octopus have?"
    try:
        result = _playground(
            "search", question, "--collection", str(folder), "--top", "2", "--json"
        )
    finally:  # the folder's index lives in the store: leave nothing there
        index_path(folder, encoder.info.name).unlink(missing_ok=True)
    assert result.returncode == 0, result.stderr
    assert "Skipped broken.txt" in result.stderr
    data = json.loads(result.stdout)
    assert [r["source"] for r in data["results"]][:1] == ["b.txt #1"]
    assert len(data["results"]) == 2 and {"source", "text", "score"} <= set(data["results"][0])
    q = encoder.embed(["How many hearts does an octopus have?"])[0]
    expected = encoder.embed([r["text"] for r in data["results"]]) @ q
    np.testing.assert_allclose([r["score"] for r in data["results"]], expected, atol=1e-5)
    assert data["results"][0]["score"] > data["results"][1]["score"]


def test_search_of_a_missing_folder_is_one_clear_line(tmp_path):
    result = _playground("search", "x", "--collection", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"playground: {tmp_path / 'nowhere'} is not a folder of .txt / .md files."
    ]


@pytest.mark.real_model
def test_rag_answers_with_and_without_the_passages(real_model):
    # the model alone says Istanbul; the built-in passage says Ankara
    question = "What is the capital of Turkey?"
    result = _playground("rag", question, "--top", "2", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) >= {"passages", "prompt", "answer", "answer_without_context"}
    assert len(data["passages"]) == 2
    assert data["passages"][0]["source"] == "geography.md › The capital of Turkey"
    for passage in data["passages"]:
        assert passage["text"] in data["prompt"]
        assert 0 < passage["attention_share"] < 1
    assert "Ankara" in data["answer"]
    assert "Istanbul" in data["answer_without_context"]
    assert "Ankara" not in data["answer_without_context"]
    # the first passage (the one with the answer) matters most to the answer
    shares = [p["attribution_nats"] for p in data["passages"]]
    assert shares[0] == max(shares) and shares[0] > 1.0
