"""Direct logit attribution: a prediction's logit split into what each part of the network
wrote into the residual stream — the token embedding, each layer's attention (and each
head within it) and each layer's MLP.

The residual stream before the final norm is the sum of those parts, and the final norm
divides it by one number (its root mean square), so with that scale taken from the whole
stream the logit is exactly the sum of the parts' dot products with the target's row of
the output matrix (times the norm's gain):

    logit = s * (embed + sum_l attn_l + sum_l mlp_l) . (g * W_U[target]),  s = 1/rms(stream)

Everything is read from the run: the hidden states give each block's total, the values
and attention rows give each head's weighted sum, the output projection (the graph's own
fp32 matrix) turns that into what the head writes; a block's MLP is its total minus its
attention. The last block's output is only seen after the final norm, so its MLP is
computed here with the graph's weights; the test holds the sum to the model's logit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.engine.inspect.run import Run
from playground.engine.model.bundle_weights import read_initializer, token_table
from playground.engine.runtime.forward import Forward
from playground.engine.runtime.intervention_feeds import ADDED
from playground.engine.runtime.language_model import LanguageModel


@dataclass(frozen=True)
class LogitComponents:
    run: Run  # the run whose prediction is split (model only: no sampler)
    target: int
    logit: float  # the model's own logit of the target (from the run)
    # "embed", then "L{i}.attn", "L{i}.mlp" for each layer i; then "added" if the run
    # added something to the stream (steering, a patched stream)
    names: tuple[str, ...]
    values: np.ndarray  # (1 + 2L [+ 1],) each part's share of the logit; they add up to it
    heads: np.ndarray  # (L, H) each head's share (a layer's heads add up to its attn)
    scale: float  # 1 / rms of the residual stream before the final norm

    def value(self, name: str) -> float:
        return float(self.values[self.names.index(name)])


def _weight(lm: LanguageModel, name: str) -> np.ndarray:
    return np.asarray(read_initializer(lm.folder, name), dtype=np.float64)


def gated(gate: np.ndarray, activation: str) -> np.ndarray:
    """The MLP gate's activation in numpy: SiLU, or GELU in its tanh form (Gemma 3)."""
    if activation == "gelu_tanh":
        return 0.5 * gate * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (gate + 0.044715 * gate**3)))
    return gate / (1.0 + np.exp(-gate))


def _rms_scale(x: np.ndarray, eps: float) -> float:
    return float(1.0 / np.sqrt(np.mean(x * x) + eps))


def _attention_row(
    forward: Forward, layer: int, t: int, scale_free_q: np.ndarray, keys, window: int
):
    """(H, t+1) the attention weights of query t in `layer` (the run's own maps when whole,
    else the same softmax of its queries and keys, within its window if it slides)."""
    whole = forward.attentions.whole
    if whole is not None:
        return np.asarray(whole[layer, :, t, : t + 1], dtype=np.float64)
    scores = np.einsum("hd,hsd->hs", scale_free_q, keys)  # (H, t+1), queries are scaled
    if window:
        scores[:, : max(0, t + 1 - window)] = -np.inf
    scores -= scores.max(axis=-1, keepdims=True)
    weights = np.exp(scores)
    return weights / weights.sum(axis=-1, keepdims=True)


