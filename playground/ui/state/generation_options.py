"""How generation runs: the seed of a new branch's sampler and how many tokens Generate
adds at most. A small evented state, saved in session files."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

DEFAULT_SEED = 1234
DEFAULT_MAX_NEW_TOKENS = 40


class GenerationOptions(QObject):
    changed = Signal()

    def __init__(self) -> None:
        super().__init__()
        self._seed = DEFAULT_SEED
        self._max_new_tokens = DEFAULT_MAX_NEW_TOKENS

    @property
    def seed(self) -> int:
        return self._seed

    @property
    def max_new_tokens(self) -> int:
        return self._max_new_tokens

    def set_seed(self, seed: int) -> None:
        self._seed = int(seed) % 2**31
        self.changed.emit()

    def set_max_new_tokens(self, n: int) -> None:
        self._max_new_tokens = max(1, int(n))
        self.changed.emit()

    def to_dict(self) -> dict[str, Any]:
        return {"seed": self._seed, "max_new_tokens": self._max_new_tokens}

    @staticmethod
    def checked(data: dict[str, Any]) -> tuple[int, int]:
        """`to_dict`'s form read back (KeyError, TypeError or ValueError if damaged)."""
        return int(data["seed"]), int(data["max_new_tokens"])
