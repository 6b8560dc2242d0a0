"""Export a panel as a picture (PNG at twice the screen resolution, or SVG) and the data
behind it (CSV or JSON), chosen by the file's extension."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from PySide6.QtCore import QCoreApplication, QPoint, QRect, QSize
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QWidget

from playground.engine.errors import PlaygroundError

PICTURE_SCALE = 2  # presentation resolution: twice the pixels of the screen
PICTURE_SUFFIXES = (".png", ".svg")
DATA_SUFFIXES = (".csv", ".json")


@runtime_checkable
class ExportsRows(Protocol):
    """A panel whose data can be saved: each panel knows its own table."""

    def export_rows(self) -> list[dict[str, Any]]: ...


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
            raise PlaygroundError(
                QCoreApplication.translate("Export", "{path}: could not write the picture.").format(
                    path=path
                )
            )
    else:
        raise PlaygroundError(
            QCoreApplication.translate(
                "Export", "{name}: pictures are saved as .png or .svg."
            ).format(name=path.name)
        )
    if not path.is_file():
        raise PlaygroundError(
            QCoreApplication.translate("Export", "{path}: could not write the picture.").format(
                path=path
            )
        )
    return path


def export_data(rows: list[dict[str, Any]], context: dict[str, Any], path: Path) -> Path:
    """A panel's rows (its `export_rows()`): a table as CSV, or the same table with
    `context` (panel, model, prompt) as JSON."""
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            with path.open("w", newline="", encoding="utf-8") as handle:
                columns = list(rows[0]) if rows else []
                writer = csv.DictWriter(handle, fieldnames=columns)
                writer.writeheader()
                writer.writerows(rows)
        elif suffix == ".json":
            document = {**context, "rows": rows}
            path.write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
        else:
            raise PlaygroundError(
                QCoreApplication.translate(
                    "Export", "{name}: data is saved as .csv or .json."
                ).format(name=path.name)
            )
    except OSError as error:
        raise PlaygroundError(
            QCoreApplication.translate("Export", "{path}: could not write ({reason}).").format(
                path=path, reason=error.strerror
            )
        ) from error
    return path
