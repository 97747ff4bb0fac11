"""Rendered public pages, kept for a second and shared by every anonymous visitor.

Most of a page is the same for everyone who is not logged in: the articles, the modules, the
figures of the moment. What differs is small and known: the form token (bound to the visitor's
cookie), and whether the visitor has voted in the polls the page shows. So a page is rendered
once with a placeholder for the token, kept per address and language, with one variant per
combination of "voted" answers, and each request puts its own token in.

Not cached: staff (their cookie), anyone with a flash message waiting (the session cookie),
anything but a 200 HTML page. A page lives PAGE_CACHE_SECONDS (the live figures in it are at
most that old, and the socket brings them up to date); when it has expired, one request renders
it anew while the others are still served the old one for that moment. Any editor's change
clears them all.
Side effects of a view that must happen on every view (counting an article's hits) are noted
with the entry and repeated when it is served from memory.
"""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar, cast

from quart import current_app, g, request

from content import polls
from content.db import get_db
from content.i18n import language
from content.polls import Poll
from content.sessions import cookie_name

F = TypeVar("F", bound=Callable[..., Awaitable[Any]])
CAPACITY = 1024  # pages kept (addresses x languages); the oldest go first


@dataclass
class Entry:
    """One address in one language: its variants by the visitor's votes."""

    at: float
    polls: tuple[Poll, ...]
    article_id: int | None
    variants: dict[tuple[bool, ...], str] = field(default_factory=dict)


class PageCache:
    """The shared rendered pages of one app."""

    def __init__(self, seconds: float, capacity: int = CAPACITY) -> None:
        self.seconds = seconds
        self.capacity = capacity
        self.marker = f"csrf-{secrets.token_hex(16)}"  # no content can guess it
        self._entries: OrderedDict[tuple[str, str], Entry] = OrderedDict()
        self.rendering: set[tuple[str, str]] = set()
        self.hits = 0
        self.misses = 0

    def clear(self, **_: object) -> None:
        """Forget every page (an editor changed something)."""
        self._entries.clear()

    def fresh(self, key: tuple[str, str]) -> Entry | None:
        """The page while it is young enough."""
        entry = self._entries.get(key)
        if entry is None or time.monotonic() - entry.at > self.seconds:
            return None
        return entry

    def usable(self, key: tuple[str, str]) -> Entry | None:
        """The page to serve: fresh, or just expired while one request renders it anew, so the
        visitors arriving meanwhile do not all render the same page at once."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        if key in self.rendering or time.monotonic() - entry.at <= self.seconds:
            return entry
        return None

    def store(self, key: tuple[str, str], entry: Entry) -> None:
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self.capacity:
            self._entries.popitem(last=False)

    def __len__(self) -> int:
        return len(self._entries)


def _cacheable() -> bool:
    if request.method != "GET":
        return False
    cookies = request.cookies
    staff = any(cookie_name(secure=secure) in cookies for secure in (False, True))
    return not staff and current_app.config["SESSION_COOKIE_NAME"] not in cookies


async def _voted(shown: tuple[Poll, ...]) -> tuple[bool, ...]:
    from content.views.modules import guard, voter

    if not shown:
        return ()
    me = await voter()
    return tuple([await polls.has_voted(get_db(), poll, me, guard()) for poll in shown])


def shared_page(replay: Callable[[int], None] | None = None) -> Callable[[F], F]:
    """Serve the view's page from the shared cache when the visitor is anonymous.

    `replay(article_id)` is called for a page served from memory whose view counted an article
    view (the view sets `g.counted_article`).
    """

    def decorator(view: F) -> F:
        @wraps(view)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            cache: PageCache | None = current_app.extensions.get("page_cache")
            if cache is None or not _cacheable():
                return await view(*args, **kwargs)
            from content.views import csrf_token

            key = (request.full_path, language())
            entry = cache.usable(key)
            if entry is not None:
                body = entry.variants.get(await _voted(entry.polls))
                if body is not None:
                    cache.hits += 1
                    if entry.article_id is not None and replay is not None:
                        replay(entry.article_id)
                    return body.replace(cache.marker, csrf_token())
            cache.misses += 1
            g.csrf_placeholder = cache.marker
            g.shown_polls = []
            first = key not in cache.rendering
            cache.rendering.add(key)
            try:
                result = await view(*args, **kwargs)
            finally:
                g.csrf_placeholder = None
                if first:
                    cache.rendering.discard(key)
            if not isinstance(result, str):
                return result  # a redirect, a tuple with a status: not shared
            shown: list[tuple[Poll, bool]] = g.shown_polls
            flags = tuple(voted for _, voted in shown)
            entry = cache.fresh(key)
            if entry is None or [p.id for p in entry.polls] != [p.id for p, _ in shown]:
                entry = Entry(
                    time.monotonic(),
                    tuple(poll for poll, _ in shown),
                    g.get("counted_article"),
                )
                cache.store(key, entry)
            entry.variants[flags] = result
            return result.replace(cache.marker, csrf_token())

        return cast(F, wrapper)

    return decorator


def init_app(app: Any) -> None:
    """Keep the shared pages when PAGE_CACHE_SECONDS is above 0; editors' changes clear them."""
    seconds = float(app.config["PAGE_CACHE_SECONDS"])
    if seconds <= 0:
        return
    cache = PageCache(seconds)
    app.extensions["page_cache"] = cache
    events = app.extensions["events"]
    events.subscribe("content_changed", cache.clear)
    events.subscribe("poll_changed", cache.clear)
