"""What the modules around the content show, gathered once per page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from quart import Quart, current_app, g, request

from content import articles, calendar, media, modules_layout, polls
from content.calendar import SidebarCalendar
from content.clock import SYSTEM, Clock
from content.db import get_db
from content.events import CategorySaved, ContentChanged, Events, ModulesChanged
from content.live import get_presence
from content.polls import Guard, Phase, Poll, Voter
from content.web import current_user, site_timezone, visitor_id
from content.web.i18n import language
from content.web.state import portal
from content.web.views.statistics import public_figures, server_information

SHARED_TTL = 2.0  # seconds the shared lists may be reused; an editor's change clears them at once
SIDEBAR_DOWNLOADS = 5
# Days of occurrences kept with the shared lists: the current month's grid and the year ahead.
CALENDAR_BEFORE, CALENDAR_AHEAD = 40, 366


class SharedModules:
    """The module lists that are the same for every visitor, read once per SHARED_TTL."""

    def __init__(self, clock: Clock = SYSTEM) -> None:
        self._data: dict[str, Any] | None = None
        self._at = 0.0
        self._clock = clock
        # Kept apart from the lists: read again only when modules or categories change.
        self.arrangement = modules_layout.KeptArrangement()

    def clear(self, _: object = None) -> None:
        """Forget the lists (an editor changed content)."""
        self._data = None

    async def get(self) -> dict[str, Any]:
        """The banners, the category menu, the latest and the most read articles,
        the calendar's occurrences around today, videos, social accounts and the newest files."""
        now = self._clock.monotonic()
        if self._data is None or now - self._at > SHARED_TTL:
            db = get_db()
            config = current_app.config
            tz = site_timezone()
            today = datetime.now(tz).date()
            first = today - timedelta(days=CALENDAR_BEFORE)
            last = today + timedelta(days=CALENDAR_AHEAD)
            self._data = {
                "banners": await media.list_banners(db),
                "menu_categories": await articles.list_categories(db, published_only=True),
                "latest": await articles.latest_articles(db, 5),
                "popular": await articles.popular_articles(db, 5),
                "occurrences": calendar.expand(await calendar.list_events(db), tz, first, last),
                "videos": await media.list_videos(
                    db, providers=media.allowed_providers(config["VIDEO_HOSTS"])
                ),
                "social_accounts": await media.list_social(db),
                "downloads": await media.latest_downloads(db, SIDEBAR_DOWNLOADS),
            }
            self._at = now
        return self._data


# Modules left out wherever they would have nothing to show.
HIDDEN_WHEN_EMPTY = {
    "banners": "banners",
    "categories": "menu_categories",
    "video": "videos",
    "social": "social_accounts",
    "downloads": "downloads",
}


async def sidebar(page: modules_layout.Page = modules_layout.OTHER_PAGE) -> dict[str, Any]:
    """What the modules around the content of `page` show."""
    presence = get_presence()
    user = await current_user()
    held = portal().shared_modules
    shared = await held.get()
    arrangement = await held.arrangement.get(get_db())
    empty = frozenset(key for key, data in HIDDEN_WHEN_EMPTY.items() if not shared[data])
    placed = arrangement.layout(page, empty)
    shown = {module.key for modules in placed.values() for module in modules}
    return {
        # a built-in module by its partial's name; a custom module as itself (_module.html)
        "module_layout": {
            position: [module if module.is_custom else module.template for module in modules]
            for position, modules in placed.items()
        },
        "online": presence.figures() if presence else None,
        "banners": shared["banners"],
        "menu_categories": shared["menu_categories"],
        "latest": shared["latest"],
        "popular": shared["popular"],
        "statistics": await public_figures() if "stats" in shown else {},
        "server": server_information() if user and user.is_admin else None,
        "sidebar_poll": await sidebar_poll() if "poll" in shown else None,
        "calendar_module": sidebar_calendar(shared["occurrences"]) if "calendar" in shown else None,
        "sidebar_videos": shared["videos"],
        "social_accounts": shared["social_accounts"],
        "sidebar_downloads": shared["downloads"],
    }


def sidebar_calendar(found: list[calendar.Occurrence]) -> SidebarCalendar:
    """The Kalender Kegiatan module: this month's grid and the next few events."""
    now = datetime.now(site_timezone())
    today = now.date()
    limit: int = current_app.config["CALENDAR_UPCOMING"]
    return SidebarCalendar(
        month=calendar.month_view(today.year, today.month, found, today, language()),
        upcoming=calendar.upcoming(found, now, limit),
        now=now,
    )


def guard() -> Guard:
    """The app's vote guard (salted identity hashes)."""
    return portal().poll_guard


async def voter() -> Voter:
    """The voter behind this request."""
    user = await current_user()
    return Voter(visitor_id(), request.remote_addr or "", user.id if user else None)


async def poll_view(poll: Poll) -> dict[str, Any]:
    """What a template needs to show a poll to this visitor: form, results, or a note."""
    now = datetime.now(UTC)
    user = await current_user()
    me = await voter()
    voted = await polls.has_voted(get_db(), poll, me, guard())
    phase = poll.phase(now)
    shown = g.get("shown_polls")
    if shown is not None:  # a shared page notes which answers it was rendered for
        shown.append((poll, voted))
    is_open = phase == Phase.OPEN
    can_vote = is_open and not voted and (poll.audience == "everyone" or user is not None)
    return {
        "poll": poll,
        "phase": phase,
        "voted": voted,
        "can_vote": can_vote,
        "members_only": poll.audience == "members" and user is None and is_open,
        "show_results": poll.results_visible(now, voted=voted, staff=user is not None),
        "results": poll.snapshot(now),
    }


async def sidebar_poll() -> dict[str, Any] | None:
    """The Polling module's content, or None when there is no poll to show."""
    poll = await polls.current_poll(get_db())
    return None if poll is None else await poll_view(poll)


def init_app(app: Quart, events: Events, clock: Clock = SYSTEM) -> SharedModules:
    """The shared module lists (kept SHARED_TTL of `clock`), cleared whenever an editor changes
    content, and the modules' arrangement, cleared when modules or categories change."""
    shared = SharedModules(clock)
    events.subscribe(ContentChanged, shared.clear)
    events.subscribe(ModulesChanged, shared.arrangement.clear)
    events.subscribe(CategorySaved, shared.arrangement.clear)  # a moved category's pages
    return shared
