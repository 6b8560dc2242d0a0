"""An independent numpy sentence encoder (BERT + mean pooling + L2 normalisation), for
checking the ONNX graph: it reads model.safetensors itself (header JSON + raw little-endian
arrays, not the safetensors package) and computes in float64, one sentence at a time."""

from __future__ import annotations

import json
import struct
from math import erf, sqrt
from pathlib import Path

import numpy as np

_DTYPES = {"F32": "<f4", "F16": "<f2", "I64": "<i8"}
_erf = np.vectorize(erf)


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    data = Path(path).read_bytes()
    (header_size,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + header_size])
    body = memoryview(data)[8 + header_size :]
    tensors = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        start, end = spec["data_offsets"]
        array = np.frombuffer(body[start:end], dtype=_DTYPES[spec["dtype"]])
        tensors[name] = array.reshape(spec["shape"]).astype(np.float64)
    return tensors


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


class ReferenceEncoder:
    def __init__(self, safetensors: Path, config: dict) -> None:
        self.w = read_safetensors(safetensors)
        self.n_layer = config["num_hidden_layers"]
        self.n_head = config["num_attention_heads"]
        self.eps = config["layer_norm_eps"]

    def _linear(self, x: np.ndarray, prefix: str) -> np.ndarray:
        return x @ self.w[f"{prefix}.weight"].T + self.w[f"{prefix}.bias"]

    def encode(self, ids: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(sentence vector (D,), token states (T, D), attentions (L, H, T, T)) of one
        sentence's ids (with [CLS] and [SEP]), no padding."""
        w, T = self.w, len(ids)
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:T]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = _layer_norm(
            x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps
        )
        D = x.shape[1]
        hd = D // self.n_head
        maps = []
        for i in range(self.n_layer):
            p = f"encoder.layer.{i}"
            q, k, v = (
                self._linear(x, f"{p}.attention.self.{n}")
                .reshape(T, self.n_head, hd)
                .transpose(1, 0, 2)
                for n in ("query", "key", "value")
            )  # (H, T, hd)
            scores = q @ k.transpose(0, 2, 1) / sqrt(hd)  # (H, T, T)
            scores -= scores.max(axis=-1, keepdims=True)
            probs = np.exp(scores)
            probs /= probs.sum(axis=-1, keepdims=True)
            maps.append(probs)
            context = (probs @ v).transpose(1, 0, 2).reshape(T, D)
            a = self._linear(context, f"{p}.attention.output.dense")
            x = _layer_norm(
                x + a,
                w[f"{p}.attention.output.LayerNorm.weight"],
                w[f"{p}.attention.output.LayerNorm.bias"],
                self.eps,
            )
            h = self._linear(x, f"{p}.intermediate.dense")
            h = 0.5 * h * (1.0 + _erf(h / sqrt(2.0)))  # exact GELU
            x = _layer_norm(
                x + self._linear(h, f"{p}.output.dense"),
                w[f"{p}.output.LayerNorm.weight"],
                w[f"{p}.output.LayerNorm.bias"],
                self.eps,
            )
        pooled = x.mean(axis=0)
        return pooled / max(np.linalg.norm(pooled), 1e-12), x, np.stack(maps)
