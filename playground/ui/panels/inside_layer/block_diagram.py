"""A small diagram of one transformer block, left to right, with the step being shown
highlighted; clicking a part shows its step. The residual stream runs along the bottom,
the two branches (attention, MLP) add into it."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

PARTS = (  # one box per step of the walk-through (translated where drawn)
    QT_TRANSLATE_NOOP("BlockDiagram", "stream in"),
    QT_TRANSLATE_NOOP("BlockDiagram", "RMSNorm"),
    QT_TRANSLATE_NOOP("BlockDiagram", "Q, K, V\n+ RoPE"),
    QT_TRANSLATE_NOOP("BlockDiagram", "attention\nq·k, softmax"),
    QT_TRANSLATE_NOOP("BlockDiagram", "out proj\n+ add"),
    QT_TRANSLATE_NOOP("BlockDiagram", "RMSNorm, MLP\ndown + add"),
    QT_TRANSLATE_NOOP("BlockDiagram", "stream out"),
)
ATTENTION_COLOR, MLP_COLOR, STREAM_COLOR = QColor("#3d7be0"), QColor("#e0913d"), QColor("#8a8fa8")
BRANCH = {1: ATTENTION_COLOR, 2: ATTENTION_COLOR, 3: ATTENTION_COLOR, 4: ATTENTION_COLOR}
BRANCH[5] = MLP_COLOR


class BlockDiagram(QWidget):
    step_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.current: int | None = 0  # None: every step is shown
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(70)
        self.setToolTip(self.tr("One block of the network; click a part to see its numbers."))

    def sizeHint(self) -> QSize:
        return QSize(700, 76)

    def set_current(self, step: int | None) -> None:
        self.current = step
        self.update()

    def box(self, index: int) -> QRectF:
        gap = 10.0
        width = (self.width() - gap * (len(PARTS) + 1)) / len(PARTS)
        return QRectF(gap + index * (width + gap), 6, width, self.height() - 22)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        ink = self.palette().text().color()
        stream_y = self.height() - 8
        painter.setPen(QPen(STREAM_COLOR, 3))
        painter.drawLine(QPointF(6, stream_y), QPointF(self.width() - 6, stream_y))
        for index, label in enumerate(PARTS):
            rect = self.box(index)
            color = BRANCH.get(index, STREAM_COLOR)
            highlighted = self.current is None or self.current == index
            fill = QColor(color)
            fill.setAlpha(230 if highlighted else 50)
            painter.setPen(QPen(color.darker(130), 2.5 if self.current == index else 1))
            painter.setBrush(fill)
            painter.drawRoundedRect(rect, 6, 6)
            painter.setPen(QColor("white") if highlighted else ink)
            painter.drawText(
                rect,
                Qt.AlignmentFlag.AlignCenter,
                QCoreApplication.translate("BlockDiagram", label),
            )
            painter.setPen(QPen(STREAM_COLOR, 1.5))
            painter.drawLine(
                QPointF(rect.center().x(), rect.bottom()), QPointF(rect.center().x(), stream_y)
            )
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        for index in range(len(PARTS)):
            if self.box(index).contains(event.position()):
                self.step_clicked.emit(index)
                return
        super().mousePressEvent(event)
