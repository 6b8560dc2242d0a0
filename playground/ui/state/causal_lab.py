"""The causal lab's three experiments on the run on screen, owned by the Session:
activation patching, steering and the information routes."""

from __future__ import annotations

from playground.ui.state.on_screen_run import OnScreenRun
from playground.ui.state.patching_view import PatchingView
from playground.ui.state.routes_view import RoutesView
from playground.ui.state.steering_view import SteeringView
from playground.ui.worker.runner import ModelRunner


class CausalLab:
    def __init__(self, runner: ModelRunner, session: OnScreenRun) -> None:
        self.patching = PatchingView(runner, session)
        self.steering = SteeringView(runner, session)
        self.routes = RoutesView(runner, session)
