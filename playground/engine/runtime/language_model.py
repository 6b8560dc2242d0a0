"""Load a model bundle and run it: forward, step with the key/value cache (the text side,
encode and decode, is model_text's)."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cached_property
from itertools import pairwise
from pathlib import Path

import numpy as np
import onnxruntime as ort

from playground.engine.errors import Cancelled
from playground.engine.model.bundle import DECODE_MODEL_FILE, MODEL_FILE
from playground.engine.model.bundle_weights import merged_weights
from playground.engine.runtime.attention_maps import AttentionMaps, whole_maps_fit
from playground.engine.runtime.devices import available_devices, choose_device, requested_device
from playground.engine.runtime.forward import Forward, KVCache, Step, TokenRows
from playground.engine.runtime.intervention_feeds import intervention_feeds
from playground.engine.runtime.interventions import NO_INTERVENTIONS, Interventions
from playground.engine.runtime.knock_out import KnockOut
from playground.engine.runtime.map_computer import MapComputer
from playground.engine.runtime.model_text import ModelText
from playground.engine.runtime.onnx_sessions import open_session
from playground.engine.runtime.prompt_blocks import PROMPT_BLOCK_ROWS, block_bounds, rows_of
from playground.engine.runtime.run_outputs import RunOutputs
from playground.engine.runtime.step_feeds import checked_ids, step_feeds
from playground.engine.runtime.threads import default_threads

_OUTPUTS = ("logits", "attention.0", "query.0", "hidden.0", "key.0")
SHRINK_AFTER = 256  # new tokens past which a run's temporary arrays are worth giving back
_DECODE_OUTPUTS = ("logits", "attentions", "queries", "hidden", "keys", "values")


class LanguageModel(ModelText):
    """A converted model, ready to run. Not thread-safe: use it from one thread at a time."""

    def __init__(self, folder: Path, threads: int | None = None) -> None:
        super().__init__(folder)  # the bundle's info and tokenizer
        threads = threads or default_threads()
        self.threads = threads  # ONNX Runtime's threads per run
        # Prompts run on fp32 matrices, generated tokens on the GGUF's 4-bit blocks: the
        # same network, fastest kernels for many rows and for one row respectively.
        # the CPU unless a GPU is asked for (--device, View → Device) and there
        choice = choose_device(requested_device(), available_devices())
        self.device, self.device_notice = choice.device, choice.notice
        # A fine-tuned variant runs its base's analysis graph with the adapted matrices
        # replaced; its generated tokens too (the decoding graph holds the base's 4-bit
        # blocks, in which a small adapter's change would mostly round away).
        merged = merged_weights(self.folder)
        self.session = open_session(
            self.weights_folder / MODEL_FILE, threads, _OUTPUTS, True, choice.providers, merged
        )
        self._providers, self._is_variant = choice.providers, bool(merged)
        self._mean_outputs: dict[tuple[tuple[int, ...], tuple[int, ...]], np.ndarray] = {}
        self.block_sessions: dict[int, ort.InferenceSession] = {}  # block_runs.py's

    @cached_property
    def decode_session(self) -> ort.InferenceSession | None:
        """The decoding graph's session, opened when a token is first generated: opening a
        model and analysing a prompt never holds its weights (for a 1B model, 1 GB)."""
        if self._is_variant:
            return None
        return open_session(
            self.weights_folder / DECODE_MODEL_FILE,
            self.threads,
            _DECODE_OUTPUTS,
            False,
            self._providers,
        )

    @cached_property
    def _map_computer(self) -> MapComputer:
        return MapComputer(self.arch, self.threads)

    def empty_cache(self) -> KVCache:
        a = self.arch
        shape = (a.n_layer, 0, a.n_head_kv, a.head_dim)  # (L, 0, KVH, hd)
        return KVCache(np.zeros(shape, np.float32), np.zeros(shape, np.float32))

    # --- running the model ----------------------------------------------------------------
    def forward(
        self,
        ids: Sequence[int],
        run_options: ort.RunOptions | None = None,
        whole_maps: bool | None = None,
        interventions: Interventions | None = None,
    ) -> Forward:
        """Analyse a whole sequence: logits, every attention map, every hidden state.

        The attention maps are held whole when they fit FULL_MAPS_BYTES (or when
        `whole_maps` says so); for longer sequences they are computed a layer at a time
        when asked for, and only the last token's logits are kept.
        """
        L, H = self.arch.n_layer, self.arch.n_head
        detailed = whole_maps if whole_maps is not None else whole_maps_fit(L, H, len(ids))
        if not detailed and len(ids) > PROMPT_BLOCK_ROWS:  # causal blocks: less attention
            step = self._prompt_in_blocks(ids, run_options, interventions)
        else:
            step = self.step(self.empty_cache(), ids, run_options, detailed, interventions)
        if step.attentions is not None:
            maps = AttentionMaps(whole=step.attentions, source=self)
        else:
            maps = AttentionMaps(queries=step.queries, keys=step.cache.keys, source=self)
        return Forward(
            ids=step.ids,
            logits=step.logits,
            attentions=maps,
            queries=step.queries,
            hidden_states=step.hidden_states,
            cache=step.cache,
            seconds=step.seconds,
            _query_buffer=TokenRows.holding(step.queries),  # room to generate into
            _hidden_buffer=TokenRows.holding(step.hidden_states),
        )

    def extend(
        self,
        forward: Forward,
        new_ids: Sequence[int],
        interventions: Interventions | None = None,
    ) -> Forward:
        """`forward` followed by `new_ids`, computed with the cache (only new rows run)."""
        L, H = self.arch.n_layer, self.arch.n_head
        detailed = forward.attentions.is_whole and whole_maps_fit(
            L, H, forward.n_tokens + len(new_ids)
        )
        step = self.step(forward.cache, new_ids, detailed=detailed, interventions=interventions)
        return forward.extended(step)

    def step(
        self,
        cache: KVCache,
        new_ids: Sequence[int],
        run_options: ort.RunOptions | None = None,
        detailed: bool = True,
        interventions: Interventions | None = None,
        record: bool = False,
    ) -> Step:
        """Run `new_ids` after the tokens held in `cache`.

        detailed=False returns no attention rows and only the last token's logits (what
        a long prompt, or generating from it, needs). record=True also returns every
        block's attention, MLP and head outputs (Step.recorded: activation patching's).
        Setting `run_options.terminate = True` from another thread ends a running step
        early: it then raises Cancelled.
        """
        past = cache.length
        ids = checked_ids(new_ids, past, self.vocab_size, self.context_length)  # (n,)
        n = int(ids.size)
        attention_rows, logit_rows = (n, n) if detailed else (0, 1)
        feeds = step_feeds(
            ids, past, cache.key_rows, cache.value_rows, attention_rows, logit_rows, n * record
        )
        interventions = (interventions or NO_INTERVENTIONS).for_prompt(ids, past)
        start = time.perf_counter()
        out = self.run_graph(feeds, past, attention_rows, logit_rows, run_options, interventions)
        seconds = time.perf_counter() - start
        return Step(
            ids=ids,
            logits=out.logits,
            attentions=out.attentions if detailed else None,
            queries=out.queries,
            hidden_states=out.hidden_states,
            # a fresh prompt's keys and values were written into buffers with room;
            # otherwise the new rows are appended to the cache (in place at its tip)
            cache=KVCache.holding(out.keys, out.values)
            if past == 0
            else cache.appended(out.keys, out.values),
            seconds=seconds,
            recorded=out.recorded() if record else None,
        )

    def _prompt_in_blocks(
        self,
        new_ids: Sequence[int],
        run_options: ort.RunOptions | None = None,
        interventions: Interventions | None = None,
    ) -> Step:
        """A long prompt's step with no attention rows and the last logits, run in causal
        blocks of rows (prompt_blocks.py), each block written into the whole's arrays."""
        ids = checked_ids(new_ids, 0, self.vocab_size, self.context_length)  # (T,)
        interventions = (interventions or NO_INTERVENTIONS).for_prompt(ids, 0)
        T = int(ids.size)
        whole = RunOutputs.empty(self.arch, T, T, 0, 1, 0)
        seconds = 0.0
        for r0, r1 in pairwise(block_bounds(T)):
            feeds = step_feeds(ids[r0:r1], r0, whole.keys[:, :r0], whole.values[:, :r0], 0, 1, 0)
            start = time.perf_counter()
            block = rows_of(whole, r0, r1)
            self.run_graph(feeds, r0, 0, 1, run_options, interventions, out=block)
            seconds += time.perf_counter() - start
        cache = KVCache.holding(whole.keys, whole.values)
        return Step(ids, whole.logits, None, whole.queries, whole.hidden_states, cache, seconds)

    def mean_head_outputs(
        self,
        ids: Sequence[int],
        layers: Sequence[int] | None = None,
        run_options: ort.RunOptions | None = None,
    ) -> np.ndarray:
        """(L, H, hd): each head's output (its weighted sum of values) averaged over the
        tokens of `ids`, in the intact network, for `layers` (default all; zeros in the
        others). The mean of p[t] @ V over the queries t is (the mean of the rows p[t])
        @ V: the column means of each head's attention map times its values. The last few
        prompts' means are kept."""
        a = self.arch
        layers = tuple(sorted(set(range(a.n_layer) if layers is None else layers)))
        key = (tuple(map(int, ids)), layers)
        if key in self._mean_outputs:
            return self._mean_outputs[key]
        step = self.step(self.empty_cache(), key[0], run_options, detailed=False)
        means = np.zeros((a.n_layer, a.n_head, a.head_dim), np.float32)
        group = a.n_head // a.n_head_kv
        for layer in layers:
            queries = step.queries[layer].transpose(1, 0, 2)  # (H, T, hd)
            keys = step.cache.key_rows[layer].transpose(1, 0, 2)  # (KVH, T, hd)
            column_means = self.attention_maps(queries, keys, layer).mean(axis=1)  # (H, T)
            values = step.cache.value_rows[layer]  # (T, KVH, hd)
            for head in range(a.n_head):
                means[layer, head] = column_means[head] @ values[:, head // group]
        while len(self._mean_outputs) >= 4:
            self._mean_outputs.pop(next(iter(self._mean_outputs)))
        self._mean_outputs[key] = means
        return means

    def forget_mean_outputs(self) -> None:
        """Drop the kept means (the next mean ablation computes them again)."""
        self._mean_outputs.clear()

    def head_fill(
        self,
        knock_out: KnockOut,
        head_mask: np.ndarray,
        run_options: ort.RunOptions | None = None,
    ) -> np.ndarray:
        """(L, H, hd): what each head adds after its mask (zeros, or the knocked-out heads'
        mean outputs under mean ablation)."""
        a = self.arch
        if not knock_out.needs_means:
            return np.zeros((a.n_layer, a.n_head, a.head_dim), np.float32)
        layers = sorted({layer for layer, _ in knock_out.heads})
        means = self.mean_head_outputs(knock_out.mean_over, layers, run_options)  # (L, H, hd)
        return means * (1.0 - head_mask)[:, :, None]

    def intervention_feeds(
        self,
        interventions: Interventions,
        past: int,
        n: int,
        run_options: ort.RunOptions | None = None,
    ) -> dict[str, np.ndarray]:
        """The graph's intervention inputs for tokens past..past+n-1 (intervention_feeds.py),
        with what the knock-out's heads write (zeros, or their means)."""
        head_mask, _ = interventions.knock_out.masks(self.arch)
        fill = self.head_fill(interventions.knock_out, head_mask, run_options)  # (L, H, hd)
        return intervention_feeds(self.arch, interventions, fill, past, n)

    def attention_maps(
        self, queries: np.ndarray, keys: np.ndarray, layer: int, entropy: np.ndarray | None = None
    ) -> np.ndarray:
        """Maps (H, T, T) of heads from their queries (H, T, hd) and keys (KVH, T, hd),
        as the graph computes them for `layer` (MapComputer.maps)."""
        return self._map_computer.maps(queries, keys, layer, entropy)

    def release_attention_memory(self) -> None:
        self._map_computer.release_memory()

    def run_graph(
        self,
        feeds: dict[str, np.ndarray],
        past: int,
        attention_rows: int,
        logit_rows: int,
        run_options: ort.RunOptions | None,
        interventions: Interventions,
        out: RunOutputs | None = None,
    ) -> RunOutputs:
        """One run of the graph; `out`: where the analysis graph writes (default: new
        arrays). Raises Cancelled when `run_options` was told to stop."""
        with _cancelled_when_stopped(run_options):
            n, record = len(feeds["input_ids"]), int(feeds["record_rows"][0])
            one_token = n == 1 and past > 0 and interventions.empty and not record and out is None
            if one_token and (decode := self.decode_session) is not None:
                # a generated token: the decoding graph (it has no interventions), a plain call
                del feeds["logit_rows"], feeds["record_rows"]  # always 1, and none
                values = decode.run(list(_DECODE_OUTPUTS), feeds, run_options)
                return RunOutputs(*values)
            # A prompt: ONNX Runtime writes straight into our arrays. Its plain call would copy
            # every output into new arrays while holding the GIL (for a 1,024-token prompt,
            # 1.1 GB of attention maps, which froze the window for 100+ ms).
            feeds |= self.intervention_feeds(interventions, past, n, run_options)
            if out is None:
                out = RunOutputs.empty(self.arch, n, past + n, attention_rows, logit_rows, record)
            binding = self.session.io_binding()
            for name, array in feeds.items():
                binding.bind_cpu_input(name, np.ascontiguousarray(array))
            for name, array in out.by_name().items():
                binding.bind_output(
                    name, "cpu", 0, np.float32, list(array.shape), array.ctypes.data
                )
            if attention_rows == 0 and n > SHRINK_AFTER:  # a long prompt: give back its large
                run_options = run_options or ort.RunOptions()  # temporary arrays after
                _shrink_arena_after(run_options)
            self.session.run_with_iobinding(binding, run_options)
            return out


def _shrink_arena_after(run_options: ort.RunOptions) -> None:
    """Ask ONNX Runtime to give back its memory arena after runs with these options (set
    once: a job's options serve many runs)."""
    key = "memory.enable_memory_arena_shrinkage"
    try:
        run_options.get_run_config_entry(key)
    except RuntimeError:
        run_options.add_run_config_entry(key, "cpu:0")


@contextmanager
def _cancelled_when_stopped(run_options: ort.RunOptions | None) -> Iterator[None]:
    """A run that fails after another thread set `run_options.terminate` raises Cancelled."""
    try:
        yield
    except Exception as error:
        if run_options is not None and run_options.terminate:
            raise Cancelled("The model run was interrupted.") from error
        raise
