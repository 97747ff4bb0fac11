"""The polls channel: results pushed to each poll's watchers, votes by socket, closing, alerts."""

from __future__ import annotations

import contextlib
import logging
import time
from collections import deque
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from babel.support import NullTranslations

from content import polls
from content.db import Database, Unavailable
from content.events import Events, PollChanged, PollPinned, PollReset, PollVoted
from content.i18n import translate
from content.polls import Guard, Poll, Voter, VoteThrottle
from content.web.unavailable import UNAVAILABLE_MESSAGE
from realtime.broadcaster import Broadcaster, room_name
from realtime.identity import Identity
from realtime.namespaces import MODERATION

log = logging.getLogger(__name__)

ALERTS_ROOM = "poll-alerts"
MAX_WATCHED = 5
# Polls kept for GET /api/polls/<id> (ids that do not exist too): cleared when over this many.
KEPT_POLLS = 1000
# Pages showing the Polling module, told which poll it shows ({"poll_id": int | null}) when
# that changes (a pin, a poll opening or closing).
MODULE_ROOM = room_name("poll-module", "sidebar")
_UNKNOWN = -1


def results_room(poll_id: int) -> str:
    """Watchers allowed to see a poll's counts."""
    return room_name("poll", poll_id)


def phase_room(poll_id: int) -> str:
    """Everyone watching a poll, told when it opens or closes (no counts)."""
    return room_name("poll-phase", poll_id)


