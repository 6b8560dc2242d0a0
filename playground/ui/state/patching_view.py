"""Activation patching in the window: a clean and a corrupted prompt (the same length in
tokens), the site patched, the answer measured; run on request, with progress and Cancel.
A cell of the heatmap opens as the run on screen (the corrupted prompt with that one
activation patched), which every panel then shows like any run, generation included
(the patch stays on the prompt's tokens). Editing the prompt into another text, or
switching to chat mode, drops the patch: it belongs to that prompt's tokens."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from playground.engine.inspect.patching import Patching
from playground.engine.inspect.run import Run
from playground.engine.prompt.model_input import TEXT, model_input
from playground.engine.runtime.patches import SITES
from playground.ui.state.derived_result import DerivedResult
from playground.ui.state.on_screen_run import OnScreenRun
from playground.ui.worker.causal_jobs import patching_job
from playground.ui.worker.jobs import Job
from playground.ui.worker.runner import ModelRunner

EXAMPLE = ("The Eiffel Tower is in the city of", "The Colosseum is in the city of")


class _Sweep(DerivedResult):
    def __init__(self, runner: ModelRunner, owner: PatchingView) -> None:
        super().__init__(runner, wanted=True)
        self.owner = owner

    def key(self) -> Hashable | None:
        return self.owner.asked

    def job(self, key: Any) -> Job:
        clean, corrupted, site, target, contrast = key
        return patching_job(clean, corrupted, site, target, contrast)


class PatchingView(QObject):
    changed = Signal()

    def __init__(self, runner: ModelRunner, session: OnScreenRun) -> None:
        super().__init__()
        self.session = session
        self.clean, self.corrupted = EXAMPLE
        self.site = "resid"
        self.target_text = ""  # "": the clean run's top token
        self.contrast_text = ""  # "": the corrupted run's top, if it differs
        self.asked: tuple[Run, Run, str, int | None, int | None] | None = None
        self.refusal: str | None = None  # why nothing was run (different lengths...)
        self.opened: str | None = None  # the prompt the patches on the run belong to
        self.sweep = _Sweep(runner, self)
        self.sweep.changed.connect(self.changed.emit)
        session.model_changed.connect(self._forget)
        session.prompt_changed.connect(self._drop_patches_if_elsewhere)
        session.analysis_changed.connect(self._drop_patches_if_elsewhere)

    # --- what the panel reads --------------------------------------------------------------
    result = property(lambda self: self.sweep.result if self.sweep.current else None)
    running = property(lambda self: self.sweep.running)
    progress = property(lambda self: self.sweep.progress or (0, 0))

    @property
    def error(self) -> str | None:
        return self.refusal or self.sweep.error

    # --- actions -----------------------------------------------------------------------------
    def set_inputs(
        self, clean: str, corrupted: str, site: str, target: str = "", contrast: str = ""
    ) -> None:
        given = (clean, corrupted, site, target, contrast)
        if given != (self.clean, self.corrupted, self.site, self.target_text, self.contrast_text):
            self.asked = None  # the heatmap shown was for the other inputs
        self.clean, self.corrupted = clean, corrupted
        self.site = site if site in SITES else "resid"
        self.target_text, self.contrast_text = target, contrast
        self.changed.emit()

    def run(self) -> None:
        """Patch every cell (nothing is run if the prompts differ in length: said why)."""
        lm = self.session.model
        if lm is None:
            return
        clean = model_input(lm, (TEXT, self.clean)).ids
        corrupted = model_input(lm, (TEXT, self.corrupted)).ids
        self.refusal = _refusal(len(clean), len(corrupted))
        if self.refusal is not None:
            self.asked = None
            self.sweep.drop_running()
            self.changed.emit()
            return
        target, contrast = self._token(self.target_text), self._token(self.contrast_text)
        runs = (
            Run.of(lm, (TEXT, self.clean), clean),
            Run.of(lm, (TEXT, self.corrupted), corrupted),
        )
        self.asked = (*runs, self.site, target, contrast)
        self.sweep.request()
        self.changed.emit()

    def cancel(self) -> None:
        self.asked = None
        self.sweep.drop_running()

    def open_cell(self, layer: int, index: int) -> None:
        """Show the corrupted prompt's run with this cell patched in every panel."""
        result = self.result
        if not isinstance(result, Patching):
            return
        run = result.cell_run(layer, index)
        text = str(result.corrupted.source[1])  # (the prompts typed since may differ)
        session: Any = self.session
        if session.generating:
            session.abandon_generation()
        if session.chat_mode:
            session.set_chat_mode(False)  # patches are positions of the plain text's tokens
        self.opened = text
        session.show_prompt_silently(text)
        before = session.interventions.value
        session.interventions.set(run.interventions)
        if session.interventions.value == before:  # the same patch again: analyse anyway
            session.set_prompt(text, immediate=True)

    def keep_patches_for(self, text: str) -> None:
        """The patches on the run belong to this prompt (a session file's)."""
        self.opened = text

    def to_dict(self) -> dict[str, Any]:
        return {
            "clean": self.clean,
            "corrupted": self.corrupted,
            "site": self.site,
            "target": self.target_text,
            "contrast": self.contrast_text,
        }

    def restore(self, data: dict[str, Any]) -> None:
        self.set_inputs(
            str(data.get("clean", EXAMPLE[0])),
            str(data.get("corrupted", EXAMPLE[1])),
            str(data.get("site", "resid")),
            str(data.get("target", "")),
            str(data.get("contrast", "")),
        )

    # --- inside ------------------------------------------------------------------------------
    def _token(self, text: str) -> int | None:
        lm = self.session.model
        if not text or lm is None:
            return None
        ids = lm.encode(text, continues=True)
        if not ids:
            return None
        return ids[0]

    def _drop_patches_if_elsewhere(self) -> None:
        """Patches stay while the prompt is their prompt, or their prompt continued
        (generating), as plain text; on another text, or in chat mode, they go."""
        session: Any = self.session
        value = session.interventions.value
        if not value.patches:
            return
        opened, analysis = self.opened or "", session.analysis
        elsewhere = not session.prompt.startswith(opened) or session.chat_mode
        if analysis is not None and analysis.run.interventions.patches:
            mode, text = analysis.run.source
            elsewhere |= mode != TEXT or not text.startswith(opened)
        if elsewhere:
            session.interventions.set(value.with_patches(()))

    def _forget(self) -> None:
        self.asked, self.refusal, self.opened = None, None, None
        self.sweep.forget()


def _refusal(n_clean: int, n_corrupted: int) -> str | None:
    """Why nothing is run for prompts of these token counts (the engine's check_lengths,
    in the window's language), or None."""
    if not n_clean or not n_corrupted:
        return QCoreApplication.translate("PatchingView", "Write both prompts.")
    if n_clean != n_corrupted:
        return QCoreApplication.translate(
            "PatchingView",
            "The clean prompt is {clean} tokens and the corrupted one {corrupted}: patching "
            "needs the same number of tokens in both (nothing was run).",
        ).format(clean=n_clean, corrupted=n_corrupted)
    return None
