"""The main window: prompt editor, the four panels in docks, a status line."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QCloseEvent, QFont, QKeySequence
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

from playground.engine.model_input import ANALYSIS_TOKEN_LIMIT
from playground.engine.sampling import SamplingSettings
from playground.ui.loading_page import LoadingPage
from playground.ui.panels.attention_panel import AttentionPanel
from playground.ui.panels.embedding_panel import EmbeddingPanel
from playground.ui.panels.generation_panel import GenerationPanel
from playground.ui.panels.logit_lens_panel import LogitLensPanel
from playground.ui.panels.next_token_panel import NextTokenPanel
from playground.ui.panels.on_screen import OnScreenUpdates
from playground.ui.panels.tokenization_panel import TokenizationPanel
from playground.ui.runner import ModelRunner
from playground.ui.session import Session
from playground.ui.settings import SettingsReader, app_settings, open_checked_settings

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
        self.docks: dict[str, QDockWidget] = {}
        for key, title, panel in (
            ("tokenization", "Tokenization", self.tokenization),
            ("next_token", "Next token", self.next_token),
            ("embeddings", "Embedding space", self.embeddings),
            ("attention", "Attention", self.attention),
            ("generation", "Generation", self.generation),
            ("logit_lens", "Logit lens", self.logit_lens),
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
        self.settings_problem: str | None = None
        runner.load_progress.connect(self._on_switch_progress)
        self._build_menus()
        self._restore_settings()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        action = file_menu.addAction("&Open model…")
        action.setShortcut(QKeySequence.StandardKey.Open)
        action.setToolTip("Open a GGUF file (converted once) or a converted bundle folder.")
        action.triggered.connect(self.choose_model_file)
        file_menu.addSeparator()
        action = file_menu.addAction("&Quit")
        action.setShortcut(QKeySequence.StandardKey.Quit)
        action.triggered.connect(self.close)

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
        for dock in self.docks.values():
            dock.setVisible(visible)

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
        settings.setValue("session/prompt", self.session.prompt)
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_settings()
        self.runner.shutdown()
        super().closeEvent(event)
