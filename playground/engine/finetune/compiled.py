"""The fine-tuning's compiled functions: module-level, with the data as arguments, so that
JAX compiles each once per model shape and batch shape for the whole process (a training
run again compiles nothing), and keeps them in the store's compilation cache across
sessions. The default model on 2 cores (AVX2): a training after the first, in the same
process, first step 7.5 -> 1.8-3.0 s (2.7 s in a later session, read from the cache);
the work after its last step (final loss, check, what else moved) 7.7 -> 0.8 s.

Training batches are not padded to shared shapes: the 8 preset examples (7-18 tokens)
padded to 32 positions made each step 1.0 -> 1.7 s. The short prompts whose next token
is compared before and after are (PROMPT_PAD): one compiled forward serves them all.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

import jax
import jax.numpy as jnp
import numpy as np
import optax

from playground.engine.finetune.jax_model import Adapters, Weights, hidden, logits_at, token_loss
from playground.engine.model.architecture import Architecture

PROMPT_PAD = 16  # a compared prompt's length is rounded up to a multiple of this
CACHE_FOLDER = ".compiled"  # in the store: JAX's persistent compilation cache

Batch = tuple[jax.Array, jax.Array, jax.Array, jax.Array]  # ids, rows, targets, kept


def use_compilation_cache() -> None:
    """Keep compiled functions in the store, unless a cache folder was chosen already
    (JAX_COMPILATION_CACHE_DIR, or an earlier call)."""
    from playground.engine.store.folders import store_root

    if not getattr(jax.config, "jax_compilation_cache_dir", None):
        jax.config.update("jax_compilation_cache_dir", str(store_root() / CACHE_FOLDER))
    # the loss and the next-token forward compile in under JAX's default 1 s: keep them too
    jax.config.update("jax_persistent_cache_min_compile_time_secs", 0.0)


def adamw(learning_rate: float = 0.0, weight_decay: float = 0.0) -> optax.GradientTransformation:
    """AdamW whose learning rate and weight decay live in its state (not in the compiled
    step): every training's step is the same function."""
    return optax.inject_hyperparams(optax.adamw)(
        learning_rate=learning_rate, weight_decay=weight_decay
    )


@partial(jax.jit, static_argnums=0)
def training_step(
    arch: Architecture,
    params: Adapters,
    state: optax.OptState,
    weights: Weights,
    scales: jax.Array,
    batch: Batch,
) -> tuple[Adapters, optax.OptState, jax.Array]:
    """One AdamW step on the batch: (new adapters, new state, the loss before it)."""
    loss, grads = jax.value_and_grad(token_loss, argnums=2)(arch, weights, params, scales, batch)
    updates, state = adamw().update(grads, state, params)  # hyper-parameters: from `state`
    return optax.apply_updates(params, updates), state, loss


@partial(jax.jit, static_argnums=0)
def batch_loss(
    arch: Architecture, params: Adapters, weights: Weights, scales: jax.Array, batch: Batch
) -> jax.Array:
    """The mean cross-entropy (nats) of the batch's trained tokens."""
    return token_loss(arch, weights, params, scales, batch)


@partial(jax.jit, static_argnums=0)
def next_token_log_probs(
    arch: Architecture,
    params: Adapters,
    weights: Weights,
    scales: jax.Array,
    ids: jax.Array,
    last: jax.Array,
) -> jax.Array:
    """ids (1, T) padded after position `last` -> log p(next token | ids[:last+1]) (V,)."""
    normed = hidden(arch, weights, ids, params, scales)[0, last]  # (D,)
    return jax.nn.log_softmax(logits_at(arch, weights, normed))


def padded_ids(ids: Sequence[int]) -> tuple[jax.Array, jax.Array]:
    """A prompt's ids as (1, T rounded up to PROMPT_PAD), and the index of its last token."""
    width = -(-max(len(ids), 1) // PROMPT_PAD) * PROMPT_PAD
    row = np.zeros((1, width), np.int32)
    row[0, : len(ids)] = ids
    return jnp.asarray(row), jnp.asarray(len(ids) - 1, jnp.int32)
