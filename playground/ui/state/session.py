"""The Session, the one owner of what the window shows and does: the prompt, the run on
screen (an Analysis and its Run), sampling, selection, a run pinned as A, generation, and
the views computed on demand (lens, attribution, layer trace, receipt, extras, sentences,
search, the causal lab). Panels change it by setters and actions, hear of it by signals."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, Signal

from playground.engine.errors import PlaygroundError
from playground.engine.inspect.analysis import TEXT, Analysis, Source
from playground.engine.inspect.run import ModelId, Run
from playground.engine.model.bundle import BundleInfo
from playground.engine.runtime.interventions import Interventions
from playground.engine.runtime.language_model import LanguageModel
from playground.engine.sampling.distribution import Distribution, SamplingSettings
from playground.ui.state import session_messages as messages
from playground.ui.state.attention_view import AttentionView
from playground.ui.state.attribution_view import AttributionView
from playground.ui.state.causal_lab import CausalLab
from playground.ui.state.compared_words import ComparedWords
from playground.ui.state.finetune_state import FinetuneState
from playground.ui.state.generation import GenerationState
from playground.ui.state.interventions import InterventionsState
from playground.ui.state.layer_trace_view import LayerTraceView
from playground.ui.state.lens_view import LensView
from playground.ui.state.model_extras import ModelExtras
from playground.ui.state.pinned_run import PinnedPlan, PinnedRun
from playground.ui.state.prompt import PromptState
from playground.ui.state.receipt_view import ReceiptView
from playground.ui.state.sampling import SamplingState
from playground.ui.state.search_view import SearchView
from playground.ui.state.selection import Selection
from playground.ui.state.sentences_view import SentencesView
from playground.ui.state.timers import single_shot_timer
from playground.ui.worker import model_jobs as jobs
from playground.ui.worker.jobs import PINNED
from playground.ui.worker.runner import ModelRunner

DEBOUNCE_MS = 150  # typing is debounced; sliders apply at once


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
        self.analysis: Analysis | None = None  # the run on screen
        self.sampling_state = SamplingState()
        self.sampling_state.changed.connect(self.sampling_changed.emit)
        self.selection = Selection()  # an index into analysis.ids
        self.selection.changed.connect(self.selection_changed.emit)
        self.error: str | None = None  # why the latest prompt (or action) failed
        self.busy = False
        self.attention_view = AttentionView()
        self.compared_words = ComparedWords()
        self.interventions = InterventionsState()  # in every run: analysed again
        self.interventions.changed.connect(self._rerun)
        self.pinned = PinnedRun()  # a run to compare against (A), kept while the model is
        self.generation = GenerationState(self)
        self.options = self.generation.options  # seed, most tokens per Generate
        self.options.changed.connect(self.generation_changed.emit)
        # computed on demand from the run on screen (or per model, or by the encoder)
        self.lens_view = LensView(runner, self)
        self.attribution = AttributionView(runner, self)
        self.layer_trace = LayerTraceView(runner, self)
        self.receipt = ReceiptView(runner, self)
        self.extras = ModelExtras(runner)  # the embedding map, induction scores
        self.sentences = SentencesView(runner)
        self.search = SearchView(runner)
        self.finetune = FinetuneState(runner)  # examples, settings, the training under way
        self.causal = CausalLab(runner, self)  # patching, steering, routes
        self._pending_selection: int | None = None
        self._lm: LanguageModel | None = None
        self._debounce = single_shot_timer(self, debounce_ms, self._request_analysis)
        runner.loaded.connect(self._on_model_loaded)

    prompt = property(lambda self: self.prompt_state.text)
    chat_mode = property(lambda self: self.prompt_state.chat_mode)
    selected_token = property(lambda self: self.selection.index)
    seed = property(lambda self: self.options.seed)
    max_new_tokens = property(lambda self: self.options.max_new_tokens)
    sampling = property(lambda self: self.sampling_state.settings)  # SamplingSettings
    top_n = property(lambda self: self.sampling_state.top_n)
    # generation (GenerationState): branches, the current one, running, its status line
    branches = property(lambda self: self.generation.branches)
    branch_index = property(lambda self: self.generation.branch_index)
    current_branch = property(lambda self: self.generation.current_branch)
    generating = property(lambda self: self.generation.running)
    generation_status = property(lambda self: self.generation.status)

    @property
    def run(self) -> Run | None:  # the run on screen, with the sampler in force (or None)
        return None if self.analysis is None else self.analysis.run.sampled_with(self.sampling)

    def source(self) -> Source:  # what the model reads now: the prompt, or the chat message
        return self.prompt_state.source()

    # --- setters (the only way panels change state) ---------------------------------------
    def set_prompt(self, text: str, immediate: bool = False) -> None:
        if text == self.prompt and not immediate:
            return
        if self.generating:
            self.abandon_generation()
        self.generation.branch_index = None  # an edited prompt no longer continues a branch
        self.prompt_state.set_text(text)
        if self.model_info is None:
            return  # analysed as soon as the model is ready
        if immediate:
            self._debounce.stop()
            self._request_analysis()
        else:
            self._debounce.start()

    @property
    def chat_available(self) -> bool:  # the model has a chat template (base models: none)
        return self.model_info is None or bool(self.model_info.chat_template)

    def set_chat_mode(self, on: bool) -> None:
        if on == self.chat_mode or self.generating or (on and not self.chat_available):
            return  # (the panel disables the switch while generating or without a template)
        self.generation.branch_index = None  # the same words are now a different input
        self.prompt_state.set_chat_mode(on)
        if self.model_info is not None:
            self._debounce.stop()
            self._request_analysis()

    def set_seed(self, seed: int) -> None:
        self.options.set_seed(seed)

    def set_max_new_tokens(self, n: int) -> None:
        self.options.set_max_new_tokens(n)

    def set_sampling(self, settings: SamplingSettings) -> None:
        info = self.model_info
        self.sampling_state.set_settings(settings, info.architecture.vocab_size if info else None)

    def set_top_n(self, n: int) -> None:
        self.sampling_state.set_top_n(n)

    def select_token(self, index: int | None) -> None:
        if index is not None and (self.analysis is None or not 0 <= index < self.analysis.n_tokens):
            index = None
        self.selection.set(index)

    def set_attention_view(self, view: AttentionView | None = None, **changes: object) -> None:
        # the view replaced, or some of its fields changed (clamped to the model)
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

    # --- session-wide actions ----------------------------------------------------------------
    def generate(self, max_tokens: int | None = None) -> bool:
        return self.generation.generate(max_tokens)

    def step(self) -> bool:
        return self.generation.generate(1)  # one token

    def stop_generation(self) -> None:
        self.generation.stop()

    def abandon_generation(self) -> None:
        self.generation.abandon()

    def branch_from(self, branch_index: int, position: int, token_id: int) -> None:
        self.generation.branch_from(branch_index, position, token_id)

    def switch_branch(self, index: int) -> None:
        self.generation.switch_branch(index)

    def pin_current(self) -> None:
        """Pin the run on screen, with its sampler, as A."""
        self.pinned.pin(self.analysis, self.sampling)

    def swap_runs(self) -> None:
        """B becomes the pinned A, and A comes back as the run every panel shows (its
        prompt, interventions and sampler)."""
        a = self.pinned.run
        if a is None or self.analysis is None:
            return
        self.pin_current()
        self.set_chat_mode(a.source[0] != TEXT)
        if a.sampler is not None:
            self.set_sampling(a.sampler)
        self.interventions.set(a.interventions)
        self.set_prompt(a.source[1], immediate=True)

    def pin_again(self, plan: PinnedPlan, interventions: Interventions) -> None:
        """Run a saved A again (a session file's) and pin it when it is there."""
        self.pinned.clear()
        job = jobs.analysis_job(plan.source, plan.ids, interventions, lane=PINNED)
        self.runner.submit(job, lambda analysis: self.pinned.pin(analysis, plan.settings))

    def score_guesses(self, guesses: list[str], on_done, on_failed) -> None:
        """Score a class's guesses of the next token after the run on screen (the Quiz)."""
        assert self.analysis is not None
        self.runner.submit(jobs.quiz_job(self.analysis.ids, guesses), on_done, on_failed)

    def report_error(self, message: str | None) -> None:  # why an action failed (None: no error)
        self.error = message
        self.status_changed.emit()

    def close(self) -> None:  # the window closes: nothing more asked of the model or redrawn
        self.abandon_generation()
        self._debounce.stop()

    # --- derived state -------------------------------------------------------------------------
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

    def token_label(self, token_id: int) -> str:  # (asked for once the model is loaded)
        return self._lm.piece(token_id).label  # type: ignore[union-attr]

    def exportable(self) -> tuple[Analysis, LanguageModel]:
        """The analysis shown and its model, for an export; PlaygroundError if none yet."""
        if self.analysis is None or self._lm is None:
            raise PlaygroundError(messages.nothing_to_export())
        return self.analysis, self._lm

    @property
    def analysis_is_current(self) -> bool:
        """The run on screen is the one asked for (its model, source and interventions)."""
        a, lm = self.analysis, self._lm
        if self.busy or a is None or lm is None:
            return False
        asked = (ModelId.of(lm), self.source(), self.interventions.value)
        return (a.run.model, a.source, a.run.interventions) == asked

    # --- asking for runs, and their answers ---------------------------------------------------
    def show_prompt_silently(self, text: str) -> None:
        """Show text in the editor without asking for a new analysis (it is on its way)."""
        self._debounce.stop()
        self.prompt_state.set_text(text)

    def analyse_tokens(self, ids: tuple[int, ...]) -> None:
        """Analyse exactly these tokens as the prompt on screen (a branch)."""
        self._submit_analysis(ids)
        self.busy = True
        self.status_changed.emit()

    def select_after_analysis(self, index: int | None) -> None:
        """Select token `index` once the analysis now on its way arrives (sessions)."""
        self._pending_selection = index

    def show_analysis(self, analysis: Analysis) -> None:
        """Make `analysis` the run on screen (an analysis, or a generation's snapshot)."""
        self.analysis = analysis
        if self._pending_selection is not None and self.analysis_is_current:
            index, self._pending_selection = self._pending_selection, None
            if 0 <= index < analysis.n_tokens:
                self.selection.set(index)
        if self.selected_token is not None and self.selected_token >= analysis.n_tokens:
            self.selection.set(None)
        if analysis.statistics_pending:  # a long run's: they follow, off the GUI thread
            self.runner.submit(jobs.statistics_job(analysis), self._on_statistics)
        self.analysis_changed.emit()
        self.status_changed.emit()

    def _rerun(self) -> None:  # the same prompt through a changed network (interventions)
        if self.model_info is not None:
            self.abandon_generation()
            self._request_analysis()

    def _request_analysis(self) -> None:
        self._submit_analysis()
        if not self.busy:
            self.busy = True
            self.status_changed.emit()

    def _submit_analysis(self, ids: tuple[int, ...] | None = None) -> None:
        """(An older prompt's analysis still on its way is dropped: the newest wins.)"""
        job = jobs.analysis_job(self.source(), ids, self.interventions.value)
        self.runner.submit(job, self._on_analysed, self._on_analysis_failed)

    def _on_analysed(self, analysis: Analysis) -> None:
        self.busy = False
        self.error = None
        self.show_analysis(analysis)

    def _on_statistics(self, analysis: Analysis) -> None:  # shown if its run still is
        if self.analysis and self.analysis.forward is analysis.forward and not self.generating:
            self.show_analysis(analysis)

    def _on_analysis_failed(self, message: str) -> None:
        self.busy = False
        self.report_error(message)

    def _on_model_loaded(self, lm: LanguageModel) -> None:
        switched = self._lm is not None
        a = self.pinned.run
        self._lm = lm
        if a is None or a.model.sha256 != ModelId.of(lm).sha256:
            self.pinned.clear()  # (a base and its variants read the same tokens: A stays)
        self.interventions.reset()  # (layers, heads, directions of the old model)
        if switched:  # token ids, branches and layer numbers belonged to the old model
            self.analysis = None
            self.selection.set(None)
            self.generation.forget()
            self.attention_view = AttentionView()
        if self.chat_mode and not self.chat_available:
            self.prompt_state.set_chat_mode(False)
            self.generation.status = messages.no_chat_template(lm.info.title)
        self.model_changed.emit()  # (the derived views forget the old model's results)
        if switched:
            for signal in (self.analysis_changed, self.selection_changed):
                signal.emit()
            for signal in (self.generation_changed, self.attention_view_changed):
                signal.emit()
        self._request_analysis()
        self.extras.request(ModelId.of(lm))
