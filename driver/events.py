"""What a task tells whoever watches it run. Tasks call these and never print; the command
line shows them (driver/terminal.py), a test or a report may record them. Every method here
does nothing, so a task runs the same unwatched."""
from __future__ import annotations

import time
from contextlib import contextmanager

from driver.dbt_runner import NodeFinished


class RunEvents:
    def phase_started(self, name: str) -> None:
        """A phase of the run begins ("connect", "pre-flight: ...", "dbt: ...", "reports")."""

    def phase_finished(self, name: str, seconds: float) -> None:
        """It ended (also when it failed)."""

    def node_finished(self, node: NodeFinished) -> None:
        """dbt finished a model or a test."""

    def rows_copied(self, table: str, done: int, total: int) -> None:
        """The cross-server copy of a v1 table got this far."""

    def item_done(self, what: str, index: int, total: int, name: str) -> None:
        """One of several like steps ended: a table planned, restored."""


class Phases:
    """Wall time per phase of one run, told to the events as each phase starts and ends."""

    def __init__(self, events: RunEvents):
        self.events = events
        self.seconds: dict[str, float] = {}

    @contextmanager
    def __call__(self, name: str):
        self.events.phase_started(name)
        started = time.monotonic()
        try:
            yield
        finally:
            self.seconds[name] = round(time.monotonic() - started, 3)
            self.events.phase_finished(name, self.seconds[name])

    def first(self, prefix: str) -> float:
        """The time of the first phase whose name starts with `prefix` (0 if none ran)."""
        return next((s for name, s in self.seconds.items() if name.startswith(prefix)), 0.0)


class Watched(RunEvents):
    """Passes every event on to `inner` and keeps the phases as they happened (name, start
    offset, seconds) for the report of the invocation."""

    def __init__(self, inner: RunEvents):
        self.inner = inner
        self.started = time.monotonic()
        self.started_at = time.time()
        self.phases: list[dict] = []
        self._open: dict[str, float] = {}

    def elapsed(self) -> float:
        return round(time.monotonic() - self.started, 3)

    def phase_started(self, name: str) -> None:
        self._open[name] = round(time.monotonic() - self.started, 3)
        self.inner.phase_started(name)

    def phase_finished(self, name: str, seconds: float) -> None:
        start = self._open.pop(name, max(0.0, self.elapsed() - seconds))
        self.phases.append({"name": name, "start": start, "seconds": seconds})
        self.inner.phase_finished(name, seconds)

    def node_finished(self, node: NodeFinished) -> None:
        self.inner.node_finished(node)

    def rows_copied(self, table: str, done: int, total: int) -> None:
        self.inner.rows_copied(table, done, total)

    def item_done(self, what: str, index: int, total: int, name: str) -> None:
        self.inner.item_done(what, index, total, name)
