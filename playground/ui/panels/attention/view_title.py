"""The title of what the attention panel shows: one head, a layer's mean or the mean of
all heads, and how the view changes it (a sliding window, the first token hidden)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from playground.engine.inspect.attention_view import Scope
from playground.engine.model.architecture import Architecture
from playground.ui.state.attention_view import AttentionView


def view_title(view: AttentionView, arch: Architecture) -> str:
    if view.scope is Scope.HEAD:
        text = QCoreApplication.translate(
            "AttentionPanel", "Layer {layer}, head {head} (key/value group {group})"
        ).format(layer=view.layer, head=view.head, group=view.head // arch.group_size)
    elif view.scope is Scope.LAYER_MEAN:
        text = QCoreApplication.translate(
            "AttentionPanel", "Layer {layer}, mean of its {n} heads"
        ).format(layer=view.layer, n=arch.n_head)
    else:
        text = QCoreApplication.translate(
            "AttentionPanel", "Mean of all {n} heads in {layers} layers"
        ).format(n=arch.n_layer * arch.n_head, layers=arch.n_layer)
    window = arch.window_of(view.layer)
    if view.scope is not Scope.ALL_MEAN and window:
        text += QCoreApplication.translate(
            "AttentionPanel", " — a sliding-window layer: each token sees its last {window}"
        ).format(window=window)
    if view.hide_first:
        text += QCoreApplication.translate(
            "AttentionPanel", " — first token hidden, rows renormalised"
        )
    return text
