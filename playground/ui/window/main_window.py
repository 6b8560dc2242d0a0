"""The main window: the prompt editor, the panels in docks (their keys and titles in
docks.py), the status line, and what the window does with files: export, sessions,
opening a model."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QIcon
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from playground.engine.errors import PlaygroundError
from playground.resources import app_icon_path
from playground.ui.language import LANGUAGES, chosen_language, install_language
from playground.ui.language import SETTING as LANGUAGE_SETTING
from playground.ui.panels.attention.attention_panel import AttentionPanel
from playground.ui.panels.attribution.attribution_panel import AttributionPanel
from playground.ui.panels.causal.causal_panel import CausalPanel
from playground.ui.panels.embeddings.embedding_panel import EmbeddingPanel
from playground.ui.panels.finetune.finetune_panel import FinetunePanel
from playground.ui.panels.generation.generation_panel import GenerationPanel
from playground.ui.panels.inside_layer.inside_layer_panel import InsideLayerPanel
from playground.ui.panels.lesson.lesson_panel import LessonPanel
from playground.ui.panels.logit_lens.logit_lens_panel import LogitLensPanel
from playground.ui.panels.next_token.next_token_panel import NextTokenPanel
from playground.ui.panels.quiz.quiz_panel import QuizPanel
from playground.ui.panels.search.search_panel import SearchPanel
from playground.ui.panels.sentences.sentences_panel import SentencesPanel
from playground.ui.panels.tokenization.tokenization_panel import TokenizationPanel
from playground.ui.state.appearance import Appearance
from playground.ui.state.quiz import QuizState
from playground.ui.state.session import Session
from playground.ui.state.settings import (
    app_settings,
    open_checked_settings,
)
from playground.ui.widgets.curtain import Curtained
from playground.ui.window.about import about_box
from playground.ui.window.classroom import Classroom
from playground.ui.window.docks import TITLES, add_docks, apply_default_layout
from playground.ui.window.export import DATA_SUFFIXES, ExportsRows, export_data, export_picture
from playground.ui.window.file_dialogs import (
    choose_export,
    choose_session_to_open,
    choose_session_to_save,
)
from playground.ui.window.finetune_controller import FinetuneController
from playground.ui.window.lesson_controller import LessonController
from playground.ui.window.loading_page import LoadingPage
from playground.ui.window.menus import build_menus
from playground.ui.window.open_model_dialog import OpenModelDialog
from playground.ui.window.prompt_editor import PromptEditor
from playground.ui.window.session_file import (
    read_session,
    restore_session,
    save_session,
)
from playground.ui.window.status_line import StatusLine
from playground.ui.window.window_settings import restore_window_settings, save_window_settings
from playground.ui.worker.runner import ModelRunner


class MainWindow(QMainWindow):
    def __init__(self, runner: ModelRunner, persist: bool = True) -> None:
        super().__init__()
        self.runner = runner
        self.persist = persist
        self.settings, self.settings_problem = open_checked_settings() if persist else (None, None)
        self.language = chosen_language(self.settings)
        if persist:  # the stored language, before any widget is made
            install_language(self.language)
        self.session = Session(runner)
        self.setWindowTitle("LLM Playground")
        self.setWindowIcon(QIcon(str(app_icon_path())))
        self.setDockNestingEnabled(True)
        self.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
        self.setCorner(Qt.Corner.TopRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)

        self.loading = LoadingPage()
        self.editor = PromptEditor(self.session)
        editor_box = QWidget()
        box = QVBoxLayout(editor_box)
        box.setContentsMargins(6, 6, 6, 0)
        box.addWidget(
            QLabel(self.tr("<b>Prompt</b> — what the model reads. Edit it and watch every panel."))
        )
        box.addWidget(self.editor)
        self.status_line = StatusLine(self.session, self.statusBar())
        box.addWidget(self.status_line.prompt_notice)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.loading)
        self.pages.addWidget(editor_box)
        self.setCentralWidget(self.pages)

        self.tokenization = TokenizationPanel(self.session, self.session.attribution)
        self.next_token = NextTokenPanel(self.session)
        self.embeddings = EmbeddingPanel(self.session)
        self.generation = GenerationPanel(self.session)
        self.logit_lens = LogitLensPanel(self.session)
        self.attention = AttentionPanel(self.session)
        self.attribution = AttributionPanel(self.session, self.session.attribution)
        self.inside_layer = InsideLayerPanel(self.session, self.session.layer_trace)
        self.sentences = SentencesPanel(self.session.sentences)
        self.search = SearchPanel(self.session.search)
        self.finetune = FinetunePanel(self.session)
        self.causal = CausalPanel(self.session)
        self.lesson_panel = LessonPanel()
        self.quiz = QuizPanel(QuizState())
        self.docks = add_docks(  # the panels by key, in menu order
            self, {key: getattr(self, "lesson_panel" if key == "lesson" else key) for key in TITLES}
        )
        # The logit lens, attribution and inside a layer cost model runs: only while on screen.
        for key, derived in (
            ("logit_lens", self.session.lens_view),
            ("attribution", self.session.attribution),
            ("inside_layer", self.session.layer_trace),
        ):
            self.docks[key].visibilityChanged.connect(derived.set_wanted)
        self._restored_layout = False

        self.lessons = LessonController(
            self,
            self.session,
            self.lesson_panel,
            self.docks,
        )
        self.search.compare_requested.connect(self.lessons.compare_prompts)
        self.variants = FinetuneController(self, self.session)  # before (A) and after (B)
        self.finetune.compare_requested.connect(self.variants.compare)
        self.finetune.open_requested.connect(self.variants.open)
        self.causal.panel_requested.connect(self.show_panel)  # an edge's layer's attention
        self._set_docks_visible(False)
        self.appearance = Appearance()
        self.classroom = Classroom(self)  # the quiz and presenter mode

        runner.load_progress.connect(self.loading.show_progress)
        runner.load_failed.connect(self._on_load_failed)
        self.loading.cancel_requested.connect(self._on_cancel_loading)
        self.loading.retry_requested.connect(self.start_loading)
        self.session.model_changed.connect(self._on_model_ready)
        self.model_source: object = None
        self._switch_source: object = None  # a model being opened while another is in use
        self.switch_progress: QProgressDialog | None = None
        self.error_dialog: QMessageBox | None = None
        self.about_box: QMessageBox | None = None
        runner.load_progress.connect(self._on_switch_progress)
        self.theme_actions = build_menus(self, self.lessons.menu)
        self._restore_settings()

    # --- export, sessions, appearance, about ---------------------------------------------------
    def export_panel(self, key: str, path: Path) -> Path:
        """Save panel `key` as a picture (.png, .svg) or its data (.csv, .json)."""
        widget = self.docks[key].widget() if key in self.docks else None
        panel = widget.panel if isinstance(widget, Curtained) else widget
        if key in self.classroom.controller.hidden_panels():
            raise PlaygroundError(
                self.tr("The {title} panel is hidden until the answer is revealed.").format(
                    title=self.docks[key].windowTitle()
                )
            )
        if Path(path).suffix.lower() in DATA_SUFFIXES:
            if not isinstance(panel, ExportsRows):
                raise PlaygroundError(
                    self.tr("The {title} panel has no data to export.").format(
                        title=self.docks[key].windowTitle()
                    )
                )
            s = self.session
            context = {
                "panel": key,
                "model": s.model_info.name if s.model_info else None,
                "prompt": s.prompt,
                "chat_mode": s.chat_mode,
                **(panel.export_context() if hasattr(panel, "export_context") else {}),
            }
            return export_data(panel.export_rows(), context, path)
        self.show_panel(key)
        assert panel is not None
        return export_picture(panel, path)

    def choose_export(self, key: str, picture: bool) -> None:
        choose_export(self, key, picture)

    def save_session_file(self, path: Path) -> Path:
        return save_session(self.session, self, path)

    def open_session_file(self, path: Path) -> list[str]:
        """Restore a saved session; raise PlaygroundError (changing nothing) if it is bad."""
        notes = restore_session(self.session, self, read_session(path))
        self._restored_layout = True
        return notes

    def choose_session_to_save(self) -> None:
        choose_session_to_save(self)

    def choose_session_to_open(self) -> None:
        choose_session_to_open(self)

    @property
    def theme(self) -> str:
        return self.appearance.theme

    @property
    def text_points(self) -> float:
        return self.appearance.text_points

    def set_theme(self, theme: str) -> None:
        self.appearance.set(theme=theme)
        self.theme_actions[self.theme].setChecked(True)

    def set_text_size(self, points: float) -> None:
        self.appearance.set(points=points)

    def set_language(self, code: str) -> None:
        """Keep the choice; the window is built in it when the app starts next."""
        self.language = code
        if self.persist:
            app_settings().setValue(LANGUAGE_SETTING, code)
        self.show_error(
            self.tr("Language"),
            self.tr("LLM Playground will be in {language} the next time it starts.").format(
                language=LANGUAGES[code]
            ),
        )

    def show_about(self) -> None:
        self.about_box = about_box(self, self.session.model_info)
        self.about_box.open()

    # --- model loading ----------------------------------------------------------------------
    def start_loading(self, source: object = None) -> None:
        if source is not None:
            self.model_source = source
        self.pages.setCurrentWidget(self.loading)
        self.loading.show_progress(self.tr("Looking for the model…"), 0, 0)
        self.runner.load(self.model_source)

    def _on_cancel_loading(self) -> None:
        self.loading.cancel.setEnabled(False)
        self.loading.stage.setText(self.tr("Cancelling…"))
        self.runner.cancel_load()

    def choose_model_file(self) -> None:
        """File → Open model: the models found on the machine, or any file."""
        dialog = OpenModelDialog(self)
        dialog.chosen.connect(self.open_model)
        self.open_model_dialog = dialog  # (kept for tests)
        dialog.open()

    def open_model(self, source: object) -> None:
        """Open another model. If one is in use it stays in use until the new one is
        ready; if the new one cannot be opened, a dialog says why and nothing changes."""
        if self.session.model_info is None:
            self.start_loading(source)
            return
        self.session.abandon_generation()
        self._switch_source = source
        self.switch_progress = QProgressDialog(
            self.tr("Opening {source}…").format(source=source), self.tr("Cancel"), 0, 0, self
        )
        self.switch_progress.setWindowTitle(self.tr("Opening a model"))
        self.switch_progress.setMinimumDuration(0)
        self.switch_progress.canceled.connect(self.runner.cancel_load)
        self.switch_progress.show()
        self.runner.load(source)

    def _on_switch_progress(self, stage: str, done: int, total: int) -> None:
        if self.switch_progress is not None:
            self.switch_progress.setLabelText(f"{stage}…")
            self.switch_progress.setMaximum(max(total, 0))
            self.switch_progress.setValue(min(done, total) if total else 0)

    def _end_switch(self) -> object:
        source, self._switch_source = self._switch_source, None
        if self.switch_progress is not None:
            self.switch_progress.canceled.disconnect()
            self.switch_progress.close()
            self.switch_progress.deleteLater()
            self.switch_progress = None
        return source

    def _on_load_failed(self, message: str, cancelled: bool) -> None:
        if self._switch_source is not None:
            source = self._end_switch()
            info = self.session.model_info
            title = info.title if info else self.tr("the model")
            reason = self.tr("Cancelled; nothing half-finished was kept.") if cancelled else message
            self.show_error(
                self.tr("Could not open the model"),
                self.tr(
                    "{source} could not be opened.\n\n{reason}\n\n"
                    "Still using {title}; nothing else changed."
                ).format(source=source, reason=reason, title=title),
            )
            return
        if cancelled:
            message = self.tr("Cancelled. Nothing half-finished was kept; you can try again.")
        self.loading.show_failure(message)

    def show_error(self, title: str, text: str) -> None:
        """A dialog that does not block the event loop (the model keeps working behind it)."""
        if self.error_dialog is not None:
            self.error_dialog.close()
        self.error_dialog = QMessageBox(QMessageBox.Icon.Warning, title, text, parent=self)
        self.error_dialog.open()

    def _on_model_ready(self) -> None:
        if self._switch_source is not None:
            self.model_source = self._end_switch()
        self.pages.setCurrentIndex(1)
        self._set_docks_visible(True)
        if not self._restored_layout:
            apply_default_layout(self, self.docks)
        self.status_line.update()
        self.editor.setFocus()

    def show_panel(self, key: str) -> None:
        """Bring a panel's dock to the front (it may share its place with another)."""
        self.docks[key].show()
        self.docks[key].raise_()

    def _set_docks_visible(self, visible: bool) -> None:
        for key, dock in self.docks.items():
            unused = (key == "lesson" and self.lessons.current is None) or (
                key == "quiz" and self.quiz.quiz.kind is None
            )
            dock.setVisible(visible and not unused)

    # --- settings -----------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        restore_window_settings(self)

    def save_settings(self) -> None:
        save_window_settings(self)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.classroom.presenter.leave()  # (its text size and layout are not kept)
        self.save_settings()
        self.session.close()
        self.runner.shutdown()
        super().closeEvent(event)
