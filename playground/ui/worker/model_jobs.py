"""The jobs the window gives the worker: load a model, analyse a prompt, generate, the
statistics of a long generated text, the logit lens, the embedding map, induction scores,
leave-one-out attribution.
Each returns a Job whose function runs on the worker thread (see jobs.py)."""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from playground.engine.errors import Cancelled
from playground.engine.inspect.analysis import (
    TEXT,
    Analysis,
    Source,
    analyse_source,
    analysis_of,
    with_statistics,
)
from playground.engine.inspect.direct_logit import LogitComponents, logit_components
from playground.engine.inspect.embeddings import EmbeddingSpace
from playground.engine.inspect.induction import induction_scores
from playground.engine.inspect.layer_trace import LayerTrace, trace_layer
from playground.engine.inspect.leave_one_out import LeaveOneOut, leave_one_out
from playground.engine.inspect.logit_lens import LensReading, LogitLens
from playground.engine.inspect.quiz import score_guesses
from playground.engine.inspect.receipt import Receipt, receipt
from playground.engine.inspect.run import Run
from playground.engine.runtime.attention_maps import AttentionMaps
from playground.engine.runtime.forward import Forward
from playground.engine.runtime.interventions import Interventions
from playground.engine.runtime.language_model import LanguageModel
from playground.engine.runtime.loader import resolve_bundle
from playground.engine.runtime.preload import take_preloaded
from playground.engine.sampling.distribution import Sampler, SamplingSettings
from playground.engine.sampling.generation import GeneratedToken, Generation
from playground.ui.worker.jobs import (
    ATTRIBUTION,
    COMPONENTS,
    EMBEDDINGS,
    INDUCTION,
    INSIDE,
    LENS,
    LOAD,
    QUIZ,
    RECEIPT,
    SEQUENCE,
    Job,
    JobContext,
)

SNAPSHOT_SECONDS = 0.1  # while generating, a full Analysis for the panels at most this often
# why a generation ends (the engine's Generation.reason, in English), translated when shown
REASONS = (
    QT_TRANSLATE_NOOP("GenerationResult", "end of text"),
    QT_TRANSLATE_NOOP("GenerationResult", "limit"),
    QT_TRANSLATE_NOOP("GenerationResult", "stopped"),
    QT_TRANSLATE_NOOP("GenerationResult", "context full"),
)


@dataclass(frozen=True)
class LoadProgress:
    stage: str
    done: int
    total: int


@dataclass(frozen=True)
class GeneratedStep:
    """One generated token, and now and then (a few times a second) the whole text's
    Analysis for the panels (without head statistics)."""

    token: GeneratedToken
    snapshot: Analysis | None


@dataclass(frozen=True)
class GenerationResult:
    reason: str  # "end of text", "limit", "stopped", "context full"
    final: Analysis
    tokens: int
    seconds: float

    def summary(self) -> str:
        rate = self.tokens / self.seconds if self.seconds > 0 else 0.0
        reason = QCoreApplication.translate("GenerationResult", self.reason)
        text = (
            QCoreApplication.translate(
                "GenerationResult", "{count} new token — {reason} — {rate:.1f} tokens/s"
            )
            if self.tokens == 1
            else QCoreApplication.translate(
                "GenerationResult", "{count} new tokens — {reason} — {rate:.1f} tokens/s"
            )
        )
        return text.format(count=self.tokens, reason=reason, rate=rate)


def load_job(source: object, cancel: threading.Event) -> Job:
    """Resolve `source` (catalog name, bundle folder, GGUF; a LanguageModel is used as it
    is), reporting LoadProgress; the result is the LanguageModel later jobs use, or None
    if `cancel` was set (after the partial files were cleared away)."""

    def work(context: JobContext) -> LanguageModel | None:
        if isinstance(source, LanguageModel):  # already loaded (tests, model switching)
            model = source
        else:
            try:
                folder = resolve_bundle(
                    source,  # type: ignore[arg-type]
                    progress=lambda stage, done, total: context.report(
                        LoadProgress(stage, done, total)
                    ),
                    cancel=cancel,
                )
            except Cancelled:
                return None
            stage = QCoreApplication.translate("LoadProgress", "Loading the model")
            context.report(LoadProgress(stage, 0, 0))
            model = take_preloaded(folder) or LanguageModel(folder)  # (opened at start?)
        context.use_model(model)
        return model

    return Job(LOAD, work, source)


def analysis_job(
    source: Source,
    ids: Sequence[int] | None = None,
    interventions: Interventions | None = None,
    lane: str = SEQUENCE,
) -> Job:
    """Analyse a source, or (ids given) exactly these tokens, e.g. a branch, with the
    interventions (in the lane of what the panels show, or PINNED: a run A)."""

    # The run on screen: a long prompt's statistics follow in a job of their own
    # (statistics_job), so its tokens, predictions and maps are shown seconds sooner.
    later = lane == SEQUENCE

    def work(context: JobContext) -> Analysis:
        lm, options = context.require_model(), context.run_options
        if ids is None:
            return analyse_source(lm, source, None, options, interventions, later)
        run = Run.of(lm, source, ids, interventions)
        forward = lm.forward(list(run.ids), options, interventions=run.interventions)
        return analysis_of(lm, run, forward, run_options=options, long_statistics_later=later)

    return Job(lane, work, source)


