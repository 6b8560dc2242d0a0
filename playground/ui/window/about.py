"""The About box: the app, the model in use and the sentence encoder, with licenses."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QMessageBox

from playground.engine.model.bundle import BundleInfo


def about_box(window: QMainWindow, info: BundleInfo | None) -> QMessageBox:
    model = (
        f"<p><b>Model:</b> {info.title} — license {info.license or 'unknown'}<br>"
        f"from {info.source_file}, sha256 {info.source_sha256[:16]}…</p>"
        if info
        else "<p>No model loaded yet.</p>"
    )
    box = QMessageBox(
        QMessageBox.Icon.Information,
        "About LLM Playground",
        "<h3>LLM Playground</h3><p>Watch a real small language model think: tokens, "
        "embeddings, attention and next-token prediction, live and offline.</p>"
        f"{model}<p>SmolLM2-135M-Instruct is © Hugging Face, Apache-2.0. The sentence "
        "encoder all-MiniLM-L6-v2 is © its authors (sentence-transformers), Apache-2.0. "
        "LLM Playground is Apache-2.0.</p>",
        parent=window,
    )
    box.setIconPixmap(window.windowIcon().pixmap(64, 64))
    return box
