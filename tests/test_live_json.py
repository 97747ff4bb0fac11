"""The live JSON endpoints answered in front of Quart (content/web/live_json.py): the very bytes
and headers Quart's views give, without Quart's request path; what it cannot answer the same
way goes on to Quart."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from quart import Quart

from content import polls
from content.polls import Voter
from content.visitors import VISITOR_COOKIE, new_visitor_id
from content.web.live_json import LiveJson
from content.web.state import Portal
from tests.clock import ManualClock
from tests.conftest import DemoDatabase, copy_demo, make_app

DEMO_POLL = 1
ADDRESS = "192.0.2.5"


@pytest.fixture
async def started(
    tmp_path: Path, demo_database: DemoDatabase, clock: ManualClock
) -> AsyncIterator[Quart]:
    copy_demo(demo_database, tmp_path / "portal.db")
    app = make_app(
        tmp_path,
        DATABASE=str(tmp_path / "portal.db"),
        clock=clock,
        STATS_FIGURES=("members", "articles", "links"),
        LIVE_TICK=3600.0,  # nothing kept for a tick expires while a test runs
    )
    async with app.test_app():
        yield app


class Reached:
    """The app behind LiveJson in these tests: records that a request reached it."""

    def __init__(self) -> None:
        self.paths: list[str] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        self.paths.append(scope["path"])
        await send({"type": "http.response.start", "status": 299, "headers": []})
        await send({"type": "http.response.body", "body": b""})


async def call(
    asgi: Any, path: str, method: str = "GET", cookie: str = ""
) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """One request through an ASGI app: status, headers (names lower-cased, sorted), body."""
    headers = [(b"host", b"localhost"), (b"user-agent", b"Mozilla/5.0 Firefox/128.0")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": (ADDRESS, 40000),
        "server": ("localhost", 80),
        "extensions": {},
    }
    sent: list[dict[str, Any]] = []
    asked: list[bool] = []

    async def receive() -> dict[str, Any]:
        if not asked:
            asked.append(True)
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()  # the client stays: the app ends this wait itself
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await asgi(scope, receive, send)
    start = sent[0]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    named = sorted((bytes(k).lower(), bytes(v)) for k, v in start["headers"])
    return start["status"], named, body


async def same_as_quart(app: Quart, path: str, method: str = "GET", cookie: str = "") -> bytes:
    """Answer a request in front of Quart and by Quart: the same status, headers and bytes,
    and Quart not reached by the first; the body."""
    reached = Reached()
    front = await call(LiveJson(app, reached), path, method, cookie)
    assert reached.paths == [], f"{path} went on to Quart"
    by_quart = await call(app, path, method, cookie)
    assert front[:2] == by_quart[:2]
    assert front[0] == 200
    # a HEAD's body: none from here; Quart gives its GET body, which the server drops
    assert front[2] == (b"" if method == "HEAD" else by_quart[2])
    return front[2]


async def test_online_and_statistics_are_quarts_answers_without_quart(started: Quart) -> None:
    for path in ("/api/online", "/api/statistik"):
        await same_as_quart(started, path)
        assert await same_as_quart(started, path, "HEAD") == b""
    body = await same_as_quart(started, "/api/statistik")
    assert b'"articles":' in body and b'"total":' in body


async def test_a_poll_is_quarts_answer_before_and_after_a_vote(started: Quart) -> None:
    path = f"/api/polls/{DEMO_POLL}"
    before = await same_as_quart(started, path)
    assert b'"voted":false' in before and b'"voters":37' in before
    held = Portal.of(started)
    poll = await polls.get_poll(held.database, DEMO_POLL)
    assert poll is not None
    visitor = new_visitor_id()
    outcome = await polls.cast_vote(
        held.database,
        DEMO_POLL,
        [poll.options[0].id],
        Voter(visitor, ADDRESS),
        held.poll_guard,
        channel="form",
        tz=ZoneInfo("Asia/Jakarta"),
    )
    assert outcome.ok
    # the voter (their signed cookie) sees "voted"; someone else does not
    cookie = f"{VISITOR_COOKIE}={held.visitor_signer.sign(visitor)}"
    mine = await same_as_quart(started, path, cookie=cookie)
    assert b'"voted":true' in mine and b'"voters":38' in mine
    other = await same_as_quart(started, path)
    assert b'"voted":false' in other and b'"voters":38' in other


async def test_what_it_cannot_answer_goes_on_to_quart(started: Quart) -> None:
    assert await polls.set_state(Portal.of(started).database, DEMO_POLL, polls.State.DRAFT, None)
    reached = Reached()
    front = LiveJson(started, reached)
    for path, cookie in [
        (f"/api/polls/{DEMO_POLL}", ""),  # a draft: Quart's 404 page
        ("/api/polls/9999", ""),  # no such poll
        ("/api/polls/1x", ""),
        ("/api/online", "serambi_staf=anything"),  # staff: private, no-store
        ("/api/moderasi/online", ""),  # not one of the three
    ]:
        status, _, _ = await call(front, path, cookie=cookie)
        assert status == 299, path
    assert len(reached.paths) == 5
    status, _, _ = await call(front, "/api/online", method="POST")
    assert status == 299
