"""Where steering directions come from, and which layer steers best.

A direction is read from two short texts ("I love you" / "I hate you"), each read as
typed (as a prompt is): v = hidden_J(toward)[last] - hidden_J(away)[last], hidden index
J in the Hugging Face convention (the stream leaving block J-1). Or it is a token's own
embedding row. A text of one token has only its first position, the attention sink,
whose stream is far longer than the others' (measured: SinkNote), so its direction is
mostly the sink's."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import onnxruntime as ort

from playground.engine.errors import PlaygroundError
from playground.engine.inspect.comparison import compare_logits
from playground.engine.inspect.run import Run
from playground.engine.prompt.model_input import TEXT, model_input
from playground.engine.runtime.frozen_array import FrozenArray
from playground.engine.runtime.interventions import Interventions
from playground.engine.runtime.language_model import LanguageModel
from playground.engine.runtime.steering import Steering, check_layer
from playground.engine.sampling.distribution import Sampler, SamplingSettings
from playground.engine.sampling.generation import generate_tokens

MAX_TEXT_TOKENS = 64  # a direction's texts are short phrases


@dataclass(frozen=True)
class TextStreams:
    """A text's hidden states at its last token, every hidden index (L+1, D)."""

    text: str
    n_tokens: int
    last: np.ndarray  # (L+1, D)
    sink_ratio: float  # |stream at position 0| / median |stream| elsewhere (nan: 1 token)


def text_streams(
    lm: LanguageModel, text: str, run_options: ort.RunOptions | None = None
) -> TextStreams:
    ids = model_input(lm, (TEXT, text)).ids
    if not ids:
        raise PlaygroundError("A steering text is empty: write a few words.")
    if len(ids) > MAX_TEXT_TOKENS:
        raise PlaygroundError(
            f"A steering text is {len(ids)} tokens; keep it to a short phrase "
            f"({MAX_TEXT_TOKENS} tokens at most)."
        )
    step = lm.step(lm.empty_cache(), ids, run_options, detailed=False)
    hidden = np.asarray(step.hidden_states, np.float64)  # (L+1, T, D)
    norms = np.linalg.norm(hidden[1:-1], axis=-1)  # (L-1, T) between blocks
    ratio = (
        float(np.median(norms[:, 0] / np.median(norms[:, 1:], axis=1)))
        if len(ids) > 1
        else float("nan")
    )
    return TextStreams(text, len(ids), hidden[:, -1], ratio)


def text_direction(
    lm: LanguageModel,
    toward: str,
    away: str,
    layer: int,
    strength: float = 0.0,
    run_options: ort.RunOptions | None = None,
) -> Steering:
    """The steering of `toward` minus `away` at hidden index `layer`, at `strength`."""
    return read_direction(lm, toward, away, layer, strength, run_options).steering


def token_direction(
    lm: LanguageModel, token: int, layer: int, strength: float = 0.0, text: str | None = None
) -> Steering:
    """A token's own embedding row (times the model's embedding scale) as the direction;
    `text`: what was typed for it (kept as the steering's `toward`)."""
    check_layer(layer, lm.arch)
    from playground.engine.model.bundle_weights import token_table

    row = np.asarray(token_table(lm.folder)[token], np.float32)  # (D,)
    direction = FrozenArray.of(row * lm.arch.embedding_scale)
    return Steering(layer, strength, direction, text or lm.piece(token).display)


@dataclass(frozen=True)
class LayerSweep:
    """Which layer steers best: for each hidden index J = 1..L-1, the KL divergence (bits)
    of the steered next-token distribution from the unsteered one, at one strength."""

    run: Run  # the prompt's run, unsteered
    strength: float
    layers: tuple[int, ...]  # 1..L-1
    kl_bits: np.ndarray  # (L-1,)
    top_tokens: tuple[int, ...]  # the steered run's top token at each layer

    @property
    def best(self) -> int:
        return self.layers[int(np.argmax(self.kl_bits))]


def layer_sweep(
    lm: LanguageModel,
    run: Run,
    toward: str,
    away: str,
    strength: float,
    progress: Callable[[int, int], None] | None = None,
    run_options: ort.RunOptions | None = None,
) -> LayerSweep:
    """Steer `run`'s prompt with `toward` - `away` at every layer in turn (the texts run
    once each: every layer's stream is read from the same run)."""
    to, fro = text_streams(lm, toward, run_options), text_streams(lm, away, run_options)
    base = run.interventions.with_steering(None)
    plain = lm.step(lm.empty_cache(), run.ids, run_options, False, base).logits[-1]  # (V,)
    layers = tuple(range(1, lm.arch.n_layer))
    kl, tops = np.zeros(len(layers)), []
    for k, layer in enumerate(layers):
        direction = FrozenArray.of(to.last[layer] - fro.last[layer])
        steering = Steering(layer, strength, direction, toward, away)
        logits = lm.step(
            lm.empty_cache(), run.ids, run_options, False, base.with_steering(steering)
        ).logits[-1]
        kl[k] = compare_logits(plain, logits, top=1).kl_bits
        tops.append(int(np.argmax(logits)))
        if progress is not None:
            progress(k + 1, len(layers))
    return LayerSweep(run.model_run, strength, layers, kl, tuple(tops))


@dataclass(frozen=True)
class Direction:
    """A steering read from two texts, with what a person should know about it."""

    steering: Steering
    toward_tokens: int
    away_tokens: int
    sink_ratio: float  # the first position's stream over the others' (median, between blocks)


def read_direction(
    lm: LanguageModel,
    toward: str,
    away: str,
    layer: int,
    strength: float,
    run_options: ort.RunOptions | None = None,
) -> Direction:
    """`text_direction`, with each text's length and how long the attention sink's stream
    is (read from the longer text; nan when both are one token). With no `away` text, the
    direction is the first token of `toward`'s own embedding row."""
    check_layer(layer, lm.arch)
    if not away.strip():
        ids = lm.encode(toward, continues=True)
        if not ids:
            raise PlaygroundError("A steering text is empty: write a few words.")
        return Direction(token_direction(lm, ids[0], layer, strength, toward), 1, 0, float("nan"))
    to, fro = text_streams(lm, toward, run_options), text_streams(lm, away, run_options)
    direction = FrozenArray.of(to.last[layer] - fro.last[layer])
    longer = to if to.n_tokens >= fro.n_tokens else fro
    steering = Steering(layer, strength, direction, toward, away)
    return Direction(steering, to.n_tokens, fro.n_tokens, longer.sink_ratio)


def continue_steered(
    lm: LanguageModel,
    ids: Sequence[int],
    interventions: Interventions,
    seed: int,
    max_tokens: int,
    settings: SamplingSettings,
) -> tuple[str, str]:
    """What the model writes after `ids` without and with the steering of
    `interventions`, sampled with the same settings and seed. The unsteered text adds the
    same direction at strength 0, so both run the same graph for every token."""
    steering = interventions.steering
    if steering is None:
        raise PlaygroundError("Nothing is steered: choose a direction and a strength.")
    texts = []
    for strength in (0.0, steering.strength):
        steered = interventions.with_steering(steering.with_strength(strength))
        tokens = generate_tokens(
            lm, ids, max_tokens, settings, Sampler(seed), interventions=steered
        )
        texts.append(lm.decode([t.token_id for t in tokens if not t.stop]))
    return texts[0], texts[1]
