"""Generation, step by step with branches: every continuation generated is kept as a
Branch; Generate continues the current one (or starts one from the prompt on screen) in
the worker, and the panels redraw from snapshots a few times a second. The run on screen
goes on being the Session's: each snapshot becomes its analysis, and the generation keeps
the run's interventions (what was knocked out stays out)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject

from playground.engine.inspect.analysis import CHAT, TEXT, Analysis
from playground.ui.state import session_messages as messages
from playground.ui.state.branches import Branch
from playground.ui.state.generation_options import GenerationOptions
from playground.ui.state.timers import single_shot_timer
from playground.ui.worker import model_jobs as jobs

GENERATION_REDRAW_MS = 120  # while generating, panels redraw at most this often


class GenerationState(QObject):
    def __init__(self, session: Any) -> None:  # the Session (which imports this module)
        super().__init__()
        self.session = session
        self.branches: list[Branch] = []
        self.branch_index: int | None = None
        self.running = False
        self.status = ""
        self.options = GenerationOptions()  # seed, most tokens per Generate
        self._ticket = -1
        self._pending: Analysis | None = None  # the newest snapshot, drawn by the timer
        self._redraw_timer = single_shot_timer(self, GENERATION_REDRAW_MS, self._apply_snapshot)

    @property
    def current_branch(self) -> Branch | None:
        return None if self.branch_index is None else self.branches[self.branch_index]

    def _changed(self) -> None:
        self.session.generation_changed.emit()

    def generate(self, max_tokens: int | None = None) -> bool:
        """Continue the current text (or branch) token by token; False if not possible now."""
        s = self.session
        analysis = s.analysis
        if self.running or not s.analysis_is_current or analysis is None:
            return False
        if analysis.forward is None:
            self.status = messages.nothing_to_continue()
            self._changed()
            return False
        branch = self.current_branch
        if branch is None or branch.ids != analysis.ids:
            branch = Branch.starting(s.source()[0], s.prompt, analysis.ids, self.options.seed)
            self.branches.append(branch)
            self.branch_index = len(self.branches) - 1
        job = jobs.generation_job(
            analysis, max_tokens or self.options.max_new_tokens, s.sampling, branch.sampler
        )  # (in the lane of analyses: any still on their way are now stale)
        self._ticket = s.runner.submit(job, self._on_finished, on_progress=self._on_generated)
        self.running = True
        self.status = messages.generating()
        self._changed()
        return True

    def stop(self) -> None:
        self.session.runner.stop(self._ticket)

    def abandon(self) -> None:
        """Stop generating and drop everything still on its way from it (the user has
        moved on: a late snapshot must not overwrite the edited prompt)."""
        self.session.runner.cancel(self._ticket)
        self._redraw_timer.stop()
        self._pending = None
        if self.running:
            self.running = False
            self.status = messages.stopped()
            self._changed()

    def branch_from(self, branch_index: int, position: int, token_id: int) -> None:
        """Replace generated token `position` of a branch by another candidate, as a new
        branch; the old one is kept."""
        if self.running:
            return
        info = self.session.model_info
        stop_ids = info.special.stop_ids if info else ()
        branch = self.branches[branch_index].split_at(
            (branch_index, position), token_id, stop_ids, self.options.seed
        )
        self.branches.append(branch)
        self.switch_branch(len(self.branches) - 1)

    def restore_branches(self, branches: list[Branch]) -> None:
        """Replace every branch (a session file's); none is current until switched to."""
        self.branches, self.branch_index = list(branches), None
        self._changed()

    def switch_branch(self, index: int) -> None:
        s = self.session
        if self.running or not 0 <= index < len(self.branches) or s.model is None:
            return
        branch = self.branches[index]
        self.branch_index = index
        s.prompt_state.set_chat_mode(branch.mode == CHAT)
        text = branch.base_prompt if s.chat_mode else s.model.decode(branch.ids)
        s.show_prompt_silently(text)
        s.analyse_tokens(branch.ids)
        self._changed()

    def forget(self) -> None:
        """A new model: its token ids differ, so no branch continues."""
        self.branches, self.branch_index, self.status = [], None, ""

    # --- the worker's answers ------------------------------------------------------------------
    def _on_generated(self, step: jobs.GeneratedStep) -> None:
        branch = self.current_branch
        if branch is None:
            return
        branch.tokens.append(step.token)
        if step.snapshot is not None:  # the worker sends a full snapshot a few times a second
            self._pending = step.snapshot
        self._changed()
        if not self._redraw_timer.isActive():
            self._redraw_timer.start()

    def _apply_snapshot(self) -> None:
        analysis, self._pending = self._pending, None
        if analysis is not None:
            self._show(analysis)

    def _show(self, analysis: Analysis) -> None:
        if analysis.source[0] == TEXT:
            self.session.show_prompt_silently(analysis.source[1])
        self.session.show_analysis(analysis)

    def _on_finished(self, result: jobs.GenerationResult) -> None:
        self._redraw_timer.stop()
        self._pending = None
        self.running = False
        self.status = result.summary()
        self._show(result.final)  # (a long sequence's statistics follow: Session)
        self._changed()
