"""Presenter mode: full screen with the step's panels, the keyboard alone (arrows step,
Space reveals, Esc leaves and gives the window back as it was); on two screens the panels
go to the projector and the notes stay on the laptop."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox

from playground.ui.state.appearance import measure_widgets_again
from playground.ui.window.presenter import PRESENTER_POINTS
from tests.patience import patience
from tests.ui.conftest import wait_for_analysis

pytestmark = pytest.mark.real_model
ROOT = Path(__file__).resolve().parents[2]


def _key(qtbot, window, key) -> None:
    qtbot.keyClick(QApplication.focusWidget() or window, key)


def test_one_screen_keyboard_only_and_esc_restores_the_window(make_window, qtbot):
    window = make_window(persist=False)
    presenter, lessons, quiz = window.classroom.presenter, window.lessons, window.quiz.quiz
    lessons.apply(3)  # attention, its quiz first
    wait_for_analysis(qtbot, window)
    qtbot.waitUntil(lambda: window.session.selected_token is not None)
    before = {k: d.isVisible() for k, d in window.docks.items()}
    points, size = window.appearance.text_points, window.size()
    boxes = window.findChildren(QComboBox) + window.findChildren(QAbstractSpinBox)

    def box_sizes() -> list[tuple[int, int, int, int]]:
        hints = [(b.sizeHint(), b.minimumSizeHint()) for b in boxes]
        return [(s.width(), s.height(), m.width(), m.height()) for s, m in hints]

    measure_widgets_again()  # (the desk's sizes, each box measured under its text)
    desk_boxes = box_sizes()
    _key(qtbot, window, Qt.Key.Key_F5)
    assert presenter.active and window.isFullScreen() and not window.menuBar().isVisible()
    visible = {k for k, d in window.docks.items() if d.isVisible()}
    assert visible == {"attention", "tokenization", "quiz", "lesson"}  # one screen: words too
    assert window.appearance.text_points >= PRESENTER_POINTS > 1.5 * points
    grey_note = window.attention.overview_caption  # (a label with a style sheet)
    assert grey_note.font().pointSizeF() == window.appearance.text_points
    assert QApplication.focusWidget() is window.quiz.guess
    qtbot.keyClicks(window.quiz.guess, "the animal")  # a space inside a guess is typed
    _key(qtbot, window, Qt.Key.Key_Return)
    _key(qtbot, window, Qt.Key.Key_Space)  # the field is empty: Space reveals
    assert quiz.guesses == ["the animal"] and quiz.result is not None
    _key(qtbot, window, Qt.Key.Key_Right)
    wait_for_analysis(qtbot, window)
    assert (lessons.current, lessons.step_index) == (3, 1) and quiz.kind is None
    assert {k for k, d in window.docks.items() if d.isVisible()} == {"attention", "lesson"}
    _key(qtbot, window, Qt.Key.Key_PageDown)  # a clicker's key: on into the next lesson
    wait_for_analysis(qtbot, window)
    assert (lessons.current, lessons.step_index) == (4, 0)
    _key(qtbot, window, Qt.Key.Key_Left)
    assert (lessons.current, lessons.step_index) == (3, 1)
    _key(qtbot, window, Qt.Key.Key_Escape)
    assert not presenter.active and not window.isFullScreen() and window.menuBar().isVisible()
    assert window.appearance.text_points == points == grey_note.font().pointSizeF()
    after = before | {"quiz": False}  # stepped on past the quiz: the Quiz dock closes
    qtbot.waitUntil(lambda: {k: d.isVisible() for k, d in window.docks.items()} == after)
    # the desk's size again, not held wider by sizes measured under the projector's text
    qtbot.waitUntil(lambda: window.size() == size, timeout=patience(5_000))
    # combo and spin boxes measured again under the desk's text (they cache their sizes)
    assert box_sizes() == desk_boxes


def test_two_screens_panels_on_the_projector_notes_on_the_laptop(tmp_path):
    config = tmp_path / "screens.json"
    screen = {"y": 0, "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
    config.write_text(
        json.dumps(
            {
                "screens": [
                    {**screen, "name": "laptop", "x": 0, "width": 1366, "height": 768},
                    {**screen, "name": "projector", "x": 1366, "width": 1280, "height": 720},
                ]
            }
        )
    )
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "ui" / "presenter_two_screens.py")],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=patience(600_000) / 1000,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["screen_before"] == "laptop" and seen["active"]
    assert seen["window_screen"] == "projector" and seen["window_size"] == [1280, 720]
    assert seen["notes_screen"] == "laptop" and "Quiz (hidden)" in seen["notes_text"]
    assert seen["docks"] == ["next_token", "quiz", "tokenization"]  # the words: on the laptop
    assert seen["curtained"] and not seen["curtained_after"]
    assert seen["guesses"] == ["mat", "floor"] and seen["revealed"] == " cat"
    assert seen["chart_scrolls"] == 0 and seen["cut_columns"] == []
    assert seen["step_after_right"] == [0, 1] and seen["step_after_left"] == [0, 0]
    assert seen["misfits"] == []  # every built-in step fits a 1280 x 720 projector
    assert not seen["active_after_esc"] and not seen["notes_after_esc"]
    assert seen["points_after_esc"] == 10.0 and seen["menu_bar_after_esc"]
    assert not seen["generating_after_esc"]  # Esc left presenter mode, nothing else
