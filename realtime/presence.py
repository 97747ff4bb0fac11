"""Who is on the site now: sockets grouped into visitors, page views, bots apart, the record.

The tracker is plain in-memory state with no sockets and no database, so it is tested alone; a
Redis-backed tracker with the same methods can replace it when several processes serve the site.
"""

from __future__ import annotations

import heapq
import time
from collections import Counter, OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from content.live import OnlineFigures, VisitorRow

MAX_PATH = 300
MAX_TITLE = 150
FEED_LENGTH = 200
FEED_LINES = 50  # lines of people (not staff, not bots) the moderators' feed shows
MOVE_GRACE = 10.0  # seconds between a tab's disconnect and the next page's connect for a move
TITLES_KEPT = 2_000  # page titles remembered, the least recently reported forgotten first
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


def clean_title(value: object, suffix: str = "") -> str | None:
    """A page title a client reports (the site's name cut off its end), or None when it is
    not text; shown to moderators as text only, beside the path."""
    if not isinstance(value, str):
        return None
    title = " ".join(value[: MAX_TITLE * 4].split())
    if suffix and title.endswith(suffix) and len(title) > len(suffix):
        title = title[: -len(suffix)].rstrip()
    title = "".join(c for c in title if c.isprintable())
    if len(title) > MAX_TITLE:
        title = title[: MAX_TITLE - 1].rstrip() + "…"
    return title or None


@dataclass
class Connection:
    """One socket (a tab)."""

    sid: str
    visitor_id: str
    path: str | None
    title: str | None = None


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


@dataclass
class Departure:
    """A visitor's tab that closed: the next page's tab may connect within the grace."""

    visitor: Visitor
    path: str | None
    title: str | None
    at: str  # UTC ISO text, for the feed
    stamp: float  # the tracker's clock
    last: bool  # it was the visitor's last tab: a departure unless a page follows


