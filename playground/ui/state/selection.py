"""The selected token (an index into the analysed tokens), shown in every panel; None
means "the last token" wherever a panel needs one (Session.focus_token)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal


class Selection(QObject):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._index: int | None = None

    @property
    def index(self) -> int | None:
        return self._index

    def set(self, index: int | None) -> bool:
        if index == self._index:
            return False
        self._index = index
        self.changed.emit()
        return True

    def to_dict(self) -> dict[str, Any]:
        return {"selected_token": self._index}

    @staticmethod
    def checked(data: dict[str, Any]) -> int | None:
        """`to_dict`'s form read back (ValueError or TypeError if damaged)."""
        index = data.get("selected_token")
        return None if index is None else int(index)
