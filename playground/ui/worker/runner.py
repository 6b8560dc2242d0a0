"""Model work off the GUI thread: loading (with progress and cancel), analysis, text
generation, and the per-model extras (embedding map, induction scores, logit lens).

The GUI thread asks through queued signals; a single worker thread answers in order.
Every request carries a number from a LatestRequest (shared, lock-guarded): the worker
skips or interrupts work a newer request has replaced, and the states that asked (Session,
LensView) keep the number of their latest request and drop results that arrive late.
"""

from __future__ import annotations

import threading
import time
import traceback
from dataclasses import dataclass, replace

import numpy as np
import onnxruntime as ort
from PySide6.QtCore import QObject, QThread, Signal, Slot

from playground.engine.errors import Cancelled, PlaygroundError
from playground.engine.inspect.analysis import TEXT, Analysis, Source, analyse_source, analysis_of
from playground.engine.inspect.attention_summary import summarise
from playground.engine.inspect.embeddings import EmbeddingSpace
from playground.engine.inspect.induction import induction_scores
from playground.engine.inspect.logit_lens import LogitLens
from playground.engine.runtime.language_model import LanguageModel
from playground.engine.runtime.loader import resolve_bundle
from playground.engine.sampling.distribution import Sampler, SamplingSettings
from playground.engine.sampling.generation import Generation
from playground.ui.worker.latest_request import LatestRequest
from playground.ui.worker.thread_priority import favour_gui_thread

SNAPSHOT_SECONDS = 0.1  # while generating, a full Analysis for the panels at most this often


@dataclass(frozen=True)
class GenerationJob:
    request: int
    start: Analysis  # the sequence to continue (its forward holds the KV cache)
    max_tokens: int
    settings: SamplingSettings
    sampler: Sampler  # used only by the worker while the job runs
    stop: threading.Event


@dataclass(frozen=True)
class GenerationResult:
    reason: str  # "end of text", "limit", "stopped", "context full"
    final: Analysis
    tokens: int
    seconds: float

    def summary(self) -> str:
        rate = self.tokens / self.seconds if self.seconds > 0 else 0.0
        plural = "s" if self.tokens != 1 else ""
        return f"{self.tokens} new token{plural} — {self.reason} — {rate:.1f} tokens/s"


