"""Logit lens panel: what the model would predict if it stopped after each layer.

Each hidden state goes through the final norm and the output matrix (the same path the
last layer takes). The table follows the selected token down the layers; the grid shows
the top token for every layer and each position up to the selected one."""

from __future__ import annotations

from typing import Any

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from playground.engine.errors import PlaygroundError
from playground.ui.state.lens_view import LENS_POSITIONS
from playground.ui.state.session import Session
from playground.ui.widgets.attention_colors import weight_color
from playground.ui.widgets.signals_blocked import signals_blocked


def _layer_name(index: int, n_states: int) -> str:
    if index == 0:
        return QCoreApplication.translate("LogitLensPanel", "embedding")
    if index == n_states - 1:
        return QCoreApplication.translate("LogitLensPanel", "layer {index} (output)").format(
            index=index
        )
    return QCoreApplication.translate("LogitLensPanel", "layer {index}").format(index=index)


def _read_only_table(rows: int, columns: int) -> QTableWidget:
    table = QTableWidget(rows, columns)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 4)
    return table


class LogitLensPanel(QWidget):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.column = _read_only_table(0, 3)
        self.column.setHorizontalHeaderLabels(
            [self.tr("prediction"), self.tr("probability"), self.tr("then")]
        )
        self.grid = _read_only_table(0, 0)
        self.which = QComboBox()  # the run on screen (B), or the run pinned as A
        self.which.addItems([self.tr("This run (B)"), self.tr("Pinned run (A)")])
        self.which.setToolTip(
            self.tr("With a run pinned as A over the same tokens: read A's layers instead")
        )
        self.grid.setToolTip(
            self.tr("Top prediction of each layer (rows) at each position (columns).")
        )
        note = QLabel(
            self.tr(
                "Each layer's hidden state is sent through the final norm and the output matrix. "
                "The grid covers up to {positions} positions ending at the selected token; "
                "each cell is a full softmax over the vocabulary. Colour = probability."
            ).format(positions=LENS_POSITIONS)
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(mid);")
        splitter = QSplitter()
        splitter.addWidget(self.column)
        splitter.addWidget(self.grid)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.which)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(note)
        self.grid.cellClicked.connect(self._on_grid_clicked)
        session.lens_view.changed.connect(self.refresh)
        self.which.currentIndexChanged.connect(lambda i: session.lens_view.show_a(i == 1))
        self.refresh()

    def refresh(self) -> None:
        view = self.session.lens_view
        self.which.setEnabled(view.of_a.key() is not None)
        with signals_blocked(self.which):
            self.which.setCurrentIndex(1 if view.showing_a else 0)
        reading = view.shown
        analysis = self.session.analysis
        if reading is None or analysis is None or self.session.model is None:
            self.title.setText(
                self.tr("Select the panel with a prompt to read every layer's prediction.")
            )
            self.column.setRowCount(0)
            self.grid.setRowCount(0)
            return
        n_states, n_positions, _ = reading.top_ids.shape
        position = int(reading.positions[-1])
        query = self.session.token_label(analysis.ids[position])
        final = self.session.token_label(int(reading.top_ids[-1, -1, 0]))
        run = self.tr("A: ") if reading is view.of_a.result and view.showing_a else ""
        self.title.setText(
            run
            + self.tr(
                "After <b>{query}</b> (token #{position}) — the model's answer is "
                "<b>{final}</b> ({probability}). Where does it appear?"
            ).format(
                query=repr(query),
                position=position,
                final=repr(final),
                probability=f"{reading.top_probs[-1, -1, 0]:.1%}",
            )
        )
        self.column.setRowCount(n_states)
        self.column.setVerticalHeaderLabels([_layer_name(i, n_states) for i in range(n_states)])
        for layer in range(n_states):
            ids, probs = reading.top_ids[layer, -1], reading.top_probs[layer, -1]
            best = QTableWidgetItem(repr(self.session.token_label(int(ids[0]))))
            if int(ids[0]) == int(reading.top_ids[-1, -1, 0]):
                best.setForeground(QBrush(QColor("#c2185b")))
            probability = QTableWidgetItem(f"{probs[0]:.1%}")
            probability.setData(Qt.ItemDataRole.UserRole, float(probs[0]))
            rest = ", ".join(
                f"{self.session.token_label(int(i))!r} {p:.0%}"
                for i, p in zip(ids[1:4], probs[1:4], strict=True)
            )
            for column, item in enumerate((best, probability, QTableWidgetItem(rest))):
                self.column.setItem(layer, column, item)
        self.column.resizeColumnsToContents()
        self.grid.setRowCount(n_states)
        self.grid.setColumnCount(n_positions)
        self.grid.setVerticalHeaderLabels([_layer_name(i, n_states) for i in range(n_states)])
        self.grid.setHorizontalHeaderLabels(
            [f"{self.session.token_label(analysis.ids[int(p)])}" for p in reading.positions]
        )
        for layer in range(n_states):
            for column in range(n_positions):
                prob = float(reading.top_probs[layer, column, 0])
                item = QTableWidgetItem(
                    self.session.token_label(int(reading.top_ids[layer, column, 0]))
                )
                r, g, b = weight_color(prob)
                item.setBackground(QBrush(QColor(r, g, b)))
                item.setForeground(QBrush(QColor("white" if prob < 0.3 else "#1d1f2b")))
                item.setToolTip(f"{_layer_name(layer, n_states)}: {item.text()!r} {prob:.1%}")
                self.grid.setItem(layer, column, item)
        self.grid.resizeColumnsToContents()
        self.grid.scrollToBottom()

    def _on_grid_clicked(self, _row: int, column: int) -> None:
        reading = self.session.lens_view.shown
        if reading is not None:
            self.session.select_token(int(reading.positions[column]))

    def export_rows(self) -> list[dict[str, Any]]:
        """The grid: the top prediction of every layer at every position shown."""
        analysis, lm = self.session.exportable()
        reading = self.session.lens_view.shown
        if reading is None:
            raise PlaygroundError(
                self.tr("Open the logit lens panel first: it is computed when shown.")
            )
        layers, positions, _ = reading.top_ids.shape  # (L+1, P, k)
        return [
            {
                "layer": layer,
                "position": int(reading.positions[p]),
                "token_at_position": analysis.pieces[int(reading.positions[p])].display,
                "top_prediction": lm.piece(int(reading.top_ids[layer, p, 0])).display,
                "probability": float(np.float32(reading.top_probs[layer, p, 0])),
            }
            for layer in range(layers)
            for p in range(positions)
        ]
