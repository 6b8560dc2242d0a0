"""What the views derived from the run on screen read of the Session, as a protocol: the
Session creates and owns them, and they never import it (each would otherwise import
the module that imports it)."""

from __future__ import annotations

from typing import Any, Protocol

from playground.engine.inspect.analysis import Analysis
from playground.engine.inspect.run import Run
from playground.engine.runtime.language_model import LanguageModel


class OnScreenRun(Protocol):
    analysis: Analysis | None  # the run on screen's analysis
    generating: bool
    pinned: Any  # the run pinned as A (PinnedRun)
    interventions: Any  # InterventionsState: what is done to the network in every run
    prompt: str
    # signals: analysis_changed, selection_changed, prompt_changed, generation_changed,
    # model_changed, sampling_changed (each a Qt signal with connect/emit)
    analysis_changed: Any
    selection_changed: Any
    prompt_changed: Any
    generation_changed: Any
    model_changed: Any
    sampling_changed: Any

    @property
    def run(self) -> Run | None: ...  # the analysis's run, with the sampler in force

    @property
    def focus_token(self) -> int | None: ...  # the selected token, else the last

    @property
    def model(self) -> LanguageModel | None: ...

    @property
    def model_info(self) -> Any: ...  # BundleInfo | None
