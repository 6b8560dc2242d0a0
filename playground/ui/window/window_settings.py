"""What the window keeps between runs (QSettings): its geometry and dock layout, the
sampler, the number of candidates shown, the text size and theme, and the prompt. A value
that cannot be used is replaced by its default, and the status line says so."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray

from playground.engine.sampling.distribution import SamplingSettings
from playground.ui.state.appearance import DEFAULT_POINTS, MAX_POINTS, MIN_POINTS
from playground.ui.state.settings import STORED_SAMPLING_RANGES, SettingsReader, app_settings

DEFAULT_PROMPT = "The cat sat on the"
STATE_VERSION = 2  # (2: the Quiz beside Tokenization; a saved layout of 1 is not used)


def restore_window_settings(window: Any) -> None:  # the MainWindow (which imports this)
    """The window's size, dock layout, sampler, text size, theme and prompt as last kept
    (a window that keeps nothing: the defaults)."""
    if not window.persist:
        window.appearance.set()  # the default look (not the platform's font size)
        window.session.set_prompt(DEFAULT_PROMPT)
        return
    settings = window.settings
    assert settings is not None
    values = SettingsReader(settings)
    geometry = settings.value("window/geometry")
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    else:  # the first start: 1400 x 900, or the whole screen of a smaller one
        available = window.screen().availableGeometry()
        window.resize(min(1400, available.width()), min(900, available.height()))
    state = settings.value("window/state")
    if isinstance(state, QByteArray):
        window._restored_layout = window.restoreState(state, STATE_VERSION)
        window._set_docks_visible(False)
    stored = {
        key: values.number(f"sampling/{key}", default, *STORED_SAMPLING_RANGES[key])
        for key, default in SamplingSettings().to_dict().items()
    }
    window.session.set_sampling(SamplingSettings.from_dict(stored))
    window.session.set_top_n(int(values.number("view/top_n", 15, 3, 60)))
    window.appearance.set(
        points=values.number("view/text_points", DEFAULT_POINTS, MIN_POINTS, MAX_POINTS)
    )
    window.set_theme(values.text("view/theme", "light"))
    window.session.set_prompt(values.text("session/prompt", DEFAULT_PROMPT))
    if values.rejected and window.settings_problem is None:
        window.settings_problem = (
            f"Unusable values in the settings file ({', '.join(values.rejected)}): "
            "their defaults are used."
        )
    window.status_line.settings_problem = window.settings_problem
    window.status_line.update()


def save_window_settings(window: Any) -> None:
    if not window.persist:
        return
    settings = app_settings()
    settings.setValue("window/geometry", window.saveGeometry())
    if window.pages.currentIndex() == 1:
        settings.setValue("window/state", window.saveState(STATE_VERSION))
    for key, value in window.session.sampling.to_dict().items():
        settings.setValue(f"sampling/{key}", value)
    settings.setValue("view/top_n", window.session.top_n)
    for key, value in window.appearance.to_dict().items():
        settings.setValue(f"view/{key}", value)
    settings.setValue("session/prompt", window.session.prompt)
    settings.sync()
