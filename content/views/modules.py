"""What the modules around the content show, gathered once per page."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Any

from quart import current_app, request

from content import articles, polls, site
from content.db import get_db
from content.events import Events
from content.live import get_presence
from content.polls import Guard, Poll, Voter
from content.views import current_user, visitor_id
from content.views.statistics import public_figures, server_information

SHARED_TTL = 2.0  # seconds the shared lists may be reused; an editor's change clears them at once


class SharedModules:
    """The module lists that are the same for every visitor, read once per SHARED_TTL."""

    def __init__(self) -> None:
        self._data: dict[str, Any] | None = None
        self._at = 0.0

    def clear(self, **_: object) -> None:
        """Forget the lists (an editor changed content)."""
        self._data = None

    async def get(self) -> dict[str, Any]:
        """Banners, the category menu, the latest and the most read articles."""
        now = time.monotonic()
        if self._data is None or now - self._at > SHARED_TTL:
            db = get_db()
            self._data = {
                "banners": await site.banners(db),
                "menu_categories": await articles.list_categories(db, published_only=True),
                "latest": await articles.latest_articles(db, 5),
                "popular": await articles.popular_articles(db, 5),
            }
            self._at = now
        return self._data


async def sidebar() -> dict[str, Any]:
    """What the modules around the content show."""
    presence = get_presence()
    user = await current_user()
    shared: SharedModules = current_app.extensions["shared_modules"]
    return {
        "online": presence.figures() if presence else None,
        **await shared.get(),
        "statistics": await public_figures(),
        "server": server_information() if user and user.is_admin else None,
        "sidebar_poll": await sidebar_poll(),
    }


def guard() -> Guard:
    """The app's vote guard (salted identity hashes)."""
    found: Guard = current_app.extensions["poll_guard"]
    return found


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
    can_vote = phase == "open" and not voted and (poll.audience == "everyone" or user is not None)
    return {
        "poll": poll,
        "phase": phase,
        "voted": voted,
        "can_vote": can_vote,
        "members_only": poll.audience == "members" and user is None and phase == "open",
        "show_results": poll.results_visible(now, voted=voted, staff=user is not None),
        "results": poll.snapshot(now),
    }


async def sidebar_poll() -> dict[str, Any] | None:
    """The Polling module's content, or None when there is no poll to show."""
    poll = await polls.current_poll(get_db())
    return None if poll is None else await poll_view(poll)


def init_app(app: Any) -> None:
    """Keep the shared module lists, cleared whenever an editor changes content."""
    shared = SharedModules()
    app.extensions["shared_modules"] = shared
    events: Events = app.extensions["events"]
    events.subscribe("content_changed", shared.clear)
