"""Everything the panels show about one model input, computed together off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import onnxruntime as ort

from playground.engine.inspect.attention_summary import HeadStatistics, summarise
from playground.engine.inspect.run import Run
from playground.engine.prompt.model_input import CHAT, TEXT, Notice, Source, model_input
from playground.engine.runtime.forward import Forward
from playground.engine.runtime.interventions import Interventions
from playground.engine.runtime.language_model import LanguageModel
from playground.engine.sampling.distribution import RankedLogits, rank_logits
from playground.engine.text.tokens import TokenGroup, TokenPiece, group_pieces

__all__ = [
    "CHAT",
    "TEXT",
    "Analysis",
    "Source",
    "analyse",
    "analyse_source",
    "analysis_of",
    "with_statistics",
]


@dataclass(frozen=True)
class Analysis:
    run: Run  # what was run: model, source, tokens, interventions (no sampler)
    text: str  # what the model reads (for chat: the whole template)
    pieces: tuple[TokenPiece, ...]
    groups: tuple[TokenGroup, ...]
    forward: Forward | None  # None for an empty input
    next_token: RankedLogits | None  # the last position's logits, ranked once
    head_stats: HeadStatistics | None  # per-head attention habits (None while generating)
    notices: tuple[Notice, ...] = ()  # what was changed on the way in (see model_input)
    dropped_tokens: int = 0  # tokens cut from the start of a too-long prompt
    statistics_pending: bool = False  # a long prompt's: made next (analysis_of's `later`)

    @property
    def source(self) -> Source:  # what was asked for: the prompt, or a chat message
        return self.run.source

    @property
    def ids(self) -> tuple[int, ...]:  # the tokens the model read
        return self.run.ids

    @property
    def n_tokens(self) -> int:
        return len(self.ids)


def analysis_of(
    lm: LanguageModel,
    run: Run,
    forward: Forward | None,
    with_stats: bool = True,
    notices: tuple[Notice, ...] = (),
    dropped_tokens: int = 0,
    run_options: ort.RunOptions | None = None,
    long_statistics_later: bool = False,
) -> Analysis:
    """The Analysis of `forward`, the model's run of `run`; `run_options.terminate` (set
    by another thread) stops the statistics between layers with Cancelled, as it stops
    the model run. `long_statistics_later`: a long prompt's statistics (every layer's
    maps computed again, seconds at 2,048 tokens) are left out, marked pending, for the
    caller to make next (with_statistics) while the rest is already shown."""
    ids = run.ids
    pieces = lm.pieces(ids)
    ranked = rank_logits(forward.next_token_logits) if forward is not None else None
    stats = None
    later = bool(
        long_statistics_later
        and with_stats
        and forward is not None
        and not forward.attentions.is_whole
    )
    if forward is not None and with_stats and not later:
        # statistics, and for long prompts the overview's thumbnails: every layer, once
        cancelled = (lambda: bool(run_options.terminate)) if run_options is not None else None
        stats = summarise(forward.attentions, cancelled=cancelled)
    return Analysis(
        run.model_run,
        lm.decode(ids),
        tuple(pieces),
        tuple(group_pieces(pieces)),
        forward,
        ranked,
        stats,
        notices,
        dropped_tokens,
        later,
    )


def with_statistics(analysis: Analysis, cancelled: Callable[[], bool] | None = None) -> Analysis:
    """`analysis` with its head statistics (and a long prompt's overview) made: what
    analysis_of left pending. Raises Cancelled between layers once `cancelled()`."""
    assert analysis.forward is not None
    stats = summarise(analysis.forward.attentions, cancelled=cancelled)
    return replace(analysis, head_stats=stats, statistics_pending=False)


def analyse(lm: LanguageModel, text: str) -> Analysis:
    """Tokenize `text` and run the model on it (raises PlaygroundError when it cannot)."""
    return analyse_source(lm, (TEXT, text))


def analyse_source(
    lm: LanguageModel,
    source: Source,
    limit: int | None = None,
    run_options: ort.RunOptions | None = None,
    interventions: Interventions | None = None,
    long_statistics_later: bool = False,
) -> Analysis:
    """Analyse what the user asked for: at most `limit` tokens (default: the analysis
    limit), with notices saying what was changed on the way. `run_options` lets another
    thread interrupt the model run (see LanguageModel.step); `long_statistics_later`:
    see analysis_of."""
    given = model_input(lm, source, limit)
    ids = given.ids
    run = Run.of(lm, source, ids, interventions)
    forward = lm.forward(ids, run_options, interventions=run.interventions) if ids else None
    return analysis_of(
        lm,
        run,
        forward,
        True,
        given.notices,
        given.dropped_tokens,
        run_options,
        long_statistics_later,
    )
