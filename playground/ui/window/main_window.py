"""The main window: prompt editor, the four panels in docks, a status line."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QActionGroup, QCloseEvent, QFont, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from playground.engine.errors import PlaygroundError
from playground.engine.prompt.model_input import ANALYSIS_TOKEN_LIMIT
from playground.engine.sampling.distribution import SamplingSettings
from playground.resources import app_icon_path
from playground.ui.panels.attention.attention_panel import AttentionPanel
from playground.ui.panels.embeddings.embedding_panel import EmbeddingPanel
from playground.ui.panels.generation.generation_panel import GenerationPanel
from playground.ui.panels.lesson.lesson_panel import LessonPanel
from playground.ui.panels.logit_lens.logit_lens_panel import LogitLensPanel
from playground.ui.panels.next_token.next_token_panel import NextTokenPanel
from playground.ui.panels.tokenization.tokenization_panel import TokenizationPanel
from playground.ui.state.appearance import (
    DEFAULT_POINTS,
    MAX_POINTS,
    MIN_POINTS,
    THEMES,
    apply_appearance,
)
from playground.ui.state.session import Session
from playground.ui.state.settings import SettingsReader, app_settings, open_checked_settings
from playground.ui.widgets.on_screen import OnScreenUpdates
from playground.ui.window.export import DATA_SUFFIXES, export_data, export_picture
from playground.ui.window.lesson_controller import LessonController
from playground.ui.window.loading_page import LoadingPage
from playground.ui.window.session_file import (
    SESSION_SUFFIX,
    read_session,
    restore_session,
    save_session,
)
from playground.ui.worker.runner import ModelRunner

DEFAULT_PROMPT = "The cat sat on the"
STATE_VERSION = 1


class PromptEditor(QPlainTextEdit):
    """Edits Session.prompt; shows it when it changes elsewhere (e.g. a candidate click)."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.setPlaceholderText("Type a prompt…  e.g. The cat sat on the")
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.35)
        self.setFont(font)
        self.textChanged.connect(self._on_text_changed)
        session.prompt_changed.connect(self._on_prompt_changed)

    def _on_text_changed(self) -> None:
        self.session.set_prompt(self.toPlainText())

    def _on_prompt_changed(self) -> None:
        if self.toPlainText() == self.session.prompt:
            return
        self.blockSignals(True)
        self.setPlainText(self.session.prompt)
        self.blockSignals(False)
        cursor = self.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        self.setTextCursor(cursor)