def generation_job(
    start: Analysis,
    max_tokens: int,
    settings: SamplingSettings,
    sampler: Sampler,
) -> Job:
    """Continue `start` token by token (reporting a GeneratedStep each), the engine's
    Generation loop with every internal kept for the panels; the result is a
    GenerationResult. The run keeps `start`'s interventions. The sampler is used only by
    the worker while the job runs."""

    def work(context: JobContext) -> GenerationResult:
        lm = context.require_model()
        assert start.forward is not None, "generation needs an analysed sequence"
        forward, ids = start.forward, list(start.ids)
        interventions = start.run.interventions.over(ids)  # mean ablation: the prompt's means
        mode, start_text = start.source
        start_decoded = lm.decode(ids)
        notes = (start.notices, start.dropped_tokens)  # still true of the longer text

        def run_now() -> Run:
            # The text grows by what the new tokens spell; the prompt as typed is kept
            # whole (a long prompt's analysed tokens may cover only its end).
            source = start.source
            if mode == TEXT:
                source = (TEXT, start_text + lm.decode(ids)[len(start_decoded) :])
            return replace(start.run, source=source, ids=tuple(ids))

        def advance(token_id: int) -> np.ndarray:
            nonlocal forward
            forward = lm.extend(forward, [token_id], interventions)  # every internal
            ids.append(token_id)
            return forward.logits[-1]  # (V,)

        generation = Generation(lm, settings, sampler, context.stop)
        count, began = 0, time.perf_counter()
        latest, last_snapshot = start, 0.0
        try:
            for token in generation.tokens(forward.logits[-1], len(ids), advance, max_tokens):
                count += 1
                snapshot = None
                if time.perf_counter() - last_snapshot >= SNAPSHOT_SECONDS or token.stop:
                    snapshot = latest = analysis_of(lm, run_now(), forward, False, *notes)
                    last_snapshot = time.perf_counter()
                context.report(GeneratedStep(token, snapshot))
            reason = generation.reason
            # A long sequence's statistics take seconds (every layer's maps are computed):
            # the generation ends first, they follow as soon as they are ready.
            final = analysis_of(lm, run_now(), forward, True, *notes, long_statistics_later=True)
        except Exception as error:  # what was generated so far is kept
            traceback.print_exc()
            failed = QCoreApplication.translate("GenerationResult", "failed: {error}")
            reason, final = failed.format(error=error), latest
        return GenerationResult(reason, final, count, time.perf_counter() - began)

    return Job(SEQUENCE, work, start.source)


def statistics_job(final: Analysis) -> Job:
    """The head statistics (and overview) of a long prompt or generated sequence, which
    follow its analysis: `final` with them."""

    def work(context: JobContext) -> Analysis:
        return with_statistics(
            final, cancelled=lambda: context.is_stale() or bool(context.run_options.terminate)
        )

    return Job(SEQUENCE, work, final.source)


def lens_job(run: Run, hidden_states: np.ndarray, positions: list[int], lane: str = LENS) -> Job:
    """The logit lens at `positions` of the run's hidden states (L+1, T, D) (in the lane
    of the run on screen, or LENS_OF_A: a pinned run's)."""

    def work(context: JobContext) -> LensReading:
        lm = context.require_model()
        lens = context.per_model.get("lens")
        if lens is None:
            lens = context.per_model["lens"] = LogitLens(lm.folder, lm.arch)
        return lens.read(run, hidden_states, positions)

    return Job(lane, work, (run, positions))


def embeddings_job() -> Job:
    """The embedding matrix and its 2D map (cached in the bundle)."""

    def work(context: JobContext) -> EmbeddingSpace:
        return EmbeddingSpace(Path(context.require_model().folder))

    return Job(EMBEDDINGS, work)


def induction_job() -> Job:
    """Every head's induction score (one extra forward, after queued work)."""
    return Job(INDUCTION, lambda context: induction_scores(context.require_model()))


def attribution_job(run: Run, target: int, unit: str) -> Job:
    """Leave each part of the run's prompt out in turn (reporting (done, total)), with
    its interventions; the result is a LeaveOneOut. Stops between runs once replaced or
    cancelled."""

    def work(context: JobContext) -> LeaveOneOut:
        return leave_one_out(
            context.require_model(),
            run,
            target,
            unit=unit,
            progress=lambda done, total: context.report((done, total)),
            cancelled=lambda: context.is_stale() or context.stop.is_set(),
            run_options=context.run_options,
        )

    return Job(ATTRIBUTION, work, (run, target, unit))


def components_job(run: Run, forward: Forward, target: int) -> Job:
    """The target's logit split by embedding, layer (attention, MLP) and head, of
    `forward`, the model's run of `run`."""

    def work(context: JobContext) -> LogitComponents:
        return logit_components(context.require_model(), run, forward, target)

    return Job(COMPONENTS, work, (run, target))


def layer_trace_job(run: Run, maps: AttentionMaps | None, layer: int, position: int) -> Job:
    """Every number inside block `layer` for token `position` of an analysed run (`maps`:
    its attention maps, if computed)."""

    def work(context: JobContext) -> LayerTrace:
        lm = context.require_model()
        return trace_layer(lm, run, layer, position, maps, context.run_options)

    return Job(INSIDE, work, (run, layer, position))


def receipt_job(run: Run, token: int) -> Job:
    """How the next-token probability of `token` after the run's tokens is computed,
    under its sampler."""

    def work(context: JobContext) -> Receipt:
        return receipt(context.require_model(), run, token)

    return Job(RECEIPT, work, (run, token))


def quiz_job(ids: Sequence[int], guesses: list[str]) -> Job:
    """The class's guesses of the next token after `ids`, scored: (scores, the model's
    own answer)."""
    return Job(QUIZ, lambda context: score_guesses(context.require_model(), ids, guesses))
