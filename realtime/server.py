"""The Socket.IO server: guarded namespaces, identity at connect, the public presence channel."""

from __future__ import annotations

import logging
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import socketio

from content.polls import Poll
from realtime.broadcaster import Broadcaster, room_name
from realtime.dashboard import DashboardChannel
from realtime.identity import Identity, IdentityReader, client_address
from realtime.polls import MAX_WATCHED as MAX_WATCHED_POLLS
from realtime.polls import MODULE_ROOM as POLL_MODULE_ROOM
from realtime.polls import PollChannel
from realtime.presence import PresenceTracker, clean_path
from realtime.stats import STATS_ROOM, StatsChannel

log = logging.getLogger(__name__)

ONLINE_ROOM = "online"


# Pages that show "N people are reading this now"; other pages need no reader broadcasts.
READER_PAGES = ("/artikel/",)


def shows_readers(path: str) -> bool:
    """Whether a page shows its reader count (and so has a reader channel)."""
    return path.startswith(READER_PAGES)


def page_room(path: str) -> str:
    """The room of the people reading one page."""
    return room_name("page", path)


@dataclass
class RateLimit:
    """A token bucket: `burst` events at once, refilled at `per_second`."""

    burst: float
    per_second: float
    tokens: float = -1.0
    stamp: float = field(default_factory=time.monotonic)

    def allow(self) -> bool:
        now = time.monotonic()
        if self.tokens < 0:
            self.tokens = self.burst
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.per_second)
        self.stamp = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


def origin_checker(allowed: tuple[str, ...]) -> Any:
    """Engine.IO's origin check: the site's own host, or one of the configured origins."""
    configured = {origin.rstrip("/").lower() for origin in allowed}

    def check(origin: str | None, environ: dict[str, Any]) -> bool:
        if origin is None:
            return True  # not a browser: it cannot borrow a visitor's cookies
        origin = origin.rstrip("/").lower()
        if origin in configured:
            return True
        host = environ.get("HTTP_HOST", "").lower()
        parts = urlsplit(origin)
        ok = bool(host) and parts.netloc == host and parts.scheme in ("http", "https")
        if not ok:
            log.warning("Socket refused: origin %s is not this site (%s)", origin, host)
        return ok

    return check


class GuardedNamespace(socketio.AsyncNamespace):  # type: ignore[misc]
    """Per-connection identity and an event rate limit; unknown events are logged and dropped."""

    def __init__(self, namespace: str, live: Live) -> None:
        super().__init__(namespace)
        self.live = live
        self.identities: dict[str, Identity] = {}
        self.limits: dict[str, RateLimit] = {}

    async def trigger_event(self, event: str, *args: Any) -> Any:
        if event in ("connect", "disconnect"):
            return await super().trigger_event(event, *args)
        sid = args[0] if args else ""
        limit = self.limits.get(sid)
        if limit is None or not limit.allow():
            log.warning("Socket %s on %s sent too many events; disconnecting", sid, self.namespace)
            await self.disconnect(sid)
            return None
        if not hasattr(self, f"on_{event}"):
            log.warning("Socket %s sent unknown event %r on %s", sid, event, self.namespace)
            return None
        return await super().trigger_event(event, *args)

    async def identify(self, sid: str, environ: dict[str, Any]) -> Identity:
        identity = await self.live.identities.read(environ)
        self.identities[sid] = identity
        self.limits[sid] = RateLimit(self.live.event_burst, self.live.event_rate)
        return identity

    def forget(self, sid: str) -> Identity | None:
        self.limits.pop(sid, None)
        return self.identities.pop(sid, None)


