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
An article's page notes its article with the entry, and each serve of it announces a page view
of that article (the one event the hit counter counts from).

A page in memory is served before Quart's dispatch by `SharedPages`, an ASGI app in front of
Quart: it reads the cookies, the visitor and the language from the raw request, puts the
visitor's token in, counts the view, and answers with the headers Quart would have sent. What it
cannot answer (no page in memory, a staff member, a flash message, a variant not rendered yet)
goes on to Quart, whose `shared_page` views render the page and keep it.

Each variant is kept as a `KeptBody` (content/web/compression.py): the bytes around the token,
compressed once per coding, so a visitor's page is joined from them, never compressed for them;
its ETag is a digest of this visitor's bytes, and a matching If-None-Match gets a 304.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any, TypeVar, cast

from quart import Quart, current_app, g, request
from werkzeug.http import parse_cookie

from content import polls
from content.clock import SYSTEM, Clock
from content.events import ContentChanged, Events
from content.polls import Poll, Voter
from content.sessions import cookie_name
from content.visitors import (
    VISITOR_COOKIE,
    Visit,
    is_prefetch_purpose,
    read_identity,
)
from content.web import (
    VISITOR_COOKIE_AGE,
    announce_page_view,
    csrf_token,
    form_token,
    private_cookie,
    request_visit,
)
from content.web.caching import PAGE
from content.web.compression import (
    MIN_SIZE,
    Compressor,
    KeptBody,
    also,
    choose,
    etag_matches,
)
from content.web.i18n import language
from content.web.state import Portal, portal

F = TypeVar("F", bound=Callable[..., Awaitable[Any]])
CAPACITY = 1024  # pages kept (addresses x languages); the oldest go first


def page_key(path: str, query: bytes, lang: str) -> tuple[str, str]:
    """A shared page's key: its address (path and query as sent) and language."""
    return (f"{path}?{query.decode('latin-1')}", lang)


@dataclass
class Entry:
    """One address in one language: its variants by the visitor's votes."""

    at: float
    polls: tuple[Poll, ...]
    article_id: int | None  # the article whose page this is: its views count as its hits
    # the page split around the token's placeholder, encoded once, per "voted" answers
    variants: dict[tuple[bool, ...], KeptBody] = field(default_factory=dict)


class PageCache:
    """The shared rendered pages of one app."""

    def __init__(
        self,
        seconds: float,
        capacity: int = CAPACITY,
        clock: Clock = SYSTEM,
        compressor: Compressor | None = None,
    ) -> None:
        self.seconds = seconds
        self.clock = clock
        self.capacity = capacity
        self.compressor = compressor
        self.marker = f"csrf-{secrets.token_hex(16)}"  # no content can guess it
        self._marker = self.marker.encode()
        self._entries: OrderedDict[tuple[str, str], Entry] = OrderedDict()
        self.rendering: set[tuple[str, str]] = set()
        self.hits = 0
        self.misses = 0

    def clear(self, _: object = None) -> None:
        """Forget every page (an editor changed something)."""
        self._entries.clear()

    def fresh(self, key: tuple[str, str]) -> Entry | None:
        """The page while it is young enough."""
        entry = self._entries.get(key)
        if entry is None or self.clock.monotonic() - entry.at > self.seconds:
            return None
        return entry

    def usable(self, key: tuple[str, str]) -> Entry | None:
        """The page to serve: fresh, or just expired while one request renders it anew, so the
        visitors arriving meanwhile do not all render the same page at once."""
        entry = self._entries.get(key)
        if entry is None:
            return None
        if key in self.rendering or self.clock.monotonic() - entry.at <= self.seconds:
            return entry
        return None

    def store(self, key: tuple[str, str], entry: Entry) -> None:
        self._entries[key] = entry
        self._entries.move_to_end(key)
        while len(self._entries) > self.capacity:
            self._entries.popitem(last=False)

    def keep(self, entry: Entry, voted: tuple[bool, ...], page: str) -> None:
        """Keep a rendered variant of an entry."""
        entry.variants[voted] = KeptBody(tuple(page.encode().split(self._marker)), self.compressor)

    async def answer(
        self, app: Quart, key: tuple[str, str], visit: Visit
    ) -> tuple[KeptBody, bytes, int | None] | None:
        """The kept page for an anonymous visitor: the variant of their "voted" answers, their
        own form token to put in, and the article whose page it is (for the page view). None
        when there is none to give (Quart renders the page then). Both ways in (SharedPages
        before Quart's dispatch, and `shared_page` inside it) answer through here."""
        entry = self.usable(key)
        if entry is None:
            return None
        held = Portal.of(app)
        voter = Voter(visit.visitor_id, visit.address, None)
        voted = tuple(
            [
                await polls.has_voted(held.database, poll, voter, held.poll_guard)
                for poll in entry.polls
            ]
        )
        body = entry.variants.get(voted)
        if body is None:
            return None
        token = form_token(held.csrf_mac, f"visitor:{visit.visitor_id}")
        self.hits += 1
        return body, token.encode(), entry.article_id

    def __len__(self) -> int:
        return len(self._entries)


def _cacheable() -> bool:
    if request.method != "GET":
        return False
    return not _private(request.cookies, current_app.config["SESSION_COOKIE_NAME"])


def _private(cookies: Any, session_cookie: str) -> bool:
    """Whether a request's cookies make its page its own: a staff member's, or one with a flash
    message waiting."""
    if session_cookie in cookies:
        return True
    return any(cookie_name(secure=secure) in cookies for secure in (False, True))


