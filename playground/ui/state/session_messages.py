"""What the Session says to the user (the generation status, export refusals), in the
interface's language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def nothing_to_continue() -> str:
    return QCoreApplication.translate(
        "Session", "Type a prompt first: there is nothing to continue."
    )


def generating() -> str:
    return QCoreApplication.translate("Session", "Generating…")


def stopped() -> str:
    return QCoreApplication.translate("Session", "Stopped.")


def nothing_to_export() -> str:
    return QCoreApplication.translate(
        "Session", "There is nothing to export yet: type a prompt first."
    )


def no_chat_template(title: str) -> str:
    return QCoreApplication.translate(
        "Session",
        "Chat mode is off: {title} has no chat template, so the prompt is read as plain text.",
    ).format(title=title)
