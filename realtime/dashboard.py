"""The editors' dashboard channel in the /redaksi namespace: what people read now and the open
polls' voters, pushed to the dashboard's room on the broadcaster's tick.

A dashboard page's socket sends `watch_dashboard` ({} , acknowledged with {"ok": true}) and gets
the current snapshot at once; afterwards `dashboard_live` goes to the room "dashboard" only,
at most once per tick and only when it changed:

  dashboard_live {"reading": [{"path": str, "title": str | null, "readers": int}],
                  "polls": [{"poll_id": int, "voters": int}]}

`reading` is the public pages people have open, the most read first (content.dashboard's
reading_now, from the presence tracker's memory); `polls` the polls taking votes, the newest
first, with their voters. Both come from memory: votes bring the poll as they left it
(PollVoted); only an editor's change or a reset of a poll makes the list be read again, once,
at the next tick. Nothing is computed while nobody has a dashboard open.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from content import dashboard
from content.db import Database, unless_unavailable
from content.events import Events, PollChanged, PollReset, PollVoted
from realtime.broadcaster import Broadcaster
from realtime.namespaces import EDITORIAL
from realtime.presence import PresenceTracker

log = logging.getLogger(__name__)

DASHBOARD_ROOM = "dashboard"
DASHBOARD_EVENT = "dashboard_live"
# The open polls are read again this often while a dashboard is open, for the polls whose
# opening time came (a closing time is applied from memory at once).
POLLS_REFRESH = timedelta(minutes=1)


class DashboardChannel:
    """Publishes `dashboard_live` once per tick while a dashboard is open."""

    def __init__(
        self,
        broadcaster: Broadcaster,
        tracker: PresenceTracker,
        db: Database,
        *,
        now: Callable[[], datetime],
        room_size: Callable[[str, str], int],
    ) -> None:
        self.broadcaster = broadcaster
        self.tracker = tracker
        self.db = db
        self.now = now
        self.room_size = room_size
        self.voters: dict[int, int] = {}  # open poll id -> voters, newest poll first
        self.closes: dict[int, datetime] = {}  # open poll id -> its closing time, if it has one
        self.polls_stale = True  # the open polls must be read (first use, an editor's change)
        self.polls_read_at: datetime | None = None

    def listen(self, events: Events) -> None:
        """Follow the votes (their counts) and the editors' changes of polls (which are open)."""
        events.subscribe(PollVoted, lambda voted: self.poll_voted(voted.poll.id, voted.poll.voters))
        events.subscribe(PollReset, lambda reset: self.polls_changed())
        events.subscribe(PollChanged, lambda changed: self.polls_changed())

    def poll_voted(self, poll_id: int, voters: int) -> None:
        """A vote was stored: the poll's voters as it left them."""
        if poll_id in self.voters:
            self.voters[poll_id] = voters

    def polls_changed(self) -> None:
        """A poll was opened, closed, edited or reset: read the open polls again."""
        self.polls_stale = True

    @property
    def watched(self) -> bool:
        """Whether any dashboard is open."""
        return self.room_size(DASHBOARD_ROOM, EDITORIAL) > 0

    async def _read_polls(self, now: datetime) -> None:
        with unless_unavailable(log, "The dashboard's polls"):  # tried again next tick
            panel = await dashboard.open_polls(self.db, now)
            self.voters = {poll.id: poll.voters for poll in panel.items}
            self.closes = {poll.id: poll.closes_at for poll in panel.items if poll.closes_at}
            self.polls_stale = False
            self.polls_read_at = now

    def _close_due(self, now: datetime) -> None:
        for poll_id, closes_at in list(self.closes.items()):
            if closes_at <= now:
                del self.closes[poll_id]
                self.voters.pop(poll_id, None)

    def snapshot(self) -> dict[str, Any]:
        """The `dashboard_live` payload (see the module)."""
        return {
            "reading": dashboard.reading_now(self.tracker),
            "polls": [{"poll_id": poll, "voters": n} for poll, n in self.voters.items()],
        }

    async def publish(self) -> None:
        """Store the current snapshot (the broadcaster sends it if it changed)."""
        now = self.now()
        if (
            self.polls_stale
            or self.polls_read_at is None
            or now - self.polls_read_at >= POLLS_REFRESH
        ):
            await self._read_polls(now)
        self._close_due(now)
        self.broadcaster.publish(DASHBOARD_ROOM, DASHBOARD_EVENT, self.snapshot(), EDITORIAL)

    async def before_tick(self) -> None:
        """Tick hook: a fresh snapshot while someone watches."""
        if self.watched:
            await self.publish()

    async def watch(self, sid: str) -> None:
        """Put a dashboard's socket in the room; it gets the current snapshot at once."""
        await self.publish()
        await self.broadcaster.subscribe(sid, DASHBOARD_ROOM, EDITORIAL)