class PublicNamespace(GuardedNamespace):
    """Every page's socket: presence, and the live figures of the widgets on the page."""

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        address = client_address(environ)
        if not self.live.admit(sid, address):
            log.warning("Socket refused: %s already has too many open sockets", address)
            raise socketio.exceptions.ConnectionRefusedError("too_many_sockets")
        identity = await self.identify(sid, environ)
        path = clean_path(auth.get("path")) if isinstance(auth, dict) else None
        title = auth.get("title") if isinstance(auth, dict) else None
        self.live.tracker.connect(
            sid,
            identity.visitor_id,
            label=identity.label,
            member=identity.member,
            role=identity.role,
            bot=identity.bot,
            device=identity.device,
            path=path,
            title=title,
        )
        await self.live.broadcaster.subscribe(sid, ONLINE_ROOM)
        await self.live.broadcaster.subscribe(sid, STATS_ROOM)
        if path is not None:
            await self._watch(sid, path)
        article = auth.get("article") if isinstance(auth, dict) else None
        if isinstance(article, int) and 0 < article < 2**31:
            await self.live.stats.watch_article(sid, article)
        watched = auth.get("polls") if isinstance(auth, dict) else None
        if isinstance(watched, list):
            for poll_id in watched[:MAX_WATCHED_POLLS]:
                if isinstance(poll_id, int) and 0 < poll_id < 2**31:
                    await self.live.polls.watch(sid, identity, poll_id)
        if isinstance(auth, dict) and auth.get("poll_module") is True:
            await self.live.polls.watch_module(sid)

    async def on_disconnect(self, sid: str, reason: Any = None) -> None:
        self.forget(sid)
        self.live.release(sid)
        self.live.tracker.disconnect(sid)

    def module_watchers(self) -> list[tuple[str, Identity]]:
        """The sockets of pages showing the Polling module, with who they are."""
        room = self.server.manager.rooms.get(self.namespace, {}).get(POLL_MODULE_ROOM, {})
        return [(sid, self.identities[sid]) for sid in list(room) if sid in self.identities]

    async def on_watch_page(self, sid: str, data: Any) -> dict[str, Any]:
        """The socket's tab now shows another page: {"path": "/artikel/12-judul", "title": str}
        (the title optional)."""
        path = clean_path(data.get("path")) if isinstance(data, dict) else None
        if path is None:
            return {"ok": False, "error": "bad_path"}
        for room in self.rooms(sid):
            if room.startswith("page:"):
                await self.leave_room(sid, room)
        self.live.tracker.move(sid, path, data.get("title"))
        await self._watch(sid, path)
        return {"ok": True}

    async def on_vote(self, sid: str, data: Any) -> dict[str, Any]:
        """{"poll_id": int, "options": [int]}: acknowledged with the outcome (see PollChannel)."""
        identity = self.identities.get(sid)
        if identity is None:
            return {"ok": False, "reason": "not_connected", "message": "", "results": None}
        return await self.live.polls.vote(sid, identity, data)

    async def _watch(self, sid: str, path: str) -> None:
        if not shows_readers(path):
            return
        room = page_room(path)
        if self.live.broadcaster.snapshot(room) is None:
            self.live.broadcaster.publish(room, "page_readers", self.live.page_snapshot(path))
        await self.live.broadcaster.subscribe(sid, room)


class Live:
    """The live layer's parts, shared by the namespaces and the tick hooks."""

    def __init__(
        self,
        sio: socketio.AsyncServer,
        tracker: PresenceTracker,
        identities: IdentityReader,
        *,
        tick: float,
        event_burst: float,
        event_rate: float,
        sockets_per_address: int = 0,
        fanout_per_tick: int = 0,
    ) -> None:
        self.sio = sio
        self.tracker = tracker
        self.identities = identities
        self.broadcaster = Broadcaster(
            sio, tick, room_size=self.room_size, fanout_per_tick=fanout_per_tick
        )
        self.stats: StatsChannel  # set by init_app, which owns the hit counter
        self.polls: PollChannel  # set by init_app
        self.dashboard: DashboardChannel  # set by init_app
        self.event_burst = event_burst
        self.event_rate = event_rate
        self.sockets_per_address = sockets_per_address
        self.open_by_address: Counter[str] = Counter()
        self.address_of: dict[str, str] = {}

    @property
    def presence(self) -> PresenceTracker:
        """Presence, as pages read it (content.live.LiveLayer)."""
        return self.tracker

    @property
    def figures(self) -> Live:
        """The polls and visit figures the JSON endpoints answer from (content.live.LiveFigures)."""
        return self

    async def poll(self, poll_id: int) -> Poll | None:
        """A poll as it stands, kept by the polls channel."""
        return await self.polls.poll(poll_id)

    async def site_figures(self) -> dict[str, Any]:
        """GET /api/statistik's figures, kept by the statistics channel."""
        return await self.stats.public_figures()

    @property
    def poll_alerts(self) -> PollChannel:
        """Polls voted on too fast, for the moderators (content.live.LiveLayer)."""
        return self.polls

    def room_size(self, room: str, namespace: str) -> int:
        """How many sockets are in a room."""
        return len(self.sio.manager.rooms.get(namespace, {}).get(room, ()))

    def admit(self, sid: str, address: str) -> bool:
        """Count a new public socket of an address; False when the address has its fill."""
        if self.open_by_address[address] >= self.sockets_per_address > 0:
            return False
        self.open_by_address[address] += 1
        self.address_of[sid] = address
        return True

    def release(self, sid: str) -> None:
        """A public socket closed: its address may open another."""
        address = self.address_of.pop(sid, None)
        if address is None:
            return
        self.open_by_address[address] -= 1
        if self.open_by_address[address] <= 0:
            del self.open_by_address[address]

    def page_snapshot(self, path: str) -> dict[str, Any]:
        """The `page_readers` payload: {"path": str, "readers": int}."""
        return {"path": path, "readers": self.tracker.readers(path)}

    def publish_presence(self) -> None:
        """Tick hook: the public figures (cheap, and the 5-minute window moves on its own) and
        the reader counts of the pages whose readers changed."""
        self.broadcaster.publish(ONLINE_ROOM, "online_count", self.tracker.figures().public())
        for path in self.tracker.pop_dirty_pages():
            if not shows_readers(path):
                continue
            if self.tracker.readers(path):
                self.broadcaster.publish(page_room(path), "page_readers", self.page_snapshot(path))
            else:
                # No person reads it any more: drop the channel, so paths cannot pile up.
                self.broadcaster.forget(page_room(path))
