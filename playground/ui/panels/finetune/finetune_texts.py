"""What the Fine-tune panel says in words: the progress bar's text, the summary of a
variant written, and the base and the variant continuing the check side by side."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

TOOLTIPS = {  # the panel's controls, by attribute
    "presets": QT_TRANSLATE_NOOP(
        "FinetunePanel", "Examples that teach something visible, or your own"
    ),
    "editor": QT_TRANSLATE_NOOP(
        "FinetunePanel", "One example a line (JSON), or plain text passages"
    ),
    "check_answer": QT_TRANSLATE_NOOP("FinetunePanel", "The answer whose probability is followed"),
    "check_chat": QT_TRANSLATE_NOOP(
        "FinetunePanel", "Read the check's prompt as a user message in chat"
    ),
    "first_layer": QT_TRANSLATE_NOOP("FinetunePanel", "The first layer that gets adapters"),
    "last_layer": QT_TRANSLATE_NOOP("FinetunePanel", "The last layer that gets adapters"),
    "rank": QT_TRANSLATE_NOOP("FinetunePanel", "The adapters' rank r: B A has r dimensions"),
    "learning_rate": QT_TRANSLATE_NOOP(
        "FinetunePanel", "How far each step moves the adapters (AdamW)"
    ),
    "steps": QT_TRANSLATE_NOOP("FinetunePanel", "Training steps: each reads every example once"),
    "seed": QT_TRANSLATE_NOOP(
        "FinetunePanel", "The same seed, data and settings give the same variant"
    ),
    "start": QT_TRANSLATE_NOOP(
        "FinetunePanel", "Train adapters on the examples, then keep them as a variant"
    ),
    "compare": QT_TRANSLATE_NOOP(
        "FinetunePanel", "Pin the base's run of the check as A, then open the variant"
    ),
    "open_variant": QT_TRANSLATE_NOOP(
        "FinetunePanel", "Open the variant as the model every panel shows"
    ),
    "both": QT_TRANSLATE_NOOP(
        "FinetunePanel", "The base and the variant continue the prompt on screen"
    ),
}


def progress_text(steps: list[Any], running: bool) -> str:
    """The step reached and the time left (from the steps' own pace, the first step's
    loading and compiling left out)."""
    if running and len(steps) > 1:
        last = steps[-1]
        per_step = (last.seconds - steps[0].seconds) / (len(steps) - 1)
        left = f"{per_step * (last.steps - last.step):.0f}"
        return QCoreApplication.translate(
            "FinetunePanel", "step {step}/{steps} · about {left} s left"
        ).format(step=last.step, steps=last.steps, left=left)
    if running:
        return QCoreApplication.translate(
            "FinetunePanel", "reading the weights and compiling the step…"
        )
    return "%v / %m"


def summary_text(result: Any) -> str:
    """A FinetuneResult in words: its size and time, its loss and check, what else moved."""
    checks = result.check_probs
    held_out = (
        QCoreApplication.translate(
            "FinetunePanel", " The held-out check: p {before} → {after}."
        ).format(before=f"{checks[0]:.1%}", after=f"{checks[-1]:.1%}")
        if checks
        else ""
    )
    moved = ", ".join(f"{p!r}: {kl:.2f} bits" for p, kl in result.unrelated_kl.items())
    stopped = QCoreApplication.translate("FinetunePanel", ", stopped early")
    return QCoreApplication.translate(
        "FinetunePanel",
        "<b>{name}</b> written ({params} parameters, {seconds} s{stopped}): loss "
        "{first} → {last}.{held_out}<br>What else changed, KL(base ‖ variant) of the "
        "next token after unrelated prompts: {moved}.",
    ).format(
        name=result.name,
        params=f"{result.trainable_parameters:,}",
        seconds=f"{result.seconds:.0f}",
        stopped=stopped if result.stopped else "",
        first=f"{result.initial_loss:.3f}",
        last=f"{result.final_loss:.3f}",
        held_out=held_out,
        moved=moved,
    )


def side_by_side_html(prompt: str, texts: tuple[str, str] | None) -> tuple[str, str]:
    """The check's prompt continued by the base and by the variant (same seed)."""
    if texts is None:
        return "", ""
    same_seed = QCoreApplication.translate("FinetunePanel", "same seed")
    titles = (
        QCoreApplication.translate("FinetunePanel", "Base"),
        QCoreApplication.translate("FinetunePanel", "Variant"),
    )
    return tuple(  # type: ignore[return-value]
        f"<b>{title}</b> ({same_seed}): <i>{html.escape(prompt)}</i>{html.escape(text)}"
        for title, text in zip(titles, texts, strict=True)
    )
