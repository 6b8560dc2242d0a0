"""Training LoRA adapters on a few examples: the base weights frozen, each adapted matrix
W getting W + (alpha / r) B A with A (r, in) and B (out, r), B starting at zero (so step
0 is the base model exactly); the loss is the cross-entropy of the trained tokens; AdamW
(optax), full batch, seeded: the same data and settings give the same adapters.

JAX compiles the step once per model and batch shape (compiled.py; a few seconds, kept
in the store for later sessions) and then runs it on the CPU's cores."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import jax.numpy as jnp
import numpy as np

from playground.engine.errors import Cancelled
from playground.engine.finetune.compiled import (
    Batch,
    adamw,
    batch_loss,
    next_token_log_probs,
    padded_ids,
    training_step,
    use_compilation_cache,
)
from playground.engine.finetune.examples import Example, TrainingData, plain_example
from playground.engine.finetune.jax_model import (
    Adapters,
    Weights,
    check_trainable,
    stack_weights,
)
from playground.engine.finetune.lora_settings import MATRICES, LoraSettings
from playground.engine.model.bundle_weights import read_initializer, read_initializers
from playground.engine.runtime.language_model import LanguageModel

UNRELATED_PROMPTS = (
    "The cat sat on the",
    "Once upon a time, there was a little",
    "The capital of France is",
)


@dataclass(frozen=True)
class StepReport:
    step: int  # 1-based
    steps: int
    loss: float  # on the training examples, before this step's update
    check_prob: float | None  # p(held-out completion | its prompt), if there is one
    seconds: float  # since training began (compiling included)


@dataclass
class TrainingResult:
    adapters: dict[str, tuple[np.ndarray, np.ndarray]]  # name -> (A (r, in), B (out, r))
    settings: LoraSettings
    losses: list[float] = field(default_factory=list)  # per completed step, before it
    check_probs: list[float] = field(default_factory=list)
    final_loss: float = float("nan")  # after the last completed step
    seconds: float = 0.0
    trainable_parameters: int = 0
    stopped: bool = False  # Stop pressed: the adapters are those of the last whole step
    # what else changed: KL(base || trained), in bits, of the next token after prompts
    # that have nothing to do with the data (UNRELATED_PROMPTS)
    unrelated_kl: dict[str, float] = field(default_factory=dict)

    @property
    def initial_loss(self) -> float:
        return self.losses[0] if self.losses else float("nan")


def base_weights(lm: LanguageModel) -> dict[str, np.ndarray]:
    """The fp32 weights the forward pass needs, as the bundle holds them."""
    wanted = ["token_embd.weight", "output_norm.weight"]
    wanted += [] if lm.arch.tied_embeddings else ["output.weight_t"]
    weights = {name: read_initializer(lm.folder, name) for name in wanted}
    for name, value in read_initializers(lm.folder, "blk.").items():
        if name.endswith((".weight_t", ".bias", "norm.weight")):
            weights[name] = value
    return {k: np.asarray(v, np.float32) for k, v in weights.items()}


def initial_adapters(lm: LanguageModel, settings: LoraSettings) -> dict[str, np.ndarray]:
    """Stacked over every layer (jax_model.Adapters): A ~ N(0, 1/in), seeded, B = 0, so
    the adapted model starts as the base model ("attn_q.a" (L, r, in), "attn_q.b" (L, out,
    r)); layers outside the settings' range keep scale 0."""
    rng = np.random.default_rng(settings.seed)
    shapes, L, r = _matrix_shapes(lm), lm.arch.n_layer, settings.rank
    stacked = {}
    for target in settings.targets:
        kind = MATRICES[target]
        n_in, n_out = shapes[kind]
        stacked[f"{kind}.a"] = rng.normal(0.0, 1.0 / np.sqrt(n_in), (L, r, n_in)).astype(np.float32)
        stacked[f"{kind}.b"] = np.zeros((L, n_out, r), np.float32)
    return stacked


def layer_scales(lm: LanguageModel, settings: LoraSettings) -> np.ndarray:
    """(L,) each layer's adapter scale: alpha / r where adapted, 0 elsewhere."""
    scales = np.zeros(lm.arch.n_layer, np.float32)
    scales[list(settings.layer_range(lm.arch.n_layer))] = settings.scale
    return scales


def per_matrix(
    stacked: dict[str, np.ndarray], settings: LoraSettings, n_layer: int
) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """The adapted layers' adapters by matrix name ("blk.3.attn_q" -> (A, B)), as a
    variant keeps them."""
    kinds = sorted({name.rsplit(".", 1)[0] for name in stacked})
    return {
        f"blk.{i}.{kind}": (stacked[f"{kind}.a"][i], stacked[f"{kind}.b"][i])
        for i in settings.layer_range(n_layer)
        for kind in kinds
    }


