"""Shared pages answered before Quart's dispatch (page_cache.SharedPages), through the portal's
whole ASGI stack (gate, Socket.IO's router, the shared pages, Quart) in process: the same page
and headers Quart would send, the visitor's own cookie and token, the right poll variant,
every view counted, and nothing private ever answered from memory."""

from __future__ import annotations

import asyncio
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import urlencode

from quart import Quart
from quart.testing import QuartClient

from app import asgi
from content.sessions import cookie_name
from content.visitors import VISITOR_COOKIE
from content.web import form_token
from content.web.compression import body_etag
from content.web.page_cache import PageCache
from content.web.state import Portal
from tests.conftest import soup

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


class Browser:
    """A visitor speaking ASGI to the portal's stack, keeping its cookies."""

    def __init__(self, app: Quart, scheme: str = "http") -> None:
        self.asgi = asgi(app)
        self.scheme = scheme
        self.cookies: dict[str, str] = {}

    async def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, list[tuple[str, str]], bytes]:
        sent = {"host": "127.0.0.1", "user-agent": BROWSER, **(headers or {})}
        if self.cookies:
            sent["cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body:
            sent["content-type"] = "application/x-www-form-urlencoded"
            sent["content-length"] = str(len(body))
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": self.scheme,
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(k.encode(), v.encode()) for k, v in sent.items()],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 80),
            "extensions": {},
        }
        messages: list[dict[str, Any]] = []
        inbox = [{"type": "http.request", "body": body, "more_body": False}]
        done = asyncio.Event()

        async def receive() -> dict[str, Any]:
            if inbox:
                return inbox.pop()
            await done.wait()  # the client stays until the response is complete
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            messages.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                done.set()

        await self.asgi(scope, receive, send)
        start = messages[0]
        got = [(k.decode().lower(), v.decode()) for k, v in start["headers"]]
        for name, value in got:
            if name == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                        self.cookies.pop(morsel.key, None)
                    else:
                        self.cookies[morsel.key] = morsel.value
        payload = b"".join(m.get("body", b"") for m in messages[1:])
        return start["status"], got, payload

    async def get(self, path: str, **headers: str) -> tuple[list[tuple[str, str]], str]:
        status, got, payload = await self.request("GET", path, headers=headers)
        assert status == 200, (path, status)
        return got, payload.decode()


def cookie_attributes(headers: list[tuple[str, str]]) -> set[str]:
    """The visitor cookie's attributes, but its value and expiry date."""
    (value,) = [v for k, v in headers if k == "set-cookie" and v.startswith(VISITOR_COOKIE)]
    return {a.strip() for a in value.split(";")[1:] if not a.strip().startswith("Expires=")}


def cache_of(app: Quart) -> PageCache:
    found: PageCache = Portal.of(app).page_cache
    return found


def token_of(html: str) -> str:
    return str(soup(html).select_one(".poll-form input[name=csrf_token]")["value"])


def without(headers: list[tuple[str, str]], *names: str) -> list[tuple[str, str]]:
    return sorted((k, v) for k, v in headers if k not in names)


async def quart_calls(app: Quart) -> list[str]:
    """Every request that reached Quart's dispatch, by path."""
    calls: list[str] = []

    @app.before_request
    async def note() -> None:
        from quart import request

        calls.append(request.path)

    return calls


async def test_a_kept_page_is_answered_before_quart_exactly_as_quart_answers_it(
    app: Quart, client: QuartClient
) -> None:
    calls = await quart_calls(app)
    first = Browser(app)
    rendered_headers, rendered = await first.get("/")
    assert calls == ["/"] and cache_of(app).misses == 1
    second = Browser(app)
    served_headers, served = await second.get("/")
    assert calls == ["/"], "the second visitor's page went through Quart"
    assert cache_of(app).hits == 1
    # the same headers (each its own visitor cookie, with the same attributes, and the ETag of
    # its own bytes: the two pages differ by their tokens)
    assert without(served_headers, "set-cookie", "etag") == without(
        rendered_headers, "set-cookie", "etag"
    )
    for headers, html in ((rendered_headers, rendered), (served_headers, served)):
        assert dict(headers)["etag"] == body_etag(html.encode())
    attributes = [cookie_attributes(headers) for headers in (rendered_headers, served_headers)]
    assert attributes[0] == attributes[1]
    assert {"HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=63072000"} <= attributes[1]
    assert "Secure" not in attributes[1]
    # the same page, with the visitor's own form token bound to the visitor's own cookie
    assert served.replace(token_of(served), "T") == rendered.replace(token_of(rendered), "T")
    signer = Portal.of(app).visitor_signer
    for browser, html in ((first, rendered), (second, served)):
        visitor = signer.read(browser.cookies[VISITOR_COOKIE])
        assert token_of(html) == form_token(Portal.of(app).csrf_mac, f"visitor:{visitor}")
    # a returning visitor keeps the cookie and gets no new one
    again_headers, again = await second.get("/")
    assert calls == ["/"] and all(name != "set-cookie" for name, _ in again_headers)
    assert token_of(again) == token_of(served)


