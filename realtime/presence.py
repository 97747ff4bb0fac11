"""Who is on the site now: sockets grouped into visitors, page views, bots apart, the record.

The tracker is plain in-memory state with no sockets and no database, so it is tested alone; a
Redis-backed tracker with the same methods can replace it when several processes serve the site.
"""

from __future__ import annotations

import time
from collections import Counter, OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from content.live import OnlineFigures, VisitorRow

MAX_PATH = 300
FEED_LENGTH = 200
FIGURES_MAX_AGE = 0.5  # seconds; pages render many times a second, the figures move slower


def iso_now() -> str:
    """Current UTC time as ISO text (seconds)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def clean_path(value: object) -> str | None:
    """A page path a client reports, or None when it is not a plausible path of this site."""
    if not isinstance(value, str) or not value.startswith("/") or value.startswith("//"):
        return None
    if len(value) > MAX_PATH or not value.isprintable() or any(c in value for c in "<>\"'\\"):
        return None
    return value.split("?", 1)[0].split("#", 1)[0]


@dataclass
class Connection:
    """One socket (a tab)."""

    sid: str
    visitor_id: str
    path: str | None


@dataclass
class Visitor:
    """A visitor with at least one live socket."""

    visitor_id: str
    label: str
    member: str | None
    role: str | None
    bot: bool
    device: str
    since: str
    sids: set[str] = field(default_factory=set)
    paths: Counter[str] = field(default_factory=Counter)

    @property
    def kind(self) -> str:
        return "bot" if self.bot else "member" if self.member else "guest"


class PresenceTracker:
    """Visitors online now, active recently, per page, and the most-ever-online record."""

    def __init__(
        self,
        *,
        active_window: float = 300.0,
        record: int = 0,
        record_at: str | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.active_window = active_window
        self.record = record
        self.record_at = record_at
        self.record_changed = False
        self._clock = clock
        self._connections: dict[str, Connection] = {}
        self._visitors: dict[str, Visitor] = {}
        self._counts: Counter[str] = Counter()  # guest / member / bot -> visitors connected
        self._readers: dict[str, Counter[str]] = {}  # path -> visitor id -> tabs on it
        self._recent: OrderedDict[str, float] = OrderedDict()  # people's last activity
        self._feed: deque[dict[str, Any]] = deque(maxlen=FEED_LENGTH)
        self._figures: OnlineFigures | None = None
        self._figures_at = 0.0
        self.dirty_pages: set[str] = set()
        self.changed = True  # the moderators' table may have changed

    # Changes

    def connect(
        self,
        sid: str,
        visitor_id: str,
        *,
        label: str,
        member: str | None = None,
        role: str | None = None,
        bot: bool = False,
        device: str = "desktop",
        path: str | None = None,
    ) -> bool:
        """Add a socket; True when its visitor was not connected before (an arrival)."""
        if sid in self._connections:
            self.disconnect(sid)
        visitor = self._visitors.get(visitor_id)
        arrived = visitor is None
        if visitor is None:
            visitor = Visitor(visitor_id, label, member, role, bot, device, iso_now())
            self._visitors[visitor_id] = visitor
            self._counts[visitor.kind] += 1
            self._feed.append(self._feed_item("join", visitor, path))
        visitor.sids.add(sid)
        self._connections[sid] = Connection(sid, visitor_id, None)
        self._figures = None
        self.touch(visitor_id, bot=bot)
        self.move(sid, path)
        self.changed = True
        if arrived and not bot:
            self._check_record()
        return arrived

    def move(self, sid: str, path: str | None) -> None:
        """A socket now shows another page (or none)."""
        connection = self._connections.get(sid)
        if connection is None or connection.path == path:
            return
        visitor = self._visitors[connection.visitor_id]
        if connection.path is not None:
            self._leave_page(visitor, connection.path)
        connection.path = path
        if path is not None:
            visitor.paths[path] += 1
            if not visitor.bot:
                readers = self._readers.setdefault(path, Counter())
                readers[visitor.visitor_id] += 1
            self.dirty_pages.add(path)
        self.changed = True

    def disconnect(self, sid: str) -> bool:
        """Remove a socket; True when it was its visitor's last one (a departure)."""
        connection = self._connections.pop(sid, None)
        if connection is None:
            return False
        visitor = self._visitors[connection.visitor_id]
        if connection.path is not None:
            self._leave_page(visitor, connection.path)
        visitor.sids.discard(sid)
        self._figures = None
        self.touch(visitor.visitor_id, bot=visitor.bot)
        self.changed = True
        if visitor.sids:
            return False
        del self._visitors[visitor.visitor_id]
        self._counts[visitor.kind] -= 1
        self._feed.append(self._feed_item("leave", visitor, connection.path))
        return True

    def page_view(self, visitor_id: str, *, bot: bool) -> None:
        """A page was served to a visitor (counts as activity, JavaScript or not)."""
        self.touch(visitor_id, bot=bot)

    def touch(self, visitor_id: str, *, bot: bool) -> None:
        """Mark a person active now (bots are never counted as people)."""
        if bot:
            return
        if visitor_id not in self._recent:
            self._figures = None  # a new person: the active count moves now
        self._recent[visitor_id] = self._clock()
        self._recent.move_to_end(visitor_id)
        self.changed = True

    def _leave_page(self, visitor: Visitor, path: str) -> None:
        visitor.paths[path] -= 1
        if visitor.paths[path] <= 0:
            del visitor.paths[path]
        readers = self._readers.get(path)
        if readers is not None and not visitor.bot:
            readers[visitor.visitor_id] -= 1
            if readers[visitor.visitor_id] <= 0:
                del readers[visitor.visitor_id]
            if not readers:
                del self._readers[path]
        self.dirty_pages.add(path)

    def _check_record(self) -> None:
        people = self._counts["guest"] + self._counts["member"]
        if people > self.record:
            self.record = people
            self.record_at = iso_now()
            self.record_changed = True

    def _feed_item(self, kind: str, visitor: Visitor, path: str | None) -> dict[str, Any]:
        return {
            "type": kind,
            "visitor": visitor.label,
            "member": visitor.member,
            "bot": visitor.bot,
            "path": path,
            "at": iso_now(),
        }

    # Reading

    def _prune(self) -> None:
        horizon = self._clock() - self.active_window
        while self._recent:
            seen = next(iter(self._recent.values()))
            if seen >= horizon:
                break
            self._recent.popitem(last=False)

    def active(self) -> int:
        """People active in the window: connected now, or seen on a page or socket recently."""
        self._prune()
        people = {vid for vid, visitor in self._visitors.items() if not visitor.bot}
        return len(people | self._recent.keys())

    def figures(self) -> OnlineFigures:
        """The public figures; pages may show them up to FIGURES_MAX_AGE seconds old."""
        now = self._clock()
        if self._figures is not None and now - self._figures_at < FIGURES_MAX_AGE:
            return self._figures
        guests, members = self._counts["guest"], self._counts["member"]
        self._figures_at = now
        self._figures = OnlineFigures(
            connected=guests + members,
            guests=guests,
            members=members,
            active=self.active(),
            active_window=int(self.active_window),
            record=self.record,
            record_at=self.record_at,
        )
        return self._figures

    def bots(self) -> int:
        """Bots connected now (moderators see them apart)."""
        return self._counts["bot"]

    def readers(self, path: str) -> int:
        """People with this page open now (several tabs of one visitor count once)."""
        readers = self._readers.get(path)
        return len(readers) if readers else 0

    def page_counts(self) -> dict[str, int]:
        """People per page, most read first."""
        counts = {path: len(readers) for path, readers in self._readers.items()}
        return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

    def visitors(self, limit: int = 500) -> list[VisitorRow]:
        """The live table for moderators: people first, then bots, oldest first."""
        ordered = sorted(self._visitors.values(), key=lambda v: (v.bot, v.since, v.label))
        return [
            VisitorRow(
                label=v.label,
                member=v.member,
                role=v.role,
                paths=sorted(v.paths),
                since=v.since,
                tabs=len(v.sids),
                device=v.device,
                bot=v.bot,
            )
            for v in ordered[:limit]
        ]

    def feed(self, limit: int = 50) -> list[dict[str, Any]]:
        """The latest joins and leaves, newest first."""
        items = list(self._feed)[-limit:]
        items.reverse()
        return items

    def pop_dirty_pages(self) -> set[str]:
        """Pages whose reader count may have changed since the last call."""
        pages, self.dirty_pages = self.dirty_pages, set()
        return pages
