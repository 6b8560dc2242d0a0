"""Load a model bundle and run it: forward, step with the key/value cache (the text side,
encode and decode, is model_text's)."""

from __future__ import annotations

import time
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

import numpy as np
import onnxruntime as ort

from playground.engine.errors import Cancelled, PlaygroundError
from playground.engine.model.bundle import DECODE_MODEL_FILE, MODEL_FILE
from playground.engine.model.bundle_weights import merged_weights
from playground.engine.runtime.attention_maps import AttentionMaps, whole_maps_fit
from playground.engine.runtime.devices import available_devices, choose_device, requested_device
from playground.engine.runtime.forward import Forward, KVCache, Step, TokenRows
from playground.engine.runtime.intervention_feeds import intervention_feeds
from playground.engine.runtime.interventions import NO_INTERVENTIONS, Interventions
from playground.engine.runtime.knock_out import KnockOut
from playground.engine.runtime.model_text import ModelText
from playground.engine.runtime.onnx_sessions import (
    attention_session,
    open_session,
)
from playground.engine.runtime.run_outputs import RunOutputs
from playground.engine.runtime.threads import default_threads

_OUTPUTS = ("logits", "attention.0", "query.0", "hidden.0", "key.0")
MAP_ROWS = 512  # query rows of a long prompt's attention map computed at once
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
    def _attention_session(self) -> ort.InferenceSession:
        # Made on first use (long prompts, mean ablation): building it imports onnx, ~1 s.
        return attention_session(self.threads)

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
        ids = np.asarray(list(new_ids), dtype=np.int64)  # (n,)
        if ids.ndim != 1 or ids.size == 0:
            raise PlaygroundError("There are no tokens to run.")
        if ids.min() < 0 or ids.max() >= self.vocab_size:
            raise PlaygroundError(f"Token ids must lie in 0..{self.vocab_size - 1}.")
        past = cache.length
        if past + ids.size > self.context_length:
            raise PlaygroundError(
                f"{past + ids.size:,} tokens exceed the model's context of "
                f"{self.context_length:,} tokens."
            )
        n = int(ids.size)
        attention_rows, logit_rows = (n, n) if detailed else (0, 1)
        feeds: dict[str, np.ndarray] = {
            "input_ids": ids,
            "position_ids": np.arange(past, past + n, dtype=np.int64),
            "attention_rows": np.array([attention_rows], np.int64),
            "logit_rows": np.array([logit_rows], np.int64),
        }
        for i in range(self.arch.n_layer):
            feeds[f"past_key.{i}"] = cache.key_rows[i]  # (P, KVH, hd), read in place
            feeds[f"past_value.{i}"] = cache.value_rows[i]
        interventions = interventions or NO_INTERVENTIONS
        knock_out = interventions.knock_out
        if knock_out.needs_means and not knock_out.mean_over:
            if past:
                raise PlaygroundError("Mean ablation needs the prompt its means are taken over.")
            interventions = interventions.over(ids.tolist())  # a fresh prompt: its own means
        feeds["record_rows"] = np.array([n if record else 0], np.int64)
        start = time.perf_counter()
        try:
            out = self._run(feeds, past, attention_rows, logit_rows, run_options, interventions)
        except Exception as error:
            if run_options is not None and run_options.terminate:
                raise Cancelled("The model run was interrupted.") from error
            raise
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

    def attention_maps(self, queries: np.ndarray, keys: np.ndarray, layer: int) -> np.ndarray:
        """Maps (H, T, T) of heads from their queries (H, T, hd) and keys (KVH, T, hd)
        (H/KVH query heads share each key head), computed as the model graph computes
        them for `layer` (a sliding layer's window included), one key/value group at a
        time (temporary arrays stay a group's size). A long prompt's maps are computed
        in blocks of MAP_ROWS query rows, each against the keys up to its last row only:
        the zeros above the diagonal, half the map, are mostly not computed at all."""
        H, T, _ = queries.shape  # (H, T, hd)
        group = H // keys.shape[0]
        window = np.array([self.arch.window_of(layer) or T], np.int64)  # (1,) T: all of them
        maps = np.empty((H, T, T), np.float32)  # (H, T, T)
        scratch = np.empty(group * min(T, MAP_ROWS) * T, np.float32)  # one block's maps
        for kv in range(keys.shape[0]):
            q = queries[kv * group : (kv + 1) * group]  # (G, T, hd)
            for r0 in range(0, T, MAP_ROWS):
                r1 = min(T, r0 + MAP_ROWS)  # rows r0..r1-1 see keys 0..r1-1
                whole = r0 == 0 and r1 == T
                out = (
                    maps[kv * group : (kv + 1) * group]
                    if whole
                    else scratch[: group * (r1 - r0) * r1].reshape(group, r1 - r0, r1)
                )  # (G, rows, r1), contiguous for ONNX Runtime to write into
                binding = self._attention_session.io_binding()
                binding.bind_cpu_input("window", window)
                binding.bind_cpu_input("queries", np.ascontiguousarray(q[:, r0:r1]))
                binding.bind_cpu_input("keys", np.ascontiguousarray(keys[kv : kv + 1, :r1]))
                binding.bind_output("maps", "cpu", 0, np.float32, list(out.shape), out.ctypes.data)
                self._attention_session.run_with_iobinding(binding)
                if not whole:
                    part = maps[kv * group : (kv + 1) * group, r0:r1]  # (G, rows, T)
                    part[..., :r1] = out
                    part[..., r1:] = 0.0  # keys after the block's last row
        return maps

    def release_attention_memory(self) -> None:
        """Give back the memory ONNX Runtime keeps after computing maps (~100 MB at 2,048
        tokens): a one-token computation that shrinks its memory arena afterwards."""
        options = ort.RunOptions()
        options.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
        tiny = np.zeros((1, 1, self.arch.head_dim), np.float32)  # (1, 1, hd)
        feeds = {"queries": tiny, "keys": tiny, "window": np.array([1], np.int64)}
        self._attention_session.run(None, feeds, options)

    def _run(
        self,
        feeds: dict[str, np.ndarray],
        past: int,
        attention_rows: int,
        logit_rows: int,
        run_options: ort.RunOptions | None,
        interventions: Interventions,
    ) -> RunOutputs:
        n, record = len(feeds["input_ids"]), int(feeds["record_rows"][0])
        one_token = n == 1 and past > 0 and interventions.empty and not record
        if one_token and (decode := self.decode_session) is not None:
            # a generated token: the decoding graph (it has no interventions), a plain call
            del feeds["logit_rows"], feeds["record_rows"]  # always 1, and none
            values = decode.run(list(_DECODE_OUTPUTS), feeds, run_options)
            return RunOutputs(*values)
        # A prompt: ONNX Runtime writes straight into our arrays. Its plain call would copy
        # every output into new arrays while holding the GIL (for a 1,024-token prompt,
        # 1.1 GB of attention maps, which froze the window for 100+ ms).
        feeds |= self.intervention_feeds(interventions, past, n, run_options)
        out = RunOutputs.empty(self.arch, n, past + n, attention_rows, logit_rows, record)
        binding = self.session.io_binding()
        for name, array in feeds.items():
            binding.bind_cpu_input(name, np.ascontiguousarray(array))
        for name, array in out.by_name().items():
            binding.bind_output(name, "cpu", 0, np.float32, list(array.shape), array.ctypes.data)
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