async def test_a_voter_gets_the_voted_variant_from_memory(app: Quart, client: QuartClient) -> None:
    voter, stranger = Browser(app), Browser(app)
    _, html = await voter.get("/")
    form = soup(html).select_one(".poll-form")
    option = form.select_one("input[name=option]")["value"]
    body = urlencode({"csrf_token": token_of(html), "option": option}).encode()
    status, _, _ = await voter.request("POST", form["action"], body)
    assert status == 302
    _, flashed = await voter.get("/")  # the flash message: Quart renders it for the voter alone
    assert soup(flashed).select_one(".poll-flash") is not None
    _, rendered = await voter.get("/")  # the "voted" variant, rendered once
    calls = await quart_calls(app)
    _, mine = await voter.get("/")
    _, theirs = await stranger.get("/")
    assert calls == [], "both pages were kept: Quart saw neither request"
    assert soup(mine).select_one(".poll-form") is None
    assert soup(mine).select_one(".poll-note").get_text() == "Anda sudah memilih. Terima kasih!"
    assert mine == rendered
    assert soup(theirs).select_one(".poll-form") is not None


async def test_views_answered_from_memory_are_counted_and_prefetches_are_not(
    app: Quart, client: QuartClient
) -> None:
    db = Portal.of(app).database
    row = await db.fetchone("SELECT id, alias FROM articles WHERE state = 1 ORDER BY id LIMIT 1")
    path = f"/artikel/{row['id']}-{row['alias']}"
    counter = Portal.of(app).hits
    day = counter.day()
    hits, views = counter.unflushed_hits(row["id"]), counter.pending.site_views[day]
    for _ in range(4):
        await Browser(app).get(path)  # four people, one render
    assert cache_of(app).hits == 3
    assert counter.unflushed_hits(row["id"]) - hits == 4
    assert counter.pending.site_views[day] - views == 4
    await Browser(app).get(path, **{"sec-purpose": "prefetch"})
    assert cache_of(app).hits == 4
    assert counter.unflushed_hits(row["id"]) - hits == 4  # a prefetch is not a visit
    assert counter.pending.site_views[day] - views == 4


async def test_private_requests_are_never_answered_from_memory(
    app: Quart, client: QuartClient
) -> None:
    await Browser(app).get("/")
    calls = await quart_calls(app)
    staff = Browser(app)
    staff.cookies[cookie_name(secure=False)] = "not-a-session"
    await staff.get("/")
    flashed = Browser(app)
    flashed.cookies[app.config["SESSION_COOKIE_NAME"]] = "x"
    await flashed.get("/")
    assert calls == ["/", "/"]
    assert cache_of(app).hits == 0
    # HEAD is answered like GET (tests/test_compression.py), and is not a page view
    counter = Portal.of(app).hits
    views = counter.pending.site_views[counter.day()]
    status, _, _ = await Browser(app).request("HEAD", "/")
    assert status == 200 and calls == ["/", "/"] and cache_of(app).hits == 1
    assert counter.pending.site_views[counter.day()] == views


async def test_over_https_the_page_from_memory_has_hsts_and_a_secure_cookie(
    app: Quart, client: QuartClient
) -> None:
    rendered_headers, _ = await Browser(app, "https").get("/")
    served_headers, _ = await Browser(app, "https").get("/")
    assert cache_of(app).hits == 1
    for headers in (rendered_headers, served_headers):
        found = dict(headers)
        assert found["strict-transport-security"] == "max-age=31536000"
        assert "Secure" in found["set-cookie"]
