"""Everything the panels show about one model input, computed together off the GUI thread."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from playground.engine.attention import HeadStatistics, head_statistics
from playground.engine.chat import chat_prompt
from playground.engine.forward import Forward
from playground.engine.model import LanguageModel
from playground.engine.sampling import RankedLogits, rank_logits
from playground.engine.tokens import TokenGroup, TokenPiece, group_pieces

TEXT, CHAT = "text", "chat"
Source = tuple[str, str]  # (TEXT, prompt) or (CHAT, user message): what the user asked for


@dataclass(frozen=True)
class Analysis:
    source: Source  # what was asked for; the Session compares it with its own state
    text: str  # what the model reads (for chat: the whole template)
    ids: tuple[int, ...]
    pieces: tuple[TokenPiece, ...]
    groups: tuple[TokenGroup, ...]
    forward: Forward | None  # None for an empty input
    next_token: RankedLogits | None  # the last position's logits, ranked once
    head_stats: HeadStatistics | None  # per-head attention habits (None while generating)

    @property
    def n_tokens(self) -> int:
        return len(self.ids)


def model_input(lm: LanguageModel, source: Source) -> list[int]:
    """The token ids the model reads for a request: the text, or the message in the
    model's chat template."""
    mode, text = source
    if mode == CHAT:
        return chat_prompt(lm, text).ids
    return lm.encode(text)


def analysis_of(
    lm: LanguageModel,
    source: Source,
    ids: Sequence[int],
    forward: Forward | None,
    with_stats: bool = True,
) -> Analysis:
    pieces = lm.pieces(ids)
    ranked = rank_logits(forward.next_token_logits) if forward is not None else None
    stats = head_statistics(forward.attentions) if forward is not None and with_stats else None
    return Analysis(
        source,
        lm.decode(ids),
        tuple(int(i) for i in ids),
        tuple(pieces),
        tuple(group_pieces(pieces)),
        forward,
        ranked,
        stats,
    )


def analyse(lm: LanguageModel, text: str) -> Analysis:
    """Tokenize `text` and run the model on it (raises PlaygroundError when it cannot)."""
    return analyse_source(lm, (TEXT, text))


def analyse_source(lm: LanguageModel, source: Source) -> Analysis:
    ids = model_input(lm, source)
    return analysis_of(lm, source, ids, lm.forward(ids) if ids else None)
