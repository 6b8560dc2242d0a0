"""Tokens as the model sees them: ids, the raw bytes each stands for, special markers.

Byte-level BPE stores every token as text in GPT-2's byte alphabet (a space is 'Ġ', a
newline 'Ċ'); `piece_bytes` maps that back to the bytes it stands for. A token can hold
part of a multi-byte UTF-8 character (an emoji is often 3-4 byte tokens): such a piece
has no text of its own and is never decoded as if it were.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from functools import cache

_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(text: str) -> tuple[str, int]:
    """`text` with lone UTF-16 surrogates (not characters; they cannot be encoded)
    replaced by U+FFFD, and how many there were."""
    return _LONE_SURROGATE.subn("\ufffd", text)


_SENTENCEPIECE_BYTE = re.compile(r"<0x([0-9A-Fa-f]{2})>")


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


def piece_bytes(vocab_entry: str, special: bool = False, sentencepiece: bool = False) -> bytes:
    """The bytes a vocabulary entry stands for (special tokens: their own UTF-8 text).
    Byte-level BPE writes bytes in GPT-2's alphabet ("Ġcat"); SentencePiece writes a space
    as "▁" and a byte without a piece of its own as "<0x0A>"."""
    if special:
        return vocab_entry.encode("utf-8")
    if sentencepiece:
        byte = _SENTENCEPIECE_BYTE.fullmatch(vocab_entry)
        if byte:
            return bytes([int(byte.group(1), 16)])
        return vocab_entry.replace("\u2581", " ").encode("utf-8")
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
    def label(self) -> str:
        """What the window shows on a chip: visible whitespace, stray bytes in hex,
        special tokens as they are written."""
        return self.vocab_entry if self.special else byte_label(self.data)

    @property
    def display(self) -> str:
        """Readable form for terminals: text if whole, else the bytes in hex."""
        text = self.text
        if text is None:
            return " ".join(f"<{b:02X}>" for b in self.data)
        return text


VISIBLE_WHITESPACE = {" ": "·", "\n": "↵", "\t": "→", "\r": "␍"}


def visible_whitespace(text: str) -> str:
    """Make spaces, newlines, tabs and invisible characters visible: ' the\\n' -> '·the↵',
    NUL -> '␀', a right-to-left override -> '<U+202E>'."""
    return "".join(_visible_char(ch) for ch in text)


def _visible_char(ch: str) -> str:
    shown = VISIBLE_WHITESPACE.get(ch)
    if shown is not None:
        return shown
    code = ord(ch)
    if code < 0x20:  # C0 controls: Unicode's control pictures (NUL -> ␀, ESC -> ␛)
        return chr(0x2400 + code)
    if code == 0x7F:
        return "␡"
    if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp"):
        # C1 controls, zero-width and direction marks, line separators: drawn, they would
        # be invisible or reorder the chip's text.
        return f"<U+{code:04X}>"
    return ch


@functools.lru_cache(maxsize=65536)  # chips and maps ask again for every redraw
def byte_label(data: bytes) -> str:
    """Whole characters as visible text, stray bytes of split characters as hex."""
    out: list[str] = []
    i = 0
    while i < len(data):
        length = _utf8_length(data, i)
        if length:
            out.append(visible_whitespace(data[i : i + length].decode("utf-8")))
            i += length
        else:
            out.append(f"<{data[i]:02X}>")
            i += 1
    return "".join(out)


def _utf8_length(data: bytes, start: int) -> int:
    """Length of the whole UTF-8 character starting at `start`, or 0 if it is not whole."""
    lead = data[start]
    length = (
        1
        if lead < 0x80
        else 2
        if 0xC2 <= lead < 0xE0
        else 3
        if 0xE0 <= lead < 0xF0
        else (4 if 0xF0 <= lead < 0xF5 else 0)
    )
    if length == 0 or start + length > len(data):
        return 0
    try:
        data[start : start + length].decode("utf-8")
    except UnicodeDecodeError:
        return 0
    return length


@dataclass(frozen=True)
class TokenGroup:
    """Consecutive tokens that together spell whole characters.

    Most groups hold one token. A character split over several byte-level tokens (an
    emoji, a CJK character) makes a group of all of them, with the character as text.
    """

    first: int  # index of the first token in the sequence
    last: int  # index of the last token (inclusive)
    byte_start: int
    byte_end: int
    text: str  # the characters the group spells (U+FFFD where bytes are invalid)

    @property
    def split_character(self) -> bool:
        return self.last > self.first


def group_pieces(pieces: list[TokenPiece]) -> list[TokenGroup]:
    """Group tokens so that no group starts or ends inside a UTF-8 character."""
    data = b"".join(p.data for p in pieces)
    boundaries = _character_starts(data)
    groups: list[TokenGroup] = []
    offset = 0
    for index, piece in enumerate(pieces):
        start, end = offset, offset + len(piece.data)
        offset = end
        if groups and (start not in boundaries or groups[-1].byte_end not in boundaries):
            previous = groups.pop()
            start = previous.byte_start
            index_first = previous.first
        else:
            index_first = index
        text = data[start:end].decode("utf-8", errors="replace")
        groups.append(TokenGroup(index_first, index, start, end, text))
    return groups


def _character_starts(data: bytes) -> set[int]:
    """Byte offsets where a character (or an undecodable byte) starts, plus the end."""
    starts = {len(data)}
    i = 0
    while i < len(data):
        starts.add(i)
        i += _utf8_length(data, i) or 1
    return starts
