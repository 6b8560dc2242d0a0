"""Layer x head overview: every head's T x T attention pattern as a small tile, drawn as
one mosaic image (one `setImage` however many heads), heads that share a key/value head
grouped together."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal

from playground.engine.inspect.attention_summary import OVERVIEW_TILES, layer_thumbnails
from playground.engine.runtime.attention_maps import AttentionMaps
from playground.ui.widgets.attention_colors import LOOKUP_TABLE, to_color_scale
from playground.ui.widgets.text_labels import TextLabels

GAP, GROUP_GAP = 3, 10  # mosaic pixels between tiles, and between key/value groups


@dataclass(frozen=True)
class MosaicLayout:
    """Where each head's tile sits in the mosaic, and the labels around it.

    One layer: a grid with one row per key/value group (the query heads that share keys
    and values side by side). All layers: one row per layer, heads across, groups apart.
    """

    origins: dict[tuple[int, int], tuple[int, int]]  # (layer, head) -> (x, y) top-left
    tile: int  # pixels per tile side
    shape: tuple[int, int]  # (height, width) of the mosaic
    labels: tuple[tuple[str, float, float], ...]  # (text, x, y) in mosaic pixels

    def head_at(self, x: float, y: float) -> tuple[int, int] | None:
        """(layer, head) under a mosaic pixel, or None in a gap."""
        for key, (x0, y0) in self.origins.items():
            if x0 <= x < x0 + self.tile and y0 <= y < y0 + self.tile:
                return key
        return None


SLIDING_MARK = "w"  # after a sliding-window layer's label: it sees only its last tokens


def mosaic_layout(
    layers: tuple[int, ...],
    n_head: int,
    group_size: int,
    tile: int,
    sliding: frozenset[int] = frozenset(),
) -> MosaicLayout:
    origins: dict[tuple[int, int], tuple[int, int]] = {}
    labels: list[tuple[str, float, float]] = []
    step = tile + GAP
    if len(layers) == 1:
        layer = layers[0]
        n_group = n_head // group_size
        for head in range(n_head):
            group, within = divmod(head, group_size)
            origins[(layer, head)] = (within * step, group * (step + GROUP_GAP))
        for group in range(n_group):
            labels.append((f"KV {group}", -0.3 * tile, group * (step + GROUP_GAP) + tile / 2))
        height = n_group * (step + GROUP_GAP) - GAP - GROUP_GAP
        width = group_size * step - GAP
    else:
        group_width = group_size * step + GROUP_GAP
        for row, layer in enumerate(layers):
            for head in range(n_head):
                group, within = divmod(head, group_size)
                origins[(layer, head)] = (group * group_width + within * step, row * step)
            mark = SLIDING_MARK if layer in sliding else ""
            labels.append((f"L{layer}{mark}", -0.8 * tile, row * step + tile / 2))
        for head in range(n_head):
            x, _ = origins[(layers[0], head)]
            labels.append((f"h{head}", x + tile / 2, -0.6 * tile))
        height = len(layers) * step - GAP
        width = (n_head // group_size) * group_width - GAP - GROUP_GAP
    return MosaicLayout(origins, tile, (height, width), tuple(labels))


def build_mosaic(
    attentions: AttentionMaps | np.ndarray,
    layers: tuple[int, ...],
    group_size: int,
    tile: int,
    hide_first: bool,
    sliding: frozenset[int] = frozenset(),
) -> tuple[np.ndarray, MosaicLayout] | None:
    """attentions (L, H, T, T) -> (mosaic image in colour-scale values, its layout), or
    None while a long prompt's thumbnails are not ready (they are made off the GUI
    thread with every analysis, not for each generated token)."""
    T = attentions.shape[-1]
    n_head = attentions.shape[1]
    per_layer = [layer_thumbnails(attentions, layer, tile, hide_first) for layer in layers]
    if any(t is None for t in per_layer):
        return None
    tiles = to_color_scale(np.stack(per_layer))  # type: ignore[arg-type]  # (rows, H, S, S)
    size = tiles.shape[-1]
    if size >= T:  # every token has its own pixels: draw the causal mask as a gap
        factor = size // T
        future = np.repeat(np.repeat(np.triu(np.ones((T, T), bool), 1), factor, 0), factor, 1)
        tiles[..., future] = np.nan
        if hide_first:
            tiles[..., :, :factor] = np.nan  # the hidden first token's column
    layout = mosaic_layout(layers, n_head, group_size, size, sliding)
    image = np.full(layout.shape, np.nan, np.float32)  # NaN = gap, drawn transparent
    for row, layer in enumerate(layers):
        for head in range(n_head):
            x, y = layout.origins[(layer, head)]
            image[y : y + size, x : x + size] = tiles[row, head]
    return image, layout


class AttentionOverview(pg.GraphicsLayoutWidget):
    head_clicked = Signal(int, int)  # layer, head
    knock_out_toggled = Signal(int, int)  # layer, head: a right-click switches it off / on
    head_hovered = Signal(str)  # a description for the status text

    def __init__(self) -> None:
        super().__init__()
        self.setBackground(None)
        self.plot = self.addPlot()
        self.plot.hideAxis("bottom")
        self.plot.hideAxis("left")
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.getViewBox().invertY(True)
        self.plot.getViewBox().setAspectLocked(True)
        self.image = pg.ImageItem(axisOrder="row-major")
        self.image.setLookupTable(LOOKUP_TABLE)
        self.plot.addItem(self.image)
        self.labels = TextLabels(self.plot, "#666", anchor=(0.5, 0.5))
        self.layout_info: MosaicLayout | None = None
        self.highlight = pg.QtWidgets.QGraphicsRectItem()
        self.highlight.setPen(pg.mkPen("#3d7be0", width=2))
        self.highlight.setZValue(10)
        self.plot.addItem(self.highlight)
        self.knocked: set[tuple[int, int]] = set()
        self.windows: dict[int, int] = {}  # sliding layer -> its window
        self._knocked_marks: list[pg.QtWidgets.QGraphicsRectItem] = []
        self.scene().sigMouseClicked.connect(self._on_click)
        self.scene().sigMouseMoved.connect(self._on_move)

    def show_attention(
        self,
        attentions: AttentionMaps | np.ndarray | None,
        layers: tuple[int, ...],
        group_size: int,
        hide_first: bool,
        current: tuple[int, int] | None,
        windows: dict[int, int] | None = None,
    ) -> None:
        """`windows`: the sliding layers' window sizes (Gemma 3), marked and named."""
        self.windows = windows or {}
        if attentions is None or attentions.shape[-1] == 0:
            self.image.clear()
            self.layout_info = None
            self.labels.show([])
            self.highlight.hide()
            return
        tile = OVERVIEW_TILES[0] if len(layers) > 1 else OVERVIEW_TILES[1]
        sliding = frozenset(self.windows)
        built = build_mosaic(attentions, layers, group_size, tile, hide_first, sliding)
        if built is None:  # a long prompt while generating: drawn when it stops
            self.image.clear()
            self.layout_info = None
            self.labels.show([])
            self.highlight.hide()
            return
        image, layout = built
        self.layout_info = layout
        self.image.setImage(image, levels=(0.0, 1.0), autoLevels=False)
        height, width = layout.shape
        margin = layout.tile * (1.2 if len(layers) > 1 else 0.6)
        self.plot.setRange(
            xRange=(-margin, width + 2),
            yRange=(-margin if len(layers) > 1 else -2, height + 2),
            padding=0,
        )
        self.labels.show(list(layout.labels))
        self.set_current(current)
        self.set_knocked(self.knocked)

    def set_knocked(self, heads: set[tuple[int, int]]) -> None:
        """Mark the knocked-out heads' tiles with a red frame and a cross."""
        self.knocked = set(heads)
        for mark in self._knocked_marks:
            self.plot.removeItem(mark)
        self._knocked_marks = []
        layout = self.layout_info
        for head in sorted(self.knocked):
            if layout is None or head not in layout.origins:
                continue
            x, y = layout.origins[head]
            frame = pg.QtWidgets.QGraphicsRectItem(x - 1, y - 1, layout.tile + 2, layout.tile + 2)
            frame.setPen(pg.mkPen("#d1205f", width=2))
            frame.setZValue(11)
            cross = pg.PlotCurveItem(
                [x, x + layout.tile, x + layout.tile / 2, x, x + layout.tile],
                [y, y + layout.tile, y + layout.tile / 2, y + layout.tile, y],
                pen=pg.mkPen("#d1205f", width=2),
            )
            cross.setZValue(11)
            for mark in (frame, cross):
                self.plot.addItem(mark)
                self._knocked_marks.append(mark)

    def set_current(self, current: tuple[int, int] | None) -> None:
        """Outline the head the detail view shows."""
        layout = self.layout_info
        if current is None or layout is None or current not in layout.origins:
            self.highlight.hide()
            return
        x, y = layout.origins[current]
        self.highlight.setRect(x - 1, y - 1, layout.tile + 2, layout.tile + 2)
        self.highlight.show()

    def _head_at_scene(self, scene_pos: QPointF) -> tuple[int, int] | None:
        if self.layout_info is None:
            return None
        point = self.plot.getViewBox().mapSceneToView(scene_pos)
        return self.layout_info.head_at(point.x(), point.y())

    def _on_click(self, event) -> None:
        hit = self._head_at_scene(event.scenePos())
        if hit is None:
            return
        if event.button() == Qt.MouseButton.RightButton:
            self.knock_out_toggled.emit(*hit)
        else:
            self.head_clicked.emit(*hit)

    def _on_move(self, scene_pos: QPointF) -> None:
        hit = self._head_at_scene(scene_pos)
        if hit is not None:
            state = (
                self.tr("knocked out")
                if hit in self.knocked
                else self.tr("right-click to knock it out")
            )
            window = self.windows.get(hit[0])
            slides = (
                self.tr(" (sliding window: sees its last {window} tokens)").format(window=window)
                if window
                else ""
            )
            self.head_hovered.emit(
                self.tr("layer {layer}{slides}, head {head} — click to open it, {state}").format(
                    layer=hit[0], slides=slides, head=hit[1], state=state
                )
            )
