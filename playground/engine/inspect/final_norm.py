"""The model's final RMSNorm, applied to hidden states as the output layer reads them:
the one place the logit lens and the embedding map take it from."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from playground.engine.model.bundle_weights import read_initializer


class FinalNorm:
    def __init__(self, folder: Path, eps: float) -> None:
        self.eps = eps
        self.weight = np.asarray(read_initializer(folder, "output_norm.weight"))  # (D,)

    def __call__(self, states: np.ndarray) -> np.ndarray:
        """(..., D) -> (..., D): x / sqrt(mean(x^2) + eps) * weight, in the dtype given."""
        rms = np.sqrt((states**2).mean(axis=-1, keepdims=True) + self.eps)
        return states / rms * self.weight

    def of_hidden_states(self, hidden_states: np.ndarray) -> np.ndarray:
        """(L+1, ..., D) layer outputs, Hugging Face's convention (the last is already
        after the final norm) -> every one after the final norm (a new array)."""
        normed = np.array(hidden_states, copy=True)
        normed[:-1] = self(hidden_states[:-1])
        return normed
