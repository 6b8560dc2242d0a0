"""The Session: the prompt, the analysis of it, sampling, selection and generation, with
the smaller states beside them (attention view, compared words, lens, model extras).
Panels change it only through setters and hear of changes through signals; typing is
debounced, sliders apply at once (they re-shape the cached distribution, no model run)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from playground.engine.errors import PlaygroundError
from playground.engine.inspect.analysis import CHAT, TEXT, Analysis, Source
from playground.engine.model.bundle import BundleInfo
from playground.engine.runtime.language_model import LanguageModel
from playground.engine.sampling.distribution import Distribution, SamplingSettings
from playground.ui.state import session_messages as messages
from playground.ui.state.attention_view import AttentionView
from playground.ui.state.branches import Branch
from playground.ui.state.compared_words import ComparedWords
from playground.ui.state.generation_options import GenerationOptions
from playground.ui.state.knock_outs import KnockOuts
from playground.ui.state.lens_view import LensView
from playground.ui.state.model_extras import ModelExtras
from playground.ui.state.pinned_run import PinnedRun
from playground.ui.state.prompt import PromptState
from playground.ui.state.sampling import SamplingState
from playground.ui.state.selection import Selection
from playground.ui.state.timers import single_shot_timer
from playground.ui.worker import model_jobs as jobs
from playground.ui.worker.runner import ModelRunner

DEBOUNCE_MS = 150
GENERATION_REDRAW_MS = 120  # while generating, panels redraw at most this often


class Session(QObject):
    prompt_changed = Signal()
    analysis_changed = Signal()
    sampling_changed = Signal()  # settings or top-N (SamplingState.changed, passed on)
    selection_changed = Signal()
    model_changed = Signal()
    status_changed = Signal()  # busy flag, error message
    attention_view_changed = Signal()
    generation_changed = Signal()  # branches, running state, chat mode, seed

    def __init__(self, runner: ModelRunner, debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__()
        self.runner = runner
        self.prompt_state = PromptState()
        self.prompt_state.changed.connect(self.prompt_changed.emit)
        self.prompt_state.mode_changed.connect(self.generation_changed.emit)
        self.analysis: Analysis | None = None
        self.sampling_state = SamplingState()
        self.sampling_state.changed.connect(self.sampling_changed.emit)
        self.selection = Selection()  # an index into analysis.ids
        self.selection.changed.connect(self.selection_changed.emit)
        self.error: str | None = None  # why the latest prompt could not be analysed
        self.busy = False
        self.attention_view = AttentionView()
        self.extras = ModelExtras(runner)  # the embedding map, induction scores
        self.compared_words = ComparedWords()
        self.pinned = PinnedRun()  # a run to compare against (A), kept while the model is
        self.knock_outs = KnockOuts()  # parts switched off in every run: analysed again
        self.knock_outs.changed.connect(self._rerun)
        self.branches: list[Branch] = []
        self.branch_index: int | None = None
        self.generating = False
        self.generation_status = ""
        self.options = GenerationOptions()  # seed, most tokens per Generate
        self.options.changed.connect(self.generation_changed.emit)
        self.lens_view = LensView(runner)
        self._generation_ticket = -1
        self._pending_generated: Analysis | None = None
        self._pending_selection: int | None = None
        self._redraw_timer = single_shot_timer(self, GENERATION_REDRAW_MS, self._apply_generated)
        self._lm: LanguageModel | None = None
        self._debounce = single_shot_timer(self, debounce_ms, self._request_analysis)
        runner.loaded.connect(self._on_model_loaded)

    # --- setters (the only way panels change state) ---------------------------------------
    # read-only views of the small states (panels read these; setters are below)
    prompt = property(lambda self: self.prompt_state.text)
    chat_mode = property(lambda self: self.prompt_state.chat_mode)
    selected_token = property(lambda self: self.selection.index)
    seed = property(lambda self: self.options.seed)
    max_new_tokens = property(lambda self: self.options.max_new_tokens)

    def source(self) -> Source:
        """What the model should read now: the prompt, or the message in the chat template."""
        return self.prompt_state.source()

    def set_prompt(self, text: str, immediate: bool = False) -> None:
        if text == self.prompt and not immediate:
            return
        if self.generating:
            self.abandon_generation()
        self.branch_index = None  # an edited prompt no longer continues a branch
        self.prompt_state.set_text(text)
        if self.model_info is None:
            return  # analysed as soon as the model is ready
        if immediate:
            self._debounce.stop()
            self._request_analysis()
        else:
            self._debounce.start()

    @property
    def chat_available(self) -> bool:
        """The model has a chat template (base models have none)."""
        return self.model_info is None or bool(self.model_info.chat_template)

    def set_chat_mode(self, on: bool) -> None:
        if on == self.chat_mode or self.generating or (on and not self.chat_available):
            return  # (the panel disables the switch while generating or without a template)
        self.branch_index = None  # the same words are now a different model input
        self.prompt_state.set_chat_mode(on)
        if self.model_info is not None:
            self._debounce.stop()
            self._request_analysis()

    def set_seed(self, seed: int) -> None:
        self.options.set_seed(seed)

    def set_max_new_tokens(self, n: int) -> None:
        self.options.set_max_new_tokens(n)

    # --- generation ------------------------------------------------------------------------
    @property
    def current_branch(self) -> Branch | None:
        return None if self.branch_index is None else self.branches[self.branch_index]

    def generate(self, max_tokens: int | None = None) -> bool:
        """Continue the current text (or branch) token by token; False if not possible now."""
        analysis = self.analysis
        if self.generating or not self.analysis_is_current or analysis is None:
            return False
        if analysis.forward is None:
            self.generation_status = messages.nothing_to_continue()
            self.generation_changed.emit()
            return False
        branch = self.current_branch
        if branch is None or branch.ids != analysis.ids:
            branch = Branch.starting(self.source()[0], self.prompt, analysis.ids, self.seed)
            self.branches.append(branch)
            self.branch_index = len(self.branches) - 1
        settings, knock_out = self.sampling, self.knock_outs.knock_out
        job = jobs.generation_job(
            analysis, max_tokens or self.max_new_tokens, settings, branch.sampler, knock_out
        )  # (in the lane of analyses: any still on their way are now stale)
        self._generation_ticket = self.runner.submit(
            job, self._on_generation_finished, on_progress=self._on_generated
        )
        self.generating = True
        self.generation_status = messages.generating()
        self.generation_changed.emit()
        return True

    def step(self) -> bool:
        return self.generate(1)  # one token

    def stop_generation(self) -> None:
        self.runner.stop(self._generation_ticket)

    def close(self) -> None:
        """The window is closing: nothing more is asked of the model, nothing redrawn."""
        self.abandon_generation()
        self._debounce.stop()

    def abandon_generation(self) -> None:
        """Stop generating and drop everything still on its way from it (the user has
        moved on: a late snapshot must not overwrite the edited prompt)."""
        self.runner.cancel(self._generation_ticket)
        self._redraw_timer.stop()
        self._pending_generated = None
        if self.generating:
            self.generating = False
            self.generation_status = messages.stopped()
            self.generation_changed.emit()

    def branch_from(self, branch_index: int, position: int, token_id: int) -> None:
        """Replace generated token `position` of a branch by another candidate, as a new
        branch; the old one is kept."""
        if self.generating:
            return
        stop_ids = self.model_info.special.stop_ids if self.model_info else ()
        branch = self.branches[branch_index].split_at(
            (branch_index, position), token_id, stop_ids, self.seed
        )
        self.branches.append(branch)
        self.switch_branch(len(self.branches) - 1)

    def restore_branches(self, branches: list[Branch]) -> None:
        """Replace every branch (a session file's); none is current until switched to."""
        self.branches, self.branch_index = list(branches), None
        self.generation_changed.emit()

    def switch_branch(self, index: int) -> None:
        if self.generating or not 0 <= index < len(self.branches) or self._lm is None:
            return
        branch = self.branches[index]
        self.branch_index = index
        self.prompt_state.set_chat_mode(branch.mode == CHAT)
        text = branch.base_prompt if self.chat_mode else self._lm.decode(branch.ids)
        self._set_prompt_silently(text)
        self._submit_analysis(branch.ids)
        self.busy = True
        self.status_changed.emit()
        self.generation_changed.emit()

    def _set_prompt_silently(self, text: str) -> None:
        """Show text in the editor without asking for a new analysis (it is on its way)."""
        self._debounce.stop()
        self.prompt_state.set_text(text)

    def set_lens_wanted(self, wanted: bool) -> None:
        self.lens_view.wanted = wanted
        self._request_lens()

    def _request_lens(self) -> None:
        self.lens_view.request(self.analysis, self.focus_token)

    def _rerun(self) -> None:  # the same prompt through a changed network (knock-outs)
        if self.model_info is not None:
            self.abandon_generation()
            self._request_analysis()

    @property
    def sampling(self) -> SamplingSettings:
        return self.sampling_state.settings

    @property
    def top_n(self) -> int:
        return self.sampling_state.top_n

    def set_sampling(self, settings: SamplingSettings) -> None:
        info = self.model_info
        self.sampling_state.set_settings(settings, info.architecture.vocab_size if info else None)

    def set_top_n(self, n: int) -> None:
        self.sampling_state.set_top_n(n)

    def select_token(self, index: int | None) -> None:
        if index is not None and (self.analysis is None or not 0 <= index < self.analysis.n_tokens):
            index = None
        if self.selection.set(index):
            self._request_lens()

    def set_attention_view(self, view: AttentionView | None = None, **changes: object) -> None:
        """Replace the attention view, or change some of its fields (clamped to the model)."""
        view = replace(view or self.attention_view, **changes)  # type: ignore[arg-type]
        if self.model_info is not None:
            view = view.within(self.model_info.architecture)
        if view != self.attention_view:
            self.attention_view = view
            self.attention_view_changed.emit()

    def append_token(self, token_id: int) -> None:
        """Append a candidate's text to the prompt and analyse again at once."""
        if self._lm is None or self.analysis is None or self.chat_mode:
            return  # in chat mode the editor holds only the message: use Step instead
        ids = list(self.analysis.ids)
        addition = self._lm.decode([*ids, token_id])[len(self._lm.decode(ids)) :]
        self.set_prompt(self.prompt + addition, immediate=True)

    # --- derived state ---------------------------------------------------------------------
    @property
    def distribution(self) -> Distribution | None:  # under the current settings (cached)
        next_token = self.analysis.next_token if self.analysis is not None else None
        return self.sampling_state.distribution_of(next_token) if next_token else None

    @property
    def model_info(self) -> BundleInfo | None:  # None until a model is loaded
        return self._lm.info if self._lm is not None else None

    @property
    def model(self) -> LanguageModel | None:  # for lookups (token texts); runs: the runner
        return self._lm

    @property
    def focus_token(self) -> int | None:  # the selected token, else the last (or None)
        if self.selected_token is not None or self.analysis is None:
            return self.selected_token
        return self.analysis.n_tokens - 1 if self.analysis.n_tokens else None

    def token_label(self, token_id: int) -> str:
        assert self._lm is not None, "a label asked for before the model loaded"
        return self._lm.piece(token_id).label

    def exportable(self) -> tuple[Analysis, LanguageModel]:
        """The analysis shown and its model, for an export; PlaygroundError if none yet."""
        if self.analysis is None or self._lm is None:
            raise PlaygroundError(messages.nothing_to_export())
        return self.analysis, self._lm

    @property
    def analysis_is_current(self) -> bool:
        return not self.busy and self.analysis is not None and self.analysis.source == self.source()

    # --- model runner results ----------------------------------------------------------------
    def _request_analysis(self) -> None:
        self._submit_analysis()
        if not self.busy:
            self.busy = True
            self.status_changed.emit()

    def _on_model_loaded(self, lm: LanguageModel) -> None:
        switched = self._lm is not None
        self._lm = lm
        self.lens_view.clear()
        self.pinned.clear()
        self.knock_outs.clear()  # (layers and heads of the old model)
        if switched:  # token ids, branches and layer numbers belonged to the old model
            self.analysis = None
            self.selection.set(None)
            self.branches, self.branch_index = [], None
            self.generation_status = ""
            self.attention_view = AttentionView()
        if self.chat_mode and not self.chat_available:
            self.prompt_state.set_chat_mode(False)
            self.generation_status = messages.no_chat_template(lm.info.title)
        self.model_changed.emit()
        if switched:
            for signal in (self.analysis_changed, self.selection_changed, self.lens_view.changed):
                signal.emit()
            self.generation_changed.emit()
            self.attention_view_changed.emit()
        self._request_analysis()
        self.extras.request()

    def _submit_analysis(self, ids: tuple[int, ...] | None = None) -> None:
        """(An older prompt's analysis still on its way is dropped: the newest wins.)"""
        job = jobs.analysis_job(self.source(), ids, self.knock_outs.knock_out)
        self.runner.submit(job, self._on_analysed, self._on_analysis_failed)

    def _on_analysed(self, analysis: Analysis) -> None:
        self.busy = False
        self.error = None
        self._set_analysis(analysis)

    def select_after_analysis(self, index: int | None) -> None:
        """Select token `index` once the analysis now on its way arrives (sessions)."""
        self._pending_selection = index

    def _set_analysis(self, analysis: Analysis) -> None:
        self.analysis = analysis
        if self._pending_selection is not None and self.analysis_is_current:
            index, self._pending_selection = self._pending_selection, None
            if 0 <= index < analysis.n_tokens:
                self.selection.set(index)
        if self.selected_token is not None and self.selected_token >= analysis.n_tokens:
            self.selection.set(None)
        self.analysis_changed.emit()
        self.status_changed.emit()
        self._request_lens()

    def _on_generated(self, step: jobs.GeneratedStep) -> None:
        branch = self.current_branch
        if branch is None:
            return
        branch.tokens.append(step.token)
        if step.snapshot is not None:  # the worker sends a full snapshot a few times a second
            self._pending_generated = step.snapshot
        self.generation_changed.emit()
        if not self._redraw_timer.isActive():
            self._redraw_timer.start()

    def _apply_generated(self) -> None:
        analysis, self._pending_generated = self._pending_generated, None
        if analysis is None:
            return
        if analysis.source[0] == TEXT:
            self._set_prompt_silently(analysis.source[1])
        self._set_analysis(analysis)

    def _on_generation_finished(self, result: jobs.GenerationResult) -> None:
        self._redraw_timer.stop()
        self._pending_generated = None
        self.generating = False
        self.generation_status = result.summary()
        if result.final.source[0] == TEXT:
            self._set_prompt_silently(result.final.source[1])
        self._set_analysis(result.final)
        self.generation_changed.emit()
        if result.statistics_pending:
            self.runner.submit(jobs.statistics_job(result.final), self._on_statistics_ready)

    def _on_statistics_ready(self, analysis: Analysis) -> None:
        """The statistics (and overview) of a long generated sequence, which followed the
        end of its generation: shown if that sequence is still the one on screen."""
        current = self.analysis
        if current is not None and current.forward is analysis.forward and not self.generating:
            self._set_analysis(analysis)

    def _on_analysis_failed(self, message: str) -> None:
        self.busy = False
        self.error = message
        self.status_changed.emit()
