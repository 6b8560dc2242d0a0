"""File → Open model: the GGUF models already on the machine (LM Studio, Ollama, the
Hugging Face cache, llama.cpp's cache, Downloads) in a table — name, family, quantization,
size, where, and whether it can be opened or why not — and a file browser for the rest."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from playground.engine.model.found_models import FoundModel
from playground.ui.worker.model_scan import ModelScan

COLUMNS = (  # the table's headers, translated where shown
    QT_TRANSLATE_NOOP("OpenModelDialog", "Model"),
    QT_TRANSLATE_NOOP("OpenModelDialog", "Family"),
    QT_TRANSLATE_NOOP("OpenModelDialog", "Quantization"),
    QT_TRANSLATE_NOOP("OpenModelDialog", "Size"),
    QT_TRANSLATE_NOOP("OpenModelDialog", "Found in"),
    QT_TRANSLATE_NOOP("OpenModelDialog", "Can it be opened?"),
)


class OpenModelDialog(QDialog):
    chosen = Signal(object)  # a Path: a GGUF file or a bundle folder

    def __init__(self, parent=None, home: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Open a model"))
        self.resize(1000, 420)
        self.models: list[FoundModel] = []
        self.status = QLabel(self.tr("Looking for GGUF models on this computer…"))
        self.status.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(
            [QCoreApplication.translate("OpenModelDialog", column) for column in COLUMNS]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.setToolTip(
            self.tr("GGUF files LM Studio, Ollama, Hugging Face or llama.cpp keep")
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.open_button = QPushButton(self.tr("Open"))
        self.open_button.setToolTip(
            self.tr("Convert the model once (a few seconds to minutes), then open it")
        )
        self.open_button.setEnabled(False)
        self.browse = QPushButton(self.tr("Browse for a file…"))
        self.browse.setToolTip(self.tr("Any .gguf file, or a converted bundle (its bundle.json)"))
        buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.browse, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

        buttons.rejected.connect(self.reject)
        self.open_button.clicked.connect(self._open_selected)
        self.browse.clicked.connect(self._browse)
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.table.cellDoubleClicked.connect(lambda *_: self._open_selected())
        self.scan = ModelScan(home, parent=self)
        self.scan.finished.connect(self.show_models)
        self.scan.start()

    def show_models(self, models: list[FoundModel]) -> None:
        self.models = models
        self.table.setRowCount(len(models))
        grey = QColor("#8a8d99")
        for row, m in enumerate(models):
            cells = (
                m.name,
                m.family or "?",
                m.quantization or "?",
                _size(m.bytes),
                m.where,
                self.tr("yes") if m.supported else self.tr("no: {reason}").format(reason=m.reason),
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(m.path if column == 0 else text)
                if not m.supported:
                    item.setForeground(grey)
                self.table.setItem(row, column, item)
        usable = sum(m.supported for m in models)
        self.status.setText(
            self.tr(
                "{count} GGUF models found on this computer, {usable} of them can be opened."
            ).format(count=len(models), usable=usable)
            if models
            else self.tr(
                "No GGUF models found in LM Studio's, Ollama's, Hugging Face's or llama.cpp's "
                "folders or in Downloads. Browse for a file instead."
            )
        )
        first = next((row for row, m in enumerate(models) if m.supported), None)
        if first is not None:
            self.table.selectRow(first)

    def selected(self) -> FoundModel | None:
        rows = self.table.selectionModel().selectedRows()
        return self.models[rows[0].row()] if rows else None

    def _on_selection(self) -> None:
        model = self.selected()
        self.open_button.setEnabled(model is not None and model.supported)

    def _open_selected(self) -> None:
        model = self.selected()
        if model is not None and model.supported:
            self.chosen.emit(Path(model.path))
            self.accept()

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Open a model"),
            str(Path.home()),
            self.tr("GGUF models (*.gguf);;Converted bundles (bundle.json);;All files (*)"),
        )
        if path:
            chosen = Path(path)
            self.chosen.emit(chosen.parent if chosen.name == "bundle.json" else chosen)
            self.accept()


def _size(n: int) -> str:
    return f"{n / 1e9:.2f} GB" if n >= 1e9 else f"{n / 1e6:.1f} MB"
