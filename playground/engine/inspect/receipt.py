"""A receipt for one next-token probability: every step from the final hidden state to
the number the next-token panel shows.

    final_hidden  the residual stream at the last token, leaving the last block
    final_norm    final_hidden / rms * gain                 (the graph's hidden.L)
    logit         final_norm . (the token's row of the output matrix)
    tempered      logit / temperature, minus the largest    (temperature 0: greedy)
    prob          exp(tempered) / sum of exp over the vocabulary, then, if top-k / top-p /
                  min-p keep only some tokens, divided by the probability they hold
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from playground.engine.errors import PlaygroundError
from playground.engine.inspect.run import Run
from playground.engine.model.bundle_weights import read_initializer, token_table
from playground.engine.runtime.block_runs import block_internals
from playground.engine.runtime.language_model import LanguageModel
from playground.engine.sampling.distribution import SamplingSettings, distribution


@dataclass(frozen=True)
class Receipt:
    run: Run  # the prompt read, what was knocked out, the sampler
    token: int
    final_hidden: np.ndarray  # (D,)
    rms: float  # what the final norm divides by
    gain: np.ndarray  # (D,) the final norm's learned gain
    final_norm: np.ndarray  # (D,)
    output_row: np.ndarray  # (D,) the token's row of the output matrix
    logit: float  # final_norm . output_row
    model_logit: float  # the same logit as the graph computed it
    max_logit: float
    temperature: float
    log_sum_exp: float  # log of the sum over the vocabulary of exp((z - max) / T)
    tempered_prob: float  # exp((logit - max) / T - log_sum_exp)
    kept: bool  # the filters keep the token
    kept_mass: float  # the probability the kept tokens hold (1 without filters)
    prob: float  # what the next-token panel shows

    def lines(self, label: str) -> list[str]:
        """The receipt as a person reads it, one step a line (the window shows the same)."""
        T = self.temperature
        lines = [
            f"How the probability of {label!r} is computed:",
            f"  final hidden state: {len(self.final_hidden)} numbers, length "
            f"{float(np.linalg.norm(self.final_hidden)):.3f}",
            f"  final RMSNorm: divide by {self.rms:.4f}, times the learned gain -> length "
            f"{float(np.linalg.norm(self.final_norm)):.3f}",
            f"  dot product with the token's row of the output matrix = logit {self.logit:.4f}"
            f" (the model's: {self.model_logit:.4f})",
        ]
        if T > 0:
            shifted = (self.logit - self.max_logit) / T
            lines += [
                f"  divided by the temperature {T:g}: {self.logit / T:.4f}; minus the largest "
                f"({self.max_logit / T:.4f}): {shifted:.4f}",
                f"  exponentiated: {np.exp(shifted):.6g}; divided by the sum over the "
                f"vocabulary ({np.exp(self.log_sum_exp):.6g}) = {self.tempered_prob:.6f}",
            ]
        else:
            lines.append("  temperature 0 (greedy): the largest logit takes all the probability")
        if self.kept_mass < 1.0 - 1e-12:
            lines.append(
                f"  the filters keep tokens holding {self.kept_mass:.4f} of it: "
                + (
                    f"{self.tempered_prob:.6f} / {self.kept_mass:.4f}"
                    if self.kept
                    else "this one is cut"
                )
            )
        lines.append(f"  = {self.prob:.6f} ({self.prob:.2%}), the probability shown")
        return lines


def receipt(
    lm: LanguageModel,
    run: Run,
    token: int,
) -> Receipt:
    """How the probability of `token` after the run's tokens is computed, under its
    sampler (the model's own probabilities without one)."""
    if not 0 <= token < lm.vocab_size:
        raise PlaygroundError(f"Token id {token} is not in the vocabulary.")
    settings = run.sampler or SamplingSettings()
    a = lm.arch
    last = a.n_layer - 1
    out = block_internals(lm, run.ids, last, run.interventions)  # per token
    final_hidden = out[f"hidden_out.{last}"][-1]  # (D,) the stream leaving the last block
    gain = np.asarray(read_initializer(lm.folder, "output_norm.weight"), np.float32)  # (D,)
    rms = float(np.sqrt(np.mean(np.square(final_hidden)) + np.float32(a.rms_eps)))
    final_norm = (final_hidden / np.float32(rms) * gain).astype(np.float32)  # (D,)
    if a.tied_embeddings:
        row = token_table(lm.folder)[token]  # (D,)
    else:
        row = read_initializer(lm.folder, "output.weight_t")[:, token]
    row = np.asarray(row, np.float32)
    logits = out["logits"][-1]  # (V,) the graph's
    z = logits.astype(np.float64)
    dist = distribution(logits, settings)  # what the next-token panel shows
    rank = int(np.flatnonzero(dist.ranked.order == token)[0])
    kept = rank < dist.kept_count
    kept_mass = float(dist.tempered_sorted[: dist.kept_count].sum())
    T = settings.temperature
    top = float(z.max())
    if T > 0:
        log_sum_exp = float(np.log(np.exp((z - top) / T).sum()))
        tempered = float(np.exp((z[token] - top) / T - log_sum_exp))
    else:  # greedy: all the mass on the largest logit
        log_sum_exp, tempered = 0.0, float(z[token] == top)
    return Receipt(
        run=run,
        token=int(token),
        final_hidden=final_hidden,
        rms=rms,
        gain=gain,
        final_norm=final_norm,
        output_row=row,
        logit=float(np.dot(final_norm.astype(np.float64), row)),
        model_logit=float(z[token]),
        max_logit=top,
        temperature=float(T),
        log_sum_exp=log_sum_exp,
        tempered_prob=tempered,
        kept=kept,
        kept_mass=kept_mass,
        prob=float(dist.tempered_sorted[rank] / kept_mass) if kept else 0.0,
    )
