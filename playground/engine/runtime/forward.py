"""What one run of the model returns: frozen dataclasses of numpy arrays."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from playground.engine.runtime.attention_maps import AttentionMaps, whole_maps_fit


class _MapsBuffer:
    """Room to grow the whole (L, H, T, T) attention maps one generated token at a time
    without copying them every step. Only the newest Forward (the tip) may write into it;
    extending an older Forward (a branch) copies into a fresh buffer."""

    def __init__(self, maps: np.ndarray, capacity: int) -> None:
        L, H, T, _ = maps.shape
        self.data = np.zeros((L, H, capacity, capacity), np.float32)  # (L, H, C, C)
        self.data[:, :, :T, :T] = maps
        self.length = T

    @classmethod
    def appending(
        cls, buffer: _MapsBuffer | None, maps: np.ndarray, rows: np.ndarray
    ) -> tuple[_MapsBuffer, np.ndarray]:
        """`maps` (L, H, T, T) with the new tokens' `rows` (L, H, n, T+n): the buffer and a
        (L, H, T+n, T+n) view."""
        T, n = maps.shape[2], rows.shape[2]
        if buffer is None or buffer.length != T or buffer.data.shape[2] < T + n:
            capacity = int((T + n) * 1.25) + 16  # amortised growth, ~1.6x the memory at most
            buffer = cls(maps, capacity)
        buffer.data[:, :, T : T + n, : T + n] = rows
        buffer.length = T + n
        return buffer, buffer.data[:, :, : T + n, : T + n]


class TokenRows:
    """An (A, C, ...) array with room for C tokens along axis 1, of which the first
    `length` are in use: hidden states and queries grow into it one generated token at a
    time without being copied. Only the newest Forward (the tip) may write into it;
    extending an older one (a branch) copies into a fresh buffer."""

    def __init__(self, data: np.ndarray, length: int) -> None:
        self.data = data  # (A, C, ...)
        self.length = length

    @classmethod
    def empty(cls, shape: tuple[int, ...], length: int, room: int) -> TokenRows:
        """Room for `length` tokens and `room` more: shape is (A, length, ...)."""
        A, _, *rest = shape
        return cls(np.empty((A, length + room, *rest), np.float32), length)

    @classmethod
    def holding(cls, rows: np.ndarray) -> TokenRows | None:
        """The buffer `rows` is the beginning of (made by `empty`), if it has room."""
        base = rows.base
        if (
            isinstance(base, np.ndarray)
            and base.ndim == rows.ndim
            and base.shape[1] > rows.shape[1]
        ):
            return cls(base, rows.shape[1])
        return None

    @property
    def rows(self) -> np.ndarray:
        return self.data[:, : self.length]  # (A, length, ...) view

    @classmethod
    def appending(
        cls, buffer: TokenRows | None, rows: np.ndarray, new: np.ndarray
    ) -> tuple[TokenRows, np.ndarray]:
        """`rows` (A, T, ...) followed by `new` (A, n, ...): the buffer and a view."""
        T, n = rows.shape[1], new.shape[1]
        tip = buffer is not None and buffer.length == T and rows.base is buffer.data
        if not tip or buffer is None or buffer.data.shape[1] < T + n:
            capacity = int((T + n) * 1.25) + 16  # amortised growth
            A, _, *rest = rows.shape
            buffer = cls(np.empty((A, capacity, *rest), np.float32), T)
            buffer.data[:, :T] = rows
        buffer.data[:, T : T + n] = new
        buffer.length = T + n
        return buffer, buffer.rows


@dataclass(frozen=True)
class KVCache:
    """Keys and values of every token seen so far, token-major, all layers in one array
    each; views of buffers the next tokens are appended to in place (see TokenRows)."""

    key_rows: np.ndarray  # (L, P, KVH, hd)
    value_rows: np.ndarray  # (L, P, KVH, hd)
    _key_buffer: TokenRows | None = field(default=None, repr=False, compare=False)
    _value_buffer: TokenRows | None = field(default=None, repr=False, compare=False)

    @property
    def keys(self) -> tuple[np.ndarray, ...]:
        return tuple(self.key_rows)  # n_layer x (P, KVH, hd)

    @property
    def values(self) -> tuple[np.ndarray, ...]:
        return tuple(self.value_rows)

    @property
    def length(self) -> int:
        return int(self.key_rows.shape[1])

    @property
    def nbytes(self) -> int:
        return int(self.key_rows.nbytes + self.value_rows.nbytes)

    def appended(self, keys: np.ndarray, values: np.ndarray) -> KVCache:
        """This cache followed by the new tokens' keys and values (L, n, KVH, hd)."""
        key_buffer, key_rows = TokenRows.appending(self._key_buffer, self.key_rows, keys)
        value_buffer, value_rows = TokenRows.appending(self._value_buffer, self.value_rows, values)
        return KVCache(key_rows, value_rows, key_buffer, value_buffer)

    @classmethod
    def holding(cls, keys: np.ndarray, values: np.ndarray) -> KVCache:
        """A cache of these (L, P, KVH, hd) rows, growing into their buffers' room."""
        return cls(keys, values, TokenRows.holding(keys), TokenRows.holding(values))


