"""Where the window keeps its layout and control values between runs (QSettings), and how a
damaged settings file is noticed, set aside and replaced by defaults."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings

ORGANIZATION = "llm-playground"
APPLICATION = "playground"
# the values a stored sampler may hold (the sliders' ranges); others fall back to defaults
STORED_SAMPLING_RANGES = {
    "temperature": (0.0, 2.0),
    "top_k": (0.0, 1e9),
    "top_p": (0.0, 1.0),
    "min_p": (0.0, 1.0),
}


def app_settings() -> QSettings:
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )


def open_checked_settings() -> tuple[QSettings, str | None]:
    """The settings, and a message if the file was damaged.

    A damaged file (Qt cannot parse it, or it holds binary data) is renamed to
    `<name>.damaged` — kept, so nothing is lost — and a fresh, empty file takes its place.
    """
    settings = app_settings()
    path = Path(settings.fileName())
    problem = _file_problem(settings, path)
    if problem is None:
        return settings, None
    kept = path.with_name(path.name + ".damaged")
    try:
        path.replace(kept)
        where = QCoreApplication.translate("Settings", "it was kept as {path}").format(path=kept)
    except OSError as error:
        where = QCoreApplication.translate(
            "Settings", "it could not be set aside ({reason})"
        ).format(reason=error.strerror)
    settings = app_settings()
    return settings, QCoreApplication.translate(
        "Settings", "The settings file {path} is damaged ({problem}); {where}. Defaults are used."
    ).format(path=path, problem=problem, where=where)


def _file_problem(settings: QSettings, path: Path) -> str | None:
    if settings.status() == QSettings.Status.FormatError:
        return QCoreApplication.translate("Settings", "Qt cannot parse it")
    if settings.status() == QSettings.Status.AccessError:
        return QCoreApplication.translate("Settings", "it cannot be read")
    try:
        data = path.read_bytes()
    except OSError:
        return None  # no file yet: nothing to report
    if b"\x00" in data:
        return QCoreApplication.translate("Settings", "it holds binary data")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return QCoreApplication.translate("Settings", "it is not UTF-8 text")
    if data.strip() and not settings.allKeys():
        return QCoreApplication.translate("Settings", "nothing in it could be read")
    return None


class SettingsReader:
    """Reads stored values, falling back to defaults and noting every value it rejects."""

    def __init__(self, settings: QSettings) -> None:
        self.settings = settings
        self.rejected: list[str] = []  # keys whose stored value was unusable

    def number(self, key: str, default: float, low: float, high: float) -> float:
        """A stored number, or `default` if it is missing, damaged or out of range."""
        stored = self.settings.value(key)
        if stored is None:
            return default
        try:
            value = float(stored)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            value = float("nan")
        if low <= value <= high:  # (False for NaN)
            return value
        self.rejected.append(key)
        return default

    def text(self, key: str, default: str) -> str:
        stored = self.settings.value(key)
        if stored is None:
            return default
        if isinstance(stored, str):
            return stored
        self.rejected.append(key)
        return default
