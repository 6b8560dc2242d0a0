"""The second language: every string of the interface and of the built-in lessons goes
through Qt's translation system, the Spanish translation is complete and compiled, and a
walk over the window in Spanish finds no English left (token texts stay as they are)."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDockWidget,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QTableWidget,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from playground.ui.language import install_language, translations_dir
from tests.ui.conftest import wait_for_analysis

ROOT = Path(__file__).resolve().parents[2]
# Words a Spanish interface never has; a text with one of them was left in English.
ENGLISH = {
    "the", "and", "of", "to", "with", "from", "this", "that", "is", "are", "each", "every",
    "click", "type", "show", "hide", "open", "save", "layer", "next", "previous", "which",
    "what", "how", "into", "its", "not", "by", "on", "for", "your", "you", "when",
    "choose", "pick", "loading", "model", "here", "there", "only", "than", "it",
}  # fmt: skip


def test_the_translations_are_complete_and_compiled():
    """No string in the code or the lessons is missing from the .ts files or untranslated,
    and the .qm the app loads is compiled from them."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "update_translations.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


def _sources_and_translations() -> tuple[set[str], set[str]]:
    sources, translations = set(), set()
    for path in translations_dir().glob("*_es.ts"):
        for message in ET.parse(path).getroot().iter("message"):
            source, translation = message.findtext("source"), message.findtext("translation")
            if source and translation and source != translation:
                sources.add(source)
                translations.add(translation)
    return sources, translations


def _plain(text: str) -> str:
    text = re.sub(r"<span style=\"background[^>]*>.*?</span>", " ", text)  # coloured tokens
    text = re.sub(r"\S+ ↔ \S+", " ", text)  # pairs of the sentences' words
    text = re.sub(r"<[^>]+>", " ", text).replace("&", "")  # tags; accelerators
    return re.sub(r"(['\"“‘]).*?(['\"”’])|·\S+", " ", text)  # quoted token texts


def _texts(window) -> list[tuple[str, str]]:
    """(where, text) for every text on screen: widgets, tooltips, placeholders, tab and
    dock titles, table headers, menus and their actions."""
    found: list[tuple[str, str]] = []

    def add(widget: QWidget, text: str) -> None:
        if text:
            found.append((f"{type(widget).__name__} {widget.objectName()}", text))

    for widget in window.findChildren(QWidget):
        if not widget.isVisible() and not isinstance(widget, QMenu):
            continue
        add(widget, widget.toolTip())
        if isinstance(widget, (QLabel, QAbstractButton)):
            add(widget, widget.text())
        if isinstance(widget, (QLineEdit, QTextEdit)):
            add(widget, widget.placeholderText())  # (their text is the user's)
        if isinstance(widget, QGroupBox):
            add(widget, widget.title())
        if isinstance(widget, QDockWidget):
            add(widget, widget.windowTitle())
        if isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                add(widget, widget.tabText(i))
        if isinstance(widget, QComboBox):
            for i in range(widget.count()):
                add(widget, widget.itemText(i))
        if isinstance(widget, QTableWidget):
            for c in range(widget.columnCount()):
                header = widget.horizontalHeaderItem(c)
                add(widget, header.text() if header is not None else "")
        if isinstance(widget, QMenu):
            add(widget, widget.title())
            for action in widget.actions():
                add(widget, action.text())
                add(widget, action.toolTip() if action.toolTip() != action.text() else "")
    return found


@pytest.fixture
def spanish():
    assert install_language("es")
    yield
    install_language("en")


@pytest.mark.real_model
def test_the_window_in_spanish_has_no_english_left(spanish, make_window, qtbot):
    window = make_window(persist=False, prompt="1 2 3 4")  # token texts without words
    sources, _ = _sources_and_translations()
    assert window.menuBar().actions()[0].text() == "&Archivo"
    assert window.docks["next_token"].windowTitle() == "Siguiente token"
    window.lessons.apply(0)  # a lesson's words and its quiz, in Spanish too
    wait_for_analysis(qtbot, window)
    assert window.lesson_panel.title.text() == "Predicción del siguiente token"
    left: set[tuple[str, str]] = set()
    for key in window.docks:  # every panel, brought to the front in turn
        window.show_panel(key)
        wait_for_analysis(qtbot, window)
        for where, text in _texts(window):
            words = set(re.findall(r"[A-Za-z]+", _plain(text).lower()))
            if text in sources or words & ENGLISH:
                left.add((where, text))
    assert not left, "\n".join(sorted(f"{w}: {t!r}" for w, t in left))
