"""The interface's language: English (the source) or a translation compiled from
`resources/i18n/*.ts` (Qt Linguist files) to `.qm`, chosen in View > Language or, until
one is chosen, from the system's language. Token texts are never translated: they are
the model's, not the interface's."""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QSettings, QTranslator
from PySide6.QtWidgets import QApplication

from playground.resources import resources_dir

LANGUAGES = {"en": "English", "es": "Español"}  # code -> its own name
SETTING = "view/language"
_installed: list[QTranslator] = []  # (kept alive while installed)


def translations_dir():
    return resources_dir() / "i18n"


def chosen_language(settings: QSettings | None = None) -> str:
    """The language in the settings; else the system's, if there is a translation of it."""
    stored = settings.value(SETTING) if settings is not None else None
    if isinstance(stored, str) and stored in LANGUAGES:
        return stored
    system = QLocale.system().name().split("_")[0]
    return system if system in LANGUAGES else "en"


def install_language(code: str) -> bool:
    """Translate every widget made from now on into `code` (Qt's own dialogs too); False
    when there is no compiled translation for it (the interface stays English)."""
    app = QApplication.instance()
    if app is None:
        return False
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if code == "en":
        return True
    ours = QTranslator()
    if not ours.load(str(translations_dir() / f"playground_{code}.qm")):
        return False
    qt_own = QTranslator()  # the buttons of message boxes and file dialogs
    if qt_own.load(f"qtbase_{code}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_own)
        _installed.append(qt_own)
    app.installTranslator(ours)
    _installed.append(ours)
    return True
