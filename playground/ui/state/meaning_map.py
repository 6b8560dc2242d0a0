"""The UMAP map of the vocabulary, made once per model in a separate process (numba's two
minutes must not hold the window's interpreter) and then read from the bundle."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from PySide6.QtCore import QCoreApplication, QObject, QProcess, Signal

from playground.engine.model.meaning_map import load_umap


class MeaningMap(QObject):
    changed = Signal()  # progress, the map, or an error

    def __init__(self) -> None:
        super().__init__()
        self.folder: Path | None = None
        self.n_tokens = 0
        self.coords: np.ndarray | None = None  # (V, 2) once ready
        self.progress: tuple[str, int, int] | None = None  # while computing
        self.error: str | None = None
        self._process: QProcess | None = None
        self._output = ""

    def set_model(self, folder: Path, n_tokens: int) -> None:
        """Forget the previous model's map; read this one's if it was made before."""
        self.stop()
        self.folder, self.n_tokens, self.error, self.progress = Path(folder), n_tokens, None, None
        self.coords = load_umap(self.folder, n_tokens)
        self.changed.emit()

    def request(self) -> None:
        """Make the map unless it exists or is being made."""
        if self.folder is None or self.coords is not None or self._process is not None:
            return
        starting = QCoreApplication.translate("MeaningMap", "Starting")
        self.error, self.progress, self._output = None, (starting, 0, 0), ""
        process = QProcess(self)
        process.setProcessChannelMode(QProcess.ProcessChannelMode.MergedChannels)
        process.readyReadStandardOutput.connect(self._on_output)
        process.finished.connect(self._on_finished)
        self._process = process
        process.start(
            sys.executable, ["-m", "playground.engine.model.meaning_map", str(self.folder)]
        )
        self.changed.emit()

    def stop(self) -> None:
        if self._process is not None:
            process, self._process = self._process, None
            process.finished.disconnect(self._on_finished)
            process.kill()
            process.waitForFinished(2000)

    def _on_output(self) -> None:
        if self._process is None:
            return
        self._output += bytes(self._process.readAllStandardOutput().data()).decode(
            "utf-8", "replace"
        )
        *lines, self._output = self._output.split("\n")
        for line in lines:
            if line.startswith("progress "):
                stage, done, total = line[len("progress ") :].rsplit("|", 2)
                self.progress = (stage, int(done), int(total))
                self.changed.emit()

    def _on_finished(self, code: int, _status: object) -> None:
        self._process = None
        self.progress = None
        if self.folder is not None:
            self.coords = load_umap(self.folder, self.n_tokens)
        if self.coords is None:
            tail = self._output.strip().splitlines()[-1:] or [
                QCoreApplication.translate("MeaningMap", "exit code {code}").format(code=code)
            ]
            self.error = QCoreApplication.translate(
                "MeaningMap", "The UMAP map could not be made: {reason}"
            ).format(reason=tail[0])
        self.changed.emit()
