"""Activation patching (causal tracing): which layer, at which token, carries what makes
the clean prompt's answer. The corrupted prompt (the same length in tokens, one fact
changed) runs again with one activation taken from the clean prompt's run, for every
layer and position (or every head), and the score says how much of the clean answer
came back.

    m = logit(target) - logit(contrast) at the last position (or log p(target) when
        there is no contrast)
    effect = (m(patched) - m(corrupted)) / (m(clean) - m(corrupted)): 1 = fully restored

Sites: resid (the stream entering block l, hidden state l), attn (block l's attention
output), mlp (its MLP output), head (head h's weighted sum of values at every position).
Each patched run is the analysis graph's, the patch fed as an input (patches.py); a cell
whose clean and corrupted activations are equal (the tokens before the first difference)
has effect 0 without a run."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import onnxruntime as ort

from playground.engine.errors import PlaygroundError
from playground.engine.inspect.run import Run
from playground.engine.runtime.block_chain import BlockChain
from playground.engine.runtime.forward import KVCache, Step
from playground.engine.runtime.frozen_array import FrozenArray
from playground.engine.runtime.language_model import LanguageModel
from playground.engine.runtime.patches import SITES, Patch, Site

Progress = Callable[[int, int], None]  # (cells done, cells in all)
# A block run alone costs about 1.5 times its share of a whole run (1.6 ms against 1.1 ms
# on the default model at 12 tokens, 2 cores): the blocks from the patched one on run
# alone when they are at most this share of the model, else the whole graph runs.
CHAIN_BLOCKS = 0.65


@dataclass(frozen=True)
class Patching:
    clean: Run
    corrupted: Run
    site: Site
    target: int
    contrast: int | None
    metric_clean: float
    metric_corrupted: float
    effect: np.ndarray  # (L, T) by layer and position, or (L, H) by layer and head
    runs: int  # patched runs made (cells with equal activations need none)
    seconds: float
    # (L, T, D) or (L, T, H, hd): the clean minus the corrupted activations (cell_run's)
    changes: np.ndarray = field(repr=False, compare=False)

    def patch(self, layer: int, index: int) -> Patch:
        """The patch of one cell: (layer, position), or (layer, head) for heads."""
        return cell_patch(self.site, self.changes, layer, index, str(self.clean.source[1]))

    def cell_run(self, layer: int, index: int) -> Run:
        """The corrupted prompt's run with that one cell patched: a run like any other."""
        interventions = self.corrupted.interventions
        patches = (*interventions.patches, self.patch(layer, index))
        return Run(
            self.corrupted.model,
            self.corrupted.source,
            self.corrupted.ids,
            interventions.with_patches(patches),
        )


def check_lengths(n_clean: int, n_corrupted: int) -> None:
    """PlaygroundError in one line unless both prompts have the same number of tokens."""
    if n_clean != n_corrupted:
        raise PlaygroundError(
            f"The clean prompt is {n_clean} tokens and the corrupted one {n_corrupted}: "
            "patching needs the same number of tokens in both (nothing was run)."
        )


def activation_patching(
    lm: LanguageModel,
    clean: Run,
    corrupted: Run,
    site: Site = "resid",
    target: int | None = None,
    contrast: int | None = None,
    progress: Progress | None = None,
    run_options: ort.RunOptions | None = None,
) -> Patching:
    """Patch every cell of `site` from `clean` into `corrupted` (see the module's note).
    Target: the clean run's top token unless given; contrast: the corrupted run's top
    token when it differs from the target, unless given."""
    if site not in SITES:
        raise PlaygroundError(f"Unknown site {site!r}: use one of {', '.join(SITES)}.")
    check_lengths(len(clean.ids), len(corrupted.ids))
    start = time.perf_counter()
    clean_step = _recorded(lm, clean, run_options)
    corrupted_step = _recorded(lm, corrupted, run_options)
    clean_logits, corrupted_logits = clean_step.logits[-1], corrupted_step.logits[-1]  # (V,)
    if target is None:
        target = int(np.argmax(clean_logits))
    if contrast is None:
        top = int(np.argmax(corrupted_logits))
        contrast = top if top != target else None
    if contrast == target:
        raise PlaygroundError("The target and the contrast are the same token.")

    def metric(logits: np.ndarray) -> float:
        return _metric(logits, target, contrast)

    m_clean, m_corrupted = metric(clean_logits), metric(corrupted_logits)
    if abs(m_clean - m_corrupted) < 1e-6:
        raise PlaygroundError(
            "Both prompts give the target the same score: there is no difference to restore "
            "(choose a target, or prompts that change the answer)."
        )
    changes = _site_values(clean_step, site) - _site_values(corrupted_step, site)
    L = lm.arch.n_layer
    width = lm.arch.n_head if site == "head" else len(corrupted.ids)
    effect = np.zeros((L, width))
    runs, cells = 0, L * width
    patched_run = _patched_runner(lm, corrupted, corrupted_step, target, contrast, run_options)
    for layer in range(L):
        for index in range(width):
            patch = cell_patch(site, changes, layer, index, str(clean.source[1]))
            if np.any(patch.change.array):  # equal activations: nothing changes, effect 0
                m_patched = patched_run(patch)
                runs += 1
                effect[layer, index] = (m_patched - m_corrupted) / (m_clean - m_corrupted)
            if progress is not None:
                progress(layer * width + index + 1, cells)
    return Patching(
        clean=clean.model_run,
        corrupted=corrupted.model_run,
        site=site,
        target=target,
        contrast=contrast,
        metric_clean=m_clean,
        metric_corrupted=m_corrupted,
        effect=effect,
        runs=runs,
        seconds=time.perf_counter() - start,
        changes=changes,
    )


