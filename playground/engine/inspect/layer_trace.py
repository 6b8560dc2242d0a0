"""Every number inside one block of the network, for one token: the residual stream
coming in, RMSNorm, the queries, keys and values before and after the rotary position
embedding, q . k / sqrt(d) for every earlier token and its softmax, the heads' weighted
sums of values, the output projection, the MLP's gate, up and SiLU(gate) * up with its
most active neurons, and the stream leaving the block.

The values are outputs of the analysis graph's own block run alone (block_runs.py: the
same operations and weights, fed the stream the analysis graph computed), so they are
what the model computed; the few numbers that are not tensors of their own (the RMS a
norm divides by, the scores before the softmax, the residual add after attention) are
the same operations on those outputs, in float32 as the graph does them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import onnxruntime as ort

from playground.engine.errors import PlaygroundError
from playground.engine.inspect.run import Run
from playground.engine.model.bundle_weights import read_initializer, token_table
from playground.engine.runtime.attention_maps import AttentionMaps
from playground.engine.runtime.block_runs import block_internals
from playground.engine.runtime.language_model import LanguageModel

TOP_NEURONS = 8  # the most active MLP neurons listed
PROMOTED = 5  # tokens each neuron's output direction promotes


@dataclass(frozen=True)
class Neuron:
    index: int
    activation: float  # SiLU(gate) * up at this token
    promotes: tuple[int, ...]  # token ids whose logits its output direction raises most


@dataclass(frozen=True)
class LayerTrace:
    run: Run  # the run followed (its tokens, what was knocked out; no sampler)
    layer: int
    position: int  # P: the token followed through the block
    residual_in: np.ndarray  # (D,) the stream entering the block
    attn_rms: float  # sqrt(mean(x^2) + eps): what the first norm divides by
    attn_gain: np.ndarray  # (D,) its learned gain
    attn_norm: np.ndarray  # (D,) x / rms * gain
    q_raw: np.ndarray  # (H, hd) the query before the rotary embedding; rotary pairs are
    # (j, j + hd/2), the layout of Hugging Face's checkpoints
    q: np.ndarray  # (H, hd) after it
    k_raw: np.ndarray  # (P+1, KVH, hd) keys of tokens 0..P before the rotary embedding
    k: np.ndarray  # (P+1, KVH, hd) after it
    v: np.ndarray  # (P+1, KVH, hd)
    scores: np.ndarray  # (H, P+1) q . k / sqrt(hd), before the softmax
    probs: np.ndarray  # (H, P+1) the attention weights
    head_outputs: np.ndarray  # (H, hd) each head's weighted sum of values
    attn_out: np.ndarray  # (D,) after the output projection
    residual_mid: np.ndarray  # (D,) residual_in + attn_out
    mlp_rms: float
    mlp_gain: np.ndarray  # (D,)
    mlp_norm: np.ndarray  # (D,)
    gate: np.ndarray  # (F,)
    up: np.ndarray  # (F,)
    act: np.ndarray  # (F,) SiLU(gate) * up
    mlp_out: np.ndarray  # (D,) after the down projection
    residual_out: np.ndarray  # (D,) residual_mid + mlp_out: the stream leaving the block
    top_neurons: tuple[Neuron, ...]

    @property
    def group_size(self) -> int:  # query heads per key/value head
        return self.q.shape[0] // self.k.shape[1]


def trace_layer(
    lm: LanguageModel,
    run: Run,
    layer: int,
    position: int | None = None,
    attentions: AttentionMaps | None = None,
    run_options: ort.RunOptions | None = None,
) -> LayerTrace:
    """Follow token `position` (default: the last) of the run through block `layer`.
    `attentions`: the run's maps if already computed (the attention panel's weights)."""
    a = lm.arch
    ids = list(run.ids)
    if not ids:
        raise PlaygroundError("The prompt is empty: there is no token to follow.")
    if not 0 <= layer < a.n_layer:
        raise PlaygroundError(f"Layer {layer} does not exist: use 0-{a.n_layer - 1}.")
    P = len(ids) - 1 if position is None else position
    if not 0 <= P < len(ids):
        raise PlaygroundError(f"Position {P} does not exist: the prompt has {len(ids)} tokens.")
    out = block_internals(lm, ids, layer, run.interventions, run_options)  # name -> (T, ...)
    at = {name.rsplit(".", 1)[0]: values for name, values in out.items()}
    x = at["hidden_in"][P]  # (D,)
    mid = (x + at["attn_out"][P]).astype(np.float32)  # (D,) the graph's Add, in fp32
    q_scaled = at["query"][P]  # (H, hd) rotated and divided by sqrt(hd)
    keys = at["key"][: P + 1]  # (P+1, KVH, hd)
    group = a.n_head // a.n_head_kv
    k_per_head = np.repeat(keys.transpose(1, 0, 2), group, axis=0)  # (H, P+1, hd)
    scores = np.einsum("hd,hsd->hs", q_scaled, k_per_head)  # (H, P+1) the graph's MatMul
    window = a.window_of(layer)  # a sliding layer: keys before its window are masked
    if window:
        scores[:, : max(0, P + 1 - window)] = -np.inf
    maps = attentions.layer(layer) if attentions is not None else None  # (H, T, T)
    if maps is not None:
        probs = np.asarray(maps[:, P, : P + 1], np.float32)
    else:
        shifted = np.exp(scores - scores.max(axis=-1, keepdims=True))
        probs = (shifted / shifted.sum(axis=-1, keepdims=True)).astype(np.float32)
    act = at["act"][P]  # (F,)
    return LayerTrace(
        run=run.model_run,
        layer=layer,
        position=P,
        residual_in=x,
        attn_rms=_rms(x, a.rms_eps),
        attn_gain=_gain(lm, f"blk.{layer}.attn_norm.weight"),
        attn_norm=at["attn_norm"][P],
        q_raw=at["query_raw"][P],
        q=at["query_rotated"][P],
        k_raw=at["key_raw"][: P + 1],
        k=keys,
        v=at["value"][: P + 1],
        scores=scores.astype(np.float32),
        probs=probs,
        head_outputs=at["head_output"][P],
        attn_out=at["attn_out"][P],
        residual_mid=mid,
        mlp_rms=_rms(mid, a.rms_eps),
        mlp_gain=_gain(lm, f"blk.{layer}.ffn_norm.weight"),
        mlp_norm=at["mlp_norm"][P],
        gate=at["gate"][P],
        up=at["up"][P],
        act=act,
        mlp_out=at["mlp_out"][P],
        residual_out=at["hidden_out"][P],
        top_neurons=_top_neurons(lm, layer, act),
    )


def _rms(x: np.ndarray, eps: float) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float32)) + np.float32(eps)))


def _gain(lm: LanguageModel, name: str) -> np.ndarray:
    return np.asarray(read_initializer(lm.folder, name), np.float32)  # (D,)


def _top_neurons(lm: LanguageModel, layer: int, act: np.ndarray) -> tuple[Neuron, ...]:
    """The neurons with the largest |activation|, and the tokens each one promotes most
    at this token: its column of the down projection times the sign of its activation,
    read through the final norm's gain and the output matrix (as the logit lens does)."""
    top = np.argsort(-np.abs(act), kind="stable")[:TOP_NEURONS]
    down_t = read_initializer(lm.folder, f"blk.{layer}.ffn_down.weight_t")  # (F, D)
    gain = _gain(lm, "output_norm.weight")  # (D,)
    if lm.arch.tied_embeddings:
        unembed = token_table(lm.folder)  # (V, D): a big model's, a block of rows at a time
        logits = unembed @ (down_t[top] * gain).T  # (V, k)
    else:
        logits = (down_t[top] * gain) @ read_initializer(lm.folder, "output.weight_t")  # (k,V)
        logits = logits.T
    neurons = []
    for column, index in enumerate(top):
        # a negative activation writes the direction reversed: it promotes the lowest
        direction = logits[:, column] * np.sign(act[index] or 1.0)  # (V,)
        promoted = np.argsort(-direction, kind="stable")[:PROMOTED]
        neurons.append(Neuron(int(index), float(act[index]), tuple(int(t) for t in promoted)))
    return tuple(neurons)