def _matrix_shapes(lm: LanguageModel) -> dict[str, tuple[int, int]]:
    a = lm.arch
    q, kv = a.n_head * a.head_dim, a.n_head_kv * a.head_dim
    D, F = a.d_model, a.d_ff
    return {
        "attn_q": (D, q),
        "attn_k": (D, kv),
        "attn_v": (D, kv),
        "attn_output": (q, D),
        "ffn_gate": (D, F),
        "ffn_up": (D, F),
        "ffn_down": (F, D),
    }


def _rows(examples: tuple[Example, ...], width: int) -> tuple[np.ndarray, ...]:
    """ids (N, T), and the trained rows: flat positions (R,), next tokens (R,)."""
    ids = np.zeros((len(examples), width), np.int32)
    rows, targets = [], []
    for n, e in enumerate(examples):
        ids[n, : len(e.ids)] = e.ids
        for t in range(len(e.ids) - 1):
            if e.trained[t + 1]:
                rows.append(n * width + t)
                targets.append(e.ids[t + 1])
    return ids, np.array(rows, np.int32), np.array(targets, np.int32)


def _batch(examples: tuple[Example, ...]) -> Batch:
    """The examples as a batch: ids (N, T), rows (R,), targets (R,), kept (R,) all 1."""
    ids, rows, targets = _rows(examples, max(len(e.ids) for e in examples))
    kept = np.ones(rows.shape, np.float32)
    return jnp.asarray(ids), jnp.asarray(rows), jnp.asarray(targets), jnp.asarray(kept)


def train(
    lm: LanguageModel,
    data: TrainingData,
    settings: LoraSettings,
    check: Example | None = None,
    report: Callable[[StepReport], None] | None = None,
    stop: threading.Event | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> TrainingResult:
    """Train adapters on `data`; `check`: a held-out example whose probability is followed.
    `stop`: end after the current step, keeping the steps done; `cancelled()` true: raise
    Cancelled (nothing is kept)."""
    check_trainable(lm.arch)
    settings = settings.checked(lm.arch.n_layer)
    use_compilation_cache()
    began = time.perf_counter()
    arch = lm.arch
    weights = stack_weights(arch, base_weights(lm))
    start = initial_adapters(lm, settings)
    params: Adapters = {}
    for name, value in start.items():
        kind, part = name.rsplit(".", 1)
        params.setdefault(kind, {})[part] = jnp.asarray(value)
    scales = jnp.asarray(layer_scales(lm, settings))
    batch = _batch(data.examples)
    state = adamw(settings.learning_rate, settings.weight_decay).init(params)

    check_of = _check_probability(arch, scales, check) if check is not None else None
    adapted = set(settings.layer_range(arch.n_layer))
    result = TrainingResult(per_matrix(start, settings, arch.n_layer), settings)
    result.trainable_parameters = sum(
        v[0].size + v[1].size for k, v in result.adapters.items() if int(k.split(".")[1]) in adapted
    )
    for number in range(1, settings.steps + 1):
        if cancelled is not None and cancelled():
            raise Cancelled("Training cancelled.")
        probability = float(check_of(params, weights)) if check_of is not None else None
        params, state, loss = training_step(arch, params, state, weights, scales, batch)
        result.losses.append(float(loss))
        if probability is not None:
            result.check_probs.append(probability)
        now = {f"{k}.{part}": np.asarray(v[part]) for k, v in params.items() for part in v}
        result.adapters = per_matrix(now, settings, arch.n_layer)
        if report is not None:
            elapsed = time.perf_counter() - began
            report(StepReport(number, settings.steps, float(loss), probability, elapsed))
        if stop is not None and stop.is_set() and number < settings.steps:
            result.stopped = True
            break
    result.final_loss = float(batch_loss(arch, params, weights, scales, batch))
    if check_of is not None:
        result.check_probs.append(float(check_of(params, weights)))
    result.unrelated_kl = _unrelated_kl(lm, weights, params, scales)
    result.seconds = time.perf_counter() - began
    return result


def _unrelated_kl(lm: LanguageModel, weights: Weights, params: Adapters, scales) -> dict:
    """KL(base || trained) in bits of the next token after each of UNRELATED_PROMPTS."""
    found = {}
    for prompt in UNRELATED_PROMPTS:
        ids, last = padded_ids(plain_example(lm, prompt, "").ids)  # (1, T), the last index
        base, trained = (
            np.asarray(next_token_log_probs(lm.arch, params, weights, s, ids, last), np.float64)
            for s in (jnp.zeros_like(scales), scales)  # the base, then trained
        )
        found[prompt] = float(np.sum(np.exp(base) * (base - trained)) / np.log(2))
    return found


def _check_probability(arch, scales, check: Example) -> Callable:
    """p(the check's trained tokens | the rest), for the adapters given."""
    batch = _batch((check,))
    count = np.float32(batch[1].size)  # the trained rows

    def probability(p: Adapters, w: Weights) -> float:
        return float(np.exp(-np.float32(batch_loss(arch, p, w, scales, batch)) * count))

    return probability
