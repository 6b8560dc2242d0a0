"""The Causal lab: three experiments that show cause and effect inside the network, as
tabs: activation patching (which layer, at which token, carries the fact), steering (a
direction added to the stream, live), and the routes information takes to a prediction."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QScrollArea, QTabWidget, QVBoxLayout, QWidget

from playground.engine.errors import PlaygroundError
from playground.engine.inspect.patching import Patching
from playground.engine.inspect.steering_directions import LayerSweep
from playground.ui.state.session import Session
from playground.ui.widgets.on_screen import OnScreenUpdates

from .patching_tab import PatchingTab
from .routes_tab import RoutesTab
from .steering_tab import SteeringTab


class CausalPanel(OnScreenUpdates):
    panel_requested = Signal(str)  # a panel to bring forward (an edge's layer's attention)

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        lab = session.causal

        def token_text(token_id: int) -> str:
            return session.token_label(token_id)

        def n_layer() -> int:
            info = session.model_info
            return info.architecture.n_layer if info is not None else 0

        self.patching = PatchingTab(lab.patching, token_text)
        self.steering = SteeringTab(lab.steering, session)
        self.routes = RoutesTab(lab.routes, n_layer, token_text)
        self.tabs = QTabWidget()
        for tab, title, tip in (
            (
                self.patching,
                self.tr("Patching"),
                self.tr("Which layer, at which token, carries the fact"),
            ),
            (
                self.steering,
                self.tr("Steering"),
                self.tr("Add a direction to the stream and watch"),
            ),
            (self.routes, self.tr("Routes"), self.tr("How information reaches the prediction")),
        ):
            scroll = QScrollArea()  # the panel asks for little room: it scrolls
            scroll.setWidgetResizable(True)
            scroll.setWidget(tab)
            self.tabs.addTab(scroll, title)
            self.tabs.setTabToolTip(self.tabs.count() - 1, tip)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)
        self.routes.attention_requested.connect(self._show_attention)
        self.tabs.currentChanged.connect(lambda _index: self._want_routes())

    def set_on_screen(self, on_screen: bool) -> None:
        super().set_on_screen(on_screen)
        self._want_routes()

    def export_rows(self) -> list[dict[str, Any]]:
        """The tab on screen's numbers: each patched cell's effect, each layer's KL of the
        sweep, or each route drawn."""
        lab, tab = self.session.causal, self.tabs.currentIndex()
        if tab == 0 and isinstance(lab.patching.result, Patching):
            r = lab.patching.result
            columns = "head" if r.site == "head" else "position"
            return [
                {"site": r.site, "layer": layer, columns: index, "effect": float(value)}
                for layer, row in enumerate(r.effect)
                for index, value in enumerate(row)
            ]
        sweep = lab.steering.sweep.result if lab.steering.sweep.current else None
        if tab == 1 and isinstance(sweep, LayerSweep):
            return [
                {"hidden_state": layer, "kl_bits": float(kl), "strength": sweep.strength}
                for layer, kl in zip(sweep.layers, sweep.kl_bits, strict=True)
            ]
        if tab == 2 and lab.routes.routes is not None:
            return [
                {
                    "layer": e.layer,
                    "from": e.source,
                    "to": e.target,
                    "share": e.share,
                    "kind": e.kind,
                }
                for e in lab.routes.edges()
            ]
        raise PlaygroundError(
            self.tr("Nothing to export yet: patch, sweep the layers or draw the routes first.")
        )

    def show_tab(self, key: str) -> None:
        """Bring the "patching", "steering" or "routes" tab forward."""
        index = ("patching", "steering", "routes").index(key)
        self.tabs.setCurrentIndex(index)

    def _show_attention(self, layer: int) -> None:
        self.session.set_attention_view(layer=layer)
        self.panel_requested.emit("attention")

    def _want_routes(self) -> None:
        routes_shown = self.tabs.currentIndex() == 2
        self.session.causal.routes.set_wanted(self._on_screen and routes_shown)
