"""What the model reads: the prompt's text and whether it is read as a chat message (in
the model's chat template) or as plain text. A small evented state; the Session decides
when a change is analysed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Signal

from playground.engine.inspect.analysis import CHAT, TEXT, Source


class PromptState(QObject):
    changed = Signal()  # the text (the editor shows it)
    mode_changed = Signal()  # chat mode on or off

    def __init__(self) -> None:
        super().__init__()
        self._text = ""
        self._chat_mode = False

    @property
    def text(self) -> str:
        return self._text

    @property
    def chat_mode(self) -> bool:
        return self._chat_mode

    def source(self) -> Source:
        """What the model should read: the text, or the message in the chat template."""
        return (CHAT if self._chat_mode else TEXT, self._text)

    def set_text(self, text: str) -> None:
        self._text = text
        self.changed.emit()  # (also when unchanged: an immediate re-analysis shows it)

    def set_chat_mode(self, on: bool) -> bool:
        if on == self._chat_mode:
            return False
        self._chat_mode = on
        self.mode_changed.emit()
        return True

    def to_dict(self) -> dict[str, Any]:
        return {"prompt": self._text, "chat_mode": self._chat_mode}

    @staticmethod
    def checked(data: dict[str, Any]) -> tuple[str, bool]:
        """`to_dict`'s form read back (KeyError if damaged)."""
        return str(data["prompt"]), bool(data["chat_mode"])
