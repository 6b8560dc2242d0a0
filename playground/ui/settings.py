"""Where the window keeps its layout and control values between runs (QSettings)."""

from __future__ import annotations

from PySide6.QtCore import QSettings

ORGANIZATION = "llm-playground"
APPLICATION = "playground"


def app_settings() -> QSettings:
    return QSettings(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
    )


def read_float(settings: QSettings, key: str, default: float, low: float, high: float) -> float:
    """A stored number, or `default` if it is missing, damaged or out of range."""
    try:
        value = float(settings.value(key, default))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return default
    return value if low <= value <= high else default
