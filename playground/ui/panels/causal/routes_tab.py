"""The routes information takes to a prediction, for the run on screen: a threshold
slider and the prediction's token; an edge clicked opens its layer's attention."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QSpinBox, QVBoxLayout, QWidget

from playground.ui.state.routes_view import RoutesView
from playground.ui.widgets.signals_blocked import signals_blocked

from .routes_graph import RoutesGraph


class RoutesTab(QWidget):
    attention_requested = Signal(int)  # a layer

    def __init__(self, view: RoutesView, n_layer, token_text) -> None:
        super().__init__()
        self.view, self.n_layer, self.token_text = view, n_layer, token_text
        self.threshold = QSlider(Qt.Orientation.Horizontal)
        self.threshold.setRange(1, 50)  # percent
        self.threshold.setToolTip(self.tr("Edges with a smaller share are not drawn"))
        self.threshold_label = QLabel()
        self.position = QSpinBox()
        self.position.setToolTip(self.tr("The token whose prediction the routes lead to"))
        self.status = QLabel(" ")
        self.status.setWordWrap(True)
        self.graph = RoutesGraph()
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Threshold")))
        row.addWidget(self.threshold, 1)
        row.addWidget(self.threshold_label)
        row.addWidget(QLabel(self.tr("Prediction at token")))
        row.addWidget(self.position)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.graph, 1)
        self.threshold.valueChanged.connect(lambda v: view.set_threshold(v / 100))
        self.position.valueChanged.connect(view.set_position)
        self.graph.edge_clicked.connect(self.attention_requested.emit)
        view.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        v = self.view
        routes = v.routes
        with signals_blocked(self.threshold, self.position):
            self.threshold.setValue(round(v.threshold * 100))
            if routes is not None:
                last = len(routes.tokens) - 1
                self.position.setRange(0, last)
                self.position.setValue(last if v.position is None else min(v.position, last))
        self.threshold_label.setText(f"{v.threshold:.0%}")
        if v.error:
            self.status.setText(v.error)
            self.graph.show_routes((), [], 0)
            return
        if routes is None:
            self.status.setText(self.tr("Working out the routes…") if v.running else " ")
            return
        edges = v.edges()
        attention = sum(e.kind == "attention" for e in edges)
        self.status.setText(
            self.tr(
                "{edges} edges at {threshold} or more: {attention} through attention (orange), "
                "the others a token's own stream kept (grey). Click an edge for its layer's "
                "attention."
            ).format(edges=len(edges), threshold=f"{v.threshold:.0%}", attention=attention)
        )
        labels = [self.token_text(token) for token in routes.run.ids]  # as the chips show them
        self.graph.show_routes(edges, labels, self.n_layer())