class MainWindow(QMainWindow):
    def __init__(self, runner: ModelRunner, persist: bool = True) -> None:
        super().__init__()
        self.runner = runner
        self.persist = persist
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
            QLabel("<b>Prompt</b> — what the model reads. Edit it and watch every panel.")
        )
        box.addWidget(self.editor)
        self.prompt_notice = QLabel()  # what was changed on the way to the model, if anything
        self.prompt_notice.setWordWrap(True)
        self.prompt_notice.setStyleSheet("color: #9a6700;")
        self.prompt_notice.hide()
        box.addWidget(self.prompt_notice)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.loading)
        self.pages.addWidget(editor_box)
        self.setCentralWidget(self.pages)

        self.tokenization = TokenizationPanel(self.session)
        self.next_token = NextTokenPanel(self.session)
        self.embeddings = EmbeddingPanel(self.session)
        self.generation = GenerationPanel(self.session)
        self.logit_lens = LogitLensPanel(self.session)
        self.attention = AttentionPanel(self.session)
        self.lesson_panel = LessonPanel()
        self.docks: dict[str, QDockWidget] = {}
        for key, title, panel in (
            ("tokenization", "Tokenization", self.tokenization),
            ("next_token", "Next token", self.next_token),
            ("embeddings", "Embedding space", self.embeddings),
            ("attention", "Attention", self.attention),
            ("generation", "Generation", self.generation),
            ("logit_lens", "Logit lens", self.logit_lens),
            ("lesson", "Lesson", self.lesson_panel),
        ):
            dock = QDockWidget(title, self)
            dock.setObjectName(f"dock_{key}")
            dock.setWidget(panel)
            dock.setFeatures(
                QDockWidget.DockWidgetFeature.DockWidgetMovable
                | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            )
            self.docks[key] = dock
            if isinstance(panel, OnScreenUpdates):
                dock.visibilityChanged.connect(panel.set_on_screen)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.docks["next_token"])
        self.splitDockWidget(
            self.docks["next_token"], self.docks["lesson"], Qt.Orientation.Vertical
        )
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.docks["tokenization"])
        self.splitDockWidget(
            self.docks["tokenization"], self.docks["embeddings"], Qt.Orientation.Vertical
        )
        # The two big panels share the bottom as tabs, each with the full width; drag a tab
        # out to see both at once.
        self.tabifyDockWidget(self.docks["embeddings"], self.docks["attention"])
        self.tabifyDockWidget(self.docks["attention"], self.docks["logit_lens"])
        self.tabifyDockWidget(self.docks["tokenization"], self.docks["generation"])
        self.docks["tokenization"].raise_()
        # The logit lens costs a few hundred milliseconds of model-sized maths: only
        # computed while its panel is on screen.
        self.docks["logit_lens"].visibilityChanged.connect(self.session.set_lens_wanted)
        self._restored_layout = False

        self.status_model = QLabel()
        self.status_tokens = QLabel()
        self.status_timing = QLabel()
        self.status_error = QLabel()
        self.status_error.setStyleSheet("color: #c0392b;")
        for widget in (self.status_model, self.status_tokens, self.status_timing):
            self.statusBar().addWidget(widget)
        self.statusBar().addWidget(self.status_error, 1)
        self.lessons = LessonController(self)
        self._set_docks_visible(False)

        runner.load_progress.connect(self.loading.show_progress)
        runner.load_failed.connect(self._on_load_failed)
        self.loading.cancel_requested.connect(self._on_cancel_loading)
        self.loading.retry_requested.connect(self.start_loading)
        self.session.model_changed.connect(self._on_model_ready)
        self.session.status_changed.connect(self._update_status)
        self.session.analysis_changed.connect(self._update_status)
        self.model_source: object = None
        self._switch_source: object = None  # a model being opened while another is in use
        self.switch_progress: QProgressDialog | None = None
        self.error_dialog: QMessageBox | None = None
        self.about_box: QMessageBox | None = None
        self.settings_problem: str | None = None
        self.theme = "light"
        self.text_points = DEFAULT_POINTS
        runner.load_progress.connect(self._on_switch_progress)
        self._build_menus()
        self._restore_settings()

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._add_action(
            file_menu,
            "&Open model…",
            self.choose_model_file,
            QKeySequence.StandardKey.Open,
            "Open a GGUF file (converted once) or a converted bundle folder.",
        )
        file_menu.addSeparator()
        self._add_action(
            file_menu,
            "Open &session…",
            self.choose_session_to_open,
            "Ctrl+Shift+O",
            "Open a saved session: prompt, settings, branches and layout.",
        )
        self._add_action(
            file_menu,
            "&Save session…",
            self.choose_session_to_save,
            QKeySequence.StandardKey.Save,
            "Save the prompt, the sampler settings, the seed, every branch and the layout.",
        )
        export_menu = file_menu.addMenu("&Export")
        for key, dock in self.docks.items():
            if key == "lesson":
                continue
            title = dock.windowTitle()
            self._add_action(
                export_menu,
                f"{title}: picture (PNG, SVG)…",
                lambda _=False, k=key: self.choose_export(k, picture=True),
            )
            self._add_action(
                export_menu,
                f"{title}: data (CSV, JSON)…",
                lambda _=False, k=key: self.choose_export(k, picture=False),
            )
        file_menu.addSeparator()
        self._add_action(file_menu, "&Quit", self.close, QKeySequence.StandardKey.Quit)

        bar.addMenu(self.lessons.menu)

        generate_menu = bar.addMenu("&Generate")
        session = self.session
        for text, slot, keys, tip in (
            ("&Step", session.step, "Ctrl+Right", "Predict, sample and append one token."),
            (
                "&Generate",
                session.generate,
                "Ctrl+Return",
                "Repeat until end of text or the limit.",
            ),
            ("S&top", session.stop_generation, "Escape", "Stop generating."),
        ):
            self._add_action(generate_menu, text, lambda _=False, f=slot: f(), keys, tip)

        view_menu = bar.addMenu("&View")
        themes = QActionGroup(self)
        self.theme_actions = {}
        for theme in THEMES:
            action = self._add_action(
                view_menu, f"{theme.capitalize()} theme", lambda _=False, t=theme: self.set_theme(t)
            )
            action.setCheckable(True)
            themes.addAction(action)
            self.theme_actions[theme] = action
        view_menu.addSeparator()
        self._add_action(
            view_menu, "&Larger text", lambda: self.set_text_size(self.text_points + 1), "Ctrl+="
        )
        self._add_action(
            view_menu, "S&maller text", lambda: self.set_text_size(self.text_points - 1), "Ctrl+-"
        )
        self._add_action(
            view_menu, "&Normal text size", lambda: self.set_text_size(DEFAULT_POINTS), "Ctrl+0"
        )

        help_menu = bar.addMenu("&Help")
        self._add_action(help_menu, "&About LLM Playground", self.show_about)

    def _add_action(self, menu, text, slot, shortcut=None, tip=None):  # -> QAction
        action = menu.addAction(text)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    # --- export, sessions, appearance, about ---------------------------------------------------
    def export_panel(self, key: str, path: Path) -> Path:
        """Save panel `key` as a picture (.png, .svg) or its data (.csv, .json)."""
        if Path(path).suffix.lower() in DATA_SUFFIXES:
            return export_data(self, key, path)
        self.show_panel(key)
        return export_picture(self.docks[key].widget(), path)

    def choose_export(self, key: str, picture: bool) -> None:
        title = self.docks[key].windowTitle()
        filters = (
            "PNG picture (*.png);;SVG drawing (*.svg)"
            if picture
            else "CSV table (*.csv);;JSON (*.json)"
        )
        default = Path.home() / f"{key.replace('_', '-')}.{'png' if picture else 'csv'}"
        path, chosen = QFileDialog.getSaveFileName(self, f"Export {title}", str(default), filters)
        if not path:
            return
        target = Path(path)
        if not target.suffix:
            target = target.with_suffix("." + chosen.split("*.")[-1].rstrip(")"))
        try:
            saved = self.export_panel(key, target)
        except PlaygroundError as error:
            self.show_error("Could not export", str(error))
            return
        self.statusBar().showMessage(f"Saved {saved}", 5000)

    def save_session_file(self, path: Path) -> Path:
        return save_session(self, path)

    def open_session_file(self, path: Path) -> list[str]:
        """Restore a saved session; raise PlaygroundError (changing nothing) if it is bad."""
        notes = restore_session(self, read_session(path))
        self._restored_layout = True
        return notes

    def choose_session_to_save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            "Save session",
            str(Path.home() / f"session{SESSION_SUFFIX}"),
            f"LLM Playground sessions (*{SESSION_SUFFIX})",
        )
        if path:
            try:
                saved = self.save_session_file(Path(path))
            except PlaygroundError as error:
                self.show_error("Could not save the session", str(error))
                return
            self.statusBar().showMessage(f"Saved {saved}", 5000)

    def choose_session_to_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Open session", str(Path.home()), f"LLM Playground sessions (*{SESSION_SUFFIX})"
        )
        if path:
            try:
                notes = self.open_session_file(Path(path))
            except PlaygroundError as error:
                self.show_error("Could not open the session", f"{error}\n\nNothing changed.")
                return
            if notes:
                self.show_error("Session opened, with a difference", "\n\n".join(notes))

    def set_theme(self, theme: str) -> None:
        self.theme = theme if theme in THEMES else "light"
        self.theme_actions[self.theme].setChecked(True)
        apply_appearance(self.theme, self.text_points)

    def set_text_size(self, points: float) -> None:
        self.text_points = min(max(float(points), MIN_POINTS), MAX_POINTS)
        apply_appearance(self.theme, self.text_points)

    def show_about(self) -> None:
        info = self.session.model_info
        model = (
            f"<p><b>Model:</b> {info.title} — license {info.license or 'unknown'}<br>"
            f"from {info.source_file}, sha256 {info.source_sha256[:16]}…</p>"
            if info
            else "<p>No model loaded yet.</p>"
        )
        self.about_box = QMessageBox(
            QMessageBox.Icon.Information,
            "About LLM Playground",
            "<h3>LLM Playground</h3><p>Watch a real small language model think: tokens, "
            "embeddings, attention and next-token prediction, live and offline.</p>"
            f"{model}<p>SmolLM2-135M-Instruct is © Hugging Face, Apache-2.0. "
            "LLM Playground is Apache-2.0.</p>",
            parent=self,
        )
        self.about_box.setIconPixmap(self.windowIcon().pixmap(64, 64))
        self.about_box.open()

    # --- model loading ----------------------------------------------------------------------
    def start_loading(self, source: object = None) -> None:
        if source is not None:
            self.model_source = source
        self.pages.setCurrentWidget(self.loading)
        self.loading.show_progress("Looking for the model…", 0, 0)
        self.runner.load(self.model_source)

    def _on_cancel_loading(self) -> None:
        self.loading.cancel.setEnabled(False)
        self.loading.stage.setText("Cancelling…")
        self.runner.cancel_load()

    def choose_model_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            "Open a model",
            str(Path.home()),
            "GGUF models (*.gguf);;Converted bundles (bundle.json);;All files (*)",
        )
        if path:
            chosen = Path(path)
            self.open_model(chosen.parent if chosen.name == "bundle.json" else chosen)

    def open_model(self, source: object) -> None:
        """Open another model. If one is in use it stays in use until the new one is
        ready; if the new one cannot be opened, a dialog says why and nothing changes."""
        if self.session.model_info is None:
            self.start_loading(source)
            return
        self.session.abandon_generation()
        self._switch_source = source
        self.switch_progress = QProgressDialog(f"Opening {source}…", "Cancel", 0, 0, self)
        self.switch_progress.setWindowTitle("Opening a model")
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
            title = self.session.model_info.title if self.session.model_info else "the model"
            reason = "Cancelled; nothing half-finished was kept." if cancelled else message
            self.show_error(
                "Could not open the model",
                f"{source} could not be opened.\n\n{reason}\n\n"
                f"Still using {title}; nothing else changed.",
            )
            return
        if cancelled:
            message = "Cancelled. Nothing half-finished was kept; you can try again."
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
            self._apply_default_layout()
        self._update_status()
        self.editor.setFocus()

    def _apply_default_layout(self) -> None:
        """Prompt on top, tokens below it, next token on the right, the rest at the bottom."""
        width, height = self.width(), self.height()
        self.resizeDocks([self.docks["next_token"]], [int(width * 0.28)], Qt.Orientation.Horizontal)
        self.resizeDocks(
            [self.docks["tokenization"], self.docks["embeddings"]],
            [int(height * 0.2), int(height * 0.58)],
            Qt.Orientation.Vertical,
        )
        self.docks["embeddings"].raise_()
        self.docks["tokenization"].raise_()

    def show_panel(self, key: str) -> None:
        """Bring a panel's dock to the front (it may share its place with another)."""
        self.docks[key].show()
        self.docks[key].raise_()

    def _set_docks_visible(self, visible: bool) -> None:
        for key, dock in self.docks.items():
            lesson_hidden = key == "lesson" and self.lessons.current is None
            dock.setVisible(visible and not lesson_hidden)

    # --- status line --------------------------------------------------------------------------
    def _update_status(self) -> None:
        s = self.session
        info = s.model_info
        if info is None:
            return
        self.status_model.setText(f"Model: {info.title}")
        n = s.analysis.n_tokens if s.analysis else 0
        dropped = s.analysis.dropped_tokens if s.analysis else 0
        limit = min(ANALYSIS_TOKEN_LIMIT, info.architecture.context_length)
        self.status_tokens.setText(
            f"{n:,} of {n + dropped:,} tokens analysed (limit {limit:,})"
            if dropped
            else f"{n:,} / {limit:,} tokens"
        )
        self.status_tokens.setToolTip(
            f"The window analyses up to {limit:,} tokens: every attention map of a longer "
            f"prompt would need gigabytes. The model's own context is "
            f"{info.architecture.context_length:,} tokens."
        )
        if s.busy:
            self.status_timing.setText("analysing…")
        elif s.analysis is not None and s.analysis.forward is not None:
            self.status_timing.setText(f"forward {s.analysis.forward.seconds * 1000:.0f} ms")
        else:
            self.status_timing.setText("")
        self.status_error.setText(s.error or self.settings_problem or "")
        notices = s.analysis.notices if s.analysis is not None else ()
        self.prompt_notice.setText("\n".join(f"Note: {n}" for n in notices))
        self.prompt_notice.setVisible(bool(notices))

    # --- settings -----------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        if not self.persist:
            self.session.set_prompt(DEFAULT_PROMPT)
            return
        settings, self.settings_problem = open_checked_settings()
        values = SettingsReader(settings)
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 900)
        state = settings.value("window/state")
        if isinstance(state, QByteArray):
            self._restored_layout = self.restoreState(state, STATE_VERSION)
            self._set_docks_visible(False)
        self.session.set_sampling(
            SamplingSettings(
                temperature=values.number("sampling/temperature", 1.0, 0.0, 2.0),
                top_k=int(values.number("sampling/top_k", 0, 0, 1e9)),
                top_p=values.number("sampling/top_p", 1.0, 0.0, 1.0),
                min_p=values.number("sampling/min_p", 0.0, 0.0, 1.0),
            )
        )
        self.session.set_top_n(int(values.number("view/top_n", 15, 3, 60)))
        self.text_points = values.number("view/text_points", DEFAULT_POINTS, MIN_POINTS, MAX_POINTS)
        theme = values.text("view/theme", "light")
        self.set_theme(theme if theme in THEMES else "light")
        self.session.set_prompt(values.text("session/prompt", DEFAULT_PROMPT))
        if values.rejected and self.settings_problem is None:
            self.settings_problem = (
                f"Unusable values in the settings file ({', '.join(values.rejected)}): "
                "their defaults are used."
            )
        if self.settings_problem:
            self.status_error.setText(self.settings_problem)

    def save_settings(self) -> None:
        if not self.persist:
            return
        settings = app_settings()
        settings.setValue("window/geometry", self.saveGeometry())
        if self.pages.currentIndex() == 1:
            settings.setValue("window/state", self.saveState(STATE_VERSION))
        s = self.session.sampling
        settings.setValue("sampling/temperature", s.temperature)
        settings.setValue("sampling/top_k", s.top_k)
        settings.setValue("sampling/top_p", s.top_p)
        settings.setValue("sampling/min_p", s.min_p)
        settings.setValue("view/top_n", self.session.top_n)
        settings.setValue("view/theme", self.theme)
        settings.setValue("view/text_points", self.text_points)
        settings.setValue("session/prompt", self.session.prompt)
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        self.runner.shutdown()
        super().closeEvent(event)
