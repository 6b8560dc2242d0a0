"""Tokens as the model sees them: ids, the raw bytes each stands for, special markers.

Byte-level BPE stores every token as text in GPT-2's byte alphabet (a space is 'Ġ', a
newline 'Ċ'); `piece_bytes` maps that back to the bytes it stands for. A token can hold
part of a multi-byte UTF-8 character (an emoji is often 3-4 byte tokens): such a piece
has no text of its own and is never decoded as if it were.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache


@cache
def _unicode_to_byte() -> dict[str, int]:
    """Inverse of GPT-2's bytes_to_unicode table."""
    printable = (
        list(range(ord("!"), ord("~") + 1))
        + list(range(ord("¡"), ord("¬") + 1))
        + list(range(ord("®"), ord("ÿ") + 1))
    )
    byte_values = printable[:]
    code_points = printable[:]
    extra = 0
    for b in range(256):
        if b not in printable:
            byte_values.append(b)
            code_points.append(256 + extra)
            extra += 1
    return {chr(c): b for b, c in zip(byte_values, code_points, strict=True)}


def piece_bytes(vocab_entry: str, special: bool = False) -> bytes:
    """The bytes a vocabulary entry stands for (special tokens: their own UTF-8 text)."""
    if special:
        return vocab_entry.encode("utf-8")
    table = _unicode_to_byte()
    try:
        return bytes(table[ch] for ch in vocab_entry)
    except KeyError:  # not in the byte alphabet (an added token): it is its own text
        return vocab_entry.encode("utf-8")


@dataclass(frozen=True)
class TokenPiece:
    token_id: int
    vocab_entry: str  # as stored in the vocabulary, e.g. "Ġcat"
    data: bytes  # the bytes this token stands for, e.g. b" cat"
    special: bool  # a control token such as <|im_start|>

    @property
    def text(self) -> str | None:
        """The piece's text, or None if its bytes are not whole UTF-8 characters."""
        try:
            return self.data.decode("utf-8")
        except UnicodeDecodeError:
            return None

    @property
    def display(self) -> str:
        """Readable form for terminals: text if whole, else the bytes in hex."""
        text = self.text
        if text is None:
            return " ".join(f"<{b:02X}>" for b in self.data)
        return text
