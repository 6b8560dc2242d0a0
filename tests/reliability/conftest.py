"""The reliability tests use the window fixtures of the UI tests (isolated settings, a
window on the real model)."""

from tests.ui.conftest import isolated_settings, make_window

__all__ = ["isolated_settings", "make_window"]