def logit_components(lm: LanguageModel, run: Run, forward: Forward, target: int) -> LogitComponents:
    """The target's logit at the last position of `forward` (the model's run of `run`),
    split into its parts, with the run's interventions as the graph had them (a
    knocked-out head writes zero or its mean output, a knocked-out MLP nothing)."""
    a = lm.arch
    L, H, KVH, hd, eps = a.n_layer, a.n_head, a.n_head_kv, a.head_dim, a.rms_eps
    t = forward.n_tokens - 1
    hidden = np.asarray(forward.hidden_states[:, t], dtype=np.float64)  # (L+1, D)
    group = H // KVH  # query heads per key/value head
    heads = np.zeros((L, H, a.d_model))  # what each head writes into the stream
    interventions = run.interventions.over(forward.ids.tolist())
    knock_out = interventions.knock_out
    head_mask, mlp_mask = knock_out.masks(a)  # (L, H), (L,)
    # what the graph was fed: heads' fills, additions to the stream (steering, a patched
    # stream) and to attention and MLP outputs (patches), at position t
    feeds = lm.intervention_feeds(interventions, 0, t + 1)
    at = t if feeds["stream_add"].shape[1] > 1 else 0  # their row for position t
    fill = feeds["head_fill"][:, at]  # (L, H, hd)
    stream_add, attn_add, mlp_add = (feeds[n][:, at] for n in ADDED)  # (L, D) each
    for layer in range(L):
        keys = forward.cache.key_rows[layer, : t + 1]  # (t+1, KVH, hd)
        values = np.asarray(forward.cache.value_rows[layer, : t + 1], dtype=np.float64)
        q = np.asarray(forward.queries[layer, t], dtype=np.float64)  # (H, hd)
        k = np.repeat(np.asarray(keys, dtype=np.float64).transpose(1, 0, 2), group, axis=0)
        weights = _attention_row(forward, layer, t, q, k, a.window_of(layer))  # (H, t+1)
        v = np.repeat(values.transpose(1, 0, 2), group, axis=0)  # (H, t+1, hd)
        context = np.einsum("hs,hsd->hd", weights, v)  # (H, hd) each head's weighted sum
        context = context * head_mask[layer][:, None] + fill[layer]  # as the graph does
        output_t = _weight(lm, f"blk.{layer}.attn_output.weight_t").reshape(H, hd, -1)
        heads[layer] = np.einsum("hd,hdo->ho", context, output_t)  # (H, D)
        if a.post_norms:  # Gemma 3: the sum normalised, so each head by the sum's scale
            gain = _weight(lm, f"blk.{layer}.post_attention_norm.weight")
            heads[layer] *= _rms_scale(heads[layer].sum(axis=0), eps) * gain
    attention = heads.sum(axis=1) + attn_add  # (L, D)
    # (L-1, D) all but the last: a block's total, less its attention and what was added
    mlp = hidden[1:L] - stream_add[1:L] - hidden[: L - 1] - attention[: L - 1]
    # the last block: its output is seen only after the final norm, so its MLP is run here
    x = hidden[L - 1] + attention[L - 1]
    normed = x * _rms_scale(x, eps) * _weight(lm, f"blk.{L - 1}.ffn_norm.weight")
    gate = normed @ _weight(lm, f"blk.{L - 1}.ffn_gate.weight_t")
    up = normed @ _weight(lm, f"blk.{L - 1}.ffn_up.weight_t")
    last_mlp = (gated(gate, a.activation) * up) @ _weight(lm, f"blk.{L - 1}.ffn_down.weight_t")
    if a.post_norms:
        gain = _weight(lm, f"blk.{L - 1}.post_ffw_norm.weight")
        last_mlp = last_mlp * _rms_scale(last_mlp, eps) * gain
    last_mlp = last_mlp * mlp_mask[L - 1] + mlp_add[L - 1]
    mlp = np.vstack([mlp, last_mlp[None]])  # (L, D)
    stream = x + last_mlp  # (D,) the residual stream before the final norm
    scale = _rms_scale(stream, eps)
    if a.tied_embeddings:
        row = np.asarray(token_table(lm.folder)[target], np.float64)
    else:
        row = np.asarray(read_initializer(lm.folder, "output.weight_t")[:, target], np.float64)
    direction = scale * _weight(lm, "output_norm.weight") * row  # (D,)
    embed = hidden[0] - stream_add[0]
    parts = [embed] + [p for layer in range(L) for p in (attention[layer], mlp[layer])]
    names = ("embed", *(f"L{i}.{kind}" for i in range(L) for kind in ("attn", "mlp")))
    if np.any(stream_add):  # steering, or a patched stream: its own part, last
        parts, names = [*parts, stream_add.sum(axis=0)], (*names, "added")
    return LogitComponents(
        run=run.model_run,
        target=int(target),
        logit=float(forward.next_token_logits[target]),
        names=names,
        values=np.array([p @ direction for p in parts]),
        heads=heads @ direction,
        scale=scale,
    )
