"""Semantic search over a folder of .txt / .md files: the files split into passages, each
passage embedded once by the sentence encoder and kept in a SQLite index on disk (the
standard library's sqlite3: passages, the files' hashes, the vectors). Updating re-embeds
only the files whose content changed; searching is a brute-force cosine over every vector.

Tables:  meta(key, value)                       encoder name, dimensions, format
         files(path, sha256)                    one row per indexed file
         passages(id, path, number, title, text, vector)   vector: D float32, unit length
"""

from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from playground.engine.errors import Cancelled, PlaygroundError
from playground.engine.runtime.sentence_encoder import SentenceEncoder

INDEX_FORMAT = "1"
SUFFIXES = (".txt", ".md")
MAX_PASSAGE_WORDS = 120  # well within the encoder's 256 tokens
MAX_FILE_BYTES = 5_000_000  # a bigger "text" file is skipped, with a message
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Passage:
    path: str  # the file, relative to the collection's folder
    number: int  # its place in the file (0, 1, ...)
    title: str  # the heading above it, or ""
    text: str

    @property
    def source(self) -> str:
        return f"{self.path} › {self.title}" if self.title else f"{self.path} #{self.number + 1}"


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float  # cosine with the query


@dataclass
class UpdateReport:
    embedded: list[str] = field(default_factory=list)  # files (re-)embedded
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why)
    passages: int = 0  # in the index afterwards
    notice: str | None = None  # e.g. a damaged index that was rebuilt

    def messages(self) -> list[str]:
        lines = [f"Skipped {path}: {why}" for path, why in self.skipped]
        return ([self.notice] if self.notice else []) + lines


def split_passages(text: str) -> list[tuple[str, str]]:
    """(title, passage) pairs: one per paragraph (blank lines between), a Markdown heading
    titling the paragraphs under it; a paragraph over MAX_PASSAGE_WORDS is cut at
    sentence ends."""
    passages: list[tuple[str, str]] = []
    title = ""
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n")):
        lines = [line.strip() for line in block.strip().split("\n") if line.strip()]
        while lines and lines[0].startswith("#"):
            title = lines.pop(0).lstrip("#").strip()
        if not lines:
            continue
        paragraph = " ".join(lines)
        chunk: list[str] = []
        for sentence in _SENTENCE_END.split(paragraph):
            words = len(sentence.split())
            if chunk and len(" ".join(chunk).split()) + words > MAX_PASSAGE_WORDS:
                passages.append((title, " ".join(chunk)))
                chunk = []
            chunk.append(sentence)
        if chunk:
            passages.append((title, " ".join(chunk)))
    return passages