class _Worker(QObject):
    load_progress = Signal(str, int, int)
    loaded = Signal(object)  # LanguageModel
    load_failed = Signal(str, bool)  # message, cancelled
    analysed = Signal(int, object)  # request, Analysis
    analysis_failed = Signal(int, str)
    induction_ready = Signal(object)  # (L, H) induction scores, or None if it failed
    embeddings_ready = Signal(object)  # EmbeddingSpace
    embeddings_failed = Signal(str)
    generated = Signal(int, object, object)  # request, GeneratedToken, Analysis (no stats)
    generation_finished = Signal(int, object)  # request, GenerationResult
    statistics_ready = Signal(int, object)  # request, the finished generation's Analysis
    lens_ready = Signal(int, object)  # request, LensReading

    def __init__(self, requests: LatestRequest, lens_requests: LatestRequest) -> None:
        super().__init__()
        self._requests, self._lens_requests = requests, lens_requests
        self.model: LanguageModel | None = None
        self._lens: LogitLens | None = None
        self.running_analysis: tuple[int, ort.RunOptions] | None = None

    @Slot(object, object)
    def load(self, source: object, cancel: threading.Event) -> None:
        if isinstance(source, LanguageModel):  # already loaded (tests, model switching)
            self._set_model(source)
            return
        try:
            folder = resolve_bundle(
                source,  # type: ignore[arg-type]
                progress=lambda stage, done, total: self.load_progress.emit(stage, done, total),
                cancel=cancel,
            )
            self.load_progress.emit("Loading the model", 0, 0)
            self._set_model(LanguageModel(folder))
        except Cancelled:
            self.load_failed.emit("Cancelled.", True)
        except PlaygroundError as error:
            self.load_failed.emit(str(error), False)
        except Exception as error:  # never let a surprise kill the worker thread
            traceback.print_exc()
            self.load_failed.emit(f"Unexpected error while loading the model: {error!r}", False)

    def _set_model(self, model: LanguageModel) -> None:
        self.model = model
        self._lens = None
        self.loaded.emit(model)

    @Slot(int, object, object)
    def analyse(self, request: int, source: Source, ids: object) -> None:
        """Analyse a source, or (ids given) exactly these tokens, e.g. a branch."""
        if not self._requests.is_latest(request) or self.model is None:
            return  # a newer request is queued behind this one
        run_options = ort.RunOptions()
        self.running_analysis = (request, run_options)  # a newer request may stop it early
        try:
            if not self._requests.is_latest(request):
                return  # replaced between the first check and now
            if ids is None:
                result = analyse_source(self.model, source, run_options=run_options)
            else:
                token_ids = list(ids)  # type: ignore[call-overload]
                forward = self.model.forward(token_ids, run_options)
                result = analysis_of(
                    self.model, source, token_ids, forward, run_options=run_options
                )
        except Cancelled:
            return  # replaced by a newer request (or the window is closing)
        except PlaygroundError as error:
            self.analysis_failed.emit(request, str(error))
            return
        except Exception as error:
            traceback.print_exc()
            self.analysis_failed.emit(request, f"Unexpected error: {error!r}")
            return
        finally:
            self.running_analysis = None
        self.analysed.emit(request, result)

    @Slot(object)
    def generate(self, job: GenerationJob) -> None:
        lm = self.model
        if lm is None or job.start.forward is None:
            return
        forward, ids = job.start.forward, list(job.start.ids)
        mode, start_text = job.start.source
        start_decoded = lm.decode(ids)
        notes = (job.start.notices, job.start.dropped_tokens)  # still true of the longer text

        def source_now() -> Source:
            # The text grows by what the new tokens spell; the prompt as typed is kept
            # whole (a long prompt's analysed tokens may cover only its end).
            if mode != TEXT:
                return job.start.source
            return (TEXT, start_text + lm.decode(ids)[len(start_decoded) :])

        def advance(token_id: int) -> np.ndarray:
            nonlocal forward
            forward = lm.extend(forward, [token_id])  # every internal, for the panels
            ids.append(token_id)
            return forward.logits[-1]  # (V,)

        generation = Generation(lm, job.settings, job.sampler, job.stop)
        count, start = 0, time.perf_counter()
        latest, last_snapshot = job.start, 0.0
        try:
            for token in generation.tokens(forward.logits[-1], len(ids), advance, job.max_tokens):
                count += 1
                snapshot = None  # the panels' view of the growing text, a few times a second
                if time.perf_counter() - last_snapshot >= SNAPSHOT_SECONDS or token.stop:
                    snapshot = latest = analysis_of(lm, source_now(), ids, forward, False, *notes)
                    last_snapshot = time.perf_counter()
                self.generated.emit(job.request, token, snapshot)
            reason, seconds = generation.reason, time.perf_counter() - start
            # A long sequence's statistics take seconds (every layer's maps are computed):
            # the generation ends first, they follow as soon as they are ready.
            later = not forward.attentions.is_whole
            final = analysis_of(lm, source_now(), ids, forward, not later, *notes)
        except Exception as error:
            traceback.print_exc()
            reason, final, later = f"failed: {error}", latest, False
            seconds = time.perf_counter() - start
        self.generation_finished.emit(job.request, GenerationResult(reason, final, count, seconds))
        if later and self._requests.is_latest(job.request):
            self._statistics_after_generation(job.request, final)

    def _statistics_after_generation(self, request: int, final: Analysis) -> None:
        run_options = ort.RunOptions()
        self.running_analysis = (request, run_options)  # a newer request stops it early
        try:
            assert final.forward is not None
            stats = summarise(final.forward.attentions, cancelled=lambda: run_options.terminate)
            result = replace(final, head_stats=stats)
        except Cancelled:
            return
        except Exception:
            traceback.print_exc()
            return
        finally:
            self.running_analysis = None
        self.statistics_ready.emit(request, result)

    @Slot()
    def measure_induction(self) -> None:
        if self.model is None:
            return
        try:
            scores = induction_scores(self.model)
        except Exception:  # a statistic, not essential: the table shows it as missing
            traceback.print_exc()
            scores = None
        self.induction_ready.emit(scores)

    @Slot()
    def load_embeddings(self) -> None:
        if self.model is None:
            return
        try:
            self.embeddings_ready.emit(EmbeddingSpace(self.model.folder))
        except PlaygroundError as error:
            self.embeddings_failed.emit(str(error))
        except Exception as error:
            traceback.print_exc()
            self.embeddings_failed.emit(f"Unexpected error: {error!r}")

    @Slot(int, object, object)
    def read_lens(self, request: int, hidden_states: np.ndarray, positions: object) -> None:
        if not self._lens_requests.is_latest(request) or self.model is None:
            return
        try:
            if self._lens is None:
                self._lens = LogitLens(self.model.folder, self.model.arch)
            self.lens_ready.emit(request, self._lens.read(hidden_states, positions))  # type: ignore[arg-type]
        except Exception:
            traceback.print_exc()


