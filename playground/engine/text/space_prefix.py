"""SentencePiece's space before a text, where llama.cpp puts it: llama.cpp splits the input
at special tokens and gives each text fragment that starts the input or follows a special
token a leading space (then every space becomes "▁"), so "<s>[INST] Hi" reads
"<s>", "▁[INST]▁Hi"."""

from __future__ import annotations

import re


def space_prefixed(text: str, specials: re.Pattern[str] | None, continues: bool) -> str:
    """`text` with those spaces added; `specials` matches the special tokens' strings (None:
    the text is one fragment); `continues`: the text goes on from text before it, so its
    start is no fragment's start."""
    if specials is None:
        return text if continues or not text else " " + text
    parts: list[tuple[str, bool]] = []
    at = 0
    for match in specials.finditer(text):
        parts.append((text[at : match.start()], False))
        parts.append((match.group(0), True))
        at = match.end()
    parts.append((text[at:], False))
    out, previous_special = [], not continues
    for part, is_special in parts:
        if not part:
            continue
        out.append(" " + part if previous_special and not is_special else part)
        previous_special = is_special
    return "".join(out)
