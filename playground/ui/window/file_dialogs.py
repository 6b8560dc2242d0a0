"""The file dialogs of the File menu: where to export a panel, save or open a session."""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDockWidget, QFileDialog, QStatusBar, QWidget

from playground.engine.errors import PlaygroundError
from playground.ui.window.session_file import SESSION_SUFFIX


class DialogOwner(Protocol):
    docks: dict[str, QDockWidget]

    def export_panel(self, key: str, path: Path) -> Path: ...
    def save_session_file(self, path: Path) -> Path: ...
    def open_session_file(self, path: Path) -> list[str]: ...
    def show_error(self, title: str, text: str) -> None: ...
    def statusBar(self) -> QStatusBar: ...


def choose_export(window: DialogOwner, key: str, picture: bool) -> None:
    assert isinstance(window, QWidget)
    title = window.docks[key].windowTitle()
    filters = (
        QCoreApplication.translate("FileDialogs", "PNG picture (*.png);;SVG drawing (*.svg)")
        if picture
        else QCoreApplication.translate("FileDialogs", "CSV table (*.csv);;JSON (*.json)")
    )
    default = Path.home() / f"{key.replace('_', '-')}.{'png' if picture else 'csv'}"
    caption = QCoreApplication.translate("FileDialogs", "Export {title}").format(title=title)
    path, chosen = QFileDialog.getSaveFileName(window, caption, str(default), filters)
    if not path:
        return
    target = Path(path)
    if not target.suffix:
        target = target.with_suffix("." + chosen.split("*.")[-1].rstrip(")"))
    try:
        saved = window.export_panel(key, target)
    except PlaygroundError as error:
        window.show_error(QCoreApplication.translate("FileDialogs", "Could not export"), str(error))
        return
    window.statusBar().showMessage(
        QCoreApplication.translate("FileDialogs", "Saved {path}").format(path=saved), 5000
    )


def choose_session_to_save(window: DialogOwner) -> None:
    assert isinstance(window, QWidget)
    path, _ = QFileDialog.getSaveFileName(
        window,
        QCoreApplication.translate("FileDialogs", "Save session"),
        str(Path.home() / f"session{SESSION_SUFFIX}"),
        QCoreApplication.translate("FileDialogs", "LLM Playground sessions (*{suffix})").format(
            suffix=SESSION_SUFFIX
        ),
    )
    if path:
        try:
            saved = window.save_session_file(Path(path))
        except PlaygroundError as error:
            window.show_error(
                QCoreApplication.translate("FileDialogs", "Could not save the session"), str(error)
            )
            return
        window.statusBar().showMessage(
            QCoreApplication.translate("FileDialogs", "Saved {path}").format(path=saved), 5000
        )


def choose_session_to_open(window: DialogOwner) -> None:
    assert isinstance(window, QWidget)
    path, _ = QFileDialog.getOpenFileName(
        window,
        QCoreApplication.translate("FileDialogs", "Open session"),
        str(Path.home()),
        QCoreApplication.translate("FileDialogs", "LLM Playground sessions (*{suffix})").format(
            suffix=SESSION_SUFFIX
        ),
    )
    if path:
        try:
            notes = window.open_session_file(Path(path))
        except PlaygroundError as error:
            window.show_error(
                QCoreApplication.translate("FileDialogs", "Could not open the session"),
                QCoreApplication.translate("FileDialogs", "{error}\n\nNothing changed.").format(
                    error=error
                ),
            )
            return
        if notes:
            window.show_error(
                QCoreApplication.translate("FileDialogs", "Session opened, with a difference"),
                "\n\n".join(notes),
            )
