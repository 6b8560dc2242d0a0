"""A tiny SentencePiece vocabulary laid out as llama.cpp's GGUFs store one (pieces with
scores, "▁" for a space, <0xXX> byte pieces, no merges), and llama.cpp's own way of
tokenizing with it (llm_tokenizer_spm), written out plainly to check the app's ids."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

SPECIALS = ["<unk>", "<s>", "</s>"]  # types 2 (unknown), 3 (control), 3
CORPUS = (
    "the cat sat on the mat. the dog ran to the cat and then the cat ran on. "
    "there is another theme in the three trees; a rat ate an apple in the rain."
)
SPM_CHAT_TEMPLATE = (
    "{{ bos_token }}{% for message in messages %}[INST] {{ message['content'] }} [/INST]"
    "{% endfor %}"
)


def sentencepiece_vocab(n_merges: int = 60) -> tuple[list[str], list[int], list[float]]:
    """(pieces, types, scores): specials, the 256 byte pieces, the corpus's characters,
    then pieces made by joining the most frequent neighbours (later joins score lower)."""
    words = [list("\u2581" + w) for w in CORPUS.split(" ")]
    pieces = sorted({c for w in words for c in w})
    joined: list[str] = []
    for _ in range(n_merges):
        pairs = Counter(pair for w in words for pair in pairwise(w))
        if not pairs:
            break
        (a, b), _ = max(pairs.items(), key=lambda item: (item[1], item[0]))
        joined.append(a + b)
        for w in words:
            i = 0
            while i < len(w) - 1:
                if w[i] == a and w[i + 1] == b:
                    w[i : i + 2] = [a + b]
                i += 1
    normal = pieces + [p for p in joined if p not in pieces]
    tokens = SPECIALS + [f"<0x{b:02X}>" for b in range(256)] + normal
    types = [2, 3, 3] + [6] * 256 + [1] * len(normal)
    # single characters score lowest; a join made earlier (more frequent) scores higher
    scores = [0.0] * (3 + 256) + [-1000.0 - i for i in range(len(pieces))]
    scores += [-float(i) for i, p in enumerate(joined) if p not in pieces]
    return tokens, types, scores


def llama_cpp_spm(text: str, tokens: list[str], scores: list[float]) -> list[int]:
    """llama.cpp's SentencePiece tokenizer on one text fragment: spaces as "▁" (the caller
    adds the leading space), then the neighbouring pair whose join is the best-scored piece
    joined again and again (leftmost first on a tie), then each symbol's id, or its bytes'."""
    vocab = {t: i for i, t in enumerate(tokens)}
    symbols = list(text.replace(" ", "\u2581"))
    while True:
        best = None
        for i in range(len(symbols) - 1):
            joined = symbols[i] + symbols[i + 1]
            if joined in vocab and (best is None or scores[vocab[joined]] > best[0]):
                best = (scores[vocab[joined]], i)
        if best is None:
            break
        i = best[1]
        symbols[i : i + 2] = [symbols[i] + symbols[i + 1]]
    ids = []
    for symbol in symbols:
        if symbol in vocab:
            ids.append(vocab[symbol])
        else:
            ids.extend(vocab[f"<0x{b:02X}>"] for b in symbol.encode("utf-8"))
    return ids
