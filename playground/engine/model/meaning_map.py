"""A map of the vocabulary that keeps neighbours together: UMAP (umap-learn) of the token
embeddings by cosine distance, computed once per model (about a minute or two on 2 cores)
and kept in the bundle as umap.npz. PCA (projection.py) shows the two directions of most
variance; UMAP places tokens near the tokens they are most similar to, so meaning shows
as islands (numbers, names, verbs...), while distances between islands mean little.
"""

from __future__ import annotations

import io
import os
import re
import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np

from playground.engine.errors import Cancelled

UMAP_FILE = "umap.npz"
UMAP_VERSION = 1
UMAP_SEED = 0
UMAP_EPOCHS = 200
_EPOCHS = re.compile(r"(\d+)/(\d+)")


def load_umap(folder: Path, n_tokens: int) -> np.ndarray | None:
    """(V, 2) cached UMAP coordinates, or None if not computed (or damaged)."""
    path = Path(folder) / UMAP_FILE
    try:
        with np.load(path) as data:
            coords = data["coords"]
            if int(data["version"]) == UMAP_VERSION and coords.shape == (n_tokens, 2):
                return coords.astype(np.float32)
    except (OSError, ValueError, KeyError):
        pass
    return None


class _EpochReader(io.TextIOBase):
    """Where UMAP's progress bar (tqdm) writes: reads "epoch/total" out of it."""

    def __init__(self, report: Callable[[int, int], None], cancel: threading.Event | None):
        self.report, self.cancel = report, cancel

    def write(self, text: str) -> int:
        found = _EPOCHS.findall(text)
        if found:
            done, total = found[-1]
            self.report(int(done), int(total))
        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled("The map was not finished.")
        return len(text)


def compute_umap(
    vectors: np.ndarray,
    progress: Callable[[str, int, int], None] | None = None,
    cancel: threading.Event | None = None,
) -> np.ndarray:
    """(V, D) -> (V, 2). Stages: "Finding each token's neighbours", then the layout's
    epochs (done, total). Seeded: the same model gives the same map."""
    report = progress or (lambda stage, done, total: None)
    report("Finding each token's neighbours", 0, 0)
    import umap  # numba compiles on first import: ~25 s once, then cached

    def epochs(done: int, total: int) -> None:  # the neighbour search reports its rounds too
        layout = total == UMAP_EPOCHS
        report("Laying out the map" if layout else "Finding each token's neighbours", done, total)

    reducer = umap.UMAP(
        n_neighbors=15,
        min_dist=0.1,
        metric="cosine",
        n_epochs=UMAP_EPOCHS,
        random_state=UMAP_SEED,
        low_memory=True,
        verbose=True,
        tqdm_kwds={
            "file": _EpochReader(epochs, cancel),
            "mininterval": 0.5,
            "disable": False,
        },
    )
    coords = reducer.fit_transform(np.asarray(vectors, np.float32))
    if cancel is not None and cancel.is_set():
        raise Cancelled("The map was not finished.")
    return np.asarray(coords, np.float32)


def save_umap(folder: Path, coords: np.ndarray) -> None:
    path = Path(folder) / UMAP_FILE
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp.npz")
    try:
        np.savez(tmp, version=UMAP_VERSION, coords=np.asarray(coords, np.float32))
        tmp.replace(path)  # atomic: readers see no map or the whole map
    except OSError:
        tmp.unlink(missing_ok=True)  # a read-only bundle: computed again next time


def main(argv: list[str]) -> int:
    """`python -m playground.engine.model.meaning_map BUNDLE`: compute and cache the map,
    printing `progress STAGE|DONE|TOTAL` lines (the window runs it as a separate process:
    two minutes of numba work must not hold the window's interpreter)."""
    from playground.engine.model.bundle_weights import read_initializer

    folder = Path(argv[0])
    vectors = np.ascontiguousarray(read_initializer(folder, "token_embd.weight"), np.float32)

    def report(stage: str, done: int, total: int) -> None:
        print(f"progress {stage}|{done}|{total}", flush=True)

    coords = compute_umap(vectors, report)
    save_umap(folder, coords)
    print("done", flush=True)
    return 0 if load_umap(folder, len(vectors)) is not None else 1


if __name__ == "__main__":
    import sys

    raise SystemExit(main(sys.argv[1:]))
