"""A prompt's run from any block on: activation patching changes one block's activation,
so everything before that block (and every token before the patched one) is as in the
run without the patch. The blocks then run one at a time, from the patched block, on the
tokens from the patched one: each patched run reads about half the weights a whole run
reads (the runs are bound by reading weights at a few tokens).

One graph serves every block: part_graphs.build_block_graph (the analysis graph's own
block, the same operations) with its weights turned into inputs, fed each layer's
weights as memory maps of the bundle (nothing copied); Gemma 3's sliding layers have a
graph of their own (their rotary angles and window). The final norm and the logits of
the last token are computed here, in numpy, from the graph's own fp32 matrices. Models
analysed on their quantized blocks run whole instead (`available`)."""

from __future__ import annotations

import numpy as np
import onnxruntime as ort
from onnx import helper

from playground.engine.errors import Cancelled
from playground.engine.model.bundle_weights import read_initializer, read_initializers
from playground.engine.model.part_graphs import build_block_graph, stored_weights
from playground.engine.runtime.forward import KVCache
from playground.engine.runtime.interventions import Interventions
from playground.engine.runtime.language_model import LanguageModel

WEIGHTS = "blk.0."  # the one-block graph's weight names, fed layer i's


class BlockChain:
    def __init__(self, lm: LanguageModel) -> None:
        self.lm, a = lm, lm.arch
        self.sessions: dict[bool, ort.InferenceSession] = {}  # by "the layer slides"
        self.weights: list[dict[str, np.ndarray]] = []  # layer i's inputs, by input name
        for layer in range(a.n_layer):
            tensors = read_initializers(lm.folder, f"blk.{layer}.")
            sliding = bool(a.window_of(layer))
            if sliding not in self.sessions:
                self.sessions[sliding] = _weights_as_inputs(lm, tensors, layer)
            names = [
                i.name for i in self.sessions[sliding].get_inputs() if i.name.startswith(WEIGHTS)
            ]
            self.weights.append(
                {
                    n: np.ascontiguousarray(tensors[n.replace(WEIGHTS, f"blk.{layer}.", 1)])
                    for n in names
                }
            )
        self.norm = np.asarray(read_initializer(lm.folder, "output_norm.weight"), np.float32)
        # (V, D) rows of the output matrix: the tied embedding, or output.weight_t's columns
        self.unembedding = (
            read_initializer(lm.folder, "token_embd.weight")
            if a.tied_embeddings
            else read_initializer(lm.folder, "output.weight_t").T
        )

    @staticmethod
    def available(lm: LanguageModel) -> bool:
        """The blocks' graph computes what the analysis graph does (fp32 matrices)."""
        return not lm.info.analysis_on_blocks

    def run(
        self,
        ids: list[int],
        start: int,
        past: int,
        hidden: np.ndarray,
        cache: KVCache,
        interventions: Interventions,
        run_options: ort.RunOptions | None = None,
    ) -> np.ndarray:
        """The stream after the last block (before the final norm), (n, D), for tokens
        ids[past:]: `hidden` (n, D) enters block `start`; the tokens before `past` are
        read from `cache` (their keys and values); the interventions' additions (a patch,
        steering, knock-outs) apply in every block from `start` on."""
        a, n = self.lm.arch, len(ids) - past
        edits = self.lm.intervention_feeds(interventions, past, n, run_options)
        common = {
            "input_ids": np.asarray(ids[past:], np.int64),  # read for its length
            "position_ids": np.arange(past, len(ids), dtype=np.int64),
            "attention_rows": np.array([0], np.int64),
        }
        x = np.ascontiguousarray(hidden, np.float32)  # (n, D)
        for layer in range(start, a.n_layer):
            if layer > start:  # (the stream entering `start` holds its own addition)
                x = x + edits["stream_add"][layer]
            one = slice(layer, layer + 1)
            feeds = {
                **common,
                **{k: v[one] for k, v in edits.items() if k != "stream_add"},
                "past_key.0": np.ascontiguousarray(cache.key_rows[layer, :past]),
                "past_value.0": np.ascontiguousarray(cache.value_rows[layer, :past]),
                "hidden_in": x,
                **self.weights[layer],
            }
            session = self.sessions[bool(a.window_of(layer))]
            try:
                x = session.run(["hidden_out"], feeds, run_options)[0]
            except Exception as error:  # as LanguageModel.step: an interrupted run
                if run_options is not None and run_options.terminate:
                    raise Cancelled("The model run was interrupted.") from error
                raise
        return x

    def logits(self, stream: np.ndarray, tokens: list[int] | None = None) -> np.ndarray:
        """The next-token logits (V,) of a stream (D,) leaving the last block, or only
        those of `tokens`: the final norm, then the output matrix's rows."""
        x = stream.astype(np.float32)
        h = x / np.sqrt(np.mean(x * x) + self.lm.arch.rms_eps) * self.norm  # (D,)
        rows = self.unembedding if tokens is None else self.unembedding[tokens]  # (V|k, D)
        return np.asarray(rows @ h, np.float32)


def _weights_as_inputs(
    lm: LanguageModel, tensors: dict[str, np.ndarray], layer: int
) -> ort.InferenceSession:
    """Block `layer`'s graph with its blk.0.* initializers made inputs, hidden_out its
    only output."""
    model = build_block_graph(lm.arch, stored_weights(tensors), layer)
    graph = model.graph
    weights = [t for t in graph.initializer if t.name.startswith(WEIGHTS)]
    others = [t for t in graph.initializer if not t.name.startswith(WEIGHTS)]
    del graph.initializer[:]
    graph.initializer.extend(others)
    graph.input.extend(
        helper.make_tensor_value_info(t.name, t.data_type, list(t.dims)) for t in weights
    )
    kept = [o for o in graph.output if o.name == "hidden_out"]
    del graph.output[:]
    graph.output.extend(kept)
    options = ort.SessionOptions()
    options.intra_op_num_threads = lm.threads
    options.log_severity_level = 3
    return ort.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
