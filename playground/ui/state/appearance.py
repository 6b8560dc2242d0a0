"""Light and dark themes and a text size for projectors, applied to the whole app."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QWidget

THEMES = ("light", "dark")
DEFAULT_POINTS = 10.0
MIN_POINTS, MAX_POINTS = 7.0, 28.0


def dark_palette() -> QPalette:
    palette = QPalette()
    colors = {
        QPalette.ColorRole.Window: "#2b2d31",
        QPalette.ColorRole.WindowText: "#e8e8e8",
        QPalette.ColorRole.Base: "#1e1f22",
        QPalette.ColorRole.AlternateBase: "#2b2d31",
        QPalette.ColorRole.Text: "#e8e8e8",
        QPalette.ColorRole.Button: "#3a3d42",
        QPalette.ColorRole.ButtonText: "#e8e8e8",
        QPalette.ColorRole.Highlight: "#3d7bd9",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: "#3a3d42",
        QPalette.ColorRole.ToolTipText: "#e8e8e8",
        QPalette.ColorRole.PlaceholderText: "#9a9a9a",
        QPalette.ColorRole.Mid: "#8a8d93",
        QPalette.ColorRole.Link: "#6ea8ff",
    }
    for role, color in colors.items():
        palette.setColor(role, QColor(color))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor("#777"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#777"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor("#777"))
    return palette


def apply_appearance(theme: str, points: float) -> None:
    """Switch every window to `theme` ("light" or "dark") and base text size `points`."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    font = QFont(app.font())
    font.setPointSizeF(min(max(points, MIN_POINTS), MAX_POINTS))
    app.setFont(font)
    # The style after the font: a new style re-polishes every widget, which is when a
    # combo box or spin box forgets the sizes it measured under the old font and a widget
    # with a style sheet takes the new one (before, the window stayed as wide as 16 pt
    # text had made it after presenter mode).
    app.setStyle("Fusion")  # the same look on every desktop, and it follows the palette
    app.setPalette(dark_palette() if theme == "dark" else app.style().standardPalette())


def measure_widgets_again() -> None:
    """After a change of text size, once its events have run. Qt measures a layout's
    nested rows again when it activates the layout: for a hidden widget (a panel behind a
    curtain, a tab behind another) not until it is shown, and for one on screen only when
    its posted request comes, after the window has taken its size from the old sizes. A
    combo or spin box keeps the minimum size of the old font until a style change. Here
    every layout is measured, each child before its parent, so the window's own minimum
    is the new text's. Call once the widgets are back in place."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return

    def depth(widget: QWidget) -> int:
        n = 0
        while (widget := widget.parentWidget()) is not None:
            n += 1
        return n

    widgets = app.allWidgets()
    for widget in widgets:
        if isinstance(widget, (QComboBox, QAbstractSpinBox)):
            QApplication.sendEvent(widget, QEvent(QEvent.Type.StyleChange))
    for widget in sorted(widgets, key=depth, reverse=True):
        layout = widget.layout()
        if layout is not None:
            layout.invalidate()
            layout.activate()


class Appearance(QObject):
    """The theme and text size the whole app is drawn with (stored in the settings)."""

    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._theme = "light"
        self._points = DEFAULT_POINTS

    @property
    def theme(self) -> str:
        return self._theme

    @property
    def text_points(self) -> float:
        return self._points

    def set(self, theme: str | None = None, points: float | None = None) -> None:
        """Change either (an unknown theme is the light one, the size is clamped) and
        apply it to every window."""
        if theme is not None:
            self._theme = theme if theme in THEMES else "light"
        if points is not None:
            self._points = min(max(float(points), MIN_POINTS), MAX_POINTS)
        apply_appearance(self._theme, self._points)
        self.changed.emit()

    def to_dict(self) -> dict[str, Any]:
        return {"theme": self._theme, "text_points": self._points}
