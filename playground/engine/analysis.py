"""Everything the panels show about one prompt, computed together off the GUI thread."""

from __future__ import annotations

from dataclasses import dataclass

from playground.engine.attention import HeadStatistics, head_statistics
from playground.engine.forward import Forward
from playground.engine.model import LanguageModel
from playground.engine.sampling import RankedLogits, rank_logits
from playground.engine.tokens import TokenGroup, TokenPiece, group_pieces


@dataclass(frozen=True)
class Analysis:
    text: str
    ids: tuple[int, ...]
    pieces: tuple[TokenPiece, ...]
    groups: tuple[TokenGroup, ...]
    forward: Forward | None  # None for an empty prompt
    next_token: RankedLogits | None  # the last position's logits, ranked once
    head_stats: HeadStatistics | None  # per-head attention habits on this prompt

    @property
    def n_tokens(self) -> int:
        return len(self.ids)


def analyse(lm: LanguageModel, text: str) -> Analysis:
    """Tokenize `text` and run the model on it (raises PlaygroundError when it cannot)."""
    ids = lm.encode(text)
    pieces = lm.pieces(ids)
    forward = lm.forward(ids) if ids else None
    ranked = rank_logits(forward.next_token_logits) if forward is not None else None
    stats = head_statistics(forward.attentions) if forward is not None else None
    return Analysis(
        text, tuple(ids), tuple(pieces), tuple(group_pieces(pieces)), forward, ranked, stats
    )
