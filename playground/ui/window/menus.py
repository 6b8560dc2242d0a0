"""The window's menus: File (models, sessions, export), Lessons, Generate, View, Help."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMenu, QMenuBar

from playground.ui.language import LANGUAGES
from playground.ui.state.appearance import DEFAULT_POINTS, THEMES
from playground.ui.state.session import Session
from playground.ui.window.device_menu import add_device_menu

THEME_NAMES = {
    "light": QT_TRANSLATE_NOOP("Menus", "Light theme"),
    "dark": QT_TRANSLATE_NOOP("Menus", "Dark theme"),
}


class MenuOwner(Protocol):
    """What the menus act on (the main window)."""

    session: Session
    docks: dict[str, QDockWidget]

    @property
    def text_points(self) -> float: ...

    def menuBar(self) -> QMenuBar: ...

    device_actions: dict[str, QAction]

    def choose_model_file(self) -> None: ...
    def open_model(self, source: object) -> None: ...
    def choose_session_to_open(self) -> None: ...
    def choose_session_to_save(self) -> None: ...
    def choose_export(self, key: str, picture: bool) -> None: ...
    def close(self) -> bool: ...
    def set_theme(self, theme: str) -> None: ...
    def set_text_size(self, points: float) -> None: ...
    def set_language(self, code: str) -> None: ...

    language: str

    def show_about(self) -> None: ...


def build_menus(window: MenuOwner, lessons_menu: QMenu) -> dict[str, QAction]:
    """Fill the window's menu bar; return the theme actions (checked as the theme changes)."""
    bar = window.menuBar()
    file_menu = bar.addMenu(QCoreApplication.translate("Menus", "&File"))
    _add_action(
        file_menu,
        QCoreApplication.translate("Menus", "&Open model…"),
        window.choose_model_file,
        QKeySequence.StandardKey.Open,
        QCoreApplication.translate(
            "Menus", "Open a GGUF file (converted once) or a converted bundle folder."
        ),
    )
    file_menu.addSeparator()
    _add_action(
        file_menu,
        QCoreApplication.translate("Menus", "Open &session…"),
        window.choose_session_to_open,
        "Ctrl+Shift+O",
        QCoreApplication.translate(
            "Menus", "Open a saved session: prompt, settings, branches and layout."
        ),
    )
    _add_action(
        file_menu,
        QCoreApplication.translate("Menus", "&Save session…"),
        window.choose_session_to_save,
        QKeySequence.StandardKey.Save,
        QCoreApplication.translate(
            "Menus", "Save the prompt, the sampler settings, the seed, every branch and the layout."
        ),
    )
    export_menu = file_menu.addMenu(QCoreApplication.translate("Menus", "&Export"))
    for key, dock in window.docks.items():
        if key == "lesson":
            continue
        title = dock.windowTitle()
        _add_action(
            export_menu,
            QCoreApplication.translate("Menus", "{title}: picture (PNG, SVG)…").format(title=title),
            lambda _=False, k=key: window.choose_export(k, picture=True),
        )
        _add_action(
            export_menu,
            QCoreApplication.translate("Menus", "{title}: data (CSV, JSON)…").format(title=title),
            lambda _=False, k=key: window.choose_export(k, picture=False),
        )
    file_menu.addSeparator()
    _add_action(
        file_menu,
        QCoreApplication.translate("Menus", "&Quit"),
        window.close,
        QKeySequence.StandardKey.Quit,
    )

    bar.addMenu(lessons_menu)

    generate_menu = bar.addMenu(QCoreApplication.translate("Menus", "&Generate"))
    session = window.session
    for text, slot, keys, tip in (
        (
            QCoreApplication.translate("Menus", "&Step"),
            session.step,
            "Ctrl+Right",
            QCoreApplication.translate("Menus", "Predict, sample and append one token."),
        ),
        (
            QCoreApplication.translate("Menus", "&Generate"),
            session.generate,
            "Ctrl+Return",
            QCoreApplication.translate("Menus", "Repeat until end of text or the limit."),
        ),
        (
            QCoreApplication.translate("Menus", "S&top"),
            session.stop_generation,
            "Escape",
            QCoreApplication.translate("Menus", "Stop generating."),
        ),
    ):
        _add_action(generate_menu, text, lambda _=False, f=slot: f(), keys, tip)

    view_menu = bar.addMenu(QCoreApplication.translate("Menus", "&View"))
    themes = QActionGroup(bar)
    theme_actions: dict[str, QAction] = {}
    for theme in THEMES:
        action = _add_action(
            view_menu,
            QCoreApplication.translate("Menus", THEME_NAMES[theme]),
            lambda _=False, t=theme: window.set_theme(t),
        )
        action.setCheckable(True)
        themes.addAction(action)
        theme_actions[theme] = action
    view_menu.addSeparator()
    _add_action(
        view_menu,
        QCoreApplication.translate("Menus", "&Larger text"),
        lambda: window.set_text_size(window.text_points + 1),
        "Ctrl+=",
    )
    _add_action(
        view_menu,
        QCoreApplication.translate("Menus", "S&maller text"),
        lambda: window.set_text_size(window.text_points - 1),
        "Ctrl+-",
    )
    _add_action(
        view_menu,
        QCoreApplication.translate("Menus", "&Normal text size"),
        lambda: window.set_text_size(DEFAULT_POINTS),
        "Ctrl+0",
    )
    view_menu.addSeparator()
    language_menu = view_menu.addMenu(QCoreApplication.translate("Menus", "Lan&guage"))
    languages = QActionGroup(bar)
    for code, name in LANGUAGES.items():  # each in its own language
        action = _add_action(language_menu, name, lambda _=False, c=code: window.set_language(c))
        action.setCheckable(True)
        action.setChecked(code == window.language)
        languages.addAction(action)
    view_menu.addSeparator()
    window.device_actions = add_device_menu(view_menu, window)

    help_menu = bar.addMenu(QCoreApplication.translate("Menus", "&Help"))
    _add_action(
        help_menu, QCoreApplication.translate("Menus", "&About LLM Playground"), window.show_about
    )
    return theme_actions


def _add_action(
    menu: QMenu,
    text: str,
    slot: Callable[..., object],
    shortcut: QKeySequence.StandardKey | str | None = None,
    tip: str | None = None,
) -> QAction:
    action = menu.addAction(text)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    action.triggered.connect(slot)
    return action
