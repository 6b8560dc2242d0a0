"""The vocabulary map: 49,152 points that pan and zoom smoothly, with the prompt's tokens,
the selected token's neighbours, search results, a compared pair and a layer path drawn
on top as separate layers (each one item, updated with setData).

Labels never overlap: after every change of what is shown or of the view (zoom, pan,
resize), they are placed in order of importance (the compared pair, search results,
neighbours, the layer path, then the prompt's tokens, latest first), each only where it
covers no label placed before it; the rest show on hover."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QTimer, Signal
from PySide6.QtWidgets import QGraphicsItem, QGraphicsTextItem

from playground.ui.widgets.text_labels import TextLabels

CLOUD_BRUSH = pg.mkBrush(110, 120, 150, 70)
PROMPT_BRUSH = pg.mkBrush("#3d7be0")
NEIGHBOUR_BRUSH = pg.mkBrush("#f08c00")
SEARCH_BRUSH = pg.mkBrush("#2f9e44")
COMPARE_BRUSH = pg.mkBrush("#9c36b5")
SELECTED_PEN = pg.mkPen("#d1205f", width=2.5)
PATH_PEN = pg.mkPen("#d1205f", width=2)


PROMPT_LABELS = 60  # labelled prompt tokens on the map, at most
# where a label may sit around its point (TextItem anchors): above right, below right,
# above left, below left
LABEL_SIDES = ((0.0, 1.0), (0.0, 0.0), (1.0, 1.0), (1.0, 0.0))


class EmbeddingMap(pg.PlotWidget):
    token_clicked = Signal(int)  # a vocabulary id
    token_hovered = Signal(int)

    def __init__(self) -> None:
        super().__init__(background=None)
        self.setMenuEnabled(False)
        self.getPlotItem().hideButtons()
        self.setLabel("bottom", self.tr("principal component 1"))
        self.setLabel("left", self.tr("principal component 2"))
        self.coords: np.ndarray | None = None  # (V, 2)
        plot = self.getPlotItem()
        self.cloud = pg.ScatterPlotItem(size=3, pen=None, brush=CLOUD_BRUSH, pxMode=True)
        # 49,152 points take 100-300 ms to draw: keep the drawn cloud as a pixmap, reused
        # for every repaint that does not zoom (new prompt tokens, hover, panning).
        self.cloud.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.neighbours = pg.ScatterPlotItem(size=8, pen=pg.mkPen("w"), brush=NEIGHBOUR_BRUSH)
        self.search = pg.ScatterPlotItem(
            size=12, pen=pg.mkPen("w"), brush=SEARCH_BRUSH, symbol="star"
        )
        self.compare = pg.ScatterPlotItem(
            size=11, pen=pg.mkPen("w"), brush=COMPARE_BRUSH, symbol="d"
        )
        self.compare_line = pg.PlotDataItem(
            pen=pg.mkPen("#9c36b5", width=1.5, style=pg.QtCore.Qt.PenStyle.DashLine)
        )
        self.prompt = pg.ScatterPlotItem(size=9, pen=pg.mkPen("w"), brush=PROMPT_BRUSH)
        self.path = pg.PlotDataItem(pen=PATH_PEN, symbol="o", symbolSize=5, symbolBrush="#d1205f")
        self.selected = pg.ScatterPlotItem(size=20, pen=SELECTED_PEN, brush=None)
        for z, item in enumerate(
            (
                self.cloud,
                self.compare_line,
                self.neighbours,
                self.search,
                self.compare,
                self.path,
                self.prompt,
                self.selected,
            )
        ):
            item.setZValue(z)
            plot.addItem(item)
        self.prompt_labels = TextLabels(plot, "#1f4fa8")
        self.neighbour_labels = TextLabels(plot, "#b86200")
        self.search_labels = TextLabels(plot, "#237a35")
        self.compare_labels = TextLabels(plot, "#7a2a8f", anchor=(0, 0))  # below the point
        self.path_labels = TextLabels(plot, "#a3164a")
        self.hover_label = TextLabels(plot, "#1d1f2b", z=30)
        # what each label set would show, most important set first (see _place_labels)
        self._wanted: dict[int, list[tuple[str, float, float]]] = {}
        self._label_order = (
            self.compare_labels,
            self.search_labels,
            self.prompt_labels,  # the selected token's first (see _place_labels)
            self.path_labels,
            self.neighbour_labels,
        )
        self._selected_xy: tuple[float, float] | None = None
        self._probe = QGraphicsTextItem()
        self._placing = QTimer(self, singleShot=True, interval=30)
        self._placing.timeout.connect(self._place_labels)
        self.getViewBox().sigRangeChanged.connect(self._placing.start)
        self.user_moved_view = False  # once the user pans or zooms, the view stays theirs
        self.getViewBox().sigRangeChangedManually.connect(self._on_manual_range)
        self.scene().sigMouseMoved.connect(self._on_move)
        self.scene().sigMouseClicked.connect(self._on_click)

    def set_cloud(self, coords: np.ndarray | None) -> None:
        self.coords = coords
        if coords is None:
            self.cloud.clear()
            return
        self.cloud.setData(pos=coords)
        self.user_moved_view = False
        self.fit()

    def fit(self, extra: np.ndarray | None = None) -> None:
        """Show the bulk of the cloud (0.5-99.5 percentiles) and every point in `extra`."""
        if self.coords is None:
            return
        low, high = np.percentile(self.coords, [0.5, 99.5], axis=0)  # (2,), (2,)
        if extra is not None and len(extra):
            low, high = np.minimum(low, extra.min(axis=0)), np.maximum(high, extra.max(axis=0))
        self.setRange(xRange=(low[0], high[0]), yRange=(low[1], high[1]), padding=0.06)

    def _on_manual_range(self, *_args: object) -> None:
        self.user_moved_view = True

    def _points(
        self,
        item: pg.ScatterPlotItem,
        labels: TextLabels,
        ids: list[int],
        texts: list[str],
        n_labels: int | None = None,
    ) -> None:
        if self.coords is None or not ids:
            item.clear()
            self._want(labels, [])
            return
        xy = self.coords[ids]  # (n, 2)
        item.setData(pos=xy)
        shown = zip(texts[:n_labels], xy[:n_labels], strict=True)
        self._want(labels, [(t, float(x), float(y)) for t, (x, y) in shown])

    def show_prompt(self, ids: list[int], texts: list[str]) -> None:
        # Every token gets a point; each distinct token one label (its latest occurrence),
        # at most PROMPT_LABELS: a long prompt's labels would bury the map and take ~1 ms
        # each to draw on the GUI thread.
        latest = dict(zip(ids, texts, strict=True))  # token -> text, in order of last use
        labelled = list(latest)[-PROMPT_LABELS:]
        self._points(self.prompt, self.prompt_labels, ids, texts, n_labels=0)
        if self.coords is not None:
            latest_first = reversed(labelled)
            self._want(
                self.prompt_labels,
                [
                    (latest[t], float(self.coords[t, 0]), float(self.coords[t, 1]))
                    for t in latest_first
                ],
            )
        if self.coords is not None and ids and not self.user_moved_view:
            self.fit(self.coords[ids])

    def show_neighbours(self, ids: list[int], texts: list[str], labelled: int = 6) -> None:
        """All neighbours as points; only the closest few labelled (the list has them all)."""
        self._points(self.neighbours, self.neighbour_labels, ids, texts, labelled)

    def show_search(self, ids: list[int], texts: list[str]) -> None:
        self._points(self.search, self.search_labels, ids, texts)

    def show_compare(self, points: list[tuple[str, np.ndarray]]) -> None:
        if not points:
            self.compare.clear()
            self.compare_line.setData([], [])
            self._want(self.compare_labels, [])
            return
        xy = np.array([p for _, p in points], dtype=float)  # (n, 2)
        self.compare.setData(pos=xy)
        self.compare_line.setData(xy[:, 0], xy[:, 1])
        self._want(
            self.compare_labels,
            [(t, float(x), float(y)) for (t, _), (x, y) in zip(points, xy, strict=True)],
        )

    def show_selected(self, token_id: int | None) -> None:
        if token_id is None or self.coords is None:
            self.selected.clear()
            self._selected_xy = None
        else:
            self.selected.setData(pos=self.coords[[token_id]])
            x, y = self.coords[token_id]
            self._selected_xy = (float(x), float(y))
        self._place_labels()

    def show_path(self, path: np.ndarray | None) -> None:
        if path is None:
            self.path.setData([], [])
            self._want(self.path_labels, [])
            return
        self.path.setData(path[:, 0], path[:, 1])
        last = len(path) - 1
        marks = [0, *range(5, last, 5), last]
        names = [
            self.tr("embedding"),
            *[self.tr("layer {layer}").format(layer=i) for i in marks[1:-1]],
            self.tr("layer {layer} (output)").format(layer=last),
        ]
        self._want(
            self.path_labels,
            [(n, float(path[i, 0]), float(path[i, 1])) for n, i in zip(names, marks, strict=True)],
        )

    def show_hover(self, token_id: int | None, text: str = "") -> None:
        """The hovered token's label, over everything (the labels left out show this way)."""
        if token_id is None or self.coords is None:
            self.hover_label.show([])
            return
        x, y = self.coords[token_id]
        self.hover_label.show([(text, float(x), float(y))])

    def _want(self, labels: TextLabels, wanted: list[tuple[str, float, float]]) -> None:
        self._wanted[id(labels)] = wanted
        self._place_labels()

    def _place_labels(self) -> None:
        """Show each wanted label where it overlaps none already placed (in pixels): beside
        its point on the usual side, else on one of the three others, else not at all."""
        self._placing.stop()
        px, py = self.getViewBox().viewPixelSize()  # view units per pixel
        probe = self._probe  # measures a label as a TextItem draws it (with its margins)
        placed: list[QRectF] = []
        for labels in self._label_order:
            kept, anchors = [], []
            wanted = self._wanted.get(id(labels), [])
            # the selected token's own label before the others (stable: order kept)
            wanted = sorted(wanted, key=lambda label: (label[1], label[2]) != self._selected_xy)
            sides = [labels.anchor, *(a for a in LABEL_SIDES if a != labels.anchor)]
            for text, x, y in wanted:
                if px <= 0 or py <= 0:
                    break
                probe.setPlainText(text)
                size = probe.boundingRect()
                width, height = size.width(), size.height()
                sx, sy = x / px, -y / py  # the point in screen pixels (y grows downwards)
                for ax, ay in sides:  # anchor (ax, ay): the point's place on the label
                    box = QRectF(sx - ax * width, sy - ay * height, width, height)
                    if not any(box.intersects(other) for other in placed):
                        placed.append(box)
                        kept.append((text, x, y))
                        anchors.append((ax, ay))
                        break
            labels.show(kept, anchors=anchors)

    def shown_label_boxes(self) -> list[QRectF]:
        """Where the visible labels are, in scene pixels (for tests)."""
        return [
            item.sceneBoundingRect()
            for labels in self._label_order
            for item in labels.items
            if item.isVisible()
        ]

    def token_near(self, scene_pos: QPointF, radius_px: float = 6.0) -> int | None:
        """The vocabulary token drawn nearest the mouse, within a few pixels."""
        if self.coords is None or not self.sceneBoundingRect().contains(scene_pos):
            return None
        view = self.getViewBox()
        point = view.mapSceneToView(scene_pos)
        px = view.viewPixelSize()  # (x units per pixel, y units per pixel)
        dx = (self.coords[:, 0] - point.x()) / px[0]
        dy = (self.coords[:, 1] - point.y()) / px[1]
        distance = dx * dx + dy * dy  # (V,) squared pixels
        nearest = int(np.argmin(distance))
        return nearest if distance[nearest] <= radius_px**2 else None

    def _on_move(self, scene_pos: QPointF) -> None:
        token = self.token_near(scene_pos)
        if token is not None:
            self.token_hovered.emit(token)

    def _on_click(self, event) -> None:
        token = self.token_near(event.scenePos())
        if token is not None:
            self.token_clicked.emit(token)
