"""Words coloured by a signed share (rich text): blue where a word adds to a score, red
where it takes away, deeper for larger shares; the share is written after the word."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from playground.ui.widgets.score_chips import score_color


def word_shares_html(words: Sequence[tuple[str, float]], digits: int = 3) -> str:
    largest = max((abs(s) for _, s in words), default=0.0)
    spans = []
    for text, share in words:
        fill = score_color(share, largest)
        ink = "white" if fill.lightness() < 140 else "#1d1f2b"
        spans.append(
            f'<span style="background:{fill.name()}; color:{ink};">&nbsp;{escape(text)}'
            f"<sub>{share:+.{digits}f}</sub>&nbsp;</span>"
        )
        spans.append(" ")
    return "".join(spans)
