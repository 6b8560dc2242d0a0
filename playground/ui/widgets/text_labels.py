"""Text labels on a pyqtgraph plot, created once and reused: each redraw only moves and
re-texts them (no item churn), extra ones are hidden."""

from __future__ import annotations

import pyqtgraph as pg


class TextLabels:
    def __init__(
        self, plot: pg.PlotItem, color: str, anchor: tuple[float, float] = (0, 1), z: float = 20
    ) -> None:
        self.plot, self.color, self.anchor, self.z = plot, color, anchor, z
        self.items: list[pg.TextItem] = []

    def set_color(self, color: str) -> None:
        """Recolour every label (e.g. for a new theme)."""
        self.color = color
        for item in self.items:
            item.setColor(color)

    def show(
        self,
        labels: list[tuple[str, float, float]],
        colors: list[str] | None = None,
        anchors: list[tuple[float, float]] | None = None,
    ) -> None:
        """Show these (text, x, y) labels, hiding any left over from before; `colors` and
        `anchors`, one per label, instead of the common ones (light text on dark cells, a
        label moved to another side of its point)."""
        while len(self.items) < len(labels):
            item = pg.TextItem(color=self.color, anchor=self.anchor)
            item.setZValue(self.z)
            self.plot.addItem(item)
            self.items.append(item)
        for i, item in enumerate(self.items):
            if i < len(labels):
                text, x, y = labels[i]
                item.setText(text)
                item.setColor(colors[i] if colors is not None else self.color)
                item.setAnchor(anchors[i] if anchors is not None else self.anchor)
                item.setPos(x, y)
                item.show()
            else:
                item.hide()

    def texts(self) -> list[str]:
        return [item.toPlainText() for item in self.items if item.isVisible()]

    def __getitem__(self, index: int) -> pg.TextItem:
        return self.items[index]
