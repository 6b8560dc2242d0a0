"""What the next-token panel says in words: a candidate's numbers (its tooltip), and the
current run (B) against a pinned run (A): the KL divergence both ways, the total
variation, and the tokens that changed most."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication

from playground.engine.inspect.comparison import Comparison
from playground.engine.sampling.distribution import Candidate


def comparison_text(c: Comparison, prompt_a: str, label_of: Callable[[int], str]) -> str:
    """`prompt_a`: A's prompt (its start is quoted); `label_of`: a token's label."""
    changes = ", ".join(
        f"{label_of(x.token_id)!r} {x.prob_a:.1%} → {x.prob_b:.1%}" for x in c.changes
    )
    against = QCoreApplication.translate(
        "NextTokenPanel",
        "<b>Against A</b> ({prompt}): KL(A‖B) = {kl} bits, KL(B‖A) = {kl_reverse} bits, "
        "total variation {tv} (model probabilities, temperature 1). ",
    ).format(
        prompt=repr(prompt_a[:40]),
        kl=f"{c.kl_bits:.2f}",
        kl_reverse=f"{c.kl_bits_reverse:.2f}",
        tv=f"{c.total_variation:.2f}",
    )
    return against + (
        QCoreApplication.translate("NextTokenPanel", "Changed most: {changes}.").format(
            changes=changes
        )
        if c.total_variation > 5e-4
        else QCoreApplication.translate("NextTokenPanel", "B is the same as A.")
    )


def candidate_tooltip(c: Candidate, label: str) -> str:
    """Its rank, logit and probabilities, before and after the filters."""

    lines = [
        QCoreApplication.translate("NextTokenPanel", "rank {rank}: {token} (id {id})").format(
            rank=c.rank + 1, token=repr(label), id=c.token_id
        ),
        QCoreApplication.translate("NextTokenPanel", "logit {logit}").format(
            logit=f"{c.logit:.3f}"
        ),
        QCoreApplication.translate("NextTokenPanel", "probability after temperature: {p}").format(
            p=f"{c.tempered_prob:.2%}"
        ),
        QCoreApplication.translate("NextTokenPanel", "after the filters: {p}").format(
            p=f"{c.prob:.2%}"
        )
        if c.kept
        else QCoreApplication.translate("NextTokenPanel", "cut by the filters"),
        QCoreApplication.translate("NextTokenPanel", "click to append it to the prompt"),
    ]
    return "\n".join(lines)
