"""GET /api/polls/<id>, /api/online and /api/statistik answer from what the live layer holds:
the same answers as a read of the database, without a database read per request."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from quart import Quart
from quart.typing import TestClientProtocol as QuartClient

from content import accounts, articles, polls, stats
from content.db import Database
from content.polls import State, Voter
from content.web.state import Portal
from tests.clock import ManualClock
from tests.conftest import DemoDatabase, copy_demo, make_app

DEMO_POLL = 1
ALL_FIGURES = ("members", "articles", "links")


class Statements:
    """Every SQL statement the app's database connection runs, as SQLite traces it."""

    def __init__(self) -> None:
        self.run: list[str] = []

    def __call__(self, sql: str) -> None:
        self.run.append(sql)

    def count(self) -> int:
        return len(self.run)


@pytest.fixture
def figures_app(tmp_path: Path, demo_database: DemoDatabase, clock: ManualClock) -> Quart:
    """The demo with every Statistik figure chosen, and a tick longer than any test here, so
    nothing kept for a tick expires while a test runs."""
    copy_demo(demo_database, tmp_path / "portal.db")
    return make_app(
        tmp_path,
        DATABASE=str(tmp_path / "portal.db"),
        clock=clock,
        STATS_FIGURES=ALL_FIGURES,
        LIVE_TICK=3600.0,
    )


@pytest.fixture
async def started(figures_app: Quart) -> AsyncIterator[tuple[QuartClient, Database, Statements]]:
    async with figures_app.test_app() as test_app:
        db = Portal.of(figures_app).database
        traced = Statements()
        await db.conn.set_trace_callback(traced)
        yield test_app.test_client(), db, traced  # type: ignore[misc]


async def from_database(db: Database, poll_id: int) -> dict[str, Any]:
    """What GET /api/polls/<id> answered when it read the poll per request (for a visitor who
    has not voted, and a poll whose results show to everyone)."""
    poll = await polls.get_poll(db, poll_id)
    assert poll is not None
    now = datetime.now(UTC)
    return {"poll": poll.describe(now), "voted": False, "results": poll.snapshot(now)}


async def answers(client: QuartClient, path: str, times: int = 3) -> Any:
    """The JSON of `times` requests of a path, checked to be the same each time."""
    seen = []
    for _ in range(times):
        response = await client.get(path)
        assert response.status_code == 200, path
        # as before: the figures may be kept 5 s by any cache; a poll's answer (with this
        # visitor's "voted") has no Cache-Control of its own
        expected = None if "/polls/" in path else "public, max-age=5"
        assert response.headers.get("Cache-Control") == expected, path
        seen.append(await response.get_json())
    assert all(one == seen[0] for one in seen)
    return seen[0]


async def test_a_poll_answers_from_memory_as_the_database_would(
    started: tuple[QuartClient, Database, Statements], figures_app: Quart
) -> None:
    client, db, traced = started
    path = f"/api/polls/{DEMO_POLL}"
    first = await answers(client, path, times=1)  # read once, then kept
    assert first == await from_database(db, DEMO_POLL)
    assert first["results"]["voters"] == 37
    before = traced.count()
    assert await answers(client, path, times=5) == first
    assert traced.count() == before, traced.run[before:]

    # a vote: kept as the vote left the poll, no read
    options = [option.id for option in first_poll_options(await polls.get_poll(db, DEMO_POLL))]
    outcome = await polls.cast_vote(
        db,
        DEMO_POLL,
        [options[1]],
        Voter("a-visitor", "192.0.2.7"),
        Portal.of(figures_app).poll_guard,
        channel="form",
        tz=ZoneInfo("Asia/Jakarta"),
    )
    assert outcome.ok
    voted = await from_database(db, DEMO_POLL)
    before = traced.count()
    after_vote = await answers(client, path)
    assert traced.count() == before, traced.run[before:]
    assert after_vote == voted and after_vote["results"]["voters"] == 38

    # an editor closes it: read again once, then kept
    assert await polls.set_state(db, DEMO_POLL, State.CLOSED, None)
    closed = await from_database(db, DEMO_POLL)
    assert closed["poll"]["phase"] == "closed"
    before = traced.count()
    assert await answers(client, path, times=1) == closed
    read_once = traced.count() - before
    assert read_once >= 1  # the poll's row and answers
    before = traced.count()
    assert await answers(client, path, times=5) == closed
    assert traced.count() == before, traced.run[before:]


def first_poll_options(poll: polls.Poll | None) -> list[Any]:
    assert poll is not None
    return list(poll.options)


async def test_unknown_and_draft_polls_stay_404_without_reading_again(
    started: tuple[QuartClient, Database, Statements],
) -> None:
    client, db, traced = started
    assert (await client.get("/api/polls/9999")).status_code == 404
    before = traced.count()
    for _ in range(3):
        assert (await client.get("/api/polls/9999")).status_code == 404
    assert traced.count() == before, traced.run[before:]
    assert await polls.set_state(db, DEMO_POLL, State.DRAFT, None)
    assert (await client.get(f"/api/polls/{DEMO_POLL}")).status_code == 404


async def test_online_and_statistics_answer_without_reading_the_database(
    started: tuple[QuartClient, Database, Statements], figures_app: Quart
) -> None:
    client, db, traced = started
    online = await answers(client, "/api/online", times=1)
    assert online["connected"] == 0 and set(online) >= {"active", "record", "record_at"}
    statistics = await answers(client, "/api/statistik", times=1)
    counter = Portal.of(figures_app).hits
    assert statistics == {"total": counter.total, **await stats.site_figures(db, ALL_FIGURES)}
    assert statistics["total"] > 1_805_559 and statistics["articles"] > 0
    before = traced.count()
    assert await answers(client, "/api/online", times=5) == online
    assert await answers(client, "/api/statistik", times=5) == statistics
    assert traced.count() == before, traced.run[before:]


async def test_statistics_follow_an_editors_change(
    started: tuple[QuartClient, Database, Statements],
) -> None:
    client, db, traced = started
    before = await answers(client, "/api/statistik", times=1)
    # an editor unpublishes an article: the content change drops the kept figures
    article_id = await db.fetchval("SELECT min(id) FROM articles WHERE state = 1")
    editor = (await accounts.all_users(db))[0]
    assert await articles.set_state(db, article_id, articles.State.UNPUBLISHED, editor)
    read_before = traced.count()
    after = await answers(client, "/api/statistik")
    assert after["articles"] == before["articles"] - 1
    assert traced.count() - read_before == 3  # the three figures, once for three requests
