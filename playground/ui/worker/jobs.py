"""What the worker thread runs: a Job (a function of a JobContext, in a lane) and what the
function may use while it runs (the model, a stop flag, a way to report progress).

Jobs in one lane replace each other: once a newer job is submitted in the same lane, an
older one is stale. The worker skips a stale job it has not started, a running one is
asked to stop (its forward interrupted), and whatever a stale job still sends is dropped
on the GUI thread. That is the one mechanism for "latest only" and cancellation.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import onnxruntime as ort

from playground.engine.errors import Cancelled

if TYPE_CHECKING:
    from playground.engine.runtime.language_model import LanguageModel

# lanes: jobs of a lane replace each other ("" = every job of it runs and answers)
SEQUENCE = "sequence"  # analyses and generations: what the panels show
LENS = "lens"
LENS_OF_A = "lens_of_a"  # the logit lens of the run pinned as A (compared with B's)
LOAD = "load"
EMBEDDINGS = "embeddings"
INDUCTION = "induction"
ATTRIBUTION = "attribution"
COMPONENTS = "components"  # direct logit attribution of the prediction on screen
PINNED = "pinned"  # a compared run A, analysed again when a session is opened
INSIDE = "inside"  # every number inside one layer for one token (Inside a layer)
RECEIPT = "receipt"  # how one next-token probability is computed
SENTENCES = "sentences"  # the Sentences panel's vectors and similarities
COLLECTION = "collection"  # a collection of passages indexed (embedded where it changed)
SEARCH = "search"  # a query's ranked passages
RAG = "rag"  # an answer with and without the passages found
QUIZ = "quiz"  # a class's guesses scored (one forward per guess of several tokens)
FINETUNE = "finetune"  # LoRA adapters trained on examples, kept as a variant
VARIANT = "variant"  # what a variant changed: its weights, compared with its base
BOTH = "both"  # a base and its variant continuing the same prompt, same seed
PATCHING = "patching"  # activation patching: every cell of a heatmap, with progress
DIRECTION = "direction"  # a steering direction read from two texts
STEERING_SWEEP = "steering_sweep"  # which layer steers best (one run per layer)
STEERED_PAIR = "steered_pair"  # a prompt continued without and with steering, same seed
ROUTES = "routes"  # the routes information takes to the predictions (one recorded run)


@dataclass(frozen=True)
class Job:
    lane: str
    work: Callable[[JobContext], Any]  # runs on the worker thread; returns the result
    subject: object = None  # what the job is about (an analysed source...), for tests and logs


class Lanes:
    """Ticket numbers and the newest ticket of each lane. The GUI thread takes tickets,
    the worker asks whether its job is stale: both threads use it, hence the lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._count = 0
        self._newest: dict[str, int] = {}
        self._cancelled: set[int] = set()

    def take(self, lane: str) -> int:
        with self._lock:
            self._count += 1
            if lane:
                self._newest[lane] = self._count
            return self._count

    def cancel(self, ticket: int) -> None:
        with self._lock:
            self._cancelled.add(ticket)

    def is_stale(self, lane: str, ticket: int) -> bool:
        """A newer job of the lane was submitted, or this one was cancelled."""
        with self._lock:
            return ticket in self._cancelled or (bool(lane) and self._newest[lane] != ticket)

    def forget(self, ticket: int) -> None:
        with self._lock:
            self._cancelled.discard(ticket)


@dataclass
class JobContext:
    """A running job's view of the worker (used on the worker thread only, except `stop`
    and `run_options`, which the GUI thread sets to end the job early)."""

    ticket: int
    lane: str
    lanes: Lanes
    model: LanguageModel | None
    report: Callable[[object], None]  # progress for the job's on_progress, on the GUI thread
    use_model: Callable[[LanguageModel], None]  # (the load job) the model later jobs use
    per_model: dict[str, Any]  # what jobs keep for the current model (the logit lens...)
    stop: threading.Event = field(default_factory=threading.Event)
    run_options: ort.RunOptions = field(default_factory=ort.RunOptions)

    def is_stale(self) -> bool:
        return self.lanes.is_stale(self.lane, self.ticket)

    def check(self) -> None:
        """Raise Cancelled if the job was replaced or cancelled (between its steps)."""
        if self.is_stale() or self.run_options.terminate:
            raise Cancelled("Replaced by newer work.")

    def end_early(self, interrupt: bool) -> None:
        """(GUI thread) stop at the next step; `interrupt` also ends a running forward."""
        self.stop.set()
        if interrupt:
            self.run_options.terminate = True

    def require_model(self) -> LanguageModel:
        if self.model is None:
            raise Cancelled("No model is loaded.")
        return self.model
