"""The panels' docks: one per panel, titled, arranged around the prompt."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QWidget

from playground.ui.widgets.curtain import Curtained
from playground.ui.widgets.on_screen import OnScreenUpdates

TITLES = {
    "tokenization": QT_TRANSLATE_NOOP("Docks", "Tokenization"),
    "next_token": QT_TRANSLATE_NOOP("Docks", "Next token"),
    "embeddings": QT_TRANSLATE_NOOP("Docks", "Embedding space"),
    "attention": QT_TRANSLATE_NOOP("Docks", "Attention"),
    "generation": QT_TRANSLATE_NOOP("Docks", "Generation"),
    "logit_lens": QT_TRANSLATE_NOOP("Docks", "Logit lens"),
    "attribution": QT_TRANSLATE_NOOP("Docks", "Attribution"),
    "inside_layer": QT_TRANSLATE_NOOP("Docks", "Inside a layer"),
    "sentences": QT_TRANSLATE_NOOP("Docks", "Sentences"),
    "search": QT_TRANSLATE_NOOP("Docks", "Search and RAG"),
    "finetune": QT_TRANSLATE_NOOP("Docks", "Fine-tune"),
    "causal": QT_TRANSLATE_NOOP("Docks", "Causal lab"),
    "lesson": QT_TRANSLATE_NOOP("Docks", "Lesson"),
    "quiz": QT_TRANSLATE_NOOP("Docks", "Quiz"),
}
NEVER_CURTAINED = ("lesson", "quiz")  # the panels a hidden answer leaves open


def add_docks(window: QMainWindow, panels: dict[str, QWidget]) -> dict[str, QDockWidget]:
    """A dock for each panel (by key, in menu order), placed in the window."""
    docks: dict[str, QDockWidget] = {}
    for key, panel in panels.items():
        dock = QDockWidget(QCoreApplication.translate("Docks", TITLES[key]), window)
        dock.setObjectName(f"dock_{key}")  # the name saved layouts refer to
        dock.setWidget(panel if key in NEVER_CURTAINED else Curtained(panel))
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        docks[key] = dock
        if isinstance(panel, OnScreenUpdates):
            dock.visibilityChanged.connect(panel.set_on_screen)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, docks["next_token"])
    window.splitDockWidget(docks["next_token"], docks["lesson"], Qt.Orientation.Vertical)
    window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, docks["tokenization"])
    window.splitDockWidget(docks["tokenization"], docks["embeddings"], Qt.Orientation.Vertical)
    # The quiz beside the tokens, not under the chart and the lesson: there the revealed
    # chart got 80 px. (Split before tabifying: splitting a tabbed dock only adds a tab.)
    window.splitDockWidget(docks["tokenization"], docks["quiz"], Qt.Orientation.Horizontal)
    # The two big panels share the bottom as tabs, each with the full width; drag a tab
    # out to see both at once.
    window.tabifyDockWidget(docks["embeddings"], docks["attention"])
    window.tabifyDockWidget(docks["attention"], docks["logit_lens"])
    window.tabifyDockWidget(docks["logit_lens"], docks["attribution"])
    window.tabifyDockWidget(docks["attribution"], docks["inside_layer"])
    window.tabifyDockWidget(docks["inside_layer"], docks["sentences"])
    window.tabifyDockWidget(docks["sentences"], docks["search"])
    window.tabifyDockWidget(docks["search"], docks["finetune"])
    window.tabifyDockWidget(docks["finetune"], docks["causal"])
    window.tabifyDockWidget(docks["tokenization"], docks["generation"])
    docks["tokenization"].raise_()
    return docks


def curtains(docks: dict[str, QDockWidget]) -> dict[str, Curtained]:
    """The curtain in front of each panel that can hide an answer, by dock key."""
    return {k: d.widget() for k, d in docks.items() if isinstance(d.widget(), Curtained)}


def apply_default_layout(window: QMainWindow, docks: dict[str, QDockWidget]) -> None:
    """Prompt on top, tokens below it, next token on the right, the rest at the bottom."""
    width, height = window.width(), window.height()
    window.resizeDocks([docks["next_token"]], [int(width * 0.28)], Qt.Orientation.Horizontal)
    window.resizeDocks(
        [docks["tokenization"], docks["embeddings"]],
        [int(height * 0.2), int(height * 0.58)],
        Qt.Orientation.Vertical,
    )
    docks["embeddings"].raise_()
    docks["tokenization"].raise_()


def make_room_for_quiz(window: QMainWindow, docks: dict[str, QDockWidget]) -> None:
    """The Quiz beside Tokenization gets the height of its table and half the width."""
    tokens = docks["tokenization"]
    if docks["quiz"].isFloating() or tokens.isFloating():
        return
    right = docks["next_token"]
    width = window.width() - (right.width() if right.isVisible() else 0)
    height = window.height()
    window.resizeDocks(
        [tokens, docks["quiz"]],
        [int(width * 0.55), int(width * 0.45)],
        Qt.Orientation.Horizontal,
    )
    window.resizeDocks(
        [tokens, docks["embeddings"]],
        [int(height * 0.42), int(height * 0.4)],
        Qt.Orientation.Vertical,
    )
