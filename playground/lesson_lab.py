"""A lesson step's Causal lab keys:

    panel: causal
    lab: patching                  # the tab: patching, steering or routes
    patch: The Eiffel Tower is in the city of | The Colosseum is in the city of
    site: resid                    # resid, attn, mlp or head (resid unless set)
    steer: I love you | I hate you # toward | away (nothing after "|": a token's own row)
    steer_layer: 6                 # the hidden state (a fifth of the layers unless set)
    strength: -2                   # c (2 unless set); "steer: off" ends the steering
    threshold: 0.1                 # the routes drawn (0.04 unless set)

A patch is run when the step is shown; a steering is an intervention of the step's run
(and of the steps after it, until "steer: off")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from playground.engine.errors import PlaygroundError

LAB_TABS = ("patching", "steering", "routes")
LAB_KEYS = {"lab", "patch", "site", "steer", "steer_layer", "strength", "threshold"}
_SITES = ("resid", "attn", "mlp", "head")


@dataclass(frozen=True)
class LabStep:
    tab: str | None = None  # the Causal lab's tab brought forward
    patch: tuple[str, str] | None = None  # clean, corrupted: run when the step is shown
    site: str = "resid"
    steer: tuple[str, str] | None = None  # toward, away
    steer_layer: int | None = None
    strength: float = 2.0
    threshold: float | None = None


def lab_step(fields: dict[str, tuple[str, int]], where: Callable[[str], str]) -> LabStep | None:
    """The step's lab keys read (None if it has none); PlaygroundError says what is wrong."""
    if not LAB_KEYS & fields.keys():
        return None

    def value(key: str) -> str | None:
        return fields[key][0] if key in fields else None

    def number(key: str) -> float | None:
        text = value(key)
        try:
            return None if text is None else float(text)
        except ValueError:
            raise PlaygroundError(f"{where(key)}: {key} must be a number.") from None

    tab, site = value("lab"), value("site") or "resid"
    if tab is not None and tab not in LAB_TABS:
        raise PlaygroundError(f"{where('lab')}: lab is one of {', '.join(LAB_TABS)}.")
    if site not in _SITES:
        raise PlaygroundError(f"{where('site')}: site is one of {', '.join(_SITES)}.")
    patch = _pair(value("patch"), where, "patch", both=True)
    steer = None if value("steer") == "off" else _pair(value("steer"), where, "steer")
    layer, strength, threshold = number("steer_layer"), number("strength"), number("threshold")
    if threshold is not None and not 0 < threshold <= 1:
        raise PlaygroundError(f"{where('threshold')}: threshold lies between 0 and 1.")
    return LabStep(
        tab=tab,
        patch=patch,
        site=site,
        steer=steer,
        steer_layer=None if layer is None else int(layer),
        strength=2.0 if strength is None else strength,
        threshold=threshold,
    )


def _pair(
    text: str | None, where: Callable[[str], str], key: str, both: bool = False
) -> tuple[str, str] | None:
    if text is None:
        return None
    first, bar, second = text.partition("|")
    if not first.strip() or (both and not second.strip()) or not bar:
        raise PlaygroundError(f"{where(key)}: {key} is two texts: FIRST | SECOND.")
    return first.strip(), second.strip()
