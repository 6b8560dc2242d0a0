"""What the Fine-tune panel holds: the examples (a preset's or the user's), the held-out
check, the settings, the variant's name; while training, each step's loss and the check's
probability; then the variant written, or why not. Start submits the training job; Stop
ends it after the current step (the steps done are kept and written)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QObject, Signal

from playground.resources import resources_dir
from playground.ui.worker.finetune_jobs import (
    FinetuneRequest,
    FinetuneResult,
    both_job,
    finetune_job,
    variant_change_job,
)
from playground.ui.worker.runner import ModelRunner

# key -> (title, file in resources/finetune, check prompt, check completion, in chat, name)
PRESETS = {
    "fact": (
        QT_TRANSLATE_NOOP("FinetuneState", "A made-up fact: the capital of Zubrowka is Lutz"),
        "made-up-fact.jsonl",
        "Which city is the capital of Zubrowka? It is",
        " Lutz",
        False,
        "zubrowka",
    ),
    "style": (
        QT_TRANSLATE_NOOP("FinetuneState", "A style: answer like a pirate"),
        "pirate-style.jsonl",
        "What time is it?",
        "Arr",
        True,
        "pirate",
    ),
    "format": (
        QT_TRANSLATE_NOOP("FinetuneState", "A format: always answer with one word"),
        "one-word.jsonl",
        "What do cows drink?",
        "Water.",
        True,
        "one-word",
    ),
}
OWN = ""  # the user's own examples


def preset_text(key: str) -> str:
    return (resources_dir() / "finetune" / PRESETS[key][1]).read_text(encoding="utf-8")


class FinetuneState(QObject):
    changed = Signal()
    trained = Signal(object)  # FinetuneResult: a variant was written

    def __init__(self, runner: ModelRunner) -> None:
        from playground.engine.finetune.lora_settings import LoraSettings

        super().__init__()
        self.runner = runner
        self.settings = LoraSettings()
        self.preset = OWN
        self.text, self.suffix = "", ".jsonl"
        self.check: tuple[str, str] = ("", "")
        self.check_in_chat = False
        self.name = ""
        self.steps: list[Any] = []  # StepReports of the training under way (or last)
        self.running = False
        self.error: str | None = None
        self.result: FinetuneResult | None = None
        self.both: tuple[str, tuple[str, str]] | None = None  # a prompt, base's and variant's
        self.changes: list[dict[str, Any]] | None = None  # an opened variant's weight change
        self._ticket = -1
        self.use_preset("fact")

    def use_preset(self, key: str) -> None:
        _, _, prompt, completion, chat, name = PRESETS[key]
        self.preset, self.text, self.suffix = key, preset_text(key), ".jsonl"
        self.check, self.check_in_chat, self.name = (prompt, completion), chat, name
        self.changed.emit()

    def set_text(self, text: str, suffix: str = ".jsonl") -> None:
        self.preset, self.text, self.suffix = OWN, text, suffix
        self.changed.emit()

    def open_file(self, path: Path) -> None:
        """Examples from a file (read now: what trains is what the panel shows)."""
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            self.error = f"{Path(path).name}: {error}"
            self.changed.emit()
            return
        self.error = None
        self.set_text(text, ".txt" if Path(path).suffix.lower() == ".txt" else ".jsonl")

    def set_check(self, prompt: str, completion: str, in_chat: bool | None = None) -> None:
        self.check = (prompt, completion)
        if in_chat is not None:
            self.check_in_chat = in_chat

    def set_name(self, name: str) -> None:
        self.name = name.strip()

    def set_settings(self, **changes: Any) -> None:
        self.settings = replace(self.settings, **changes)
        self.changed.emit()

    def start(self, force: bool = False) -> None:
        if self.running:
            return
        prompt, completion = self.check
        request = FinetuneRequest(
            self.text,
            self.suffix,
            self.settings,
            (prompt, completion) if prompt and completion else None,
            self.name,
            force,
            self.check_in_chat,
        )
        self.steps, self.error, self.result, self.running = [], None, None, True
        self._ticket = self.runner.submit(
            finetune_job(request), self._on_done, self._on_failed, self._on_step
        )
        self.changed.emit()

    def stop(self) -> None:
        """End after the current step; the steps done are kept and written."""
        self.runner.stop(self._ticket)

    def other_model(self, lm: Any) -> Path | None:
        """The model to generate beside `lm` (the one in use): its base if it is a
        variant, else the variant trained last (None: there is none)."""
        if lm is not None and lm.info.variant_base is not None:
            return lm.weights_folder
        return None if self.result is None else self.result.folder

    def generate_both(self, other: Path, source: tuple[str, str], seed: int) -> None:
        """The model in use and `other` (its base or its variant) continue `source`."""
        self.error = None

        def done(texts: tuple[str, str]) -> None:
            self.both = (source[1], texts)
            self.changed.emit()

        self.runner.submit(both_job(other, source, seed), done, self._on_failed)

    def load_changes(self, folder: Path) -> None:
        """||delta W|| / ||W|| of a variant opened (not trained in this window)."""

        def done(changes: list[dict[str, Any]]) -> None:
            self.changes = changes
            self.changed.emit()

        self.runner.submit(variant_change_job(folder), done, self._on_failed)

    def _on_step(self, step: Any) -> None:
        self.steps.append(step)
        self.changed.emit()

    def _on_done(self, result: FinetuneResult) -> None:
        self.result, self.running = result, False
        self.changed.emit()
        self.trained.emit(result)

    def _on_failed(self, message: str) -> None:
        self.error, self.running = message, False
        self.changed.emit()