def _patched_runner(
    lm: LanguageModel,
    corrupted: Run,
    corrupted_step: Step,
    target: int,
    contrast: int | None,
    run_options: ort.RunOptions | None,
) -> Callable[[Patch], float]:
    """m of the corrupted prompt's run with one patch more. The tokens before a patched
    position are as in the corrupted run (their keys and values are reused), and so is
    every block before the patched one: the run starts there (BlockChain) when few
    enough blocks are left, else (and for a model analysed on its quantized blocks) it
    is a whole run of the tokens from the patched one on."""
    ids = list(corrupted.ids)
    interventions = corrupted.interventions.over(ids)  # (a mean ablation's means)
    chain = BlockChain(lm) if BlockChain.available(lm) else None
    tokens = None if contrast is None else [target, contrast]

    def run(patch: Patch) -> float:
        past = 0 if patch.site == "head" else patch.position
        patched = interventions.with_patches((*interventions.patches, patch))
        if chain is None or lm.arch.n_layer - patch.layer > CHAIN_BLOCKS * lm.arch.n_layer:
            cache = _prefix(corrupted_step, past) if past else lm.empty_cache()
            step = lm.step(cache, ids[past:], run_options, False, patched)
            return _metric(step.logits[-1], target, contrast)
        hidden = np.array(corrupted_step.hidden_states[patch.layer, past:])  # (n, D)
        if patch.site == "resid":  # the stream entering the patched block, at its token
            hidden[0] += patch.change.array
        cache = corrupted_step.cache
        stream = chain.run(ids, patch.layer, past, hidden, cache, patched, run_options)
        logits = chain.logits(stream[-1], tokens)
        if tokens is not None:
            return float(logits[0]) - float(logits[1])
        return _metric(logits, target, None)

    return run


def cell_patch(site: Site, changes: np.ndarray, layer: int, index: int, source: str) -> Patch:
    """One cell's patch: (layer, position), or (layer, head) for heads; `changes` (L, T, D)
    or (L, T, H, hd) are the clean minus the corrupted activations."""
    if site == "head":
        return Patch(site, layer, -1, FrozenArray.of(changes[layer, :, index]), source, index)
    return Patch(site, layer, index, FrozenArray.of(changes[layer, index]), source)


def _recorded(lm: LanguageModel, run: Run, run_options: ort.RunOptions | None) -> Step:
    return lm.step(lm.empty_cache(), run.ids, run_options, False, run.interventions, True)


def _prefix(step: Step, length: int) -> KVCache:
    """The keys and values of the first `length` tokens of a run (a copy is made when
    tokens are appended: the run's own cache stays as it was)."""
    return KVCache(step.cache.key_rows[:, :length], step.cache.value_rows[:, :length])


def _site_values(step: Step, site: Site) -> np.ndarray:
    """The activations patching reads at `site`: (L, T, D), or (L, T, H, hd) for heads."""
    recorded = step.recorded
    assert recorded is not None
    if site == "resid":
        return np.asarray(step.hidden_states[:-1], np.float32)  # the stream entering each block
    if site == "attn":
        return recorded.attn_out
    if site == "mlp":
        return recorded.mlp_out
    return recorded.head_output


def _metric(logits: np.ndarray, target: int, contrast: int | None) -> float:
    """logit(target) - logit(contrast), or log p(target) with no contrast."""
    if contrast is not None:
        return float(logits[target]) - float(logits[contrast])
    shifted = logits.astype(np.float64) - float(np.max(logits))
    return float(shifted[target] - np.log(np.exp(shifted).sum()))
