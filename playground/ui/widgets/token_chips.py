"""A painted flow of token chips: the prompt exactly as the model sees it.

Each chip shows the token's text with visible whitespace and its id. Byte-level tokens
that hold part of a character are shown as bytes and framed together with the
character they spell. Painting (not one widget per token) keeps thousands of tokens fluid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from playground.engine.inspect.analysis import Analysis
from playground.engine.text.tokens import visible_whitespace
from playground.ui.widgets.attention_colors import weight_color

CHIP_COLORS = [
    QColor("#cfe8ff"),
    QColor("#ffe1c7"),
    QColor("#d4f5d0"),
    QColor("#f9d3e6"),
    QColor("#e6dcff"),
    QColor("#fff3b8"),
    QColor("#c9f1ef"),
    QColor("#f2dccb"),
]
SPECIAL_COLOR = QColor("#3b3f5c")
SELECTED_PEN = QColor("#d1205f")
PAD_X, PAD_Y, GAP_X, GAP_Y, GROUP_LABEL_H = 6.0, 3.0, 4.0, 8.0, 16.0


@dataclass
class _Chip:
    index: int  # token index
    rect: QRectF
    label: str
    token_id: int
    special: bool
    whole: bool  # the token spells whole characters


@dataclass
class _GroupFrame:
    rect: QRectF
    text: str


class TokenChips(QWidget):
    hovered = Signal(int)  # token index under the mouse
    clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None, top_margin: float = 0.0) -> None:
        super().__init__(parent)
        self._top_margin = top_margin  # room above the first row (for attention arcs)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._analysis: Analysis | None = None
        self._selected: int | None = None
        self._chips: list[_Chip] = []
        self._frames: list[_GroupFrame] = []
        self._height = 40.0
        self._laid_out_width = -1
        self._weights: np.ndarray | None = None  # (T,) attention of `_focus` over the tokens
        self._focus: int | None = None
        self._first_hidden = False
        self._update_fonts()

    def _update_fonts(self) -> None:
        self._text_font = QFont(self.font())
        self._text_font.setPointSizeF(self.font().pointSizeF() * 1.15)
        self._id_font = QFont(self.font())
        self._id_font.setPointSizeF(self.font().pointSizeF() * 0.8)
        self._text_metrics = QFontMetricsF(self._text_font)
        self._id_metrics = QFontMetricsF(self._id_font)

    # --- view API (called by the panel with the Session's state) ----------------------------
    def set_analysis(self, analysis: Analysis | None) -> None:
        self._analysis = analysis
        self._laid_out_width = -1
        self._layout()
        self.update()

    def set_selected(self, index: int | None) -> None:
        if index != self._selected:
            self._selected = index
            self.update()

    def set_weights(
        self, weights: np.ndarray | None, focus: int | None, first_hidden: bool = False
    ) -> None:
        """Colour each token by how much token `focus` attends to it (None: plain chips)."""
        self._weights, self._focus, self._first_hidden = weights, focus, first_hidden
        self.update()

    def chip_rect(self, index: int) -> QRectF:
        """Where token `index` is drawn (for tests and hover mapping)."""
        return self._chips[index].rect

    def chip_label(self, index: int) -> str:
        return self._chips[index].label

    # --- layout ----------------------------------------------------------------------------
    def _layout(self) -> None:
        width = max(self.width(), 200)
        self._laid_out_width = self.width()
        self._chips, self._frames = [], []
        if self._analysis is None:
            self._height = 40.0
            self.updateGeometry()
            return
        text_h = self._text_metrics.height()
        chip_h = text_h + self._id_metrics.height() + 2 * PAD_Y
        x, y = GAP_X, GAP_Y + self._top_margin
        pieces = self._analysis.pieces
        for group in self._analysis.groups:
            members = range(group.first, group.last + 1)
            sizes = []
            for i in members:
                piece = pieces[i]
                label = piece.label
                w = (
                    max(
                        self._text_metrics.horizontalAdvance(label),
                        self._id_metrics.horizontalAdvance(str(piece.token_id)),
                    )
                    + 2 * PAD_X
                )
                sizes.append((i, label, w))
            group_w = sum(w for _, _, w in sizes) + GAP_X * (len(sizes) - 1)
            extra_h = GROUP_LABEL_H if group.split_character else 0.0
            if x + group_w > width - GAP_X and x > GAP_X:
                x, y = GAP_X, y + chip_h + GAP_Y + GROUP_LABEL_H
            start_x = x
            for i, label, w in sizes:
                piece = pieces[i]
                self._chips.append(
                    _Chip(
                        i,
                        QRectF(x, y, w, chip_h),
                        label,
                        piece.token_id,
                        piece.special,
                        piece.text is not None,
                    )
                )
                x += w + GAP_X
            if group.split_character:
                frame = QRectF(start_x - 2, y - 2, group_w + 4, chip_h + extra_h + 2)
                self._frames.append(_GroupFrame(frame, group.text))
            if group.text.endswith("\n") and not pieces[group.last].special:
                x, y = GAP_X, y + chip_h + GAP_Y + GROUP_LABEL_H  # a newline starts a new row
        self._height = y + chip_h + GAP_Y + GROUP_LABEL_H
        self.setMinimumHeight(int(self._height))
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        return QSize(400, int(self._height))

    def resizeEvent(self, event) -> None:
        if self.width() != self._laid_out_width:
            self._layout()
        super().resizeEvent(event)

    # --- painting ----------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        visible = QRectF(event.rect()).adjusted(0, -40, 0, 40)
        text_color = self.palette().text().color()
        for frame in self._frames:
            if not frame.rect.intersects(visible):
                continue
            painter.setPen(QPen(QColor("#8a8fa8"), 1, Qt.PenStyle.DashLine))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRoundedRect(frame.rect, 6, 6)
            painter.setFont(self._id_font)
            painter.setPen(text_color)
            label_rect = QRectF(
                frame.rect.left(),
                frame.rect.bottom() - GROUP_LABEL_H,
                frame.rect.width(),
                GROUP_LABEL_H,
            )
            shown = visible_whitespace(frame.text.strip() or frame.text)
            painter.drawText(label_rect, Qt.AlignmentFlag.AlignCenter, f"= {shown}")
        if self._weights is not None and self._focus is not None:
            self._paint_arcs(painter)
        for chip in self._chips:
            if not chip.rect.intersects(visible):
                continue
            selected = chip.index == self._selected
            custom = self.custom_style(chip.index)
            weight = None if custom else self._chip_weight(chip.index)
            later = weight is not None and chip.index > (self._focus or 0)
            if custom:
                fill, ink, custom_caption = custom
            elif later:  # the query cannot see it: not a zero weight, no weight at all
                fill, ink = QColor("#e4e5ea"), QColor("#8a8d99")
            elif weight is not None:
                fill = QColor(*weight_color(weight))
                ink = QColor("white") if weight < 0.3 else QColor("#1d1f2b")
            elif chip.special:
                fill, ink = SPECIAL_COLOR, QColor("white")
            else:
                fill, ink = CHIP_COLORS[chip.index % len(CHIP_COLORS)], QColor("#1d1f2b")
            pen = QPen(SELECTED_PEN, 2.5) if selected else QPen(fill.darker(125), 1)
            if chip.special and not selected:
                pen = QPen(QColor("#9aa0c8"), 1.5, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.setBrush(fill)
            painter.drawRoundedRect(chip.rect, 5, 5)
            text_rect = QRectF(
                chip.rect.left(),
                chip.rect.top() + PAD_Y,
                chip.rect.width(),
                self._text_metrics.height(),
            )
            painter.setFont(self._text_font)
            plain = chip.whole or chip.special or weight is not None or custom is not None
            painter.setPen(ink if plain else QColor("#6b3fa0"))
            painter.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, chip.label)
            id_rect = QRectF(
                chip.rect.left(), text_rect.bottom(), chip.rect.width(), self._id_metrics.height()
            )
            painter.setFont(self._id_font)
            if custom:
                painter.setPen(ink)
                caption = custom_caption
            elif weight is not None:
                painter.setPen(ink)
                if chip.index == self._focus:
                    query = QCoreApplication.translate("TokenChips", "query")
                    fits = self._id_metrics.horizontalAdvance(query) < chip.rect.width()
                    short = QCoreApplication.translate("TokenChips", "q", "short for query")
                    caption = query if fits else short
                elif later:
                    caption = QCoreApplication.translate("TokenChips", "later")
                elif chip.index == 0 and self._first_hidden:
                    caption = QCoreApplication.translate("TokenChips", "hidden")
                else:
                    caption = f"{weight:.1%}"
            else:
                painter.setPen(QColor("#c8cbe0") if chip.special else QColor("#5c6070"))
                caption = str(chip.token_id)
            painter.drawText(id_rect, Qt.AlignmentFlag.AlignCenter, caption)
        painter.end()

    def _chip_weight(self, index: int) -> float | None:
        if self._weights is None or self._focus is None or index >= len(self._weights):
            return None
        return 0.0 if index > self._focus else float(self._weights[index])

    def _paint_arcs(self, painter: QPainter) -> None:
        """Curves from the query token to every token it attends to, thicker = more."""
        assert self._weights is not None and self._focus is not None
        if self._focus >= len(self._chips):
            return
        start = self._chips[self._focus].rect
        keys = [i for i in range(min(self._focus + 1, len(self._chips))) if i != self._focus]
        weights = self._weights
        for i in sorted(keys, key=lambda k: weights[k]):  # strongest drawn last
            weight = float(weights[i])
            if weight < 0.01:
                continue
            end = self._chips[i].rect
            a = QPointF(start.center().x(), start.top())
            b = QPointF(end.center().x(), end.top())
            lift = 18 + 0.15 * abs(a.x() - b.x()) + 0.3 * abs(a.y() - b.y())
            control = QPointF((a.x() + b.x()) / 2, min(a.y(), b.y()) - lift)
            path = QPainterPath(a)
            path.quadTo(control, b)
            color = QColor("#d1205f")
            color.setAlphaF(min(1.0, 0.25 + weight))
            painter.setPen(QPen(color, 1.0 + 7.0 * weight))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawPath(path)

    # --- mouse -------------------------------------------------------------------------------
    def index_at(self, point: QPointF) -> int | None:
        for chip in self._chips:
            if chip.rect.contains(point):
                return chip.index
        return None

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position())
        if index is not None:
            self.hovered.emit(index)
            QToolTip.showText(event.globalPosition().toPoint(), self.tooltip(index), self)
        super().mouseMoveEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.index_at(event.position())
        if index is not None:
            self.clicked.emit(index)
        super().mousePressEvent(event)

    def custom_style(self, index: int) -> tuple[QColor, QColor, str] | None:
        """Subclasses may colour a chip themselves: (fill, ink, caption under the text)."""
        return None

    def tooltip(self, index: int) -> str:
        assert self._analysis is not None
        piece = self._analysis.pieces[index]
        data = " ".join(f"{b:02X}" for b in piece.data)
        kind = (
            QCoreApplication.translate("TokenChips", "special (control) token")
            if piece.special
            else QCoreApplication.translate("TokenChips", "token")
        )
        entry = repr(piece.vocab_entry)
        lines = [
            QCoreApplication.translate("TokenChips", "#{index} {kind} id {id}").format(
                index=index, kind=kind, id=piece.token_id
            ),
            QCoreApplication.translate("TokenChips", "vocabulary entry: {entry}").format(
                entry=entry
            ),
            QCoreApplication.translate("TokenChips", "bytes: {data}").format(data=data),
        ]
        if piece.text is None:
            lines.append(
                QCoreApplication.translate(
                    "TokenChips", "part of a character split over several tokens"
                )
            )
        return "\n".join(lines)