class PresenceTracker:
    """Visitors online now, active recently, per page, and the most-ever-online record."""

    def __init__(
        self,
        *,
        active_window: float = 300.0,
        record: int = 0,
        record_at: str | None = None,
        clock: Callable[[], float] = time.monotonic,
        move_grace: float = MOVE_GRACE,
        title_suffix: str = "",
    ) -> None:
        self.active_window = active_window
        self.move_grace = move_grace
        self.title_suffix = title_suffix
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
        # visitor id -> the tab that just closed, oldest first
        self._departures: OrderedDict[str, Departure] = OrderedDict()
        self._titles: OrderedDict[str, str] = OrderedDict()  # path -> title last reported
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
        title: str | None = None,
    ) -> bool:
        """Add a socket; True when its visitor was not connected before (an arrival, or the
        next page of a visitor whose last tab closed within the grace: a move)."""
        if sid in self._connections:
            self.disconnect(sid)
        self.expire_departures()
        departure = self._departures.pop(visitor_id, None)
        visitor = self._visitors.get(visitor_id)
        arrived = visitor is None
        if visitor is None:
            since = departure.visitor.since if departure is not None else iso_now()
            visitor = Visitor(visitor_id, label, member, role, bot, device, since)
            self._visitors[visitor_id] = visitor
            self._counts[visitor.kind] += 1
        title = self._remember_title(path, title)
        if departure is not None and path is not None:
            self._feed.append(self._feed_item("move", visitor, path, title, departure))
        elif arrived:
            self._feed.append(self._feed_item("join", visitor, path, title))
        visitor.sids.add(sid)
        self._connections[sid] = Connection(sid, visitor_id, None, title)
        self._figures = None
        self.touch(visitor_id, bot=bot)
        self.move(sid, path)
        self.changed = True
        if arrived and not bot:
            self._check_record()
        return arrived

    def move(self, sid: str, path: str | None, title: str | None = None) -> None:
        """A socket now shows another page (or none)."""
        connection = self._connections.get(sid)
        if connection is None or connection.path == path:
            return
        visitor = self._visitors[connection.visitor_id]
        if connection.path is not None:
            self._leave_page(visitor, connection.path)
            if path is not None:  # the same tab on another page: one line, as a reconnect
                title = self._remember_title(path, title)
                departure = Departure(
                    visitor, connection.path, connection.title, iso_now(), self._clock(), False
                )
                self._feed.append(self._feed_item("move", visitor, path, title, departure))
                connection.title = title
        connection.path = path
        if path is not None:
            visitor.paths[path] += 1
            if not visitor.bot:
                readers = self._readers.setdefault(path, Counter())
                readers[visitor.visitor_id] += 1
            self.dirty_pages.add(path)
        self.changed = True

    def disconnect(self, sid: str) -> bool:
        """Remove a socket; True when it was its visitor's last one (it left, unless the next
        page connects within the grace: then the feed shows one move instead)."""
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
        last = not visitor.sids
        self.expire_departures()
        self._departures.pop(visitor.visitor_id, None)  # kept in the order they closed
        self._departures[visitor.visitor_id] = Departure(
            visitor, connection.path, connection.title, iso_now(), self._clock(), last
        )
        if not last:
            return False
        del self._visitors[visitor.visitor_id]
        self._counts[visitor.kind] -= 1
        return True

    def expire_departures(self) -> bool:
        """Tabs closed longer ago than the grace with no page after them: a visitor's last tab
        is a departure in the feed (at the time it closed). True when the feed changed."""
        horizon = self._clock() - self.move_grace
        changed = False
        while self._departures:
            departure = next(iter(self._departures.values()))
            if departure.stamp > horizon:
                break
            self._departures.popitem(last=False)
            if departure.last:
                item = self._feed_item("leave", departure.visitor, departure.path, departure.title)
                item["at"] = departure.at
                self._feed.append(item)
                changed = True
        if changed:
            self.changed = True
        return changed

    def _remember_title(self, path: str | None, title: str | None) -> str | None:
        """The page's title as reported now, or as last reported for the path."""
        if path is None:
            return None
        title = clean_title(title, self.title_suffix)
        if title is None:
            return self._titles.get(path)
        self._titles[path] = title
        self._titles.move_to_end(path)
        while len(self._titles) > TITLES_KEPT:
            self._titles.popitem(last=False)
        return title

    def page_title(self, path: str) -> str | None:
        """The title last reported for a page, if any."""
        return self._titles.get(path)

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

    def _feed_item(
        self,
        kind: str,
        visitor: Visitor,
        path: str | None,
        title: str | None,
        departure: Departure | None = None,
    ) -> dict[str, Any]:
        item: dict[str, Any] = {
            "type": kind,
            "visitor": visitor.label,
            "member": visitor.member,
            "staff": visitor.role is not None,
            "bot": visitor.bot,
            "path": path,
            "title": title,
            "at": iso_now(),
        }
        if departure is not None:
            item["from_path"] = departure.path
            item["from_title"] = departure.title
        return item

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

    def most_read(self, limit: int, skip: tuple[str, ...] = ()) -> list[tuple[str, int]]:
        """The `limit` pages with the most people on them, most read first (then by path),
        those starting with one of `skip` left out: (path, readers), without sorting them all."""
        best = heapq.nsmallest(
            limit,
            ((-len(readers), path) for path, readers in self._readers.items()
             if not path.startswith(skip)),
        )  # fmt: skip
        return [(path, -negative) for negative, path in best]

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

    def feed(self, limit: int = FEED_LINES) -> list[dict[str, Any]]:
        """The latest arrivals, moves and departures, newest first: `limit` lines of people,
        with the staff and bot lines among them (at most `limit` of those too)."""
        self.expire_departures()
        people: list[dict[str, Any]] = []
        others = 0
        # A departure is written when its grace ends, with the time the tab closed: newest by
        # time first, and of one second's lines the last written first.
        ordered = sorted(reversed(self._feed), key=lambda item: str(item["at"]), reverse=True)
        for item in ordered:
            if item["staff"] or item["bot"]:
                if others < limit:
                    people.append(item)
                    others += 1
                continue
            if len(people) - others >= limit:
                break
            people.append(item)
        return people

    def pop_dirty_pages(self) -> set[str]:
        """Pages whose reader count may have changed since the last call."""
        pages, self.dirty_pages = self.dirty_pages, set()
        return pages
