"""A numpy array held as an immutable value (equal when shape and every number are), so
that a frozen dataclass holding one (a steering direction, a patch's change) can be
compared and hashed like the rest of a run's description."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class FrozenArray:
    data: bytes  # float32, C order
    shape: tuple[int, ...]

    @classmethod
    def of(cls, array: np.ndarray) -> FrozenArray:
        values = np.ascontiguousarray(array, dtype=np.float32)
        return cls(values.tobytes(), tuple(int(d) for d in values.shape))

    @property
    def array(self) -> np.ndarray:
        """A read-only float32 view."""
        return np.frombuffer(self.data, np.float32).reshape(self.shape)

    @property
    def norm(self) -> float:
        return float(np.linalg.norm(self.array.astype(np.float64)))
