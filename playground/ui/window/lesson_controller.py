"""Applies a lesson's step to the window: prompt, chat mode, sampler, attention view, the
token to select, the panels to show and the answer to hide, with the step's text beside
them; for an experiment, first a run pinned as A, then the knock-out and the attribution's
unit and target. Previous / Next walk the steps, and on into the next lesson."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu

from playground.engine.errors import PlaygroundError
from playground.engine.inspect.attention_view import Scope
from playground.engine.runtime.interventions import Interventions
from playground.engine.runtime.knock_out import KnockOut
from playground.engine.sampling.distribution import SamplingSettings
from playground.lessons import Lesson, Step, lesson_folders, load_lessons
from playground.resources import resources_dir
from playground.ui.panels.lesson.lesson_panel import LessonPanel, lesson_text
from playground.ui.state.attention_view import AttentionView
from playground.ui.state.quiz import QuizState
from playground.ui.state.search_view import DEFAULT_TOP
from playground.ui.state.sentences_view import OWN
from playground.ui.state.session import Session
from playground.ui.window.docks import make_room_for_quiz


class LessonController(QObject):
    step_shown = Signal()  # a step was applied (the presenter follows it)

    def __init__(
        self,
        window: QMainWindow,
        session: Session,
        lesson_panel: LessonPanel,
        docks: dict[str, QDockWidget],
        quiz: QuizState | None = None,
    ) -> None:
        super().__init__(window)
        self.window, self.session, self.lesson_panel, self.docks = (
            window,
            session,
            lesson_panel,
            docks,
        )
        self.lessons: list[Lesson] = []
        self.problems: list[str] = []
        self.current: int | None = None  # the lesson shown
        self.step_index = 0  # its step shown
        self.quiz = quiz
        self.extra_actions: list[QAction] = []
        self.arranges_docks = True  # (presenter mode arranges them itself)
        self._pending_select: str | None = None
        self._lesson_name = ""
        self._pending_pin: Step | None = None  # A is being analysed; B comes after it
        self._layout_before_quiz: QByteArray | None = None  # if a quiz step opened the
        # Quiz: the docks as they were (to give back the room after it)
        self.menu = QMenu(self.tr("&Lessons"), window)
        lesson_panel.previous_requested.connect(lambda: self.walk(-1))
        lesson_panel.next_requested.connect(lambda: self.walk(+1))
        session.analysis_changed.connect(self._select_pending_token)
        self.reload()

    def reload(self) -> None:
        """Read the lesson files again (the app's and the user's) and rebuild the menu."""
        self.lessons, self.problems = load_lessons(lesson_folders(resources_dir() / "lessons"))
        self.menu.clear()
        for i, lesson in enumerate(self.lessons):
            steps = len(lesson.steps)
            action = QAction(f"{i + 1}. {lesson_text(lesson.title)}", self.menu)
            if steps > 1:
                action.setToolTip(self.tr("{n} steps").format(n=steps))
            if i < 9:
                action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            action.triggered.connect(lambda _=False, index=i: self.apply(index))
            self.menu.addAction(action)
        self.menu.addSeparator()
        for text, shortcut, slot in (
            (self.tr("Previous step"), "Alt+Left", lambda: self.walk(-1)),
            (self.tr("Next step"), "Alt+Right", lambda: self.walk(1)),
            (self.tr("Previous lesson"), "Ctrl+PgUp", lambda: self.step(-1)),
            (self.tr("Next lesson"), "Ctrl+PgDown", lambda: self.step(1)),
        ):
            action = self.menu.addAction(text)
            action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(lambda _=False, f=slot: f())
        self.menu.addSeparator()
        for action in self.extra_actions:  # the classroom's (quiz, presenter mode)
            self.menu.addAction(action)
        reload_action = self.menu.addAction(self.tr("Reload lesson files"))
        reload_action.setToolTip(
            self.tr("Read the lesson files again, e.g. after writing your own.")
        )
        reload_action.triggered.connect(self.reload)
        for problem in self.problems:
            broken = self.menu.addAction(
                self.tr("Could not read: {problem}").format(problem=problem)
            )
            broken.setEnabled(False)

    def step(self, delta: int) -> None:
        """The previous or next lesson, from its first step."""
        if not self.lessons:
            return
        start = -1 if self.current is None and delta > 0 else (self.current or 0)
        self.apply(min(max(start + delta, 0), len(self.lessons) - 1))

    def walk(self, delta: int) -> None:
        """The previous or next step; past a lesson's last step, the next lesson's first
        (back from a first step: the previous lesson's last)."""
        if not self.lessons:
            return
        if self.current is None:
            self.apply(0)
            return
        lesson, step = self.current, self.step_index + delta
        if step >= len(self.lessons[lesson].steps):
            if lesson + 1 >= len(self.lessons):
                return
            lesson, step = lesson + 1, 0
        elif step < 0:
            if lesson == 0:
                return
            lesson -= 1
            step = len(self.lessons[lesson].steps) - 1
        self.apply(lesson, step)

    @property
    def shown_step(self) -> Step | None:
        if self.current is None:
            return None
        return self.lessons[self.current].steps[self.step_index]

    def apply(self, index: int, step_index: int = 0) -> None:
        lesson = self.lessons[index]
        step = lesson.steps[min(max(step_index, 0), len(lesson.steps) - 1)]
        window, session, docks = self.window, self.session, self.docks
        self.current, self.step_index = index, lesson.steps.index(step)
        session.abandon_generation()
        session.set_chat_mode(step.chat)
        session.set_sampling(SamplingSettings.from_dict(step.sampling))  # unnamed ones: defaults
        view = AttentionView()
        if step.scope is not None:
            view = AttentionView(scope=Scope(step.scope))
        session.set_attention_view(
            view,
            layer=step.layer if step.layer is not None else view.layer,
            head=step.head if step.head is not None else view.head,
            all_layers=bool(step.all_layers),
            hide_first=bool(step.hide_first),
        )
        if step.compare is not None:
            session.compared_words.set_words(*step.compare)
        self._pending_select = step.select
        session.select_token(None)
        session.pinned.clear()
        ablation = "mean" if step.ablation == "mean" else "zero"
        session.interventions.set(Interventions(KnockOut(ablation=ablation)))
        if step.panel == "inside_layer":  # its layer and head
            inside = session.layer_trace
            inside.set_layer(step.layer or 0)
            inside.set_head(step.head or 0)
            inside.set_step(0)
            inside.set_all_steps(False)
        session.attribution.set_unit(step.unit or "word")
        session.attribution.set_target(self._target_id(step))
        if step.sentences:
            session.sentences.set_sentences(list(step.sentences), OWN)
        if step.finetune:
            session.finetune.use_preset(step.finetune)
        self._set_up_lab(step)
        if step.query:
            session.search.set_top(step.passages or DEFAULT_TOP)
            (session.search.ask if step.rag else session.search.search)(step.query)
        self._pending_pin = step if step.pin is not None else None
        self._lesson_name = lesson.path.name
        if self.quiz is not None:  # the step's hidden answer, or none
            if step.hide is not None:
                self.quiz.hide(step.hide, step.count, lesson_text(step.question))
            elif self.quiz.kind is not None:
                self.quiz.end()
        if step.pin is not None:  # A first (intact); B once A is pinned
            session.set_prompt(step.prompt if step.pin == "intact" else step.pin, True)
        else:
            self._run_b(step)
        self.lesson_panel.show_lesson(lesson, index, len(self.lessons), self.step_index)
        lesson_dock = docks["lesson"]
        first_time = not lesson_dock.isVisible()
        shown = ["lesson", *reversed(step.panels)]  # the first panel raised last: in front
        if self.arranges_docks and step.hide is None and self._layout_before_quiz is not None:
            # the lesson opened the Quiz for its quiz, which is over: the room it took back
            window.restoreState(self._layout_before_quiz)
            self._layout_before_quiz = None
        for key in shown if self.arranges_docks else ():  # to the front (docks share places)
            docks[key].show()
            docks[key].raise_()
        if (
            first_time and self.arranges_docks and not lesson_dock.isFloating()
        ):  # room for the text under the chart
            height = window.height()
            window.resizeDocks(
                [docks["next_token"], lesson_dock],
                [int(height * 0.55), int(height * 0.35)],
                Qt.Orientation.Vertical,
            )
        if self.arranges_docks and step.hide is not None:
            if not docks["quiz"].isVisible():
                self._layout_before_quiz = window.saveState()
                docks["quiz"].show()
                make_room_for_quiz(window, docks)
            docks["quiz"].raise_()
        self.step_shown.emit()

    def _set_up_lab(self, step: Step) -> None:
        """The Causal lab's tab, a patching run, a steering of the step's run."""
        lab, causal = step.lab, self.session.causal
        if lab is None:
            causal.steering.set_enabled(False)
            return
        if lab.tab is not None:
            self.window.causal.show_tab(lab.tab)
        if lab.threshold is not None:
            causal.routes.set_threshold(lab.threshold)
        if lab.patch is not None:
            causal.patching.set_inputs(*lab.patch, lab.site)
            causal.patching.run()
        steering = causal.steering
        if lab.steer is None:
            steering.set_enabled(False)
            return
        steering.set_texts(*lab.steer)
        if lab.steer_layer is not None:
            steering.set_layer(lab.steer_layer)
        steering.set_strength(lab.strength)
        steering.set_enabled(True)

    def compare_prompts(self, a: str, b: str) -> None:
        """Pin chat prompt `a` as A, then show `b` (RAG: the question alone, then with the
        passages found), in every panel."""
        session = self.session
        session.abandon_generation()
        session.set_chat_mode(True)
        session.pinned.clear()
        session.interventions.set(Interventions())
        self._pending_select = "last"
        self._pending_pin = Step(prompt=b, text="", chat=True, pin=a)
        session.set_prompt(a, immediate=True)
        for key in ("tokenization", "next_token"):
            self.docks[key].show()
            self.docks[key].raise_()

    def _target_id(self, step: Step) -> int | None:
        lm = self.session.model
        if step.target is None or lm is None:
            return None
        ids = lm.encode(step.target, special=False, continues=True)
        return ids[0] if ids else None

    def _run_b(self, step: Step) -> None:
        """The step's own run: its knock-out and its prompt."""
        session = self.session
        info = session.model_info
        if step.knock_out and info is not None:
            try:
                parts = KnockOut.parse(step.knock_out, info.architecture)
            except PlaygroundError as error:
                session.report_error(f"{self._lesson_name}: {error}")
            else:
                session.interventions.set_knocked_out(parts)
        session.set_prompt(step.prompt, immediate=True)

    def _pin_pending_run(self) -> bool:
        """If A's analysis is here, pin it and start B; True while A is still awaited."""
        step, session = self._pending_pin, self.session
        if step is None:
            return False
        analysis = session.analysis
        if analysis is None or not session.analysis_is_current:
            return True
        self._pending_pin = None
        session.pin_current()
        self._run_b(step)
        return True

    def _select_pending_token(self) -> None:
        if self._pin_pending_run():
            return
        session = self.session
        analysis = session.analysis
        if self._pending_select is None or analysis is None or not session.analysis_is_current:
            return
        wanted, self._pending_select = self._pending_select, None
        if wanted == "last":
            session.select_token(analysis.n_tokens - 1 if analysis.n_tokens else None)
            return
        for index in reversed(range(analysis.n_tokens)):
            piece = analysis.pieces[index]
            if (piece.text or "").strip() == wanted.strip():
                session.select_token(index)
                return
