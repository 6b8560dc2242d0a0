"""Sentences compared by their vectors: the cosine matrix, nearest neighbours, and which
words make two sentences alike.

A sentence vector is u = m / |m|, m = mean of the token states t_1..t_n. So the cosine of
two sentences splits exactly into one term per token of either sentence:

    cos(A, B) = u_A . u_B = sum_i  t_i . u_B / (n_A |m_A|)      (tokens of A)
              = sum_i sum_j t_i . t_j / (n_A |m_A| n_B |m_B|)    (pairs of tokens)

A word's share is the sum over its pieces; [CLS] and [SEP] are tokens like any other
(mean pooling counts them), shown as such.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.engine.runtime.sentence_encoder import EncodedText


def cosine_matrix(vectors: np.ndarray) -> np.ndarray:
    """(N, N) cosines of N vectors (D,) (unit vectors: their dot products)."""
    v = np.asarray(vectors, np.float64)
    v = v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
    return v @ v.T


def nearest(similarities: np.ndarray, index: int, k: int = 3) -> list[tuple[int, float]]:
    """The k others most similar to item `index`: (item, cosine), best first."""
    row = np.asarray(similarities[index], np.float64)
    order = [int(j) for j in np.argsort(-row, kind="stable") if int(j) != index]
    return [(j, float(row[j])) for j in order[:k]]


@dataclass(frozen=True)
class Word:
    text: str  # as written in the sentence (or "[CLS]", "[SEP]")
    tokens: tuple[int, ...]  # its token positions
    share: float  # its part of the cosine (the shares of a sentence's words add up to it)


@dataclass(frozen=True)
class SimilarityDrivers:
    cosine: float
    words_a: list[Word]
    words_b: list[Word]
    pairs: np.ndarray  # (T_A, T_B) each token pair's part; sums to the cosine

    def top_pairs(self, k: int = 5) -> list[tuple[Word, Word, float]]:
        """The word pairs that add most to the cosine, largest first."""
        scores = [
            (wa, wb, float(self.pairs[np.ix_(wa.tokens, wb.tokens)].sum()))
            for wa in self.words_a
            for wb in self.words_b
        ]
        return sorted(scores, key=lambda s: -s[2])[:k]


def similarity_drivers(a: EncodedText, b: EncodedText) -> SimilarityDrivers:
    ta = np.asarray(a.token_states, np.float64)  # (T_A, D)
    tb = np.asarray(b.token_states, np.float64)  # (T_B, D)
    ma, mb = ta.mean(axis=0), tb.mean(axis=0)  # (D,)
    sa = len(ta) * max(float(np.linalg.norm(ma)), 1e-12)
    sb = len(tb) * max(float(np.linalg.norm(mb)), 1e-12)
    pairs = (ta @ tb.T) / (sa * sb)  # (T_A, T_B)
    return SimilarityDrivers(
        cosine=float(pairs.sum()),
        words_a=words_of(a, pairs.sum(axis=1)),
        words_b=words_of(b, pairs.sum(axis=0)),
        pairs=pairs,
    )


def words_of(encoded: EncodedText, token_scores: np.ndarray) -> list[Word]:
    """Group wordpieces into the words of the text ("##" continues a word), each with the
    sum of its pieces' scores."""
    groups: list[list[int]] = []
    for i, token in enumerate(encoded.tokens):
        if token.startswith("##") and groups:
            groups[-1].append(i)
        else:
            groups.append([i])
    words = []
    for group in groups:
        start, end = encoded.offsets[group[0]][0], encoded.offsets[group[-1]][1]
        special = end <= start  # [CLS], [SEP]: no characters of the text
        text = encoded.tokens[group[0]] if special else encoded.text[start:end]
        words.append(Word(text, tuple(group), float(np.sum(token_scores[group]))))
    return words


def matching_words(words: list[Word], k: int = 5) -> list[tuple[str, float]]:
    """The words adding most to a cosine, each word once (case ignored; its largest single
    share, so that a frequent "the" does not win by repetition), punctuation and
    [CLS]/[SEP] left out; largest first."""
    best: dict[str, tuple[str, float]] = {}
    for w in words:
        if w.text in ("[CLS]", "[SEP]") or not any(c.isalnum() for c in w.text):
            continue
        key = w.text.lower()
        if key not in best or w.share > best[key][1]:
            best[key] = (w.text, w.share)
    return sorted(best.values(), key=lambda item: -item[1])[:k]