class SearchIndex:
    def __init__(self, path: Path, encoder_name: str, dimensions: int) -> None:
        self.path = Path(path)
        self.encoder_name, self.dimensions = encoder_name, dimensions
        self.notice: str | None = None
        self._matrix: np.ndarray | None = None  # (N, D), loaded on first search
        self._passages: list[Passage] = []
        self._lock = threading.Lock()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = self._open()
        except sqlite3.DatabaseError as error:
            # The index is a cache of the files: a damaged one is rebuilt from them.
            self.notice = f"The search index {self.path.name} was damaged ({error}); rebuilt."
            self.path.unlink(missing_ok=True)
            self._db = self._open()

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, check_same_thread=False)
        try:
            db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
            db.execute("CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, sha256 TEXT)")
            db.execute(
                "CREATE TABLE IF NOT EXISTS passages (id INTEGER PRIMARY KEY, path TEXT, "
                "number INTEGER, title TEXT, text TEXT, vector BLOB)"
            )
            wanted = {
                "format": INDEX_FORMAT,
                "encoder": self.encoder_name,
                "dimensions": str(self.dimensions),
            }
            stored = dict(db.execute("SELECT key, value FROM meta").fetchall())
            if stored != wanted:  # another encoder's vectors, or a new index: start afresh
                db.execute("DELETE FROM files")
                db.execute("DELETE FROM passages")
                db.execute("DELETE FROM meta")
                db.executemany("INSERT INTO meta VALUES (?, ?)", wanted.items())
            db.commit()
            db.execute("SELECT COUNT(*) FROM passages").fetchone()
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def close(self) -> None:
        self._db.close()

    # --- keeping it up to date ----------------------------------------------------------
    def update(
        self,
        folder: Path,
        encoder: SentenceEncoder,
        progress: Callable[[int, int], None] | None = None,
        cancel: threading.Event | None = None,
    ) -> UpdateReport:
        """Bring the index in line with the files under `folder`: new and edited files are
        embedded, removed ones dropped, unchanged ones left alone."""
        folder = Path(folder)
        if not folder.is_dir():
            raise PlaygroundError(f"{folder} is not a folder.")
        report = UpdateReport(notice=self.notice)
        known = dict(self._db.execute("SELECT path, sha256 FROM files").fetchall())
        found: set[str] = set()
        todo: list[tuple[str, str, list[tuple[str, str]]]] = []  # (path, sha256, passages)
        for file in sorted(p for p in folder.rglob("*") if p.suffix.lower() in SUFFIXES):
            relative = file.relative_to(folder).as_posix()
            if any(part.startswith(".") for part in Path(relative).parts) or not file.is_file():
                continue
            found.add(relative)
            try:
                if file.stat().st_size > MAX_FILE_BYTES:
                    raise ValueError(f"over {MAX_FILE_BYTES // 1_000_000} MB")
                data = file.read_bytes()
                digest = hashlib.sha256(data).hexdigest()
                if known.get(relative) == digest:
                    report.unchanged.append(relative)
                    continue
                if b"\x00" in data:
                    raise ValueError("not a text file (it holds NUL bytes)")
                text = data.decode("utf-8-sig")
            except UnicodeDecodeError:
                report.skipped.append((relative, "not UTF-8 text"))
            except (OSError, ValueError) as error:
                report.skipped.append((relative, getattr(error, "strerror", None) or str(error)))
            else:
                todo.append((relative, digest, split_passages(text)))
        texts = [passage for _, _, passages in todo for _, passage in passages]
        vectors = encoder.embed(texts, progress=progress, cancel=cancel)  # (N, D)
        if cancel is not None and cancel.is_set():
            raise Cancelled()
        with self._lock, self._db:  # one transaction: all of it or nothing
            row = 0
            for relative, digest, passages in todo:
                self._db.execute("DELETE FROM passages WHERE path = ?", (relative,))
                self._db.executemany(
                    "INSERT INTO passages (path, number, title, text, vector) VALUES (?,?,?,?,?)",
                    [
                        (relative, n, title, text, vectors[row + n].astype(np.float32).tobytes())
                        for n, (title, text) in enumerate(passages)
                    ],
                )
                row += len(passages)
                self._db.execute("INSERT OR REPLACE INTO files VALUES (?, ?)", (relative, digest))
                report.embedded.append(relative)
            skipped = {path for path, _ in report.skipped}
            for relative in sorted(set(known) - found - skipped):
                self._db.execute("DELETE FROM passages WHERE path = ?", (relative,))
                self._db.execute("DELETE FROM files WHERE path = ?", (relative,))
                report.removed.append(relative)
            self._matrix = None
        report.passages = self.count()
        self.notice = None
        return report

    def count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM passages").fetchone()[0])

    # --- searching ------------------------------------------------------------------------
    def _load(self) -> tuple[np.ndarray, list[Passage]]:
        with self._lock:
            if self._matrix is None:
                rows = self._db.execute(
                    "SELECT path, number, title, text, vector FROM passages ORDER BY path, number"
                ).fetchall()
                self._passages = [Passage(r[0], int(r[1]), r[2], r[3]) for r in rows]
                matrix = np.frombuffer(b"".join(r[4] for r in rows), np.float32)
                self._matrix = matrix.reshape(len(rows), self.dimensions)  # (N, D)
            return self._matrix, self._passages

    def passages(self) -> list[Passage]:
        return list(self._load()[1])

    def vectors(self) -> np.ndarray:
        return self._load()[0]

    def search(self, query: np.ndarray, top: int = 5) -> list[Hit]:
        """The `top` passages with the highest cosine with the unit vector `query` (D,)."""
        matrix, passages = self._load()
        best, scores = rank_by_cosine(matrix, query, top)
        return [Hit(passages[int(i)], float(s)) for i, s in zip(best, scores, strict=True)]


def rank_by_cosine(
    matrix: np.ndarray, query: np.ndarray, top: int
) -> tuple[np.ndarray, np.ndarray]:
    """Brute force: every row of `matrix` (N, D) of unit vectors scored against `query` (D,);
    the `top` rows' indices and cosines, best first."""
    if len(matrix) == 0 or top <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.float32)
    scores = matrix @ np.asarray(query, np.float32)  # (N,)
    top = min(top, len(matrix))
    best = np.argpartition(-scores, top - 1)[:top]
    best = best[np.argsort(-scores[best], kind="stable")]
    return best, scores[best]
