"""Export a panel as a picture (PNG at twice the screen resolution, or SVG) and the data
behind it (CSV or JSON), chosen by the file's extension."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget

from playground.engine.errors import PlaygroundError

if TYPE_CHECKING:
    from playground.ui.window.main_window import MainWindow

PICTURE_SCALE = 2  # presentation resolution: twice the pixels of the screen
PICTURE_SUFFIXES = (".png", ".svg")
DATA_SUFFIXES = (".csv", ".json")


def export_picture(widget: QWidget, path: Path, scale: int = PICTURE_SCALE) -> Path:
    """Draw `widget` into a PNG (scale x its size) or an SVG (vector where Qt can)."""
    path = Path(path)
    size = widget.size()
    if path.suffix.lower() == ".svg":
        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(size)
        generator.setViewBox(QRect(0, 0, size.width(), size.height()))
        generator.setTitle(widget.windowTitle() or "LLM Playground")
        generator.setDescription("Exported from LLM Playground")
        painter = QPainter(generator)
        widget.render(painter, QPoint(0, 0))
        painter.end()
    elif path.suffix.lower() == ".png":
        pixmap = QPixmap(QSize(size.width() * scale, size.height() * scale))
        pixmap.setDevicePixelRatio(scale)
        widget.render(pixmap)
        if not pixmap.save(str(path), "PNG"):
            raise PlaygroundError(f"{path}: could not write the picture.")
    else:
        raise PlaygroundError(f"{path.name}: pictures are saved as .png or .svg.")
    if not path.is_file():
        raise PlaygroundError(f"{path}: could not write the picture.")
    return path


def export_data(window: MainWindow, panel: str, path: Path) -> Path:
    """The data behind a panel: a table as CSV, or the same table with context as JSON."""
    path = Path(path)
    rows = panel_rows(window, panel)
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            with path.open("w", newline="", encoding="utf-8") as handle:
                columns = list(rows[0]) if rows else []
                writer = csv.DictWriter(handle, fieldnames=columns)
                writer.writeheader()
                writer.writerows(rows)
        elif suffix == ".json":
            session = window.session
            document = {
                "panel": panel,
                "model": session.model_info.name if session.model_info else None,
                "prompt": session.prompt,
                "chat_mode": session.chat_mode,
                "rows": rows,
            }
            path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
        else:
            raise PlaygroundError(f"{path.name}: data is saved as .csv or .json.")
    except OSError as error:
        raise PlaygroundError(f"{path}: could not write ({error.strerror}).") from error
    return path


def panel_rows(window: MainWindow, panel: str) -> list[dict[str, Any]]:
    session = window.session
    analysis, lm = session.analysis, session.model
    if analysis is None or lm is None:
        raise PlaygroundError("There is nothing to export yet: type a prompt first.")
    pieces = analysis.pieces
    if panel == "tokenization":
        return [
            {
                "index": i,
                "id": p.token_id,
                "text": p.display,
                "vocab_entry": p.vocab_entry,
                "bytes": p.data.hex(" "),
                "special": p.special,
            }
            for i, p in enumerate(pieces)
        ]
    if panel == "next_token":
        dist = session.distribution
        if dist is None:
            raise PlaygroundError("There is no next-token distribution for an empty prompt.")
        return [
            {
                "rank": c.rank + 1,
                "id": c.token_id,
                "token": lm.piece(c.token_id).display,
                "logit": c.logit,
                "probability_before_filters": c.tempered_prob,
                "probability": c.prob,
                "kept": c.kept,
            }
            for c in dist.top(dist.ranked.vocab_size)
        ]
    if panel == "attention":
        matrix = window.attention.current_matrix()  # (T, T)
        if matrix is None:
            raise PlaygroundError("There is no attention to export for an empty prompt.")
        labels = [f"{j}:{p.display}" for j, p in enumerate(pieces)]
        return [
            {
                "view": window.attention.view_title(),
                "query": labels[i],
                **{labels[j]: float(matrix[i, j]) for j in range(matrix.shape[1])},
            }
            for i in range(matrix.shape[0])
        ]
    if panel == "embeddings":
        space = session.embedding_space
        if space is None:
            raise PlaygroundError("The embedding map is not loaded yet.")
        in_prompt = set(analysis.ids)
        coords = space.projection.coords  # (V, 2)
        return [
            {
                "id": token,
                "token": lm.piece(token).display,
                "x": float(coords[token, 0]),
                "y": float(coords[token, 1]),
                "in_prompt": token in in_prompt,
            }
            for token in range(coords.shape[0])
        ]
    if panel == "generation":
        return [
            {
                "branch": b + 1,
                "position": k + 1,
                "id": t.token_id,
                "token": lm.piece(t.token_id).display,
                "probability_when_chosen": t.prob,
                "model_probability": t.model_prob,
                "rank": t.rank + 1,
                "seed": branch.seed,
            }
            for b, branch in enumerate(session.branches)
            for k, t in enumerate(branch.tokens)
        ]
    if panel == "logit_lens":
        reading = session.lens
        if reading is None:
            raise PlaygroundError("Open the logit lens panel first: it is computed when shown.")
        layers, positions, _ = reading.top_ids.shape  # (L+1, P, k)
        return [
            {
                "layer": layer,
                "position": int(reading.positions[p]),
                "token_at_position": pieces[int(reading.positions[p])].display,
                "top_prediction": lm.piece(int(reading.top_ids[layer, p, 0])).display,
                "probability": float(np.float32(reading.top_probs[layer, p, 0])),
            }
            for layer in range(layers)
            for p in range(positions)
        ]
    raise PlaygroundError(f"Unknown panel {panel!r}.")
