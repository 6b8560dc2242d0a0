"""An independent pure-numpy forward pass, read straight from a GGUF file.

It shares nothing with the ONNX graph builder: it keeps llama.cpp's weight layout and
applies RoPE to adjacent pairs (0,1),(2,3),... for the llama family (the layout the GGUF
stores), rotate-half for the others, and loops over heads one by one. Gemma 3 follows
llama.cpp's rules for it (llama-model.cpp, models/gemma3.cpp): 5 of every 6 layers see a
sliding window of the last tokens and rotate with base 10,000; the sixth see all and use
the file's base (divided by a linear scaling factor); embeddings times sqrt(D); every
block's attention and MLP output RMS-normalised before its add; GELU (tanh) gates.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from gguf import GGUFReader
from gguf.quants import dequantize


@dataclass
class ReferenceOutput:
    logits: np.ndarray  # (T, V)
    attentions: np.ndarray  # (L, H, T, T)
    hidden_states: np.ndarray  # (L+1, T, D)
    head_outputs: np.ndarray  # (L, T, H, hd) each head's weighted sum of values, intact
    # per layer, every value inside the block by name (attn_norm, q, k, v, scores, ...)
    internals: list[dict[str, np.ndarray]]


class ReferenceModel:
    def __init__(self, path: Path) -> None:
        reader = GGUFReader(path)
        self.family = str(reader.fields["general.architecture"].contents())

        def field(name: str):
            return reader.fields[f"{self.family}.{name}"].contents()

        self.n_layer = int(field("block_count"))
        self.n_head = int(field("attention.head_count"))
        self.n_head_kv = int(field("attention.head_count_kv"))
        self.d_model = int(field("embedding_length"))
        key_length = reader.fields.get(f"{self.family}.attention.key_length")
        self.head_dim = int(key_length.contents()) if key_length else self.d_model // self.n_head
        self.theta = float(field("rope.freq_base"))
        self.eps = float(field("attention.layer_norm_rms_epsilon"))
        self.gemma = self.family == "gemma3"
        window = reader.fields.get(f"{self.family}.attention.sliding_window")
        self.window = int(window.contents()) if window and self.gemma else 0
        factor = reader.fields.get(f"{self.family}.rope.scaling.factor")
        self.rope_factor = float(factor.contents()) if factor else 1.0
        self.w: dict[str, np.ndarray] = {}
        for t in reader.tensors:
            shape = tuple(int(d) for d in reversed(t.shape))
            self.w[t.name] = dequantize(t.data, t.tensor_type).reshape(shape).astype(np.float64)

    def _rms(self, x: np.ndarray, weight: np.ndarray) -> np.ndarray:
        return x / np.sqrt((x * x).mean(-1, keepdims=True) + self.eps) * weight

    def _sliding(self, layer: int) -> bool:
        return bool(self.window) and layer % 6 != 5

    def _rope(self, x: np.ndarray, positions: np.ndarray, layer: int = 0) -> np.ndarray:
        """x (T, hd) for one head."""
        hd = self.head_dim
        out = np.empty_like(x)
        sliding = self._sliding(layer)
        for j in range(hd // 2):
            freq = (10000.0 if sliding else self.theta) ** (-2.0 * j / hd)
            if not sliding:
                freq /= self.rope_factor
            if "rope_freqs.weight" in self.w:  # llama.cpp's freq_factors: theta_j / factor_j
                freq /= self.w["rope_freqs.weight"].reshape(-1)[j]
            angle = positions * freq
            c, s = np.cos(angle), np.sin(angle)
            a, b = (2 * j, 2 * j + 1) if self.family == "llama" else (j, j + hd // 2)
            out[:, a] = x[:, a] * c - x[:, b] * s
            out[:, b] = x[:, a] * s + x[:, b] * c
        return out

    def forward(
        self,
        ids: list[int],
        knocked_heads: frozenset[tuple[int, int]] = frozenset(),
        knocked_mlps: frozenset[int] = frozenset(),
        head_means: np.ndarray | None = None,
        added: dict[str, np.ndarray] | None = None,
    ) -> ReferenceOutput:
        """The numpy forward; a knocked-out head's weighted sum of values is zero (or its
        row of `head_means` (L, H, hd), for mean ablation), a knocked-out MLP adds nothing
        to the stream. `added` (steering, patches): "stream" (L, T, D) added to the stream
        entering each block, "attn" / "mlp" (L, T, D) to its attention / MLP output,
        "head" (L, T, H, hd) to each head's weighted sum. The output's head_outputs
        (L, T, H, hd) are the intact sums."""
        T, H, hd = len(ids), self.n_head, self.head_dim
        group = self.n_head // self.n_head_kv
        positions = np.arange(T, dtype=np.float64)
        x = self.w["token_embd.weight"][ids]  # (T, D)
        if self.gemma:
            x = x * np.sqrt(self.d_model)
        attentions = np.zeros((self.n_layer, H, T, T))
        head_outputs = np.zeros((self.n_layer, T, H, hd))
        internals: list[dict[str, np.ndarray]] = []
        add = {
            kind: np.zeros(
                (self.n_layer, T, H, hd) if kind == "head" else (self.n_layer, T, x.shape[1])
            )
            for kind in ("stream", "attn", "mlp", "head")
        } | (added or {})
        hidden = []
        for layer in range(self.n_layer):
            x = x + add["stream"][layer]
            hidden.append(x.copy())
            inside: dict[str, np.ndarray] = {"residual_in": x.copy()}
            internals.append(inside)
            w = {k.split(".", 2)[2]: v for k, v in self.w.items() if k.startswith(f"blk.{layer}.")}
            if "attn_qkv.weight" in w:  # Phi-3: q|k|v and gate|up stored as one matrix each
                kv = self.n_head_kv * self.head_dim
                q_rows = w["attn_qkv.weight"].shape[0] - 2 * kv
                w["attn_q.weight"], w["attn_k.weight"], w["attn_v.weight"] = np.split(
                    w["attn_qkv.weight"], [q_rows, q_rows + kv]
                )
                w["ffn_gate.weight"], w["ffn_up.weight"] = np.split(w["ffn_up.weight"], 2)
            h = self._rms(x, w["attn_norm.weight"])
            q, k, v = (h @ w[f"attn_{n}.weight"].T for n in "qkv")
            if "attn_q.bias" in w:
                q, k, v = q + w["attn_q.bias"], k + w["attn_k.bias"], v + w["attn_v.bias"]
            if "attn_q_norm.weight" in w:  # Qwen3: each head over its RMS, times a gain
                q = self._rms(q.reshape(T, H, hd), w["attn_q_norm.weight"]).reshape(T, -1)
                k = self._rms(k.reshape(T, -1, hd), w["attn_k_norm.weight"]).reshape(T, -1)
            inside |= {"attn_norm": h, "q_raw": q.reshape(T, H, hd)}
            inside |= {"k_raw": k.reshape(T, -1, hd), "v": v.reshape(T, -1, hd)}
            inside |= {n: np.zeros((T, H, hd)) for n in ("q", "k")}
            inside["scores"] = np.zeros((H, T, T))
            heads = []
            for head in range(H):
                kv = head // group
                qh = self._rope(q[:, head * hd : (head + 1) * hd], positions, layer)
                kh = self._rope(k[:, kv * hd : (kv + 1) * hd], positions, layer)
                vh = v[:, kv * hd : (kv + 1) * hd]
                inside["q"][:, head], inside["k"][:, head] = qh, kh  # k: per query head
                scores = qh @ kh.T / np.sqrt(hd)
                scores[np.triu_indices(T, 1)] = -np.inf
                if self._sliding(layer):  # keys more than window-1 tokens back
                    scores[np.tril_indices(T, -self.window)] = -np.inf
                inside["scores"][head] = scores
                probs = np.exp(scores - scores.max(-1, keepdims=True))
                probs /= probs.sum(-1, keepdims=True)
                attentions[layer, head] = probs
                head_outputs[layer, :, head] = output = probs @ vh  # (T, hd)
                if (layer, head) in knocked_heads:
                    fill = 0.0 if head_means is None else head_means[layer, head]
                    output = np.zeros_like(output) + fill
                heads.append(output + add["head"][layer, :, head])
            inside["attn_out"] = np.concatenate(heads, axis=1) @ w["attn_output.weight"].T
            if self.gemma:
                inside["attn_out"] = self._rms(inside["attn_out"], w["post_attention_norm.weight"])
            inside["attn_out"] = inside["attn_out"] + add["attn"][layer]
            x = x + inside["attn_out"]
            inside["residual_mid"] = x.copy()
            h = self._rms(x, w["ffn_norm.weight"])
            gate, up = h @ w["ffn_gate.weight"].T, h @ w["ffn_up.weight"].T
            if self.gemma:  # GELU, tanh form
                inner = np.sqrt(2 / np.pi) * (gate + 0.044715 * gate**3)
                act = 0.5 * gate * (1 + np.tanh(inner)) * up
            else:
                act = gate / (1 + np.exp(-gate)) * up
            inside |= {"mlp_norm": h, "gate": gate, "up": up, "act": act}
            inside["mlp_out"] = np.zeros_like(x)
            if layer not in knocked_mlps:
                inside["mlp_out"] = act @ w["ffn_down.weight"].T
                if self.gemma:
                    inside["mlp_out"] = self._rms(inside["mlp_out"], w["post_ffw_norm.weight"])
            inside["mlp_out"] = inside["mlp_out"] + add["mlp"][layer]
            x = x + inside["mlp_out"]
            inside["residual_out"] = x.copy()
        hidden.append(self._rms(x, self.w["output_norm.weight"]))
        head_weight = self.w.get("output.weight", self.w["token_embd.weight"])
        logits = hidden[-1] @ head_weight.T
        return ReferenceOutput(logits, attentions, np.stack(hidden), head_outputs, internals)
