"""The information routes drawn as llm-transparency-tool draws them: the prompt's tokens
as columns, the stream between blocks as rows (0: the embeddings, at the bottom; L: after
the last block), an edge from (l, j) to (l+1, i) as thick as its share. Attention edges
(another token's stream read) are orange, a token's own stream kept is blue-grey. A
click on an edge asks for its layer's attention."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from playground.engine.inspect.routes import RouteEdge
from playground.ui.widgets.compact_plot import CompactPlot

WIDTHS = (1.0, 2.0, 3.5, 5.0, 7.0)  # pen widths by share: < .1, < .25, < .5, < .8, more
BOUNDS = (0.1, 0.25, 0.5, 0.8)
ATTENTION_COLOR, KEPT_COLOR = QColor(230, 120, 20), QColor(90, 110, 140)


class RoutesGraph(QWidget):
    edge_clicked = Signal(int)  # the edge's layer (block)

    def __init__(self) -> None:
        super().__init__()
        self.plot = CompactPlot(300)
        self.plot.setMinimumHeight(200)
        self.plot.setLabel("left", self.tr("stream after block (0: embeddings)"))
        self.nodes = pg.ScatterPlotItem(size=5, brush=pg.mkBrush(60, 60, 60), pen=None)
        self.plot.addItem(self.nodes)
        self.curves: list[pg.PlotCurveItem] = []
        self.readout = QLabel(" ")
        self.readout.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.readout)
        self.edges: tuple[RouteEdge, ...] = ()
        self.tokens: list[str] = []
        self.plot.scene().sigMouseMoved.connect(self._on_move)
        self.plot.scene().sigMouseClicked.connect(self._on_click)

    def show_routes(self, edges: tuple[RouteEdge, ...], tokens: list[str], n_layer: int) -> None:
        self.edges, self.tokens = edges, tokens
        for curve in self.curves:
            self.plot.removeItem(curve)
        self.curves = []
        for kind, color in (("residual", KEPT_COLOR), ("attention", ATTENTION_COLOR)):
            for bucket, width in enumerate(WIDTHS):
                chosen = [e for e in edges if e.kind == kind and _bucket(e.share) == bucket]
                if not chosen:
                    continue
                x = np.array([[e.source, e.target] for e in chosen], float).ravel()
                y = np.array([[e.layer, e.layer + 1] for e in chosen], float).ravel()
                curve = pg.PlotCurveItem(x, y, connect="pairs", pen=pg.mkPen(color, width=width))
                self.plot.addItem(curve)
                self.curves.append(curve)
        points = {(e.source, e.layer) for e in edges} | {(e.target, e.layer + 1) for e in edges}
        self.nodes.setData([p[0] for p in points], [p[1] for p in points])
        T = max(len(tokens), 1)
        every = max(1, T // 24)
        self.plot.getAxis("bottom").setTicks([[(i, tokens[i]) for i in range(0, T, every)]])
        step = max(1, n_layer // 10)
        self.plot.getAxis("left").setTicks([[(i, str(i)) for i in range(0, n_layer + 1, step)]])
        self.plot.setXRange(-0.5, T - 0.5, padding=0.02)
        self.plot.setYRange(-0.3, n_layer + 0.3, padding=0)

    def edge_at(self, scene_pos: QPointF) -> RouteEdge | None:
        """The edge nearest the pointer, within 6 pixels."""
        if not self.edges or not self.plot.sceneBoundingRect().contains(scene_pos):
            return None
        box = self.plot.getViewBox()
        best, best_distance = None, 6.0
        p = np.array([scene_pos.x(), scene_pos.y()])
        for edge in self.edges:
            a = box.mapViewToScene(QPointF(edge.source, edge.layer))
            b = box.mapViewToScene(QPointF(edge.target, edge.layer + 1))
            distance = _to_segment(p, np.array([a.x(), a.y()]), np.array([b.x(), b.y()]))
            if distance < best_distance:
                best, best_distance = edge, distance
        return best

    def describe(self, edge: RouteEdge) -> str:
        source, target = self.tokens[edge.source], self.tokens[edge.target]
        if edge.kind == "attention":
            return self.tr(
                "block {layer}: {target} reads {source} through attention, {share} of its "
                "update (click: that layer's attention)"
            ).format(
                layer=edge.layer,
                target=repr(target),
                source=repr(source),
                share=f"{edge.share:.0%}",
            )
        return self.tr("block {layer}: {target} keeps its own stream, {share}").format(
            layer=edge.layer, target=repr(target), share=f"{edge.share:.0%}"
        )

    def _on_move(self, scene_pos: QPointF) -> None:
        edge = self.edge_at(scene_pos)
        if edge is not None:
            self.readout.setText(self.describe(edge))

    def _on_click(self, event) -> None:
        edge = self.edge_at(event.scenePos())
        if edge is not None:
            self.edge_clicked.emit(edge.layer)


def _bucket(share: float) -> int:
    return int(np.searchsorted(BOUNDS, share, side="right"))


def _to_segment(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> float:
    ab = b - a
    t = 0.0 if not ab.any() else float(np.clip(np.dot(p - a, ab) / np.dot(ab, ab), 0.0, 1.0))
    return float(np.linalg.norm(p - (a + t * ab)))
