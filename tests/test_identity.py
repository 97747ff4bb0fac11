"""One reading of cookies into the visitor's identity, alike for a request handled by Quart, a
page answered before Quart (SharedPages) and a socket's handshake."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from itsdangerous import URLSafeSerializer
from quart import Quart
from quart.testing import QuartClient

from app import asgi
from content import accounts, sessions
from content.i18n import LANGUAGE_COOKIE
from content.visitors import (
    VISITOR_COOKIE,
    VISITOR_SALT,
    VisitorSigner,
    new_visitor_id,
    read_identity,
    short_id,
)
from content.web import form_token, request_identity, staff_session
from content.web.state import Portal
from realtime.server import Live
from tests.conftest import DemoDatabase, copy_demo, make_app, soup

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SIGNER = VisitorSigner("a secret")


@pytest.fixture
async def shared(tmp_path: Path, demo_database: DemoDatabase) -> AsyncIterator[Quart]:
    """A started demo app whose shared pages stay kept for the whole test (no clock races)."""
    target = tmp_path / "portal.db"
    copy_demo(demo_database, target)
    app = make_app(tmp_path, DATABASE=str(target), PAGE_CACHE_SECONDS=3600)
    async with app.test_app():
        yield app


def token_of(html: str | bytes) -> str:
    return str(soup(html).select_one(".poll-form input[name=csrf_token]")["value"])


def set_cookies(headers: list[tuple[str, str]]) -> dict[str, str]:
    found = {}
    for name, value in headers:
        if name == "set-cookie":
            key, _, rest = value.partition("=")
            found[key] = rest.split(";")[0]
    return found


async def before_quart(app: Quart, path: str, cookie: str) -> tuple[list[tuple[str, str]], bytes]:
    """A GET through the whole ASGI stack, as a browser sends it."""
    stack = asgi(app)
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"user-agent", BROWSER.encode())]
        + ([(b"cookie", cookie.encode())] if cookie else []),
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
        "extensions": {},
    }
    messages: list[dict[str, Any]] = []
    done = asyncio.Event()

    async def receive() -> dict[str, Any]:
        await done.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        messages.append(message)
        if message["type"] == "http.response.body" and not message.get("more_body"):
            done.set()

    await asyncio.wait_for(stack(scope, receive, send), 10)
    start = messages[0]
    headers = [(k.decode().lower(), v.decode("latin-1")) for k, v in start["headers"]]
    return headers, b"".join(m.get("body", b"") for m in messages[1:])


async def handshake(app: Quart, cookie: str, scheme: str = "ws") -> Any:
    """What a connecting socket is taken for (the connect handler's reading)."""
    live = Portal.of(app).live
    assert isinstance(live, Live)
    environ = {
        "HTTP_COOKIE": cookie,
        "HTTP_USER_AGENT": BROWSER,
        "asgi.scope": {"type": "websocket", "scheme": scheme, "client": ("127.0.0.1", 50001)},
    }
    return await live.identities.read(environ)


async def test_the_same_cookies_are_the_same_visitor_in_a_request_a_shared_page_and_a_socket(
    shared: Quart,
) -> None:
    held = Portal.of(shared)
    visitor = new_visitor_id()
    cookie = f"{VISITOR_COOKIE}={held.visitor_signer.sign(visitor)}; {LANGUAGE_COOKIE}=en"
    expected_token = form_token(held.csrf_mac, f"visitor:{visitor}")
    assert held.page_cache is not None

    client: QuartClient = shared.test_client(use_cookies=False)  # type: ignore[assignment]
    response = await client.get("/", headers={"Cookie": cookie, "User-Agent": BROWSER})
    page = await response.get_data()
    assert held.page_cache.misses == 1  # rendered by Quart
    assert token_of(page) == expected_token
    assert soup(page).select_one("html")["lang"] == "en"
    assert "Set-Cookie" not in response.headers

    hits = held.page_cache.hits
    headers, kept = await before_quart(shared, "/", cookie)
    assert held.page_cache.hits == hits + 1  # answered from memory before Quart
    assert token_of(kept) == expected_token
    assert soup(kept).select_one("html")["lang"] == "en"
    assert set_cookies(headers) == {}

    identity = await handshake(shared, cookie)
    assert (identity.visitor_id, identity.known, identity.language) == (visitor, True, "en")
    assert identity.label == short_id(visitor, shared.config["SECRET_KEY"])


@pytest.mark.parametrize(
    "value",
    [
        "",  # no cookie
        "nonsense",
        URLSafeSerializer("another secret", salt=VISITOR_SALT).dumps("A" * 22),  # forged
    ],
)
async def test_a_missing_or_forged_cookie_is_a_new_visitor_everywhere(
    shared: Quart, value: str
) -> None:
    held = Portal.of(shared)
    cookie = f"{VISITOR_COOKIE}={value}" if value else ""
    assert held.page_cache is not None
    client: QuartClient = shared.test_client(use_cookies=False)  # type: ignore[assignment]
    await client.get("/", headers={"User-Agent": BROWSER})  # keep the page
    seen = set()

    response = await client.get("/", headers={"Cookie": cookie, "User-Agent": BROWSER})
    given = held.visitor_signer.read(
        set_cookies([("set-cookie", v) for v in response.headers.getlist("Set-Cookie")])[
            VISITOR_COOKIE
        ]
    )
    assert given is not None and given != "A" * 22
    seen.add(given)

    headers, _ = await before_quart(shared, "/", cookie)
    given = held.visitor_signer.read(set_cookies(headers)[VISITOR_COOKIE])
    assert given is not None
    seen.add(given)

    identity = await handshake(shared, cookie)
    assert not identity.known and identity.language == "id"
    seen.add(identity.visitor_id)
    assert len(seen) == 3  # each a new visitor of its own


async def test_the_staff_cookie_of_the_scheme_is_the_staff_member_everywhere(
    shared: Quart,
) -> None:
    held = Portal.of(shared)
    email = await held.database.fetchval("SELECT email FROM users WHERE role = 'moderator'")
    user = await accounts.get_user_by_email(held.database, email)
    assert user is not None
    token = await sessions.start(held.database, user, 1)
    plain = f"{sessions.cookie_name(secure=False)}={token}"
    prefixed = f"{sessions.cookie_name(secure=True)}={token}"

    async with shared.test_request_context("/", headers={"Cookie": plain}):
        found = await staff_session()
        assert found is not None and found.user.id == user.id
    assert (await handshake(shared, plain)).member_id == user.id

    # over HTTPS only the __Host- cookie counts, on a page and on a socket alike
    async with shared.test_request_context("/", headers={"Cookie": plain}, scheme="https"):
        assert request_identity().staff_token is None
        assert await staff_session() is None
    assert (await handshake(shared, plain, "wss")).member_id is None
    async with shared.test_request_context("/", headers={"Cookie": prefixed}, scheme="https"):
        found = await staff_session()
        assert found is not None and found.user.id == user.id
    identity = await handshake(shared, prefixed, "wss")
    assert (identity.member_id, identity.role) == (user.id, "moderator")


def test_read_identity_from_cookies() -> None:
    visitor = new_visitor_id()
    signed = SIGNER.sign(visitor)
    both = {VISITOR_COOKIE: signed, LANGUAGE_COOKIE: "en"}
    found = read_identity(both, https=False, signer=SIGNER, default_language="id")
    assert (found.visitor_id, found.known, found.language, found.staff_token) == (
        visitor,
        True,
        "en",
        None,
    )
    assert read_identity(both, https=True, signer=SIGNER, default_language="id") == found

    missing = read_identity({}, https=False, signer=SIGNER, default_language="en")
    again = read_identity({}, https=False, signer=SIGNER, default_language="en")
    assert not missing.known and missing.language == "en"
    assert missing.visitor_id != again.visitor_id  # a new visitor each time: nothing to go by

    # the signature's first character changed (its last may carry only padding bits)
    payload, _, signature = signed.rpartition(".")
    other_first = "A" if signature[0] != "A" else "B"
    tampered = {VISITOR_COOKIE: f"{payload}.{other_first}{signature[1:]}"}
    assert not read_identity(tampered, https=False, signer=SIGNER, default_language="id").known
    other = VisitorSigner("another secret").sign(visitor)
    forged = read_identity(
        {VISITOR_COOKIE: other}, https=False, signer=SIGNER, default_language="id"
    )
    assert not forged.known and forged.visitor_id != visitor

    unknown_language = {LANGUAGE_COOKIE: "fr"}
    assert (
        read_identity(unknown_language, https=False, signer=SIGNER, default_language="id").language
        == "id"
    )

    staff = {sessions.cookie_name(secure=False): "t1", sessions.cookie_name(secure=True): "t2"}
    assert (
        read_identity(staff, https=False, signer=SIGNER, default_language="id").staff_token == "t1"
    )
    assert (
        read_identity(staff, https=True, signer=SIGNER, default_language="id").staff_token == "t2"
    )
