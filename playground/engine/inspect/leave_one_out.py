"""Which parts of the prompt a prediction depends on, by leaving each out: the prompt is
run again without one token (or word, or line), and the score is how much the target's
log-probability drops (nats). With a contrast token, the score is the drop of the logit
difference target - contrast ("why X rather than Y").

Every shortened prompt keeps the tokens before the removed part, so their keys and values
are reused from one run of the whole prompt: only the tokens after the removed part run
again (the analysis graph, in fp32, as any prompt)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import onnxruntime as ort

from playground.engine.errors import Cancelled, PlaygroundError
from playground.engine.inspect.run import Run
from playground.engine.runtime.forward import KVCache
from playground.engine.runtime.language_model import LanguageModel

UNITS = ("token", "word", "line", "message")
SENTENCE_ENDS = (b".", b"!", b"?", b"\n")


@dataclass(frozen=True)
class PromptPart:
    """A token, a word or a line of the prompt: the positions it covers and its text."""

    positions: tuple[int, ...]
    text: str


@dataclass(frozen=True)
class LeaveOneOut:
    run: Run  # the whole prompt's run (model only: no sampler)
    target: int  # token id whose prediction is explained
    contrast: int | None  # "rather than" this token, if given
    base: float  # the score with the whole prompt: log p(target), or the logit difference
    parts: tuple[PromptPart, ...]
    scores: np.ndarray  # (len(parts),) base - score without that part; positive = it helped

    def token_scores(self, n_tokens: int, missing: float = 0.0) -> np.ndarray:
        """(n_tokens,) each token's part's score (`missing` for tokens never left out)."""
        out = np.full(n_tokens, missing)
        for part, score in zip(self.parts, self.scores, strict=True):
            out[list(part.positions)] = score
        return out


def prompt_parts(lm: LanguageModel, ids: Sequence[int], unit: str) -> list[PromptPart]:
    """The prompt cut into tokens, words (a word starts at a token beginning with
    whitespace), lines/sentences (ending at . ! ? or a newline) or messages (what lies
    between the chat template's markers; the new line after a message's end marker goes
    with it). Special tokens (a BOS, the chat template's markers) are never left out."""
    if unit not in UNITS:
        raise PlaygroundError(f"Unknown unit {unit!r}: use one of {', '.join(UNITS)}.")
    parts: list[list[int]] = []
    starts_new = True
    for position, piece in enumerate(lm.pieces(ids)):
        if piece.special:
            starts_new = True
            continue
        between_messages = unit == "message" and parts and not piece.data.strip()
        if between_messages and starts_new:
            pass  # a new line between two messages: the earlier one's
        elif unit == "token" or starts_new or (unit == "word" and piece.data[:1].isspace()):
            parts.append([])
        parts[-1].append(position)
        starts_new = unit == "line" and piece.data.rstrip(b" ").endswith(SENTENCE_ENDS)
    return [PromptPart(tuple(p), lm.decode([ids[i] for i in p])) for p in parts]


def leave_one_out(
    lm: LanguageModel,
    run: Run,
    target: int,
    contrast: int | None = None,
    unit: str = "token",
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    run_options: ort.RunOptions | None = None,
) -> LeaveOneOut:
    """Leave each part of the run's tokens out in turn and score the prediction of
    `target` after the rest, every run with the run's interventions (mean ablation: the
    whole prompt's means). Raise
    Cancelled if `cancelled()` turns true between runs (or `run_options` is
    terminated during one)."""
    ids = list(run.ids)
    if not ids:
        raise PlaygroundError("The prompt is empty: there is nothing to attribute.")
    for token in (target, contrast):
        if token is not None and not 0 <= token < lm.vocab_size:
            raise PlaygroundError(f"Token id {token} is not in the vocabulary.")
    if run.interventions.patches:  # a patch is a change at positions of these tokens
        raise PlaygroundError(
            "Leaving parts out moves the tokens a patch was taken for: attribute the run "
            "without its patch."
        )
    parts = prompt_parts(lm, ids, unit)
    interventions = run.interventions.over(ids)

    def score(logits: np.ndarray) -> float:  # (V,)
        z = logits.astype(np.float64)
        if contrast is not None:
            return float(z[target] - z[contrast])
        top = z.max()
        return float(z[target] - top - np.log(np.exp(z - top).sum()))  # log-softmax

    whole = lm.step(lm.empty_cache(), ids, run_options, False, interventions)  # the whole, once
    base = score(whole.logits[-1])
    scores = np.zeros(len(parts))
    for k, part in enumerate(parts):
        if cancelled is not None and cancelled():
            raise Cancelled("Attribution cancelled.")
        if progress is not None:
            progress(k, len(parts))
        first, removed = part.positions[0], set(part.positions)
        rest = [t for i, t in enumerate(ids) if i > first and i not in removed]
        if not rest and first == 0:
            scores[k] = np.nan  # nothing would be left to read
            continue
        # Run again from `start`: at least two tokens, so that the run is the analysis
        # graph's (fp32); a single new token after a cache would take the decoding graph.
        start = max(0, min(first, first + len(rest) - 2))
        prefix = KVCache(whole.cache.key_rows[:, :start], whole.cache.value_rows[:, :start])
        rerun = lm.step(prefix, ids[start:first] + rest, run_options, False, interventions)
        logits = rerun.logits[-1]
        scores[k] = base - score(logits)
    if progress is not None:
        progress(len(parts), len(parts))
    return LeaveOneOut(run.model_run, target, contrast, base, tuple(parts), scores)
