"""A clock that moves only when a test says so, for create_app(config, clock=...)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from content.clock import Clock


class ManualClock(Clock):
    """Starts at the real time (so dates look like today's) and then stands still: caches
    never expire, the hit counter's flusher never wakes and a login delay never runs out
    while a test runs, however slow the machine, until the test calls `advance`."""

    def __init__(self, start: float | None = None) -> None:
        self._time = time.time() if start is None else start
        self._monotonic = 1_000.0
        self._sleepers: list[tuple[float, asyncio.Future[None]]] = []

    def time(self) -> float:
        return self._time

    def monotonic(self) -> float:
        return self._monotonic

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        woken: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._sleepers.append((self._monotonic + seconds, woken))
        await woken

    def advance(self, seconds: float) -> None:
        """Move time on; whoever sleeps until then is woken (runs at the next await)."""
        self._time += seconds
        self._monotonic += seconds
        due = [entry for entry in self._sleepers if entry[0] <= self._monotonic]
        self._sleepers = [entry for entry in self._sleepers if entry[0] > self._monotonic]
        for _, woken in due:
            if not woken.done():
                woken.set_result(None)

    @property
    def sleepers(self) -> int:
        """Tasks waiting on this clock right now (a background loop between its rounds)."""
        return sum(not woken.done() for _, woken in self._sleepers)


async def until(condition: Callable[[], bool], *, within: float = 10.0) -> None:
    """Let the event loop run until `condition` holds: for work the test itself set going
    (a woken flusher), so it is never a race; `within` only bounds a failure."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached within {within} s")
        await asyncio.sleep(0.001)
