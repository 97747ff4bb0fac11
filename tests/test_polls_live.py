"""Polls over Socket.IO against the real server: votes, pushes to watchers only, closing."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from content.db import format_utc
from tests.conftest import LiveServer

pytestmark = pytest.mark.slow  # every test here runs against the real server
DEMO_POLL = 1


def options_of(server: LiveServer, poll_id: int) -> list[int]:
    conn = sqlite3.connect(server.database)
    try:
        rows = conn.execute(
            "SELECT id FROM poll_options WHERE poll_id = ? ORDER BY ordering", (poll_id,)
        ).fetchall()
        return [row[0] for row in rows]
    finally:
        conn.close()


def execute(server: LiveServer, sql: str, *params: object) -> None:
    conn = sqlite3.connect(server.database)
    try:
        conn.execute(sql, params)
        conn.commit()
    finally:
        conn.close()


async def test_a_vote_moves_the_results_of_every_watcher(
    visitors: Any, live_server: LiveServer
) -> None:
    options = options_of(live_server, DEMO_POLL)
    watcher = await visitors()
    watching = await watcher.open_tab("/", auth={"polls": [DEMO_POLL]})
    before = await watching.wait_for("poll_results")
    assert before["voters"] == 37
    bystander = await visitors()
    not_watching = await bystander.open_tab("/kategori/1-berita")
    voter = await visitors()
    tab = await voter.open_tab("/", auth={"polls": [DEMO_POLL]})
    ack = await tab.client.call("vote", {"poll_id": DEMO_POLL, "options": [options[2]]}, timeout=5)
    assert ack["ok"] is True and ack["message"] == "Terima kasih, suara Anda telah dihitung."
    assert ack["results"]["voters"] == 38
    data = await watching.wait_for("poll_results", lambda d: d["voters"] == 38)
    assert data["options"][2]["votes"] == 6
    assert data["options"][0]["percent"] == round(100 * 18 / 38, 1)
    again = await tab.client.call(
        "vote", {"poll_id": DEMO_POLL, "options": [options[0]]}, timeout=5
    )
    assert again == {
        "ok": False,
        "reason": "already_voted",
        "message": "Anda sudah memberikan suara dalam polling ini.",
        "results": None,
    }
    await asyncio.sleep(0.5)
    assert all(name != "poll_results" for name, _ in not_watching.events)


async def test_bad_votes_are_refused_with_reasons(visitors: Any, live_server: LiveServer) -> None:
    voter = await visitors()
    voter.http.cookie_jar.update_cookies({"bahasa": "en"})
    tab = await voter.open_tab("/")
    cases = [
        ({"poll_id": 999, "options": [1]}, "not_found"),
        ({"poll_id": DEMO_POLL, "options": []}, "no_choice"),
        ({"poll_id": DEMO_POLL, "options": [99999]}, "bad_option"),
        ({"poll_id": DEMO_POLL, "options": options_of(live_server, DEMO_POLL)[:2]}, "too_many"),
        ({"poll_id": "1", "options": "semua"}, "bad_option"),
        ("not even an object", "bad_option"),
    ]
    for payload, reason in cases:
        ack = await tab.client.call("vote", payload, timeout=5)
        assert (ack["ok"], ack["reason"]) == (False, reason), payload
        assert ack["message"] and ack["message"].isascii()  # English, as the visitor chose
    conn = sqlite3.connect(live_server.database)
    assert conn.execute("SELECT voters FROM polls WHERE id = 1").fetchone()[0] == 37
    conn.close()


async def test_results_after_vote_reach_only_those_who_voted(
    visitors: Any, live_server: LiveServer
) -> None:
    execute(live_server, "UPDATE polls SET results = 'after_vote' WHERE id = ?", DEMO_POLL)
    undecided = await visitors()
    curious = await undecided.open_tab("/", auth={"polls": [DEMO_POLL]})
    await curious.wait_for("poll_phase")
    voter = await visitors()
    tab = await voter.open_tab("/", auth={"polls": [DEMO_POLL]})
    ack = await tab.client.call(
        "vote", {"poll_id": DEMO_POLL, "options": options_of(live_server, DEMO_POLL)[:1]}, timeout=5
    )
    assert ack["ok"] and ack["results"]["voters"] == 38
    await tab.wait_for("poll_results", lambda d: d["voters"] == 38)
    await asyncio.sleep(0.5)
    assert all(name != "poll_results" for name, _ in curious.events)


async def test_a_poll_closing_on_time_is_announced(visitors: Any, live_server: LiveServer) -> None:
    soon = format_utc(datetime.now(UTC) + timedelta(seconds=1.5))
    execute(live_server, "UPDATE polls SET closes_at = ? WHERE id = ?", soon, DEMO_POLL)
    watcher = await visitors()
    tab = await watcher.open_tab("/", auth={"polls": [DEMO_POLL]})
    assert (await tab.wait_for("poll_phase"))["phase"] == "open"
    await tab.wait_for("poll_phase", lambda d: d["phase"] == "closed")
    ack = await tab.client.call(
        "vote", {"poll_id": DEMO_POLL, "options": options_of(live_server, DEMO_POLL)[:1]}, timeout=5
    )
    assert ack["reason"] == "closed"


async def test_moderators_are_alerted_to_a_burst_of_votes(
    tmp_path: Any, demo_database: Any
) -> None:
    import shutil

    from tests.sockets import Visitor

    shutil.copy(demo_database.path, tmp_path / "burst.db")
    server = LiveServer(tmp_path, tmp_path / "burst.db")
    server.start(LIVE_TICK="0.2", POLL_ALERT_PER_MINUTE="2")
    people: list[Visitor] = []
    try:
        moderator = Visitor(server)
        people.append(moderator)
        await moderator.login("moderator@balittri.example", demo_database.passwords["moderator"])
        room = await moderator.open_tab(namespace="/moderasi")
        assert (await room.wait_for("poll_alerts")) == {"alerts": []}
        option = options_of(server, DEMO_POLL)[0]
        for _ in range(3):
            person = Visitor(server)
            people.append(person)
            await person.get("/")
            tab = await person.open_tab("/")
            ack = await tab.client.call(
                "vote", {"poll_id": DEMO_POLL, "options": [option]}, timeout=5
            )
            assert ack["ok"]
        data = await room.wait_for("poll_alerts", lambda d: d["alerts"])
        assert data["alerts"][0]["poll_id"] == DEMO_POLL and data["alerts"][0]["per_minute"] == 3
    finally:
        for person in people:
            await person.close()
        server.stop()


async def test_a_vote_after_a_quiet_spell_goes_out_at_once_and_a_burst_waits_for_the_tick(
    server_with: Any,
) -> None:
    """The first vote after a quiet tick is pushed at once, without waiting for the tick; a vote
    right after it is held for the tick, so a busy poll costs one push per tick."""
    from tests.sockets import Visitor

    server = server_with(LIVE_TICK="30")  # a tick far longer than the test
    options = options_of(server, DEMO_POLL)
    people = [Visitor(server) for _ in range(3)]
    try:
        for person in people:
            await person.get("/")
        watcher, first, second = people
        watching = await watcher.open_tab("/", auth={"polls": [DEMO_POLL]})
        tabs = [await p.open_tab("/", auth={"polls": [DEMO_POLL]}) for p in (first, second)]
        assert (await watching.wait_for("poll_results"))["voters"] == 37  # sent at connect
        ack = await tabs[0].client.call("vote", {"poll_id": DEMO_POLL, "options": [options[0]]})
        assert ack["ok"] is True
        pushed = await watching.wait_for("poll_results", lambda d: d["voters"] == 38)
        assert pushed["options"][0]["votes"] == 19  # 18 before, one more
        ack = await tabs[1].client.call("vote", {"poll_id": DEMO_POLL, "options": [options[1]]})
        assert ack["ok"] is True and ack["results"]["voters"] == 39
        await asyncio.sleep(1.0)
        assert all(d["voters"] != 39 for name, d in watching.events if name == "poll_results")
    finally:
        for person in people:
            await person.close()
