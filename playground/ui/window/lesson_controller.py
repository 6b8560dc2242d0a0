"""Applies a lesson to the window: prompt, chat mode, sampler, attention view, the token
to select and the panel to show, with the lesson's text beside them; for an experiment,
first a run pinned as A, then the knock-out and the attribution's unit and target."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu

from playground.engine.errors import PlaygroundError
from playground.engine.inspect.attention_view import Scope
from playground.engine.runtime.knock_out import KnockOut
from playground.engine.sampling.distribution import SamplingSettings
from playground.lessons import Lesson, lesson_folders, load_lessons
from playground.resources import resources_dir
from playground.ui.panels.lesson.lesson_panel import LessonPanel
from playground.ui.panels.search.search_panel import SearchPanel
from playground.ui.panels.sentences.sentences_panel import SentencesPanel
from playground.ui.state.attention_view import AttentionView
from playground.ui.state.attribution_view import AttributionView
from playground.ui.state.layer_trace_view import LayerTraceView
from playground.ui.state.session import Session


class LessonController(QObject):
    def __init__(
        self,
        window: QMainWindow,
        session: Session,
        lesson_panel: LessonPanel,
        docks: dict[str, QDockWidget],
        attribution: AttributionView | None = None,
        inside: LayerTraceView | None = None,
        retrieval: tuple[SentencesPanel, SearchPanel] | None = None,
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
        self.current: int | None = None
        self.attribution, self.inside, self.retrieval = attribution, inside, retrieval
        self._pending_select: str | None = None
        self._pending_pin: Lesson | None = None  # A is being analysed; B comes after it
        self.menu = QMenu("&Lessons", window)
        lesson_panel.previous_requested.connect(lambda: self.step(-1))
        lesson_panel.next_requested.connect(lambda: self.step(+1))
        session.analysis_changed.connect(self._select_pending_token)
        self.reload()

    def reload(self) -> None:
        """Read the lesson files again (the app's and the user's) and rebuild the menu."""
        self.lessons, self.problems = load_lessons(lesson_folders(resources_dir() / "lessons"))
        self.menu.clear()
        for i, lesson in enumerate(self.lessons):
            action = QAction(f"{i + 1}. {lesson.title}", self.menu)
            if i < 9:
                action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            action.triggered.connect(lambda _=False, index=i: self.apply(index))
            self.menu.addAction(action)
        self.menu.addSeparator()
        for text, shortcut, delta in (
            ("Previous lesson", "Ctrl+PgUp", -1),
            ("Next lesson", "Ctrl+PgDown", 1),
        ):
            action = self.menu.addAction(text)
            action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(lambda _=False, d=delta: self.step(d))
        reload_action = self.menu.addAction("Reload lesson files")
        reload_action.setToolTip("Read the lesson files again, e.g. after writing your own.")
        reload_action.triggered.connect(self.reload)
        for problem in self.problems:
            broken = self.menu.addAction(f"Could not read: {problem}")
            broken.setEnabled(False)

    def step(self, delta: int) -> None:
        if not self.lessons:
            return
        start = -1 if self.current is None and delta > 0 else (self.current or 0)
        self.apply(min(max(start + delta, 0), len(self.lessons) - 1))

    def apply(self, index: int) -> None:
        lesson = self.lessons[index]
        window, session, docks = self.window, self.session, self.docks
        self.current = index
        session.abandon_generation()
        session.set_chat_mode(lesson.chat)
        session.set_sampling(SamplingSettings.from_dict(lesson.sampling))  # unnamed ones: defaults
        view = AttentionView()
        if lesson.scope is not None:
            view = AttentionView(scope=Scope(lesson.scope))
        session.set_attention_view(
            view,
            layer=lesson.layer if lesson.layer is not None else view.layer,
            head=lesson.head if lesson.head is not None else view.head,
            all_layers=bool(lesson.all_layers),
            hide_first=bool(lesson.hide_first),
        )
        if lesson.compare is not None:
            session.compared_words.set_words(*lesson.compare)
        self._pending_select = lesson.select
        session.select_token(None)
        session.pinned.clear()
        session.knock_outs.set(KnockOut(ablation="mean" if lesson.ablation == "mean" else "zero"))
        if self.inside is not None and lesson.panel == "inside_layer":  # its layer and head
            self.inside.set_layer(lesson.layer or 0)
            self.inside.set_head(lesson.head or 0)
            self.inside.set_step(0)
            self.inside.set_all_steps(False)
        if self.attribution is not None:
            self.attribution.set_unit(lesson.unit or "word")
            self.attribution.set_target(self._target_id(lesson))
        if self.retrieval is not None:
            sentences, search = self.retrieval
            if lesson.sentences:
                sentences.set_sentences(list(lesson.sentences))
            if lesson.query:
                search.run_query(lesson.query, ask=lesson.rag, top=lesson.passages)
        self._pending_pin = lesson if lesson.pin is not None else None
        if lesson.pin is not None:  # A first (intact); B once A is pinned
            session.set_prompt(lesson.prompt if lesson.pin == "intact" else lesson.pin, True)
        else:
            self._run_b(lesson)
        self.lesson_panel.show_lesson(lesson, index, len(self.lessons))
        lesson_dock = docks["lesson"]
        first_time = not lesson_dock.isVisible()
        for key in ("lesson", lesson.panel):  # to the front (a dock may share its place)
            docks[key].show()
            docks[key].raise_()
        if first_time and not lesson_dock.isFloating():  # room for the text under the chart
            height = window.height()
            window.resizeDocks(
                [docks["next_token"], lesson_dock],
                [int(height * 0.55), int(height * 0.35)],
                Qt.Orientation.Vertical,
            )

    def compare_prompts(self, a: str, b: str) -> None:
        """Pin chat prompt `a` as A, then show `b` (RAG: the question alone, then with the
        passages found), in every panel."""
        session = self.session
        session.abandon_generation()
        session.set_chat_mode(True)
        session.pinned.clear()
        session.knock_outs.set(KnockOut())
        self._pending_select = "last"
        self._pending_pin = Lesson(Path("compare"), "Compare", prompt=b, text="", chat=True, pin=a)
        session.set_prompt(a, immediate=True)
        for key in ("tokenization", "next_token"):
            self.docks[key].show()
            self.docks[key].raise_()

    def _target_id(self, lesson: Lesson) -> int | None:
        lm = self.session.model
        if lesson.target is None or lm is None:
            return None
        ids = lm.encode(lesson.target, special=False, continues=True)
        return ids[0] if ids else None

    def _run_b(self, lesson: Lesson) -> None:
        """The lesson's own run: its knock-out and its prompt."""
        session = self.session
        info = session.model_info
        if lesson.knock_out and info is not None:
            try:
                parts = KnockOut.parse(lesson.knock_out, info.architecture)
            except PlaygroundError as error:
                session.error = f"{lesson.path.name}: {error}"  # shown in the status line
                session.status_changed.emit()
            else:
                session.knock_outs.set(
                    KnockOut(parts.heads, parts.mlps, session.knock_outs.knock_out.ablation)
                )
        session.set_prompt(lesson.prompt, immediate=True)

    def _pin_pending_run(self) -> bool:
        """If A's analysis is here, pin it and start B; True while A is still awaited."""
        lesson, session = self._pending_pin, self.session
        if lesson is None:
            return False
        analysis = session.analysis
        if analysis is None or not session.analysis_is_current:
            return True
        self._pending_pin = None
        session.pinned.pin(analysis, session.knock_outs.knock_out, session.sampling)
        self._run_b(lesson)
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
