"""What the attention panel's token view says under the chips: where the query token
looks most, or (comparing runs) the keys whose weight it gained and lost most."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QCoreApplication


def looks_most_at(weights: np.ndarray, query: int, labels: list[str], view: str) -> str:
    """`weights` (T,): the query's row of the matrix shown."""
    ranked = sorted(range(query + 1), key=lambda k: -weights[k])[:5]
    top = ", ".join(f"{labels[k]!r} {weights[k]:.1%}" for k in ranked if weights[k] > 0)
    return QCoreApplication.translate(
        "AttentionPanel",
        "<b>{token}</b> (#{index}) — {view} — looks most at: {top}"
        "<br><span style='color: gray'>Click a token to make it the query.</span>",
    ).format(token=repr(labels[query]), index=query, view=view, top=top)


def gained_and_lost(
    points: np.ndarray, query: int, labels: list[str], view: str, differ: list[int]
) -> str:
    """`points` (T,): the query's row of B - A in percentage points (NaN: not shown);
    `differ`: the positions where the two runs' tokens differ."""
    seen = [k for k in range(query + 1) if np.isfinite(points[k])]
    gained = sorted(seen, key=lambda k: -points[k])[:3]
    lost = sorted(seen, key=lambda k: points[k])[:3]

    def listed(keys: list[int]) -> str:
        return ", ".join(f"{labels[k]!r} {points[k]:+.1f}" for k in keys)

    note = (
        QCoreApplication.translate("AttentionPanel", " Tokens differ at {positions}.").format(
            positions=", ".join(map(str, differ))
        )
        if differ
        else ""
    )
    return QCoreApplication.translate(
        "AttentionPanel",
        "<b>{token}</b> (#{index}) — {view}<br>In percentage points, gained most: "
        "{gained}; lost most: {lost}.{note}",
    ).format(
        token=repr(labels[query]),
        index=query,
        view=view,
        gained=listed(gained),
        lost=listed(lost),
        note=note,
    )
