"""The live JSON endpoints answered in front of Quart.

`GET /api/online`, `/api/statistik` and `/api/polls/<id>` (and HEAD) are asked for often (kiosks,
scripts, caches every 5 s) and answer from what the live layer holds in memory
(`content.live.LiveFigures`). `LiveJson`, an ASGI app between the compression layer and the kept
pages, answers them without Quart's request path: the same JSON (Quart's own JSON provider
writes it), the same headers as the views and the hooks in content/web/__init__.py give
(security headers, Cache-Control), compressed and validated by the layer in front like any
answer. What it cannot answer the same way goes on to Quart unchanged: a staff member's request
(their answer is `private, no-store`, and staff see a poll's results), a poll that does not exist
or is a draft (Quart's 404 page), an address Quart would not route, and an app without a live
layer. Quart's views answer from the same memory, so both paths agree (tests/test_live_json.py).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, cast

from quart import Quart, Response
from werkzeug.http import parse_cookie

from content import polls
from content.polls import Voter
from content.runtime import Runtime
from content.sessions import cookie_name
from content.visitors import read_identity
from content.web.state import Portal

ANSWERED = frozenset({"GET", "HEAD"})
FIGURES_CACHE = b"public, max-age=5"  # as the views set it
POLLS_PREFIX = "/api/polls/"
STAFF_COOKIES = (cookie_name(secure=False), cookie_name(secure=True))


class LiveJson:
    """ASGI app in front of Quart answering the live JSON endpoints from memory."""

    def __init__(self, app: Quart, next_app: Any) -> None:
        self.app = app
        self.next = next_app
        held = Portal.of(app)
        self.database = held.database
        self.guard = held.poll_guard
        self.signer = held.visitor_signer
        self.default_language: str = app.config["DEFAULT_LANGUAGE"]
        headers, hsts = held.security_headers.headers, held.security_headers.hsts
        self.headers = [(name.lower().encode(), value.encode()) for name, value in headers.items()]
        self.hsts = [(b"strict-transport-security", hsts.encode())] if hsts else []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] in ANSWERED
            and scope["path"].startswith("/api/")
            and await self._answer(scope, send)
        ):
            return
        await self.next(scope, receive, send)

    async def _answer(self, scope: dict[str, Any], send: Any) -> bool:
        """Answer from memory; False when Quart must (nothing has been sent then)."""
        live = Runtime.of(self.app).live
        if live is None or self.app.debug:  # debug: Quart's JSON is indented
            return False
        cookie = ""
        for name, value in scope["headers"]:
            if name == b"cookie":
                cookie = value.decode("latin-1")
        cookies = parse_cookie(cookie) if cookie else {}
        if any(name in cookies for name in STAFF_COOKIES):
            return False
        path: str = scope["path"]
        cache: bytes | None = FIGURES_CACHE
        data: Any
        if path == "/api/online":
            data = live.presence.figures().public()
        elif path == "/api/statistik":
            data = await live.figures.site_figures()
        elif path.startswith(POLLS_PREFIX):
            data = await self._poll(path.removeprefix(POLLS_PREFIX), scope, cookies)
            if data is None:
                return False
            cache = None
        else:
            return False
        response = cast(Response, self.app.json.response(data))
        body = await response.get_data()
        headers = [
            (b"content-type", response.content_type.encode()),
            (b"content-length", str(len(body)).encode()),
            *self.headers,
        ]
        if cache is not None:
            headers.append((b"cache-control", cache))
        if scope.get("scheme") == "https":
            headers += self.hsts
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send(
            {"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body}
        )
        return True

    async def _poll(self, raw: str, scope: dict[str, Any], cookies: Any) -> dict[str, Any] | None:
        """A visitor's answer of GET /api/polls/<id> (as the view gives it), or None for Quart."""
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 9:
            return None
        live = Runtime.of(self.app).live
        assert live is not None
        poll = await live.figures.poll(int(raw))
        if poll is None or poll.state == polls.State.DRAFT:
            return None
        identity = read_identity(
            cookies,
            https=scope.get("scheme") == "https",
            signer=self.signer,
            default_language=self.default_language,
        )
        client = scope.get("client")
        me = Voter(identity.visitor_id, client[0] if client else "", None)
        voted = await polls.has_voted(self.database, poll, me, self.guard)
        now = datetime.now(UTC)
        shown = poll.results_visible(now, voted=voted, staff=False)
        return polls.api_answer(poll, now, voted=voted, shown=shown)


def asgi(app: Quart, next_app: Any) -> LiveJson:
    """The live JSON endpoints answered in front of `next_app` (the kept pages, then Quart)."""
    return LiveJson(app, next_app)
