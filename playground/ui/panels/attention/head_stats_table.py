"""A sortable table of per-head habits that helps a learner find interesting heads."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QTableWidget, QTableWidgetItem

from playground.engine.inspect.attention_summary import HeadStatistics

COLUMNS = [
    (
        QT_TRANSLATE_NOOP("HeadStatsTable", "Layer"),
        QT_TRANSLATE_NOOP("HeadStatsTable", "The layer (0 = closest to the input)."),
    ),
    (
        QT_TRANSLATE_NOOP("HeadStatsTable", "Head"),
        QT_TRANSLATE_NOOP("HeadStatsTable", "The query head within the layer."),
    ),
    (
        QT_TRANSLATE_NOOP("HeadStatsTable", "KV group"),
        QT_TRANSLATE_NOOP(
            "HeadStatsTable",
            "Query heads in one group share the same keys and values (grouped-query attention).",
        ),
    ),
    (
        QT_TRANSLATE_NOOP("HeadStatsTable", "Previous"),
        QT_TRANSLATE_NOOP(
            "HeadStatsTable", "Mean weight on the token just before: 'previous-token' heads."
        ),
    ),
    (
        QT_TRANSLATE_NOOP("HeadStatsTable", "First"),
        QT_TRANSLATE_NOOP(
            "HeadStatsTable",
            "Mean weight on the first token: an 'attention sink' parks unused attention there.",
        ),
    ),
    (
        QT_TRANSLATE_NOOP("HeadStatsTable", "Same"),
        QT_TRANSLATE_NOOP("HeadStatsTable", "Mean weight on the token itself."),
    ),
    (
        QT_TRANSLATE_NOOP("HeadStatsTable", "Entropy"),
        QT_TRANSLATE_NOOP(
            "HeadStatsTable",
            "Mean row entropy in bits: low = looks at one token, high = spreads out.",
        ),
    ),
    (
        QT_TRANSLATE_NOOP("HeadStatsTable", "Induction"),
        QT_TRANSLATE_NOOP(
            "HeadStatsTable",
            "On a random sequence seen twice: weight on the token that followed the "
            "earlier occurrence (copying heads). Measured once per model.",
        ),
    ),
]


class HeadStatsTable(QTableWidget):
    head_chosen = Signal(int, int)  # layer, head

    def __init__(self) -> None:
        super().__init__(0, len(COLUMNS))
        self.setHorizontalHeaderLabels(
            [QCoreApplication.translate("HeadStatsTable", name) for name, _ in COLUMNS]
        )
        for column, (_, tip) in enumerate(COLUMNS):
            header = self.horizontalHeaderItem(column)
            if header is not None:
                header.setToolTip(QCoreApplication.translate("HeadStatsTable", tip))
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().hide()
        self.setSortingEnabled(True)
        self.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.cellClicked.connect(self._on_cell_clicked)

    def show_statistics(
        self, stats: HeadStatistics | None, induction: np.ndarray | None, group_size: int
    ) -> None:
        self.setSortingEnabled(False)
        if stats is None:
            self.setRowCount(0)
            self.setSortingEnabled(True)
            return
        n_layer, n_head = stats.previous_token.shape
        self.setRowCount(n_layer * n_head)
        row = 0
        for layer in range(n_layer):
            for head in range(n_head):
                values: list[float | int | None] = [
                    layer,
                    head,
                    head // group_size,
                    float(stats.previous_token[layer, head]),
                    float(stats.first_token[layer, head]),
                    float(stats.same_token[layer, head]),
                    float(stats.entropy_bits[layer, head]),
                    None if induction is None else float(induction[layer, head]),
                ]
                for column, value in enumerate(values):
                    item = QTableWidgetItem()
                    if value is None:
                        item.setText("…")
                    elif isinstance(value, float):
                        item.setData(Qt.ItemDataRole.DisplayRole, round(value, 3))
                    else:
                        item.setData(Qt.ItemDataRole.DisplayRole, value)
                    self.setItem(row, column, item)
                row += 1
        self.setSortingEnabled(True)
        self.resizeColumnsToContents()

    def head_in_row(self, row: int) -> tuple[int, int]:
        layer, head = self.item(row, 0), self.item(row, 1)
        assert layer is not None and head is not None, f"row {row} of the table is empty"
        return int(layer.text()), int(head.text())

    def _on_cell_clicked(self, row: int, _column: int) -> None:
        self.head_chosen.emit(*self.head_in_row(row))
