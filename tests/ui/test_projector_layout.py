"""A window that holds up on a projector: at 1280 x 720 and at 1920 x 1080, after a long
prompt (three rows of token chips), no visible control is squeezed below the size it
needs (a 52-token prompt used to crush the "Compare two words" fields into each other)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QSlider,
)

from tests.ui.conftest import wait_for_analysis

LONG_PROMPT = (
    "In a small village by the sea, an old fisherman taught his granddaughter how to read "
    "the waves, the clouds and the birds, so that one day she could sail alone past the "
    "lighthouse and come back before the storm reached the harbour."
)
CONTROLS = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QSlider)


def _squeezed(window) -> list[str]:
    found = []
    for kind in CONTROLS:
        for control in window.findChildren(kind):
            if not control.isVisible() or isinstance(control.parent(), QAbstractSpinBox):
                continue  # a spin box's own line edit is sized by the spin box
            hint, least = control.sizeHint(), control.minimumSizeHint()
            if control.height() < hint.height() - 1 or control.width() < least.width() - 1:
                text = control.text() if hasattr(control, "text") else ""
                found.append(f"{type(control).__name__} {text!r} {control.size().toTuple()}")
    return found


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_no_visible_control_is_squeezed_at_projector_sizes(qtbot, make_window, size):
    window = make_window(prompt=LONG_PROMPT)
    window.resize(*size)
    assert window.minimumSizeHint().height() <= 720  # the docks fit the small screen
    for key in ("tokenization", "embeddings", "attention", "next_token"):
        window.show_panel(key)
    wait_for_analysis(qtbot, window)
    qtbot.wait(200)  # the layouts settle
    assert window.session.analysis.n_tokens >= 45
    assert _squeezed(window) == []
