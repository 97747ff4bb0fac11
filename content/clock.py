"""The time as the portal reads it: one object, given to create_app, that tests replace.

Code whose behaviour depends on time passing (cache lifetimes, the hit counter's flush interval,
the login slowdown) reads the app's (`Runtime.clock`) rather than `time` or `datetime`, so that a
test can move time on (tests/clock.py's ManualClock) instead of sleeping or racing a background
task.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime


class Clock:
    """The system's clocks: wall time for what is stored and shown, monotonic for intervals."""

    def time(self) -> float:
        """Seconds since the epoch."""
        return time.time()

    def now(self) -> datetime:
        """The current moment in UTC."""
        return datetime.fromtimestamp(self.time(), UTC)

    def monotonic(self) -> float:
        """Seconds from an arbitrary start that never go back: for lifetimes and intervals."""
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        """Wait `seconds` of this clock's time."""
        await asyncio.sleep(seconds)


SYSTEM = Clock()
