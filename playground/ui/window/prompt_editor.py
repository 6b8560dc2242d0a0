"""The prompt editor: what the model reads."""

from __future__ import annotations

from PySide6.QtGui import QFont
from PySide6.QtWidgets import QPlainTextEdit

from playground.ui.state.session import Session
from playground.ui.widgets.signals_blocked import signals_blocked


class PromptEditor(QPlainTextEdit):
    """Edits Session.prompt; shows it when it changes elsewhere (e.g. a candidate click)."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.setPlaceholderText(self.tr("Type a prompt…  e.g. The cat sat on the"))
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
        with signals_blocked(self):
            self.setPlainText(self.session.prompt)
        cursor = self.textCursor()
        cursor.movePosition(cursor.MoveOperation.End)
        self.setTextCursor(cursor)
