"""The About box: the app, the model in use and the sentence encoder, with licenses."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMainWindow, QMessageBox

from playground.engine.model.bundle import BundleInfo


def about_box(window: QMainWindow, info: BundleInfo | None) -> QMessageBox:
    model = (
        QCoreApplication.translate(
            "AboutBox",
            "<p><b>Model:</b> {title} — license {license}<br>from {file}, sha256 {sha}…</p>",
        ).format(
            title=info.title,
            license=info.license or QCoreApplication.translate("AboutBox", "unknown"),
            file=info.source_file,
            sha=info.source_sha256[:16],
        )
        if info
        else QCoreApplication.translate("AboutBox", "<p>No model loaded yet.</p>")
    )
    box = QMessageBox(
        QMessageBox.Icon.Information,
        QCoreApplication.translate("AboutBox", "About LLM Playground"),
        QCoreApplication.translate(
            "AboutBox",
            "<h3>LLM Playground</h3><p>Watch a real small language model think: tokens, "
            "embeddings, attention and next-token prediction, live and offline.</p>"
            "{model}<p>SmolLM2-135M-Instruct is © Hugging Face, Apache-2.0. The sentence "
            "encoder all-MiniLM-L6-v2 is © its authors (sentence-transformers), Apache-2.0. "
            "LLM Playground is Apache-2.0.</p>",
        ).format(model=model),
        parent=window,
    )
    box.setIconPixmap(window.windowIcon().pixmap(64, 64))
    return box