class PollChannel:
    """Publishes `poll_results`, `poll_phase` and the moderators' `poll_alerts`, once per tick."""

    def __init__(
        self,
        broadcaster: Broadcaster,
        db: Database,
        guard: Guard,
        throttle: VoteThrottle,
        catalogs: dict[str, NullTranslations],
        *,
        timezone: str,
        alert_per_minute: int,
    ) -> None:
        self.broadcaster = broadcaster
        self.db = db
        self.guard = guard
        self.throttle = throttle
        self.catalogs = catalogs
        self.tz = ZoneInfo(timezone)
        self.alert_per_minute = alert_per_minute
        self.dirty: set[int] = set()
        self._votes: dict[int, deque[float]] = {}
        self._alerts: dict[int, dict[str, Any]] = {}
        self._checked_until = datetime.now(UTC)
        self._prompting: set[int] = set()  # polls whose results are being sent promptly
        # The poll (state, times, rules) as sockets connecting this tick need it: read once per
        # tick, not once per socket; an editor's change drops it at once.
        self._rules: dict[int, tuple[float, Poll | None]] = {}
        # The poll as the latest vote left it (a vote's outcome carries it): published from
        # here until the next tick, instead of reading it again.
        self._voted: dict[int, Poll] = {}
        # The poll the Polling module shows, as last published to MODULE_ROOM (read again in the
        # tick after an editor's change), and the sockets of the pages showing the module.
        self._module_id: int | None = _UNKNOWN
        self._module_dirty = False
        self.module_watchers: Callable[[], Iterable[tuple[str, Identity]]] = tuple
        # Each poll as it stands, for GET /api/polls/<id>: kept as each vote leaves it (the
        # vote's announcement carries it), dropped when an editor changes the poll or its votes
        # are reset, and otherwise read from the database once. `_changes` counts the changes,
        # so a read that a change overtook is not kept.
        self._kept: dict[int, Poll | None] = {}
        self._changes = 0

    # Announcements from content (through the event hub)

    def listen(self, events: Events) -> None:
        """Follow what content announces about polls: votes (with the poll as the vote left
        it), resets and editors' changes."""
        events.subscribe(PollVoted, lambda voted: self.poll_voted(voted.poll.id, voted.poll))
        events.subscribe(PollReset, lambda reset: self.poll_voted(reset.poll_id))
        events.subscribe(PollChanged, lambda changed: self.poll_changed(changed.poll_id))
        events.subscribe(PollPinned, lambda _: self.module_changed())

    def poll_voted(self, poll_id: int, poll: Poll | None = None) -> None:
        """A vote was committed (with the poll as it left it), or the votes were reset (no
        poll: it is read): its poll's results go out at once if the poll's watchers heard
        nothing for a tick, else at the next tick (so a busy poll costs one emit per tick)."""
        if poll is not None:
            self._voted[poll_id] = poll
            self._kept[poll_id] = poll
        else:
            self._voted.pop(poll_id, None)
            self._kept.pop(poll_id, None)
        self._changes += 1
        self.dirty.add(poll_id)
        stamps = self._votes.setdefault(poll_id, deque())
        stamps.append(time.monotonic())
        room = results_room(poll_id)
        if poll_id not in self._prompting and self.broadcaster.quiet(room):
            self._prompting.add(poll_id)
            self.broadcaster.prompt(lambda: self._publish_now(poll_id))

    async def _publish_now(self, poll_id: int) -> list[str]:
        try:
            await self.publish(poll_id, datetime.now(UTC))
        finally:
            self._prompting.discard(poll_id)
        return [results_room(poll_id)]

    def poll_changed(self, poll_id: int) -> None:
        """An editor changed a poll (state, times, answers)."""
        self.dirty.add(poll_id)
        self._rules.pop(poll_id, None)
        self._voted.pop(poll_id, None)
        self._kept.pop(poll_id, None)
        self._changes += 1
        self._module_dirty = True  # opening or closing a poll may change the module's poll

    async def poll(self, poll_id: int) -> Poll | None:
        """The poll as it stands now (None: no such poll), from memory after its first read."""
        if poll_id in self._kept:
            return self._kept[poll_id]
        changes = self._changes
        poll = await polls.get_poll(self.db, poll_id)
        if changes == self._changes:  # no vote or change came in while it was read
            if len(self._kept) >= KEPT_POLLS:
                self._kept.clear()
            self._kept[poll_id] = poll
        return poll

    def module_changed(self) -> None:
        """The pin changed: the module's poll is read again at the next tick."""
        self._module_dirty = True

    async def before_tick(self) -> None:
        """Closings due since the last tick, changed polls' snapshots, and the vote-rate alerts."""
        now = datetime.now(UTC)
        closing = await polls.polls_closing_between(self.db, self._checked_until, now)
        self._checked_until = now
        self.dirty.update(closing)
        dirty, self.dirty = self.dirty, set()
        for poll_id in dirty:
            await self.publish(poll_id, now)
        if self._module_dirty:
            self._module_dirty = False  # a change announced while following is followed next
            try:
                await self._follow_module(now)
            except BaseException:
                self._module_dirty = True  # a failed read (database locked) is tried next tick
                raise
        self._voted.clear()  # published; from now on the database says how each poll stands
        self._check_rates(now)

    async def publish(self, poll_id: int, now: datetime) -> None:
        """Store a poll's current results and phase as its channels' snapshots."""
        poll = self._voted.get(poll_id) or await polls.get_poll(self.db, poll_id)
        if poll is None:
            return
        self.broadcaster.publish(
            results_room(poll_id), "poll_results", poll.snapshot(now), priority=-1
        )
        self.broadcaster.publish(
            phase_room(poll_id), "poll_phase", {"poll_id": poll_id, "phase": poll.phase(now)}
        )

    async def _module_poll_id(self) -> int | None:
        if self._module_id == _UNKNOWN:
            poll = await polls.current_poll(self.db)
            self._module_id = poll.id if poll else None
            self.broadcaster.publish(MODULE_ROOM, "poll_module", {"poll_id": self._module_id})
        return self._module_id

    async def _follow_module(self, now: datetime) -> None:
        """When the module's poll changed, tell the pages showing the module and have their
        sockets watch the new poll, so its figures reach them without a reload (their old poll
        stays watched: the page may show it elsewhere)."""
        before = await self._module_poll_id()
        poll = await polls.current_poll(self.db)
        self._module_id = poll.id if poll else None
        if self._module_id == before:
            return
        self.broadcaster.publish(MODULE_ROOM, "poll_module", {"poll_id": self._module_id})
        if poll is None:
            return
        await self.publish(poll.id, now)
        for sid, identity in list(self.module_watchers()):
            await self.watch(sid, identity, poll.id)

    async def watch_module(self, sid: str) -> None:
        """A page showing the Polling module: told when the module's poll changes."""
        await self._module_poll_id()
        await self._subscribe(sid, MODULE_ROOM)

    def _check_rates(self, now: datetime) -> None:
        horizon = time.monotonic() - 60
        for poll_id, stamps in list(self._votes.items()):
            while stamps and stamps[0] < horizon:
                stamps.popleft()
            if not stamps:
                del self._votes[poll_id]
            if len(stamps) > self.alert_per_minute:
                self._alerts[poll_id] = {
                    "poll_id": poll_id,
                    "per_minute": len(stamps),
                    "at": now.isoformat(timespec="seconds"),
                }
        cutoff = (now - timedelta(minutes=10)).isoformat(timespec="seconds")
        self._alerts = {k: v for k, v in self._alerts.items() if v["at"] >= cutoff}
        self.broadcaster.publish(
            ALERTS_ROOM,
            "poll_alerts",
            {"alerts": sorted(self._alerts.values(), key=lambda a: a["at"], reverse=True)},
            MODERATION,
        )

    def alerts(self) -> list[dict[str, Any]]:
        """Polls receiving votes faster than the alert rate in the last ten minutes."""
        return sorted(self._alerts.values(), key=lambda a: a["at"], reverse=True)

    # Sockets

    async def watch(self, sid: str, identity: Identity, poll_id: int) -> None:
        """Follow a poll: its phase always, its counts where its rule lets this viewer see them."""
        poll = await self._poll_rules(poll_id)
        if poll is None or poll.state == polls.State.DRAFT:
            return
        now = datetime.now(UTC)
        voted = await polls.has_voted(self.db, poll, self._voter(identity), self.guard)
        for room in (phase_room(poll_id), results_room(poll_id)):
            if self.broadcaster.snapshot(room) is None:
                await self.publish(poll_id, now)
        await self._subscribe(sid, phase_room(poll_id))
        if poll.results_visible(now, voted=voted, staff=identity.member is not None):
            await self._subscribe(sid, results_room(poll_id))

    async def _poll_rules(self, poll_id: int) -> Poll | None:
        now = time.monotonic()
        kept = self._rules.get(poll_id)
        if kept is not None and now - kept[0] < self.broadcaster.tick_seconds:
            return kept[1]
        poll = await polls.get_poll(self.db, poll_id)
        if len(self._rules) > 1000:  # ids that do not exist must not pile up
            self._rules.clear()
        self._rules[poll_id] = (now, poll)
        return poll

    async def _subscribe(self, sid: str, room: str) -> None:
        """Subscribe unless the socket closed meanwhile (a tab closed while its vote was being
        stored, or the server closing every socket as it stops): then there is nobody to tell."""
        # python-socketio says "not connected" with a ValueError or, a moment later, a KeyError
        with contextlib.suppress(ValueError, KeyError):
            await self.broadcaster.subscribe(sid, room)

    def _voter(self, identity: Identity) -> Voter:
        return Voter(identity.visitor_id, identity.address, identity.member_id)

    async def vote(self, sid: str, identity: Identity, data: Any) -> dict[str, Any]:
        """The `vote` event: {"poll_id": int, "options": [int, ...]}; the ack says the outcome.

        Ack: {"ok": bool, "reason": str | null ("unavailable": the database cannot write now,
        try again), "message": str (in the visitor's language),
        "results": the poll_results payload when the viewer may now see it, else null}.
        """
        poll_id = data.get("poll_id") if isinstance(data, dict) else None
        options = data.get("options") if isinstance(data, dict) else None
        if (
            not isinstance(poll_id, int)
            or not isinstance(options, list)
            or len(options) > polls.MAX_OPTIONS
            or not all(isinstance(o, int) for o in options)
        ):
            return self._ack(identity, polls.VoteOutcome(False, "bad_option"))
        if not self.throttle.allow(identity.address):
            return self._ack(identity, polls.VoteOutcome(False, "too_fast"))
        if not identity.known:
            return self._ack(identity, polls.VoteOutcome(False, "cookies_needed"))
        try:
            outcome = await polls.cast_vote(
                self.db, poll_id, options, self._voter(identity), self.guard, channel="socket",
                tz=self.tz,
            )  # fmt: skip
        except Unavailable as error:
            # Locked by another process or the disk is full: nothing was stored (rolled back).
            log.error(
                "Socket vote on poll %d not saved: the database cannot write (%s: %s)",
                poll_id,
                error.why,
                error.error,
            )
            ack = self._ack(identity, polls.VoteOutcome(False, "unavailable"))
            ack["message"] = translate(self.catalogs, identity.language, UNAVAILABLE_MESSAGE)
            return ack
        if not outcome.ok or outcome.poll is None:
            return self._ack(identity, outcome)
        # content announced the vote (PollVoted), which brought it to poll_voted() already
        now = datetime.now(UTC)
        results = None
        if outcome.poll.results_visible(now, voted=True, staff=identity.member is not None):
            results = outcome.poll.snapshot(now)
            await self._subscribe(sid, results_room(poll_id))
        ack = self._ack(identity, outcome)
        ack["results"] = results
        return ack

    def _ack(self, identity: Identity, outcome: polls.VoteOutcome) -> dict[str, Any]:
        message = "Thank you, your vote was counted." if outcome.ok else outcome.message
        return {
            "ok": outcome.ok,
            "reason": outcome.reason,
            "message": translate(self.catalogs, identity.language, message),
            "results": None,
        }
