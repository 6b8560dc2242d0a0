"""Run by test_presenter.py in its own process, with two offscreen screens (a laptop and
a 1280 x 720 projector): presenter mode on lesson 1's quiz, driven by the keyboard alone.
Prints what it saw as JSON; with an argument, saves screenshots into that folder."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from window_harness import offscreen_window, run_for, run_until


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    _, window = offscreen_window((1200, 700))
    session, quiz, presenter = window.session, window.quiz.quiz, window.classroom.presenter
    window.lessons.apply(0)
    run_until(lambda: session.analysis_is_current and session.selected_token is not None)
    seen: dict[str, object] = {"screen_before": window.screen().name()}

    def key(k: Qt.Key) -> None:
        QTest.keyClick(QApplication.focusWidget() or window, k)
        run_for(0.2)

    key(Qt.Key.Key_F5)
    notes = presenter.notes
    seen |= {
        "active": presenter.active,
        "window_screen": window.screen().name(),
        "window_size": [window.width(), window.height()],
        "notes_screen": notes.screen().name() if notes is not None else None,
        "notes_text": notes.notes.text() if notes is not None else "",
        "docks": sorted(k for k, d in window.docks.items() if d.isVisible()),
        "points": window.appearance.text_points,
        "curtained": window.docks["next_token"].widget().closed,
    }
    for guess in ("mat", "floor"):
        QTest.keyClicks(QApplication.focusWidget(), guess)
        key(Qt.Key.Key_Return)
    seen["guesses"] = list(quiz.guesses)
    if out is not None:
        window.grab().save(str(out / "presenter-quiz-before.png"))
    key(Qt.Key.Key_Space)
    run_until(lambda: quiz.result is not None)
    run_for(0.3)
    seen["revealed"] = quiz.result.answer_value
    seen["curtained_after"] = window.docks["next_token"].widget().closed
    chart = window.docks["next_token"].widget()
    seen["chart_scrolls"] = chart.scroll.verticalScrollBar().maximum()  # (the chart shrinks)
    table = window.quiz.table
    header = table.horizontalHeader()
    seen["cut_columns"] = [  # a guess, a number or a heading shown narrower than it is
        c
        for c in range(table.columnCount())
        if header.sectionSize(c) < max(table.sizeHintForColumn(c), header.sectionSizeHint(c)) - 1
    ]
    if out is not None:
        window.grab().save(str(out / "presenter-quiz-after.png"))
        presenter.notes.grab().save(str(out / "presenter-notes.png"))
    key(Qt.Key.Key_Right)
    run_until(lambda: session.analysis_is_current)
    seen["step_after_right"] = [window.lessons.current, window.lessons.step_index]
    key(Qt.Key.Key_Left)
    seen["step_after_left"] = [window.lessons.current, window.lessons.step_index]
    misfits = []  # every built-in step, full screen, within the projector
    for i, lesson in enumerate(window.lessons.lessons):
        for j in range(len(lesson.steps)):
            window.lessons.apply(i, j)
            run_until(lambda: session.analysis_is_current, timeout=120)
            run_for(0.1)
            least = window.minimumSizeHint()
            if not window.isFullScreen() or least.width() > 1280 or least.height() > 720:
                misfits.append([i + 1, j + 1, least.width(), least.height()])
            if out is not None and (i, j) == (3, 0):  # the attention quiz, revealed
                for guess in ("animal", "road"):
                    quiz.add_guess(guess)
                window.classroom.controller.reveal()
                run_for(0.3)
                window.grab().save(str(out / "presenter-attention-quiz.png"))
    seen["misfits"] = misfits
    key(Qt.Key.Key_Escape)
    seen |= {
        "active_after_esc": presenter.active,
        "points_after_esc": window.appearance.text_points,
        "notes_after_esc": presenter.notes is not None,
        "menu_bar_after_esc": window.menuBar().isVisible(),
        "generating_after_esc": session.generating,
    }
    print(json.dumps(seen))
    window.close()


if __name__ == "__main__":
    main()
