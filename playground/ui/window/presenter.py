"""Presenter mode (F5): the window full screen with only the step's one or two panels (and
the quiz, on a quiz step), text for the back of the room, and the keyboard alone: arrows
or a clicker's page keys step, Space reveals, Esc leaves. With two screens the panels go
to the other screen (the projector) and the notes stay on the one the window was on."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QEvent, QObject, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QScreen
from PySide6.QtWidgets import QApplication, QLineEdit, QMainWindow

from playground.ui.panels.quiz.quiz_panel import QuizPanel
from playground.ui.state.appearance import Appearance, measure_widgets_again
from playground.ui.state.quiz import QuizState
from playground.ui.widgets.curtain import Curtained
from playground.ui.window.lesson_controller import LessonController
from playground.ui.window.presenter_notes import PresenterNotes

QWIDGETSIZE_MAX = 16777215
PRESENTER_POINTS = 16.0  # the smallest text size in presenter mode
DEFAULT_PANELS = ("tokenization", "next_token")  # shown when no lesson is open
_NEXT = (Qt.Key.Key_Right, Qt.Key.Key_Down, Qt.Key.Key_PageDown)
_PREVIOUS = (Qt.Key.Key_Left, Qt.Key.Key_Up, Qt.Key.Key_PageUp)
_KEYS = (*_NEXT, *_PREVIOUS, Qt.Key.Key_Space, Qt.Key.Key_Escape)


def choose_screens(screens: list[QScreen], current: QScreen) -> tuple[QScreen, QScreen | None]:
    """(the screen the panels fill, the screen for the notes or None): with two screens or
    more, the panels go to one the window is not on and the notes stay where it was."""
    others = [screen for screen in screens if screen is not current]
    return (others[0], current) if others else (current, None)


@dataclass
class _Saved:
    state: QByteArray
    geometry: QRect  # (its rectangle: restoreGeometry() after full screen gave another size)
    points: float
    maximized: bool


class Presenter(QObject):
    changed = Signal()  # entered or left

    def __init__(
        self,
        window: QMainWindow,
        lessons: LessonController,
        quiz: QuizState,
        appearance: Appearance,
        reveal: object,  # () -> None: the quiz's Reveal
        quiz_panel: QuizPanel,
    ) -> None:
        super().__init__(window)
        self.window, self.lessons, self.quiz, self.appearance = window, lessons, quiz, appearance
        self.reveal, self.quiz_panel = reveal, quiz_panel
        self.notes: PresenterNotes | None = None
        self._saved: _Saved | None = None
        lessons.step_shown.connect(self._on_step)
        quiz.changed.connect(self._on_quiz)

    @property
    def active(self) -> bool:
        return self._saved is not None

    def toggle(self) -> None:
        if self.active:
            self.leave()
        else:
            self.enter()

    def enter(self, screens: list[QScreen] | None = None) -> None:
        if self.active:
            return
        window = self.window
        self._saved = _Saved(
            window.saveState(),
            window.normalGeometry() if window.isMaximized() else window.geometry(),
            self.appearance.text_points,
            window.isMaximized(),
        )
        self.appearance.set(points=max(self.appearance.text_points, PRESENTER_POINTS))
        prompt = window.centralWidget()  # the prompt: two lines of it, the panels below
        prompt.setMaximumHeight(prompt.fontMetrics().lineSpacing() * 4 + 24)
        window.menuBar().hide()
        window.statusBar().hide()
        self.quiz_panel.hide_row.hide()
        self.lessons.arranges_docks = False
        self._squeeze(True)
        current = window.screen()
        projector, laptop = choose_screens(screens or QGuiApplication.screens(), current)
        if laptop is not None:
            self.notes = PresenterNotes(self.lessons, self.quiz)
            self.notes.setGeometry(laptop.availableGeometry())
            self.notes.showMaximized()
        handle = window.windowHandle()
        if handle is not None:
            handle.setScreen(projector)
        window.setGeometry(projector.geometry())
        window.showFullScreen()
        self._arrange()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self.changed.emit()

    def leave(self) -> None:
        saved, self._saved = self._saved, None
        if saved is None:
            return
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        if self.notes is not None:
            self.notes.close()
            self.notes.deleteLater()
            self.notes = None
        window = self.window
        window.showNormal()
        # the desk's text size and widgets first: restored under 16 pt text, the docks'
        # minimum sizes would push the window past its old size and off the screen
        self.appearance.set(points=saved.points)
        self._squeeze(False)
        window.centralWidget().setMaximumHeight(QWIDGETSIZE_MAX)
        window.menuBar().show()
        window.statusBar().show()
        self.quiz_panel.hide_row.show()
        self._restore(saved)
        # again once the text size's events have run: until then the widgets hidden while
        # presenting keep the projector's sizes and hold the window wider than the screen
        QTimer.singleShot(0, lambda: self._restore(saved, measure=True))
        self.lessons.arranges_docks = True
        self.changed.emit()

    def _restore(self, saved: _Saved, measure: bool = False) -> None:
        if self.active:
            return  # (F5 again in between)
        window = self.window
        if measure:
            measure_widgets_again()
            window.layout().invalidate()
            window.layout().activate()  # (the window's minimum from those sizes, now)
        window.setGeometry(saved.geometry)
        if saved.maximized:
            window.showMaximized()
        window.restoreState(saved.state)
        if self.quiz.kind is None and self.lessons.shown_step is not None:
            self.lessons.docks["quiz"].hide()  # (stepped on past the quiz while presenting)
        if measure and not saved.maximized and window.geometry() != saved.geometry:
            window.layout().activate()  # (a dock shown again by the state, measured)
            window.setGeometry(saved.geometry)

    def _squeeze(self, squeezable: bool) -> None:
        for dock in self.lessons.docks.values():
            if isinstance(dock.widget(), Curtained):
                dock.widget().set_squeezable(squeezable)

    def shown_panels(self) -> tuple[str, ...]:
        """The dock keys on screen in presenter mode, the step's panels first."""
        step = self.lessons.shown_step
        panels = list(step.panels if step is not None else DEFAULT_PANELS)
        if self.quiz.kind is not None:
            panels.append("quiz")
        if self.notes is None and step is not None:
            panels.append("lesson")  # one screen: the step's words beside the panels
        return tuple(panels)

    def _arrange(self) -> None:
        """The step's first panel on the left, the full height under the prompt; the
        second panel, the quiz and (on one screen) the lesson's words stacked on the right.
        (Leaving restores the window's own arrangement.)"""
        window, docks = self.window, self.lessons.docks
        shown = self.shown_panels()
        for key, dock in docks.items():
            if key not in shown:
                dock.hide()
        main, *side = (docks[key] for key in shown)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, main)
        above = None
        for dock in side:
            dock.setFloating(False)
            if above is None:
                window.splitDockWidget(main, dock, Qt.Orientation.Horizontal)
            else:
                window.splitDockWidget(above, dock, Qt.Orientation.Vertical)
            above = dock
        for key in shown:
            docks[key].show()
        if side:  # the main panel as wide as it asks, within 60-70 % of the screen
            width, height = window.width(), window.height()
            content = main.widget()
            wanted = (
                content.panel if isinstance(content, Curtained) else content
            ).minimumSizeHint()
            share = min(max(wanted.width() / max(width, 1), 0.6), 0.7)
            window.resizeDocks(
                [main, side[0]],
                [int(width * share), int(width * (1 - share))],
                Qt.Orientation.Horizontal,
            )
            small = {"tokenization": 0.34, "lesson": 0.3}  # the quiz's table gets the rest
            shares = [small.get(key, 0.0) for key in shown[1:]]
            rest = (1 - sum(shares)) / max(shares.count(0.0), 1)
            window.resizeDocks(
                side, [int(height * (f or rest)) for f in shares], Qt.Orientation.Vertical
            )
        if self.quiz.hidden:
            self.quiz_panel.guess.setFocus()
        if self.notes is not None:
            self.notes.refresh()
        QTimer.singleShot(0, self._keep_full_screen)

    def _on_step(self) -> None:
        if self.active:
            self._arrange()

    def _on_quiz(self) -> None:
        if self.active and self.notes is not None:
            self.notes.refresh()
        if self.active:
            QTimer.singleShot(0, self._keep_full_screen)

    def _keep_full_screen(self) -> None:
        """(A layout change may take a window out of full screen on some platforms.)"""
        if self.active and not self.window.isFullScreen():
            self.window.showFullScreen()

    # --- the keyboard -------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return False
        assert isinstance(event, QKeyEvent)
        key = event.key()
        if key not in _KEYS or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        focus = QApplication.focusWidget()
        typing = isinstance(focus, QLineEdit) and bool(focus.text())
        if typing and key != Qt.Key.Key_Escape:
            return False  # the keys edit a guess being typed
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # ours, not a menu shortcut's (Esc also stops generating)
            return True
        if event.isAutoRepeat():
            return True
        if key == Qt.Key.Key_Escape:
            self.leave()
        elif key == Qt.Key.Key_Space:
            if self.quiz.hidden:
                self.reveal()  # type: ignore[operator]
        elif key in _NEXT:
            self.lessons.walk(1)
        else:
            self.lessons.walk(-1)
        return True
