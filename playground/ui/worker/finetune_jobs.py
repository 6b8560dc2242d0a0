"""The Fine-tune panel's jobs: train adapters on the examples typed (reporting each step)
and keep them as a variant; and what a variant changed in its weights."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playground.engine.errors import PlaygroundError
from playground.ui.worker.jobs import BOTH, FINETUNE, VARIANT, Job, JobContext


@dataclass(frozen=True)
class FinetuneRequest:
    text: str  # the examples, as typed or opened
    suffix: str  # ".jsonl" or ".txt": how the text is read
    settings: Any  # LoraSettings
    check: tuple[str, str] | None  # a held-out (prompt, completion), followed while training
    name: str
    force: bool = False
    check_in_chat: bool = False  # the check's prompt is a user message in the template


@dataclass(frozen=True)
class FinetuneResult:
    folder: Path  # the variant written
    name: str
    losses: list[float]
    check_probs: list[float]
    initial_loss: float
    final_loss: float
    seconds: float
    trainable_parameters: int
    stopped: bool
    notices: tuple[str, ...]
    weight_change: list[dict[str, Any]]
    unrelated_kl: dict[str, float]  # KL(base || variant), bits, after unrelated prompts
    side_by_side: tuple[str, str] | None  # the check prompt continued: base, variant


def finetune_job(request: FinetuneRequest) -> Job:
    """Train on the worker thread (reporting each StepReport), then write the variant.
    Stop (runner.stop) ends after the current step and keeps the steps done; a cancel
    keeps nothing."""

    def work(context: JobContext) -> FinetuneResult:
        from playground.engine.finetune.examples import (
            chat_check,
            plain_example,
            read_training_data,
        )
        from playground.engine.finetune.saving import checked_name, save_variant, weight_change
        from playground.engine.finetune.trainer import train

        lm = context.require_model()
        if lm.info.variant_base is not None:
            raise PlaygroundError("Open the base model to fine-tune it (this is a variant).")
        checked_name(request.name, request.force)
        settings = request.settings.checked(lm.arch.n_layer)
        data = read_training_data(lm, Path(f"examples{request.suffix}"), request.text)
        make_check = chat_check if request.check_in_chat else plain_example
        check = make_check(lm, *request.check) if request.check else None
        result = train(
            lm,
            data,
            settings,
            check,
            context.report,
            stop=context.stop,
            cancelled=lambda: context.is_stale() or context.run_options.terminate,
        )
        folder = save_variant(lm, request.name, result, data, force=request.force)
        side_by_side = None
        if request.check:
            from playground.engine.finetune.before_after import continue_both, open_beside
            from playground.engine.prompt.model_input import CHAT, TEXT

            source = (CHAT if request.check_in_chat else TEXT, request.check[0])
            variant = open_beside(folder, lm.threads)
            side_by_side = continue_both(lm, variant, source, settings.seed)
        return FinetuneResult(
            folder,
            request.name,
            result.losses,
            result.check_probs,
            result.initial_loss,
            result.final_loss,
            result.seconds,
            result.trainable_parameters,
            result.stopped,
            data.notices,
            weight_change(lm, result),
            result.unrelated_kl,
            side_by_side,
        )

    return Job(FINETUNE, work, request.name)


def variant_change_job(folder: Path) -> Job:
    """Per adapted matrix of the variant at `folder`: ||delta W|| / ||W||."""

    def work(context: JobContext) -> list[dict[str, Any]]:
        from playground.engine.finetune.saving import variant_weight_change

        return variant_weight_change(folder)

    return Job(VARIANT, work, folder)


def both_job(other: Path, source: tuple[str, str], seed: int) -> Job:
    """The model in use and `other` (its base, or its variant) continuing `source` with
    the same seed: (base's text, variant's text). `other` is opened for the job."""

    def work(context: JobContext) -> tuple[str, str]:
        from playground.engine.finetune.before_after import continue_both, open_beside

        lm = context.require_model()
        second = open_beside(other, lm.threads)
        base, variant = (second, lm) if lm.info.variant_base else (lm, second)
        if variant.info.variant_base is None:
            raise PlaygroundError("Open a variant, or train one, to compare it with its base.")
        return continue_both(base, variant, source, seed)

    return Job(BOTH, work, (other, source, seed))
