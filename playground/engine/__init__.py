"""The engine: fetch, convert and run a real language model; no Qt below this line."""

from playground.engine.errors import (
    Cancelled,
    FetchError,
    ModelFileError,
    PlaygroundError,
    UnsupportedModelError,
)
from playground.engine.runtime.forward import Forward, KVCache, Step
from playground.engine.runtime.language_model import LanguageModel
from playground.engine.runtime.loader import load_model, resolve_bundle
from playground.engine.sampling.distribution import SamplingSettings, distribution, rank_logits

__all__ = [
    "Cancelled",
    "FetchError",
    "Forward",
    "KVCache",
    "LanguageModel",
    "ModelFileError",
    "PlaygroundError",
    "SamplingSettings",
    "Step",
    "UnsupportedModelError",
    "distribution",
    "load_model",
    "rank_logits",
    "resolve_bundle",
]
