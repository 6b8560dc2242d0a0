"""Numbered requests where the newest wins: the one mechanism by which late work is
skipped (by the worker, before it starts) and late results are dropped."""

from __future__ import annotations

import threading


class LatestRequest:
    """The GUI thread takes a number for each request; the worker asks whether the job it
    holds is still the newest. Both threads use it, so it is guarded by a lock."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._latest = 0

    def take(self) -> int:
        """A new request's number: every earlier one is now stale."""
        with self._lock:
            self._latest += 1
            return self._latest

    def is_latest(self, request: int) -> bool:
        with self._lock:
            return request == self._latest

    def is_stale(self, request: int) -> bool:
        """A newer request has been made since `request`."""
        with self._lock:
            return request < self._latest
