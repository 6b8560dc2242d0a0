"""Steering in the window: a direction (toward one text, away from another, read at one
hidden index; or a token's own embedding row when "away" is empty) added to the run on
screen at a strength the slider sets. It is an intervention of the run: every panel sees
it, a session file and a lesson keep it. Also: which layer steers best (the KL of the
steered next-token distribution from the unsteered one, per layer), and the prompt
continued without and with the steering, with the same seed."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QObject, Signal

from playground.engine.inspect.steering_directions import Direction
from playground.ui.state.derived_result import DerivedResult
from playground.ui.state.on_screen_run import OnScreenRun
from playground.ui.worker.causal_jobs import direction_job, steered_pair_job, sweep_job
from playground.ui.worker.jobs import Job
from playground.ui.worker.runner import ModelRunner

EXAMPLE = ("I love you", "I hate you")
PAIR_TOKENS = 30  # each continuation's length


class _Asked(DerivedResult):
    """A result computed when asked for (a button), for the key then given; current while
    what it was asked for is still what the window shows (`present()`: that key now)."""

    def __init__(self, runner: ModelRunner, make_job: Any, present: Any) -> None:
        super().__init__(runner, wanted=True)
        self.asked: Hashable | None = None
        self.make_job, self.present = make_job, present

    def key(self) -> Hashable | None:
        return self.asked if self.asked is not None and self.asked == self.present() else None

    def job(self, key: Any) -> Job:
        return self.make_job(*key)

    def ask(self, key: Hashable) -> None:
        self.asked = key
        self.request()


class _DirectionResult(DerivedResult):
    def __init__(self, runner: ModelRunner, owner: SteeringView) -> None:
        super().__init__(runner, wanted=True)
        self.owner = owner

    def key(self) -> Hashable | None:
        o = self.owner
        if not o.enabled or o.session.model is None:
            return None
        return (o.toward, o.away, o.layer)

    def job(self, key: Any) -> Job:
        toward, away, layer = key
        return direction_job(toward, away, layer, self.owner.strength)


class SteeringView(QObject):
    changed = Signal()

    def __init__(self, runner: ModelRunner, session: OnScreenRun) -> None:
        super().__init__()
        self.session = session
        self.toward, self.away = EXAMPLE
        self.layer = 6  # set to a fifth of the model's layers when one is loaded
        self.strength = 2.0
        self.enabled = False
        self.direction = _DirectionResult(runner, self)
        self.sweep = _Asked(runner, sweep_job, self._sweep_key)
        self.pair = _Asked(runner, steered_pair_job, self._pair_key)
        for part in (self.direction, self.sweep, self.pair):
            part.changed.connect(self.changed.emit)
        self.direction.changed.connect(self._apply)
        session.model_changed.connect(self._forget)
        session.interventions.changed.connect(self._follow_interventions)

    # --- what the panel reads ----------------------------------------------------------------
    @property
    def current_direction(self) -> Direction | None:
        return self.direction.result if self.direction.current else None

    @property
    def error(self) -> str | None:
        return self.direction.error or self.sweep.error or self.pair.error

    # --- settings ------------------------------------------------------------------------------
    def set_texts(self, toward: str, away: str) -> None:
        if (toward, away) != (self.toward, self.away):
            self.toward, self.away = toward, away
            self._changed_direction()

    def set_layer(self, layer: int) -> None:
        info = self.session.model_info
        if info is not None:
            layer = min(max(1, layer), info.architecture.n_layer - 1)
        if layer != self.layer:
            self.layer = layer
            self._changed_direction()

    def set_strength(self, strength: float) -> None:
        if strength != self.strength:
            self.strength = float(strength)
            self._apply()
            self.changed.emit()

    def set_enabled(self, on: bool) -> None:
        if on != self.enabled:
            self.enabled = on
            self._changed_direction()

    # --- actions -------------------------------------------------------------------------------
    def find_best_layer(self) -> None:
        key = self._sweep_key()
        if key is not None:
            self.sweep.ask(key)

    def generate_pair(self) -> None:
        key = self._pair_key()
        if key is not None and key[1].steering is not None:
            self.pair.ask(key)

    def _sweep_key(self) -> tuple[Any, ...] | None:
        analysis = self.session.analysis
        if analysis is None:
            return None
        unsteered = replace(
            analysis.run, interventions=analysis.run.interventions.with_steering(None)
        )
        return (unsteered, self.toward, self.away, self.strength)

    def _pair_key(self) -> tuple[Any, ...] | None:
        s: Any = self.session
        if s.analysis is None:
            return None
        return (s.analysis.run.ids, s.analysis.run.interventions, s.seed, PAIR_TOKENS, s.sampling)

    def to_dict(self) -> dict[str, Any]:
        return {"toward": self.toward, "away": self.away, "layer": self.layer}

    def restore(self, data: dict[str, Any]) -> None:
        self.toward = str(data.get("toward", self.toward))
        self.away = str(data.get("away", self.away))
        self.set_layer(int(data.get("layer", self.layer)))
        self.changed.emit()

    # --- inside --------------------------------------------------------------------------------
    def _changed_direction(self) -> None:
        self.direction.request()
        self._apply()
        self.changed.emit()

    def _apply(self) -> None:
        """Put the steering into the run's interventions (or take it out)."""
        interventions = self.session.interventions  # type: ignore[attr-defined]
        direction = self.current_direction
        steering = None
        if self.enabled and direction is not None:
            steering = direction.steering.with_strength(self.strength)
        if not self.enabled or steering is not None:  # (else: its direction is on its way)
            interventions.set(interventions.value.with_steering(steering))

    def _follow_interventions(self) -> None:
        """A session file or a lesson set a steering: show it here."""
        steering = self.session.interventions.value.steering  # type: ignore[attr-defined]
        if steering is None:
            if self.enabled and self.current_direction is not None:
                self.enabled = False
                self.changed.emit()
            return
        mine = (self.toward, self.away, self.layer, self.strength, self.enabled)
        theirs = (steering.toward, steering.away, steering.layer, steering.strength, True)
        if mine != theirs:
            self.toward, self.away, self.layer, self.strength, self.enabled = theirs
            self.direction.request()
            self.changed.emit()

    def _forget(self) -> None:
        info = self.session.model_info
        if info is not None:
            self.layer = max(1, round(info.architecture.n_layer / 5))
        self.enabled = False
        for part in (self.direction, self.sweep, self.pair):
            part.forget()
