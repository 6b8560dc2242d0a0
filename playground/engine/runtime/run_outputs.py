"""Every output of one run of the analysis graph (or the decoding graph), by meaning,
and by the graph's output names for ONNX Runtime to write into in place."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.engine.model.architecture import Architecture
from playground.engine.runtime.forward import Recorded, TokenRows

ROOM = 64  # tokens a prompt's hidden states and queries can grow by without a copy


@dataclass
class RunOutputs:
    """Every output of one run, by meaning; the arrays of one name family are slices of
    one array (written in place by ONNX Runtime)."""

    logits: np.ndarray  # (R, V)
    attentions: np.ndarray  # (L, H, A, S)
    queries: np.ndarray  # (L, n, H, hd)
    hidden_states: np.ndarray  # (L+1, n, D)
    keys: np.ndarray  # (L, n, KVH, hd) the new tokens'
    values: np.ndarray  # (L, n, KVH, hd)
    attn_records: np.ndarray | None = None  # (L, W, D) W: n if recorded, else 0
    mlp_records: np.ndarray | None = None  # (L, W, D)
    head_records: np.ndarray | None = None  # (L, W, H, hd)

    @classmethod
    def empty(
        cls, a: Architecture, n: int, total: int, rows: int, logit_rows: int, record: int
    ) -> RunOutputs:
        rows_shape = (a.n_layer, n, a.n_head_kv, a.head_dim)  # (L, n, KVH, hd)
        return cls(
            logits=np.empty((logit_rows, a.vocab_size), np.float32),
            attentions=np.empty((a.n_layer, a.n_head, rows, total), np.float32),
            # the first n rows of buffers with room for the tokens generated next
            queries=TokenRows.empty((a.n_layer, n, a.n_head, a.head_dim), n, ROOM).rows,
            hidden_states=TokenRows.empty((a.n_layer + 1, n, a.d_model), n, ROOM).rows,
            keys=TokenRows.empty(rows_shape, n, ROOM).rows,
            values=TokenRows.empty(rows_shape, n, ROOM).rows,
            attn_records=np.empty((a.n_layer, record, a.d_model), np.float32),
            mlp_records=np.empty((a.n_layer, record, a.d_model), np.float32),
            head_records=np.empty((a.n_layer, record, a.n_head, a.head_dim), np.float32),
        )

    def recorded(self) -> Recorded:
        assert self.attn_records is not None and self.mlp_records is not None
        assert self.head_records is not None  # the analysis graph's run, record_rows = n
        return Recorded(self.attn_records, self.mlp_records, self.head_records)

    def by_name(self) -> dict[str, np.ndarray]:
        named = {"logits": self.logits}
        for i in range(len(self.keys)):  # L
            named[f"attention.{i}"] = self.attentions[i]
            named[f"query.{i}"] = self.queries[i]
            named[f"key.{i}"] = self.keys[i]
            named[f"value.{i}"] = self.values[i]
            for kind, records in (
                ("attn", self.attn_records),
                ("mlp", self.mlp_records),
                ("head", self.head_records),
            ):
                if records is not None:
                    named[f"{kind}_record.{i}"] = records[i]
        for j in range(len(self.hidden_states)):
            named[f"hidden.{j}"] = self.hidden_states[j]
        return named
