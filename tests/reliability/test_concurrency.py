"""Edits, slider moves and closing while the model works: no stale result is shown, nothing
deadlocks, and the GUI thread keeps answering while a long forward runs."""

from __future__ import annotations

import time

import numpy as np
import pytest
from PySide6.QtCore import Qt, QTimer

from playground.engine.prompt.model_input import ANALYSIS_TOKEN_LIMIT
from playground.engine.sampling.distribution import SamplingSettings
from tests.patience import patience
from tests.ui.conftest import wait_for_analysis

# They measure how the window answers while the model works: on a machine of its own, not
# beside another test run (./test.sh runs them after the others, alone).
pytestmark = pytest.mark.serial

LONG_PROMPT = "".join(
    f"Sentence {i} says hello to the class. " for i in range(200)
)  # >2,048 tokens


class TickRecorder:
    """A 10 ms timer on the GUI thread; the gap between two ticks is how long the thread
    was busy elsewhere (a frozen window shows as one long gap)."""

    def __init__(self) -> None:
        self.ticks: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(10)
        self.timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))

    def start(self) -> None:
        self.ticks = [time.perf_counter()]
        self.timer.start()

    def gaps_before(self, moment: float) -> np.ndarray:
        """Gaps (seconds) between ticks that both came before `moment`."""
        ticks = np.array([t for t in self.ticks if t <= moment])
        return np.diff(ticks)


@pytest.mark.real_model
def test_the_gui_thread_keeps_ticking_while_a_long_forward_runs(qtbot, make_window):
    window = make_window(persist=False)
    session = window.session
    # (The embedding map's one-time set-up after a model load — 49,152 points handed to
    # pyqtgraph, ~200 ms — is not what this measures: let it finish first.)
    qtbot.waitUntil(lambda: session.extras.done, timeout=patience(60_000))
    qtbot.wait(200)
    arrived: list[float] = []  # when the worker finished (before the GUI redraws)
    window.runner._worker.ended.connect(
        lambda _ticket, outcome, _value: outcome == "done" and arrived.append(time.perf_counter()),
        Qt.ConnectionType.DirectConnection,
    )
    recorder = TickRecorder()
    recorder.start()
    session.set_prompt(LONG_PROMPT, immediate=True)
    temperatures = iter(np.linspace(0.2, 1.8, 10_000))
    start = time.perf_counter()
    while not arrived:  # move a slider every 50 ms while the forward runs
        qtbot.wait(50)
        session.set_sampling(SamplingSettings(temperature=float(next(temperatures))))
        assert time.perf_counter() - start < 120
    forward_seconds = arrived[0] - start
    wait_for_analysis(qtbot, window)
    recorder.timer.stop()
    gaps = recorder.gaps_before(arrived[0]) * 1000  # ms
    print(
        f"\nforward of {session.analysis.n_tokens} tokens: {forward_seconds:.1f} s, "
        f"{gaps.size} ticks, longest gap {gaps.max():.0f} ms, "
        f"99th percentile {np.percentile(gaps, 99):.0f} ms"
    )
    ticks = np.array(recorder.ticks)
    for i in np.argsort(gaps)[-3:]:
        print(f"gap {gaps[i]:.0f} ms ending {(ticks[i + 1] - start) * 1000:.0f} ms after start")
    assert session.analysis.n_tokens == ANALYSIS_TOKEN_LIMIT
    assert gaps.size > forward_seconds * 20  # it really ticked all along (10 ms timer)
    # Typically the longest gap is 22-45 ms. Now and then the shared 2-core machine shows a
    # ~100-150 ms gap while the GUI thread runs trivial code (the machine's scheduling, not
    # our work; twice in one 20 s forward on a busy day): allow one such gap per 10 s of
    # forward (at least one), never a real freeze. Work holding the GUI thread or the GIL
    # during the forward would show as gaps all along it, or as one of 250 ms or more.
    allowed = max(1, int(forward_seconds // 10))
    assert np.count_nonzero(gaps >= 100) <= allowed, "the GUI thread stalled again and again"
    assert gaps.max() < 250, "the GUI thread froze"


@pytest.mark.real_model
def test_an_edit_during_a_forward_wins_and_the_stale_result_is_never_shown(qtbot, make_window):
    window = make_window(persist=False)
    session = window.session
    shown: list[tuple[str, str]] = []
    session.analysis_changed.connect(lambda: shown.append(session.analysis.source))
    session.set_prompt(LONG_PROMPT, immediate=True)
    qtbot.waitUntil(lambda: window.runner._worker.running is not None, timeout=patience(10_000))
    qtbot.wait(300)  # the long forward is under way
    session.set_prompt("The capital of France is", immediate=True)
    wait_for_analysis(qtbot, window)
    qtbot.wait(500)  # anything late would arrive now
    assert shown == [("text", "The capital of France is")]
    assert session.distribution.top(1)[0].token_id == 7042  # " Paris"


@pytest.mark.real_model
def test_typing_during_a_long_forward_interrupts_it(qtbot, make_window):
    """The outdated forward is stopped, so the new prompt is answered at once."""
    window = make_window(persist=False)
    session = window.session
    session.set_prompt(LONG_PROMPT, immediate=True)
    qtbot.waitUntil(lambda: window.runner._worker.running is not None, timeout=patience(10_000))
    qtbot.wait(200)
    start = time.perf_counter()
    session.set_prompt("Hello", immediate=True)
    wait_for_analysis(qtbot, window)
    waited = time.perf_counter() - start
    print(f"\nnew prompt answered {waited * 1000:.0f} ms after the edit")
    assert session.analysis.source == ("text", "Hello")
    assert waited < 3.0  # a 2,048-token analysis alone takes 12-15 s here


@pytest.mark.real_model
def test_editing_during_generation_stops_it(qtbot, make_window):
    window = make_window(persist=False, prompt="Once upon a time")
    session = window.session
    assert session.generate(200)
    qtbot.waitUntil(lambda: len(session.branches[-1].tokens) >= 3, timeout=patience(30_000))
    session.set_prompt("The capital of France is")
    assert not session.generating
    wait_for_analysis(qtbot, window)
    made = len(session.branches[-1].tokens)
    qtbot.wait(500)
    assert len(session.branches[-1].tokens) == made  # no token arrives after the edit
    assert session.analysis.source == ("text", "The capital of France is")


@pytest.mark.real_model
@pytest.mark.parametrize("work", ["generation", "long forward"])
def test_closing_the_window_mid_work_returns_at_once(qtbot, make_window, work):
    window = make_window(persist=False, prompt="Once upon a time")
    session = window.session
    if work == "generation":
        assert session.generate(500)
        qtbot.waitUntil(lambda: len(session.branches[-1].tokens) >= 2, timeout=patience(30_000))
    else:
        session.set_prompt(LONG_PROMPT, immediate=True)
        qtbot.waitUntil(lambda: window.runner._worker.running is not None, timeout=patience(10_000))
        qtbot.wait(200)
    start = time.perf_counter()
    window.close()
    closed_in = time.perf_counter() - start
    print(f"\nclosed during {work} in {closed_in * 1000:.0f} ms")
    assert window.runner._thread.isFinished()
    assert closed_in < 2.0