class ModelRunner(QObject):
    """Owns the worker thread. Lives on the GUI thread."""

    load_progress = Signal(str, int, int)
    loaded = Signal(object)  # LanguageModel (use it only through this runner)
    load_failed = Signal(str, bool)
    analysed = Signal(int, object)
    analysis_failed = Signal(int, str)
    induction_ready = Signal(object)
    embeddings_ready = Signal(object)
    embeddings_failed = Signal(str)
    generated = Signal(int, object, object)
    generation_finished = Signal(int, object)
    statistics_ready = Signal(int, object)
    lens_ready = Signal(int, object)
    _request_load = Signal(object, object)
    _request_analysis = Signal(int, object, object)
    _request_induction = Signal()
    _request_embeddings = Signal()
    _request_generation = Signal(object)
    _request_lens = Signal(int, object, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.requests = LatestRequest()  # analyses and generations: the newest wins
        self.lens_requests = LatestRequest()
        self._cancel = threading.Event()
        self._stop_generation = threading.Event()
        self._thread = QThread()
        self._thread.setObjectName("model-worker")
        self._worker = _Worker(self.requests, self.lens_requests)
        self._worker.moveToThread(self._thread)
        for request, slot in (
            (self._request_load, self._worker.load),
            (self._request_analysis, self._worker.analyse),
            (self._request_induction, self._worker.measure_induction),
            (self._request_embeddings, self._worker.load_embeddings),
            (self._request_generation, self._worker.generate),
            (self._request_lens, self._worker.read_lens),
        ):
            request.connect(slot)
        self.loaded.connect(lambda _model: favour_gui_thread())  # the model's threads exist now
        for source, target in (
            (self._worker.load_progress, self.load_progress),
            (self._worker.loaded, self.loaded),
            (self._worker.load_failed, self.load_failed),
            (self._worker.analysed, self.analysed),
            (self._worker.analysis_failed, self.analysis_failed),
            (self._worker.induction_ready, self.induction_ready),
            (self._worker.embeddings_ready, self.embeddings_ready),
            (self._worker.embeddings_failed, self.embeddings_failed),
            (self._worker.generated, self.generated),
            (self._worker.statistics_ready, self.statistics_ready),
            (self._worker.generation_finished, self.generation_finished),
            (self._worker.lens_ready, self.lens_ready),
        ):
            source.connect(target)
        self._thread.start()

    def load(self, source: object = None) -> None:
        self._cancel = threading.Event()
        self._request_load.emit(source, self._cancel)

    def cancel_load(self) -> None:
        self._cancel.set()

    def request_analysis(self, source: Source, ids: tuple[int, ...] | None = None) -> int:
        request = self.requests.take()
        self._interrupt_running_analysis()  # its result would be dropped anyway
        self._request_analysis.emit(request, source, ids)
        return request

    def _interrupt_running_analysis(self) -> None:
        running = self._worker.running_analysis  # written by the worker thread; read once
        if running is not None and self.requests.is_stale(running[0]):
            running[1].terminate = True

    def request_generation(
        self, start: Analysis, max_tokens: int, settings: SamplingSettings, sampler: Sampler
    ) -> int:
        request = self.requests.take()
        self._stop_generation = threading.Event()
        job = GenerationJob(request, start, max_tokens, settings, sampler, self._stop_generation)
        self._request_generation.emit(job)
        return request

    def stop_generation(self) -> None:
        self._stop_generation.set()

    def request_lens(self, hidden_states: np.ndarray, positions: list[int]) -> int:
        request = self.lens_requests.take()
        self._request_lens.emit(request, hidden_states, positions)
        return request

    def request_induction_scores(self) -> None:
        """Measure every head's induction score (one extra forward, after queued work)."""
        self._request_induction.emit()

    def request_embeddings(self) -> None:
        """Load the embedding matrix and its 2D map (cached in the bundle)."""
        self._request_embeddings.emit()

    def shutdown(self) -> None:
        self._cancel.set()
        self._stop_generation.set()
        self.requests.take()  # queued analyses become stale and are skipped
        self._interrupt_running_analysis()  # closing must not wait for a long forward
        self._thread.quit()
        self._thread.wait()
