"""What pages and JSON endpoints may ask of the live layer, without importing it.

The live layer (realtime/) is a `LiveLayer`, set in the app's run-time object (content/runtime.py);
until it is, pages render without live figures.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Protocol

from content.runtime import Runtime

if TYPE_CHECKING:
    from content.polls import Poll


def Nn_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a plural message pair for translation; it is translated where it is shown."""
    return singular, plural


# Counters that the live layer updates in place: each is rendered with its plural forms so the
# page's script can word a new number the way the server would (`live_count` in templates).
LIVE_TEXTS = {
    "online.guests": Nn_("There is %(num)s guest online", "There are %(num)s guests online"),
    "online.members": Nn_("%(num)s member online", "%(num)s members online"),
    "online.active": Nn_(
        "%(num)s visitor in the last 5 minutes", "%(num)s visitors in the last 5 minutes"
    ),
    "online.record": Nn_("Most ever online: %(num)s person", "Most ever online: %(num)s people"),
    "article.hits": Nn_("Read %(num)s time", "Read %(num)s times"),
    "poll.votes": Nn_("%(num)s vote", "%(num)s votes"),
    "poll.voters": Nn_("%(num)s voter", "%(num)s voters"),
    "page.readers": Nn_(
        "%(num)s person is reading this now", "%(num)s people are reading this now"
    ),
    # the short words of the live strip under the header
    "strip.online": Nn_("%(num)s online", "%(num)s online"),
    "strip.visits": Nn_("%(num)s visit", "%(num)s visits"),
}


@dataclass(frozen=True)
class OnlineFigures:
    """The public presence figures.

    connected: unique visitors (people, not bots) with a live socket now; guests + members.
    active: unique people who viewed a page or held a socket in the last `active_window` seconds,
    with or without JavaScript.
    record / record_at: the most people ever connected at once, and when (UTC ISO text).
    """

    connected: int
    guests: int
    members: int
    active: int
    active_window: int
    record: int
    record_at: str | None

    def public(self) -> dict[str, object]:
        """The JSON shape of GET /api/online and of the `online_count` event."""
        return {
            "connected": self.connected,
            "guests": self.guests,
            "members": self.members,
            "active": self.active,
            "active_window": self.active_window,
            "record": self.record,
            "record_at": self.record_at,
        }


@dataclass(frozen=True)
class VisitorRow:
    """One visitor in the moderators' live table (no personal data beyond a staff name)."""

    label: str  # short, non-reversible id
    member: str | None
    role: str | None
    paths: list[str]
    since: str  # UTC ISO text of the first live connection
    tabs: int
    device: str
    bot: bool


class Presence(Protocol):
    """Read access to presence for pages and endpoints."""

    def figures(self) -> OnlineFigures: ...

    def readers(self, path: str) -> int: ...

    def bots(self) -> int: ...

    def visitors(self, limit: int = ...) -> list[VisitorRow]: ...

    def page_counts(self) -> dict[str, int]: ...

    def most_read(self, limit: int, skip: tuple[str, ...] = ...) -> list[tuple[str, int]]: ...

    def feed(self, limit: int = 50) -> list[dict[str, Any]]: ...

    def page_title(self, path: str) -> str | None: ...


class PollAlerts(Protocol):
    """Polls receiving votes faster than the configured rate (for the moderators' room)."""

    def alerts(self) -> list[dict[str, Any]]: ...


class LiveFigures(Protocol):
    """What the live channels hold in memory for the JSON endpoints (GET /api/polls/<id>,
    GET /api/statistik): the same answers a read of the database would give."""

    async def poll(self, poll_id: int) -> Poll | None: ...

    async def site_figures(self) -> dict[str, Any]: ...


class LiveLayer(Protocol):
    """What pages and endpoints need of the live layer."""

    @property
    def figures(self) -> LiveFigures: ...

    @property
    def presence(self) -> Presence: ...

    @property
    def poll_alerts(self) -> PollAlerts: ...


def live_figures() -> LiveFigures | None:
    """The live layer's figures, or None where it is not wired (then read the database)."""
    live = Runtime.current().live
    return live.figures if live else None


def poll_alerts() -> list[dict[str, Any]]:
    """The current poll alerts, or none where the live layer is not wired."""
    live = Runtime.current().live
    return live.poll_alerts.alerts() if live else []


MODERATION_TABLE_LIMIT = 500


def moderation_snapshot(presence: Presence) -> dict[str, Any]:
    """What moderators see: the `presence_table` event and GET /api/moderasi/online.

    {"figures": {...public figures...}, "bots": int, "visitors": [{label, member, role, paths,
    since, tabs, device, bot}], "pages": [{"path", "title", "readers"}], "titles": {path: title}
    for the visitors' pages, "feed": [{type ("join", "move" or "leave"), visitor, member, staff,
    bot, path, title, at, and for a move from_path, from_title}], newest first}
    """
    visitors = [asdict(row) for row in presence.visitors(MODERATION_TABLE_LIMIT)]
    titles: dict[str, str] = {}
    for row in visitors:
        for path in row["paths"]:
            title = presence.page_title(path)
            if title is not None:
                titles[path] = title
    return {
        "figures": presence.figures().public(),
        "bots": presence.bots(),
        "visitors": visitors,
        "titles": titles,
        "pages": [
            {"path": p, "title": presence.page_title(p), "readers": n}
            for p, n in presence.page_counts().items()
        ],
        "feed": presence.feed(),
    }


def get_presence() -> Presence | None:
    """The live layer's presence, or None where it is not wired (e.g. content-only tests)."""
    live = Runtime.current().live
    return live.presence if live else None
