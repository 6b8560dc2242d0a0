"""What one run of the model returns: frozen dataclasses of numpy arrays."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


class _AttentionBuffer:
    """Room to grow the (L, H, T, T) attention array one generated token at a time
    without copying it every step. Only the newest Forward (the tip) may write into it;
    extending an older Forward (a branch) copies into a fresh buffer."""

    def __init__(self, attentions: np.ndarray, capacity: int) -> None:
        L, H, T, _ = attentions.shape
        self.data = np.zeros((L, H, capacity, capacity), np.float32)  # (L, H, C, C)
        self.data[:, :, :T, :T] = attentions
        self.length = T


@dataclass(frozen=True)
class KVCache:
    """Keys and values of every token seen so far, one array pair per layer."""

    keys: tuple[np.ndarray, ...]  # n_layer x (n_head_kv, P, head_dim)
    values: tuple[np.ndarray, ...]  # n_layer x (n_head_kv, P, head_dim)

    @property
    def length(self) -> int:
        return int(self.keys[0].shape[1])

    @property
    def nbytes(self) -> int:
        return sum(a.nbytes for a in self.keys) + sum(a.nbytes for a in self.values)


@dataclass(frozen=True)
class Step:
    """The model's outputs for new tokens appended after a cache of P earlier ones."""

    ids: np.ndarray  # (n,) int64, the new tokens
    logits: np.ndarray  # (n, V) float32
    attentions: np.ndarray  # (L, H, n, P+n) float32 softmax rows
    hidden_states: np.ndarray  # (L+1, n, D) float32
    cache: KVCache  # now P+n long
    seconds: float  # wall time of the model run


@dataclass(frozen=True)
class Forward:
    """The full analysis of a token sequence.

    hidden_states follows Hugging Face's `output_hidden_states`: index 0 is the token
    embeddings, index i the residual stream after block i, the last index is after the
    final norm.
    """

    ids: np.ndarray  # (T,) int64
    logits: np.ndarray  # (T, V) float32
    attentions: np.ndarray  # (L, H, T, T) float32, causal, rows sum to 1
    hidden_states: np.ndarray  # (L+1, T, D) float32
    cache: KVCache  # keys and values of all T tokens, for extending
    seconds: float  # wall time of the model run(s) that produced this
    _buffer: _AttentionBuffer | None = field(default=None, repr=False, compare=False)

    @property
    def n_tokens(self) -> int:
        return int(self.ids.shape[0])

    @property
    def next_token_logits(self) -> np.ndarray:
        return self.logits[-1]  # (V,)

    def extended(self, step: Step) -> Forward:
        """This forward followed by `step`, as if the whole sequence had run at once."""
        T, n = self.n_tokens, int(step.ids.shape[0])
        buffer = self._buffer
        if buffer is None or buffer.length != T or buffer.data.shape[2] < T + n:
            capacity = int((T + n) * 1.25) + 16  # amortised growth, ~1.6x the memory at most
            buffer = _AttentionBuffer(self.attentions, capacity)
        buffer.data[:, :, T : T + n, : T + n] = step.attentions
        buffer.length = T + n
        return Forward(
            ids=np.concatenate([self.ids, step.ids]),
            logits=np.concatenate([self.logits, step.logits]),
            attentions=buffer.data[:, :, : T + n, : T + n],  # (L, H, T+n, T+n) view
            hidden_states=np.concatenate([self.hidden_states, step.hidden_states], axis=1),
            cache=step.cache,
            seconds=self.seconds + step.seconds,
            _buffer=buffer,
        )
