"""Semantic search: the index on disk, what it re-embeds, what it skips, and its ranking
against a brute-force cosine ranking computed here."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from playground.engine.inspect.search_index import SearchIndex, split_passages

pytestmark = pytest.mark.real_encoder

FILES = {
    "animals.md": "# Animals\n\n## Octopus\n\nAn octopus has three hearts and blue blood.\n\n"
    "## Cheetah\n\nThe cheetah is the fastest land animal, reaching about 100 km/h.\n",
    "space.txt": "Venus turns so slowly that its day is longer than its year.\n\n"
    "The Moon is about 384,400 kilometres from the Earth.",
    "notes/cooking.md": "Onions make you cry because cutting them releases a gas that "
    "turns into a mild acid in the eyes.",
}


def _write(folder: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _index(tmp_path: Path, encoder) -> SearchIndex:
    return SearchIndex(tmp_path / "index.sqlite", encoder.info.name, encoder.dimensions)


def test_passages_are_paragraphs_titled_by_their_heading():
    assert split_passages(FILES["animals.md"]) == [
        ("Octopus", "An octopus has three hearts and blue blood."),
        ("Cheetah", "The cheetah is the fastest land animal, reaching about 100 km/h."),
    ]
    long = " ".join(f"Sentence number {i} is here." for i in range(60))  # 300 words
    parts = split_passages(long)
    assert len(parts) == 3 and all(len(p.split()) <= 120 for _, p in parts)
    assert " ".join(p for _, p in parts) == long


def test_search_ranks_equal_a_brute_force_cosine_ranking(tmp_path, encoder):
    folder = tmp_path / "docs"
    _write(folder, FILES)
    index = _index(tmp_path, encoder)
    report = index.update(folder, encoder)
    assert sorted(report.embedded) == sorted(FILES) and report.passages == 5
    passages = index.passages()
    vectors = encoder.embed([p.text for p in passages])  # embedded again, here
    for query in [
        "How many hearts does an octopus have?",
        "planets",
        "why do I cry in the kitchen",
    ]:
        q = encoder.embed([query])[0]
        expected = np.argsort(-(vectors @ q), kind="stable")
        hits = index.search(q, top=5)
        assert [h.passage for h in hits] == [passages[i] for i in expected]
        np.testing.assert_allclose([h.score for h in hits], (vectors @ q)[expected], atol=1e-5)
    top = index.search(encoder.embed(["How many hearts does an octopus have?"])[0], top=1)[0]
    assert top.passage.source == "animals.md › Octopus"


def test_an_edited_file_is_embedded_again_and_an_unchanged_one_is_not(
    tmp_path, encoder, monkeypatch
):
    folder = tmp_path / "docs"
    _write(folder, FILES)
    index = _index(tmp_path, encoder)
    index.update(folder, encoder)
    embedded: list[str] = []
    real_embed = encoder.embed
    monkeypatch.setattr(
        encoder, "embed", lambda texts, **kw: embedded.extend(texts) or real_embed(texts, **kw)
    )
    (folder / "space.txt").write_text("Light from the Sun takes about 8 minutes.", "utf-8")
    (folder / "notes" / "cooking.md").unlink()
    report = index.update(folder, encoder)
    assert report.embedded == ["space.txt"]
    assert sorted(report.unchanged) == ["animals.md"]
    assert report.removed == ["notes/cooking.md"]
    assert embedded == ["Light from the Sun takes about 8 minutes."]
    assert {p.path for p in index.passages()} == {"animals.md", "space.txt"}
    # a new index object on the same file: nothing to embed at all
    embedded.clear()
    again = _index(tmp_path, encoder).update(folder, encoder)
    assert embedded == [] and sorted(again.unchanged) == ["animals.md", "space.txt"]


def test_damaged_or_unreadable_files_are_skipped_with_a_message(tmp_path, encoder, monkeypatch):
    folder = tmp_path / "docs"
    _write(folder, FILES)
    (folder / "latin1.txt").write_bytes("caf\xe9 cr\xe8me".encode("latin-1"))
    (folder / "binary.md").write_bytes(b"\x00\x01\x02 PNG or so")
    (folder / "locked.txt").write_text("a secret", "utf-8")
    real_read = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path.name == "locked.txt":
            raise PermissionError(13, "Permission denied")
        return real_read(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    report = _index(tmp_path, encoder).update(folder, encoder)
    assert dict(report.skipped) == {
        "binary.md": "not a text file (it holds NUL bytes)",
        "latin1.txt": "not UTF-8 text",
        "locked.txt": "Permission denied",
    }
    assert sorted(report.embedded) == sorted(FILES) and report.passages == 5
    assert "Skipped latin1.txt: not UTF-8 text" in report.messages()


def test_a_damaged_index_is_rebuilt_from_the_files(tmp_path, encoder):
    folder = tmp_path / "docs"
    _write(folder, FILES)
    _index(tmp_path, encoder).update(folder, encoder)
    (tmp_path / "index.sqlite").write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    index = _index(tmp_path, encoder)
    assert index.notice and "damaged" in index.notice
    report = index.update(folder, encoder)
    assert (report.passages == 5 and report.notice == index.notice) or report.notice
    with sqlite3.connect(tmp_path / "index.sqlite") as db:
        assert db.execute("SELECT COUNT(*) FROM passages").fetchone()[0] == 5