@dataclass(frozen=True)
class Recorded:
    """What every block wrote for the new tokens (a step run with record=True): the
    values activation patching takes from one run into another."""

    attn_out: np.ndarray  # (L, n, D) each block's attention output
    mlp_out: np.ndarray  # (L, n, D) each block's MLP output
    head_output: np.ndarray  # (L, n, H, hd) each head's weighted sum of values


@dataclass(frozen=True)
class Step:
    """The model's outputs for n new tokens appended after a cache of P earlier ones."""

    ids: np.ndarray  # (n,) int64, the new tokens
    logits: np.ndarray  # (R, V) float32, the last R new tokens (R = n, or 1 if not detailed)
    attentions: np.ndarray | None  # (L, H, n, P+n) softmax rows; None if not detailed
    queries: np.ndarray  # (L, n, H, hd) rotated and scaled, to compute maps again
    hidden_states: np.ndarray  # (L+1, n, D) float32
    cache: KVCache  # now P+n long
    seconds: float  # wall time of the model run
    recorded: Recorded | None = None  # asked for with record=True


@dataclass(frozen=True)
class Forward:
    """The full analysis of a token sequence.

    hidden_states follows Hugging Face's `output_hidden_states`: index 0 is the token
    embeddings, index i the residual stream after block i, the last index is after the
    final norm. A long sequence keeps the logits of its last token only (the logits of
    any position are the final hidden state times the output matrix: the logit lens).
    """

    ids: np.ndarray  # (T,) int64
    logits: np.ndarray  # (R, V) float32 for the last R tokens: all T, or 1 for long prompts
    attentions: AttentionMaps  # (L, H, T, T), causal, rows sum to 1
    queries: np.ndarray  # (L, T, H, hd)
    hidden_states: np.ndarray  # (L+1, T, D) float32
    cache: KVCache  # keys and values of all T tokens, for extending
    seconds: float  # wall time of the model run(s) that produced this
    _maps_buffer: _MapsBuffer | None = field(default=None, repr=False, compare=False)
    _query_buffer: TokenRows | None = field(default=None, repr=False, compare=False)
    _hidden_buffer: TokenRows | None = field(default=None, repr=False, compare=False)

    @property
    def n_tokens(self) -> int:
        return int(self.ids.shape[0])

    @property
    def next_token_logits(self) -> np.ndarray:
        return self.logits[-1]  # (V,)

    def extended(self, step: Step) -> Forward:
        """This forward followed by `step`, as if the whole sequence had run at once."""
        L, H, T, _ = self.attentions.shape
        n = int(step.ids.shape[0])
        # no copy of the hidden states (145 MB at 2,048 tokens) per generated token
        query_buffer, queries = TokenRows.appending(
            self._query_buffer, self.queries, step.queries
        )  # (L, T+n, H, hd) view
        hidden_buffer, hidden = TokenRows.appending(
            self._hidden_buffer, self.hidden_states, step.hidden_states
        )  # (L+1, T+n, D) view
        maps_buffer = None
        whole = self.attentions.whole
        if whole is not None and step.attentions is not None and whole_maps_fit(L, H, T + n):
            maps_buffer, view = _MapsBuffer.appending(self._maps_buffer, whole, step.attentions)
            maps = AttentionMaps(whole=view, source=self.attentions.source)
        else:  # too long to hold whole: computed when asked for from now on
            maps = AttentionMaps(
                queries=queries, keys=step.cache.keys, source=self.attentions.source
            )
        return Forward(
            ids=np.concatenate([self.ids, step.ids]),
            logits=np.concatenate([self.logits, step.logits]),
            attentions=maps,
            queries=queries,
            hidden_states=hidden,
            cache=step.cache,
            seconds=self.seconds + step.seconds,
            _maps_buffer=maps_buffer,
            _query_buffer=query_buffer,
            _hidden_buffer=hidden_buffer,
        )