def shared_page() -> Callable[[F], F]:
    """Serve the view's page from the shared cache when the visitor is anonymous.

    A view that counted an article view sets `g.counted_article`; the page kept notes it, and
    the page view announced for each serve of it from memory carries it.
    """

    def decorator(view: F) -> F:
        @wraps(view)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            cache = portal().page_cache
            if cache is None or not _cacheable():
                return await view(*args, **kwargs)
            key = page_key(request.path, request.query_string, language())
            kept = await cache.answer(current_app, key, request_visit())
            if kept is not None:
                body, token, g.counted_article = kept
                return body.plain(token)
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
                    cache.clock.monotonic(),
                    tuple(poll for poll, _ in shown),
                    g.get("counted_article"),
                )
                cache.store(key, entry)
            cache.keep(entry, flags, result)
            return result.replace(cache.marker, csrf_token())

        return cast(F, wrapper)

    return decorator


ANSWERED = frozenset({"GET", "HEAD"})


class SharedPages:
    """ASGI app in front of Quart: answers a GET (or HEAD) for a page in memory without Quart's
    dispatch.

    It does what Quart's hooks do for such a page (see content/web/__init__.py): the visitor
    cookie (set for a new visitor), the form token, counting the view, the security headers.
    Everything else goes on to Quart unchanged.
    """

    def __init__(self, app: Quart, cache: PageCache) -> None:
        self.app = app
        self.next: Any = app  # the ASGI app behind (Quart's typed scopes are plain dicts here)
        self.cache = cache
        self.compressor = Portal.of(app).compressor
        config = app.config
        self.session_cookie: str = config["SESSION_COOKIE_NAME"]
        self.default_language: str = config["DEFAULT_LANGUAGE"]
        held = Portal.of(app)
        self.signer = held.visitor_signer
        headers, hsts = held.security_headers.headers, held.security_headers.hsts
        self.headers = [(name.lower().encode(), value.encode()) for name, value in headers.items()]
        self.headers.append((b"cache-control", PAGE.encode()))
        if self.compressor is not None:
            self.headers.append((b"vary", b"Accept-Encoding"))
        self.hsts = [(b"strict-transport-security", hsts.encode())] if hsts else []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] not in ANSWERED or not len(self.cache):
            await self.next(scope, receive, send)
            return
        if not await self._serve(scope, send):
            await self.next(scope, receive, send)

    async def _serve(self, scope: dict[str, Any], send: Any) -> bool:
        """Answer from memory; False when Quart must (nothing has been sent then)."""
        cookie = agent = purpose = accept = if_none_match = ""
        for name, value in scope["headers"]:
            if name == b"cookie":
                cookie = value.decode("latin-1")
            elif name == b"user-agent":
                agent = value.decode("latin-1")
            elif name in (b"sec-purpose", b"purpose") and not purpose:
                purpose = value.decode("latin-1")
            elif name == b"accept-encoding":
                accept = also(accept, value)
            elif name == b"if-none-match":
                if_none_match = value.decode("latin-1")
        cookies = parse_cookie(cookie) if cookie else {}
        if _private(cookies, self.session_cookie):
            return False
        secure = scope.get("scheme") == "https"
        identity = read_identity(
            cookies, https=secure, signer=self.signer, default_language=self.default_language
        )
        key = page_key(scope["path"], scope["query_string"], identity.language)
        if self.cache.usable(key) is None:
            return False
        client = scope.get("client")
        address = client[0] if client else ""
        visit = Visit(identity.visitor_id, address, agent, is_prefetch_purpose(purpose))
        kept = await self.cache.answer(self.app, key, visit)
        if kept is None:
            return False
        body, token, article_id = kept
        etag = body.etag(token)
        headers = [*self.headers, (b"etag", etag.encode())]
        if secure:
            headers += self.hsts
        if not identity.known:
            signed = self.signer.sign(visit.visitor_id)
            value = private_cookie(VISITOR_COOKIE, signed, VISITOR_COOKIE_AGE, secure=secure)
            headers.append((b"set-cookie", value.encode("latin-1")))
        head = scope["method"] == "HEAD"  # the headers GET would get; not a page view
        if not head:
            announce_page_view(self.app, visit, scope["path"], staff=False, article_id=article_id)
        if etag_matches(if_none_match, etag):  # this visitor has these very bytes already
            await send({"type": "http.response.start", "status": 304, "headers": headers})
            await send({"type": "http.response.body", "body": b""})
            return True
        coding = None
        if accept and self.compressor is not None and body.size >= MIN_SIZE:
            coding = choose(accept, body.codings())
        if coding is None:
            content = body.plain(token)
        else:
            content = body.encoded(coding, token)
            headers.append((b"content-encoding", coding.encode()))
        headers += [
            (b"content-type", b"text/html; charset=utf-8"),
            (b"content-length", str(len(content)).encode()),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if head else content})
        return True


def init_app(
    app: Quart, events: Events, clock: Clock = SYSTEM, compressor: Compressor | None = None
) -> PageCache | None:
    """The shared pages when PAGE_CACHE_SECONDS is above 0; editors' changes clear them."""
    seconds = float(app.config["PAGE_CACHE_SECONDS"])
    if seconds <= 0:
        return None
    cache = PageCache(seconds, clock=clock, compressor=compressor)
    events.subscribe(ContentChanged, cache.clear)
    return cache


def asgi(app: Quart) -> Any:
    """Quart, with the shared pages served in front of it when they are kept."""
    cache = Portal.of(app).page_cache
    return app if cache is None else SharedPages(app, cache)
