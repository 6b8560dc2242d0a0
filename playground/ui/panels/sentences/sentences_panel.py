"""Sentences compared as the sentence encoder sees them: editable sentences (presets from
the teaching material), their cosine similarity as a labelled heatmap, a 2D map of the
vectors, each sentence's nearest neighbours, and for one pair (click a cell) the words
that make them alike, whose shares add up to the cosine."""

from __future__ import annotations

from html import escape

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from playground.engine.inspect.sentence_similarity import nearest
from playground.ui.state.sentences_view import OWN, PRESETS, SentencesView
from playground.ui.widgets.attention_colors import LOOKUP_TABLE
from playground.ui.widgets.signals_blocked import signals_blocked
from playground.ui.widgets.text_labels import TextLabels
from playground.ui.widgets.word_shares import word_shares_html

EDIT_DELAY_MS = 400
CELL_LEVELS = (-0.2, 1.0)  # the heatmap's colour scale: cosines below -0.2 look alike


class SentencesPanel(QWidget):
    def __init__(self, view: SentencesView) -> None:
        super().__init__()
        self.view = view
        self.presets = QComboBox()
        for name in PRESETS:
            self.presets.addItem(QCoreApplication.translate("SentencesView", name), name)
        self.presets.addItem(self.tr("Your own sentences"), OWN)
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText(self.tr("One sentence per line (up to 12)"))
        self.editor.setMinimumWidth(220)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.neighbours = QLabel()
        self.neighbours.setWordWrap(True)
        self.neighbours.setTextFormat(Qt.TextFormat.RichText)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(QLabel(self.tr("<b>Sentences</b> — edit them, one per line")))
        column.addWidget(self.presets)
        column.addWidget(self.editor, 2)
        column.addWidget(self.status)
        column.addWidget(self.neighbours, 1)

        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground(None)
        self.heatmap = self.graphics.addPlot(title=self.tr("Cosine similarity (click a cell)"))
        self.heatmap.invertY(True)
        self.heatmap.setAspectLocked(True)
        self.heatmap.setMouseEnabled(False, False)
        self.heatmap.hideButtons()
        self.image = pg.ImageItem()
        self.image.setLookupTable(LOOKUP_TABLE)
        self.heatmap.addItem(self.image)
        self.cells = TextLabels(self.heatmap, "#1d1f2b", anchor=(0.5, 0.5))
        self.pair_box = pg.QtWidgets.QGraphicsRectItem(0, 0, 1, 1)
        self.pair_box.setPen(pg.mkPen("#3dd6e0", width=3))
        self.heatmap.addItem(self.pair_box)
        self.map = self.graphics.addPlot(
            title=self.tr("The sentence vectors on a map (2 principal axes)")
        )
        self.map.hideButtons()
        self.points = pg.ScatterPlotItem(size=12, brush=pg.mkBrush("#3d7be0"))
        self.map.addItem(self.points)
        self.map_labels = TextLabels(self.map, "#3d3f4b", anchor=(0, 1))
        self.image.mouseClickEvent = self._on_cell_clicked

        self.pair = QLabel()
        self.pair.setWordWrap(True)
        self.pair.setTextFormat(Qt.TextFormat.RichText)
        self.pair.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_column.addWidget(self.graphics, 3)
        right_column.addWidget(self.pair, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 3)
        layout = QHBoxLayout(self)
        layout.addWidget(splitter)

        self._edit_timer = QTimer(self, singleShot=True, interval=EDIT_DELAY_MS)
        self._edit_timer.timeout.connect(self._send_sentences)
        self.presets.currentIndexChanged.connect(self._on_preset)
        self.editor.textChanged.connect(self._on_edited)
        view.changed.connect(self.refresh)
        self.refresh()
        view.request()  # the first preset's vectors (the encoder is fetched once)

    # --- input ------------------------------------------------------------------------------
    def _on_preset(self, index: int) -> None:
        name = self.presets.itemData(index)
        if name in PRESETS:
            self._edit_timer.stop()
            self.view.set_sentences(PRESETS[name], name)

    def set_sentences(self, sentences: list[str]) -> None:
        """Show these sentences (a lesson's), as if typed."""
        self._edit_timer.stop()
        self.view.set_sentences(sentences, OWN)

    def _on_edited(self) -> None:
        self.presets.blockSignals(True)
        self.presets.setCurrentIndex(self.presets.findData(OWN))
        self.presets.blockSignals(False)
        self._edit_timer.start()

    def _send_sentences(self) -> None:
        self._edit_timer.stop()
        self.view.set_sentences(self.editor.toPlainText().splitlines(), OWN)

    def _show_input(self) -> None:
        """The view's sentences in the editor and presets (unless the user is typing)."""
        if self._edit_timer.isActive():
            return
        with signals_blocked(self.presets):
            self.presets.setCurrentIndex(self.presets.findData(self.view.preset))
        text = "\n".join(self.view.lines)
        if self.editor.toPlainText() != text:
            with signals_blocked(self.editor):
                self.editor.setPlainText(text)

    def _on_cell_clicked(self, event) -> None:
        n = len(self.view.sentences)
        position = event.pos()
        i, j = int(position.y()), int(position.x())
        if 0 <= i < n and 0 <= j < n:
            self.view.set_pair(i, j)
            event.accept()

    # --- output -----------------------------------------------------------------------------
    def refresh(self) -> None:
        view = self.view
        self._show_input()
        if view.error:
            self.status.setText(
                self.tr("The sentence encoder could not run: {error}").format(error=view.error)
            )
        elif view.progress is not None:
            p = view.progress
            amount = f" {100 * p.done // p.total} %" if p.total else ""
            self.status.setText(
                self.tr("{stage}{amount} (the sentence encoder, once)").format(
                    stage=p.stage, amount=amount
                )
            )
        elif not view.sentences:
            self.status.setText(self.tr("Type at least two sentences to compare them."))
        elif view.current:
            self.status.setText(
                view.notice or self.tr("all-MiniLM-L6-v2: 384 dimensions, unit length.")
            )
        result = view.shown
        if result is None:
            return
        n = len(result.encoded)
        cos = result.cosine
        low, high = CELL_LEVELS
        self.image.setImage(cos.T, levels=CELL_LEVELS)
        self.image.setRect(0, 0, n, n)
        cells = [(i, j) for i in range(n) for j in range(n)]
        self.cells.show(
            [(f"{cos[i, j]:.2f}", j + 0.5, i + 0.5) for i, j in cells],
            # light text on the dark (low) half of the colour scale
            ["white" if (cos[i, j] - low) / (high - low) < 0.55 else "#1d1f2b" for i, j in cells],
        )
        for axis in ("left", "bottom"):
            self.heatmap.getAxis(axis).setTicks([[(k + 0.5, f"[{k + 1}]") for k in range(n)]])
        i, j = view.pair
        self.pair_box.setRect(j, i, 1, 1)
        coords = result.coords
        self.points.setData(coords[:, 0], coords[:, 1])
        span = np.ptp(coords, axis=0) if n > 1 else np.ones(2)
        low, high = coords.min(axis=0), coords.max(axis=0)
        # room on the right and at the top for the labels, which start at each point
        self.map.setXRange(low[0] - 0.1 * span[0], high[0] + 0.9 * max(span[0], 1e-6), padding=0)
        self.map.setYRange(low[1] - 0.1 * span[1], high[1] + 0.2 * max(span[1], 1e-6), padding=0)
        self.map_labels.show(
            [
                (f"[{k + 1}] {_short(e.text)}", coords[k, 0], coords[k, 1])
                for k, e in enumerate(result.encoded)
            ]
        )
        lines = []
        for k in range(n):
            near = ", ".join(f"[{m + 1}] {c:.2f}" for m, c in nearest(cos, k, k=2))
            lines.append(self.tr("[{k}] nearest: {near}").format(k=k + 1, near=near))
        self.neighbours.setText("<br>".join(lines))
        self._show_pair()

    def _show_pair(self) -> None:
        drivers = self.view.drivers()
        if drivers is None:
            self.pair.setText("")
            return
        i, j = self.view.pair
        top = "; ".join(
            f"{escape(a.text)} ↔ {escape(b.text)} {share:+.3f}"
            for a, b, share in drivers.top_pairs(3)
        )
        self.pair.setText(
            self.tr(
                "<b>[{i}] and [{j}]: cosine {cosine:.3f}</b> — each word's share (the sum of its "
                "token states · the other sentence's vector, over the mean's length): the "
                "shares of either sentence add up to the cosine."
            ).format(i=i + 1, j=j + 1, cosine=drivers.cosine)
            + f"<br>[{i + 1}] {word_shares_html([(w.text, w.share) for w in drivers.words_a])}<br>"
            f"[{j + 1}] {word_shares_html([(w.text, w.share) for w in drivers.words_b])}<br>"
            + self.tr("Word pairs adding most: {pairs}").format(pairs=top)
        )

    def shown_numbers(self) -> np.ndarray | None:
        """The cosines on screen (N, N), for tests."""
        return None if self.view.shown is None else self.view.shown.cosine


def _short(text: str, length: int = 28) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"
