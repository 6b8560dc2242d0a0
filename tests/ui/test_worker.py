"""The one worker API, without a model: results come back on the GUI thread; in a lane
the newest job wins (older ones are skipped, interrupted or their results dropped);
cancel drops, stop asks a job to end early and still hears its answer; errors arrive as
messages and the worker keeps running."""

from __future__ import annotations

import threading

import pytest

from playground.engine.errors import PlaygroundError
from playground.ui.worker.jobs import Job
from playground.ui.worker.runner import ModelRunner
from tests.patience import patience


@pytest.fixture
def runner():
    runner = ModelRunner()
    yield runner
    runner.shutdown()


def _blocking_job(lane: str, started: threading.Event, value: str) -> Job:
    """Reports once, then waits until stopped (or replaced); returns `value`."""

    def work(context):
        context.report("started")
        started.set()
        while not context.stop.wait(0.01):
            pass
        return value

    return Job(lane, work)


def test_results_arrive_on_the_gui_thread(qtbot, runner):
    gui, seen = threading.current_thread(), []

    def work(context):
        seen.append(threading.current_thread() is not gui)
        return 42

    got = []
    runner.submit(Job("", work), lambda value: got.append((value, threading.current_thread())))
    qtbot.waitUntil(lambda: bool(got), timeout=patience(5000))
    assert got == [(42, gui)] and seen == [True]


def test_in_a_lane_the_newest_job_wins(qtbot, runner):
    started, got, progress = threading.Event(), [], []
    runner.submit(_blocking_job("x", started, "old"), got.append, on_progress=progress.append)
    assert started.wait(5)
    skipped = runner.submit(Job("x", lambda c: "skipped"), got.append)  # queued, then stale
    runner.submit(Job("x", lambda c: "new"), got.append)  # interrupts the running one
    other = []
    runner.submit(Job("y", lambda c: "other lane"), other.append)  # another lane: unaffected
    qtbot.waitUntil(lambda: bool(got and other), timeout=patience(5000))
    qtbot.wait(100)
    assert got == ["new"] and other == ["other lane"]
    assert progress == []  # the old job's report was dropped too (it was stale on arrival)
    assert skipped not in runner._callbacks  # nothing left behind


def test_stop_ends_a_job_early_and_its_answer_still_comes(qtbot, runner):
    started, got, progress = threading.Event(), [], []
    ticket = runner.submit(
        _blocking_job("x", started, "stopped"), got.append, on_progress=progress.append
    )
    assert started.wait(5)
    qtbot.waitUntil(lambda: progress == ["started"], timeout=patience(5000))
    runner.stop(ticket)
    qtbot.waitUntil(lambda: bool(got), timeout=patience(5000))
    assert got == ["stopped"]


def test_cancel_drops_what_a_job_still_sends(qtbot, runner):
    started, got = threading.Event(), []
    ticket = runner.submit(_blocking_job("", started, "late"), got.append)
    assert started.wait(5)
    runner.cancel(ticket)
    done = []
    runner.submit(Job("", lambda c: "after"), done.append)  # the worker is free again
    qtbot.waitUntil(lambda: bool(done), timeout=patience(5000))
    assert got == [] and done == ["after"]


def test_failures_arrive_as_messages_and_the_worker_keeps_going(qtbot, runner):
    messages, got = [], []

    def fails(context):
        raise PlaygroundError("That file is not a model.")

    def crashes(context):
        raise RuntimeError("boom")

    runner.submit(Job("", fails), got.append, messages.append)
    runner.submit(Job("", crashes), got.append, messages.append)
    runner.submit(Job("", lambda c: "still here"), got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=patience(5000))
    assert messages == ["That file is not a model.", "Unexpected error: RuntimeError('boom')"]
    assert got == ["still here"]
