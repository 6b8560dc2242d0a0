"""Build the inspectable ONNX graph of a Llama-family decoder from numpy weights.

One graph serves both the full analysis of a prompt and incremental steps: it takes
the new tokens and a key/value cache of earlier ones (length 0 for a fresh prompt).

Inputs                                      Outputs (per layer i, written in place)
  input_ids       int64 (T,)                  logits         (R, V)  the last R rows
  position_ids    int64 (T,)                  attention.i    (H, A, P+T)  softmax rows of
  attention_rows  int64 (1,) A: 0 or T                       the first A new tokens
  logit_rows      int64 (1,) R: 1..T          query.i        (T, H, hd)  rotated, scaled
  past_key.i      f32   (P, KVH, hd)          hidden.j       (T, D)  j = 0..L, HF convention
  past_value.i    f32   (P, KVH, hd)          key.i / value.i (T, KVH, hd)  the new tokens'
  head_mask       f32   (L, H)  1 = intact (all ones), 0 = the head's weighted sum of
  mlp_mask        f32   (L,)    values (or the layer's MLP output) knocked out
  head_fill       f32   (L, F, H, hd)  added to each head's weighted sum after the mask
                                (F: 1 for every token alike, or T): zeros, a knocked-out
                                head's mean output (mean ablation), or a patch's change
  stream_add      f32   (L, F, D)  added to the stream entering block i (hidden.i shows
                                it): steering, or a patch of the residual stream
  attn_add        f32   (L, F, D)  added to block i's attention output (attn_out.i)
  mlp_add         f32   (L, F, D)  added to block i's MLP output (mlp_out.i)
  record_rows     int64 (1,) W: 0 or T   attn_record.i, mlp_record.i (W, D) and
                                head_record.i (W, H, hd): the first W rows of attn_out.i,
                                mlp_out.i and head_output.i (what activation patching
                                takes from a run)
  Inside each block the values keep names (attn_norm.i, query_raw.i and key_raw.i before
  the rotary embedding, query_rotated.i unscaled, attn_out.i, mlp_norm.i, gate.i, up.i,
  act.i = SiLU(gate) * up, mlp_out.i); they are outputs of part_graphs.build_block_graph,
  one block alone, not of this graph: as outputs here they would all be kept to the end
  of a run (1.7 GB more at 2,048 tokens).

Every output is its own tensor, so a caller can have them written straight into slices
of its arrays; the key/value cache is token-major and the graph returns only the new
tokens' rows, so the caller's cache grows in place instead of being copied every step.
A long prompt asks for no attention rows and one row of logits: the
(H, T, T) maps of all layers would not fit in memory, and each layer's can be computed
again from its queries and keys (see attention_maps.py).

No batch dimension: the app always looks at one sequence. Shapes are written beside the
node that makes them; names follow the GGUF tensors (blk.i.attn_q, ...).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import onnx
from onnx import TensorProto

from playground.engine.model.architecture import Architecture
from playground.engine.model.graph_builder import GraphBuilder
from playground.engine.model.graph_signature import graph_signature
from playground.engine.model.quant_blocks import CodeBlocks, Q4Blocks, Q8Blocks
from playground.engine.model.weights_file import WeightsFile

QKV = ("attn_q", "attn_k", "attn_v")
WeightSource = Callable[[str], np.ndarray]  # GGUF tensor name -> fp32 array (HF orientation)
RowSource = Callable[[str], "Q8Blocks | None"]  # GGUF tensor name -> its Q8_0 blocks, if any
# a layer matrix's own blocks, if the analysis multiplies it in them
BlockSource = Callable[[str], "Q4Blocks | Q8Blocks | CodeBlocks | None"]


def build_graph(
    arch: Architecture,
    weight: WeightSource,
    name: str = "model",
    rows: RowSource | None = None,
    blocks: BlockSource | None = None,
    weights: WeightsFile | None = None,
) -> onnx.ModelProto:
    """The analysis graph of `arch` with fp32 `weight`s (the fastest kernels for many rows).
    A token embedding table that `rows` returns Q8_0 blocks for is looked up in them
    (exactly the dequantized values), so the fp32 table serves the output layer alone.
    With `blocks` (a model too big for fp32 matrices), the matrices multiply in their own
    blocks, joined as the decoding graph joins them (the bundle holds them once), every
    row in two 8-bit parts, and an 8-bit token table is both looked up and multiplied in
    its blocks. Large constants are written into `weights` if given."""
    g = GraphBuilder(weights)
    parts = AnalysisParts(g, arch, weight, blocks)
    L = arch.n_layer
    x = parts.embed(rows)  # (T, D) the token embeddings
    for i in range(L):
        layer = g.const(f"layer_index.{i}", np.array(i, np.int64))  # a scalar
        added = g.op("Gather", "stream_add", layer, axis=0)  # (F, D)
        x = g.op("Add", x, added, name=f"hidden.{i}")  # (T, D) the stream entering block i
        x = analysis_block(g, parts, weight, x, i, None)
        for kind in ("attn_out", "mlp_out", "head_output"):
            g.op("Slice", f"{kind}.{i}", parts.first_row, "record_rows", parts.first_row,
                 name=f"{kind.split('_')[0]}_record.{i}")  # fmt: skip
    parts.output(x)
    return g.model(name, *graph_signature(arch))


def analysis_block(
    g: GraphBuilder, parts: AnalysisParts, weight: WeightSource, x: str, i: int, output: str | None
) -> str:
    """Block i: x (T, D) + attention(norm(x)), then + MLP(norm(...)): the stream leaving it
    (named `output`); every value inside is named (attn_norm.i, ..., mlp_out.i). Also
    the graph of one block alone (part_graphs.build_block_graph)."""
    p, eps = f"blk.{i}", parts.arch.rms_eps
    h = g.rms_norm(x, weight(f"{p}.attn_norm.weight"), eps, f"{p}.attn_norm", f"attn_norm.{i}")
    layer = g.const(f"layer_index.{i}", np.array(i, np.int64))  # a scalar
    attn = g.op("Add", parts.attention(h, i), g.op("Gather", "attn_add", layer, axis=0))
    x = g.op("Add", x, g.op("Identity", attn, name=f"attn_out.{i}"))  # (T, D)
    h = g.rms_norm(x, weight(f"{p}.ffn_norm.weight"), eps, f"{p}.ffn_norm", f"mlp_norm.{i}")
    mask = g.op("Gather", "mlp_mask", layer)  # a scalar
    mlp = g.op("Mul", parts.mlp(h, i), mask)  # (T, D)
    mlp = g.op("Add", mlp, g.op("Gather", "mlp_add", layer, axis=0), name=f"mlp_out.{i}")
    return g.op("Add", x, mlp, name=output)


def _i64(*values: int) -> np.ndarray:
    return np.array(values, dtype=np.int64)


def _f32(value: float) -> np.ndarray:
    return np.array(value, dtype=np.float32)


class AnalysisParts:
    """The parts of the analysis graph, each reading top to bottom: what every layer
    shares (sequence lengths, the causal mask, the rotary angles) is made once here."""

    def __init__(
        self,
        g: GraphBuilder,
        arch: Architecture,
        weight: WeightSource,
        blocks: BlockSource | None = None,
    ) -> None:
        self.g, self.arch, self.weight, self.blocks = g, arch, weight, blocks
        H, KVH, hd = arch.n_head, arch.n_head_kv, arch.head_dim
        n_new = g.op("Shape", "input_ids")  # [T]
        n_past = g.op("Shape", "past_key.0", start=0, end=1)  # [P]
        # (T, S) per window size: 0 = every earlier token; a sliding layer's last W
        self.masks = {
            w: g.causal_mask(n_new, n_past, w)
            for w in {arch.window_of(i) for i in range(arch.n_layer)}
        }
        # knock-outs: head_mask (L, H) and mlp_mask (L,), all ones for the intact network;
        # head_fill (L, H, hd), zeros unless a knocked-out head keeps its mean output
        self.head_mask = g.op(
            "Reshape", "head_mask", g.const("shape.head_mask", _i64(arch.n_layer, H, 1))
        )  # (L, H, 1)
        self.head_fill = "head_fill"  # (L, F, H, hd)
        self.first_row = g.const("first_row", _i64(0))
        # rotary position embedding (rotate-half form): angles (T, 1, hd), every head's;
        # sliding layers may rotate with their own base (Gemma 3): one table per kind
        positions = g.op("Cast", "position_ids", to=TensorProto.FLOAT)  # (T,)
        axis1 = g.const("axis1", _i64(1))
        self.rotary: dict[bool, tuple[str, str]] = {}
        for local in {bool(arch.window_of(i)) for i in range(arch.n_layer)}:
            angles = g.op(
                "Mul",
                g.op("Unsqueeze", positions, axis1),
                g.const(f"rope.inv_freq{'_local' * local}", rope_inv_freq(arch, local)[None, :]),
            )  # (T, hd/2)
            angles = g.op("Unsqueeze", g.op("Concat", angles, angles, axis=-1), axis1)  # (T,1,hd)
            self.rotary[local] = (g.op("Cos", angles), g.op("Sin", angles))
        self.scale = g.const("attn.scale", np.array(arch.query_scale, np.float32))
        self.shape = {
            "heads": g.const("shape.heads", _i64(-1, H, hd)),  # (T, H*hd) -> (T, H, hd)
            "kv_heads": g.const("shape.kv_heads", _i64(-1, KVH, hd)),
            "grouped": g.const("shape.grouped", _i64(KVH, -1, hd)),  # (H,T,hd)->(KVH,G*T,hd)
            "grouped_probs": g.const("shape.grouped_probs", _i64(KVH, -1, 0)),  # (KVH,G*T,S)
            "per_head": g.const("shape.per_head", _i64(H, -1, 0)),  # (KVH,G*T,S)->(H,T,S)
            "per_head_context": g.const("shape.per_head_context", _i64(H, -1, hd)),
            "merged": g.const("shape.merged", _i64(-1, H * hd)),  # (T, H, hd) -> (T, H*hd)
        }

    def embed(self, rows: RowSource | None) -> str:
        """input_ids (T,) -> the token embeddings (T, D), looked up in Q8_0 blocks when
        there are."""
        g = self.g
        scale = self.arch.embedding_scale  # Gemma 3: sqrt(D)
        table = self.blocks("token_embd.weight") if self.blocks else None
        if isinstance(table, Q8Blocks) or (isinstance(table, CodeBlocks) and table.bits == 8):
            self.table_blocks: Q8Blocks | CodeBlocks | None = table  # no fp32 table at all
            if isinstance(table, Q8Blocks):  # the decoding graph's lookup: the same codes
                x = g.lookup_q8_0_offset(table, "input_ids", "token_embd", output="")
            else:
                x = g.lookup_code_blocks(table, "input_ids", "token_embd")
            return x if scale == 1.0 else g.op("Mul", x, g.const("embed.scale", _f32(scale)))
        self.table_blocks = None
        self.embed_table = g.const("token_embd.weight", self.weight("token_embd.weight"))  # (V,D)
        blocks = rows("token_embd.weight") if rows is not None else None
        if blocks is None:
            x = g.op("Gather", self.embed_table, "input_ids", axis=0)
        else:
            x = g.lookup_q8_0(blocks, "input_ids", "token_embd", output="")
        return x if scale == 1.0 else g.op("Mul", x, g.const("embed.scale", _f32(scale)))

    def rotate(self, x: str, layer: int, output: str | None = None) -> str:
        """x (T, heads, hd) -> x*cos + rotate_half(x)*sin, with the layer's angles."""
        g, hd = self.g, self.arch.head_dim
        cos, sin = self.rotary[bool(self.arch.window_of(layer))]
        x1, x2 = g.split(x, [hd // 2, hd // 2])  # (T, heads, hd/2) each
        rotated = g.op("Concat", g.op("Neg", x2), x1, axis=-1)
        return g.op("Add", g.op("Mul", x, cos), g.op("Mul", rotated, sin), name=output)

    def project(self, x: str, tensor: str, bias: bool = False, output: str | None = None) -> str:
        """x (T, in) @ W.T (+ bias) -> (T, out) for the GGUF matrix `tensor`.weight."""
        b = self.weight(f"{tensor}.bias") if bias else None
        stored = self.blocks(f"{tensor}.weight") if self.blocks else None
        if stored is None:
            return self.g.linear(x, self.weight(f"{tensor}.weight"), tensor, b, output)
        g = self.g
        y = g.linear_blocks(x, stored, tensor, many_rows=True)
        if b is not None:
            y = g.op("Add", y, g.const(f"{tensor}.bias", b))
        return g.op("Identity", y, name=output) if output else y

    def project_joined(
        self, x: str, tensors: list[str], bias: bool = False, names: list[str] | None = None
    ) -> list[str]:
        """x (T, in) @ W_j.T (+ bias) for matrices that read x: each its own product on fp32
        matrices, one product split after on blocks (the decoding graph's, shared)."""
        if not self.blocks:
            outs: list[str | None] = [None] * len(tensors) if names is None else list(names)
            return [self.project(x, t, bias, out) for t, out in zip(tensors, outs, strict=True)]
        joined_bias = np.concatenate([self.weight(f"{t}.bias") for t in tensors]) if bias else None
        y = self.g.linear_joined(x, tensors, self.blocks, self.weight, True, joined_bias)
        return self.g.split(y, [self.arch.rows_of(t) for t in tensors], names)

    def heads(self, x: str, shape: str, norm: str, output: str) -> str:
        """x (T, heads*hd) -> (T, heads, hd), each head RMS-normalised with its gain first
        when the model does so (Qwen3's q/k norm, before the rotation): named `output`."""
        if not self.arch.qk_norm:
            return self.g.op("Reshape", x, shape, name=output)
        heads = self.g.op("Reshape", x, shape)
        return self.g.rms_norm(
            heads, self.weight(f"{norm}.weight"), self.arch.rms_eps, norm, output
        )

    def attention(self, h: str, i: int) -> str:
        """Layer i's attention: h (T, D) normed -> (T, D), with its query, key, value and
        attention outputs. Query heads h = kv*G + g share key/value head kv."""
        g, shape, p = self.g, self.shape, f"blk.{i}"
        q, k, v = self.project_joined(h, [f"{p}.{n}" for n in QKV], self.arch.attention_bias)
        # rotated in (T, heads, hd) layout: the query output then grows by whole rows
        q = self.heads(q, shape["heads"], f"{p}.attn_q_norm", f"query_raw.{i}")
        q = self.rotate(q, i, output=f"query_rotated.{i}")  # (T, H, hd)
        q = g.op("Mul", q, self.scale, name=f"query.{i}")  # (T, H, hd) scaled (1/sqrt(hd))
        k = self.heads(k, shape["kv_heads"], f"{p}.attn_k_norm", f"key_raw.{i}")
        k = self.rotate(k, i, output=f"key.{i}")  # (T, KVH, hd)
        v = g.op("Reshape", v, shape["kv_heads"], name=f"value.{i}")  # (T, KVH, hd)
        keys = g.op("Transpose", g.op("Concat", f"past_key.{i}", k, axis=0), perm=[1, 2, 0])
        values = g.op("Transpose", g.op("Concat", f"past_value.{i}", v, axis=0), perm=[1, 0, 2])
        # keys (KVH, hd, S), values (KVH, S, hd); the group folded into the query rows
        grouped = g.op("Reshape", g.op("Transpose", q, perm=[1, 0, 2]), shape["grouped"])
        scores = g.op("MatMul", grouped, keys)  # (KVH, G*T, S)
        scores = g.op("Reshape", scores, shape["per_head"])  # (H, T, S)
        mask = self.masks[self.arch.window_of(i)]  # (T, S)
        probs = g.op("Softmax", g.op("Add", scores, mask), axis=-1)  # (H, T, S)
        first_row, rows_axis = g.const("first_row", _i64(0)), g.const("rows_axis", _i64(1))
        g.op("Slice", probs, first_row, "attention_rows", rows_axis, name=f"attention.{i}")
        context = g.op("MatMul", g.op("Reshape", probs, shape["grouped_probs"]), values)
        context = g.op("Reshape", context, shape["per_head_context"])  # (H, T, hd)
        context = g.op("Transpose", context, perm=[1, 0, 2], name=f"head_output.{i}")  # (T,H,hd)
        # knocked-out heads write nothing (times 0; 1 = intact), or their mean output
        index = g.const(f"layer_index.{i}", np.array(i, np.int64))  # a scalar
        kept = g.op("Gather", self.head_mask, index, axis=0)  # (H, 1)
        context = g.op("Mul", context, kept)
        fill = g.op("Gather", self.head_fill, index, axis=0)  # (F, H, hd)
        context = g.op("Add", context, fill)  # (T, H, hd)
        merged = g.op("Reshape", context, shape["merged"])  # (T, H*hd)
        if not self.arch.post_norms:
            return self.project(merged, f"{p}.attn_output")
        return self.post_norm(self.project(merged, f"{p}.attn_output"), f"{p}.post_attention_norm")

    def post_norm(self, x: str, norm: str, output: str | None = None) -> str:
        """Gemma 3: a block's attention or MLP output RMS-normalised before it is added."""
        return self.g.rms_norm(x, self.weight(f"{norm}.weight"), self.arch.rms_eps, norm, output)

    def mlp(self, h: str, i: int) -> str:
        """act(h W_gate) * (h W_up) W_down: (T, D) -> (T, D); act SiLU, or GELU (Gemma 3,
        whose output is normalised again)."""
        g, p = self.g, f"blk.{i}"
        gate, up = self.project_joined(
            h, [f"{p}.ffn_gate", f"{p}.ffn_up"], names=[f"gate.{i}", f"up.{i}"]
        )  # (T, d_ff) each
        act = g.op("Mul", gated(g, gate, self.arch.activation), up, name=f"act.{i}")
        out = self.project(act, f"{p}.ffn_down")
        return self.post_norm(out, f"{p}.post_ffw_norm") if self.arch.post_norms else out

    def output(self, x: str) -> None:
        """The final norm (hidden.L, after it as in HF) and logits (R, V) of the last R rows."""
        g, arch = self.g, self.arch
        norm = self.weight("output_norm.weight")  # (D,)
        x = g.rms_norm(x, norm, arch.rms_eps, "output_norm", output=f"hidden.{arch.n_layer}")
        last_rows = g.op(
            "Slice",
            x,
            g.op("Neg", "logit_rows"),
            g.const("rows_end", _i64(2**62)),
            g.const("axis0", _i64(0)),
        )  # (R, D)
        if arch.tied_embeddings and self.table_blocks is not None:  # in its 8-bit blocks
            logits = g.linear_blocks(last_rows, self.table_blocks, "token_embd", many_rows=True)
            g.op("Identity", logits, name="logits")  # (R, V)
        elif arch.tied_embeddings:
            g.op("Gemm", last_rows, self.embed_table, transB=1, name="logits")  # (R, V)
        elif self.blocks:
            output = g.linear_joined(last_rows, ["output"], self.blocks, self.weight, True)
            g.op("Identity", output, name="logits")
        else:
            output = g.linear(last_rows, self.weight("output.weight"), "output")
            g.op("Identity", output, name="logits")


def rope_inv_freq(arch: Architecture, local: bool = False) -> np.ndarray:
    """(hd/2,) float32: the rotary frequencies, theta^(-2i/hd), each divided by its
    factor when the model scales them (Llama 3.1/3.2's rope_freqs, as llama.cpp does).
    `local`: a sliding layer's, with its own base and no linear scaling (Gemma 3)."""
    hd = arch.head_dim
    theta = arch.rope_theta_local or arch.rope_theta if local else arch.rope_theta
    freq = 1.0 / (theta ** (np.arange(0, hd, 2, dtype=np.float64) / hd))  # (hd/2,)
    if arch.rope_freq_factors:
        freq = freq / np.asarray(arch.rope_freq_factors, np.float64)
    if not local:
        freq = freq / arch.rope_scale  # linear scaling: positions / factor
    return freq.astype(np.float32)


def gated(g: GraphBuilder, gate: str, activation: str) -> str:
    """The MLP gate's activation: SiLU(gate) = gate * sigmoid(gate), or GELU (tanh)."""
    if activation == "gelu_tanh":
        return g.gelu_tanh(gate)
    return g.op("Mul", gate, g.op("Sigmoid", gate))
