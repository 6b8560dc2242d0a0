"""The attention panel's row of controls: which matrix (one head, a layer's mean, all
heads' mean), the layer and head, hiding the first token, the overview's layers, and
the comparison with a pinned run."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QSpinBox, QWidget

from playground.engine.inspect.attention_view import Scope

SCOPES = [
    (Scope.HEAD, QT_TRANSLATE_NOOP("AttentionPanel", "One head")),
    (Scope.LAYER_MEAN, QT_TRANSLATE_NOOP("AttentionPanel", "Mean of a layer's heads")),
    (Scope.ALL_MEAN, QT_TRANSLATE_NOOP("AttentionPanel", "Mean of all layers and heads")),
]
HIDE_FIRST_NOTE = QT_TRANSLATE_NOOP(
    "AttentionPanel",
    "First token hidden: most heads park unused attention on it (an 'attention sink'). "
    "Each row is renormalised over the remaining tokens, so rows still sum to 1.",
)


class ViewControls(QWidget):
    def __init__(self, compare: QWidget) -> None:
        super().__init__()
        hide_first_note = QCoreApplication.translate("AttentionPanel", HIDE_FIRST_NOTE)
        self.scope = QComboBox()
        for _, label in SCOPES:
            self.scope.addItem(QCoreApplication.translate("AttentionPanel", label))
        self.scope.setToolTip(
            QCoreApplication.translate(
                "AttentionPanel", "One head, or the average of a layer's heads or of all heads."
            )
        )
        self.layer = QSpinBox()
        self.layer.setToolTip(
            QCoreApplication.translate(
                "AttentionPanel",
                "Layer 0 reads the token embeddings; the last layer feeds the prediction.",
            )
        )
        self.head = QSpinBox()
        self.head.setToolTip(
            QCoreApplication.translate(
                "AttentionPanel", "Each layer has several heads that attend independently."
            )
        )
        self.hide_first = QCheckBox(
            QCoreApplication.translate("AttentionPanel", "Hide first token")
        )
        self.hide_first.setToolTip(hide_first_note)
        self.all_layers = QCheckBox(
            QCoreApplication.translate("AttentionPanel", "Overview: all layers")
        )
        self.all_layers.setToolTip(
            QCoreApplication.translate(
                "AttentionPanel", "Show every layer's heads in the overview (rows = layers)."
            )
        )
        controls = QHBoxLayout(self)
        controls.setContentsMargins(0, 0, 0, 0)
        for widget in (
            self.scope,
            QLabel(QCoreApplication.translate("AttentionPanel", "Layer")),
            self.layer,
            QLabel(QCoreApplication.translate("AttentionPanel", "Head")),
            self.head,
            self.hide_first,
            self.all_layers,
            compare,
        ):
            controls.addWidget(widget)
        controls.addStretch()
