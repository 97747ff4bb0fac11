"""The dashboard's live channel: over the real server, readers and votes reach the dashboard's
room only; alone, the channel publishes only while watched and reads polls from memory."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest

from content.db import Database
from realtime.broadcaster import Broadcaster
from realtime.dashboard import DASHBOARD_ROOM, DashboardChannel
from realtime.namespaces import EDITORIAL
from realtime.presence import PresenceTracker
from tests.conftest import DemoDatabase, LiveServer
from tests.sockets import WAIT, Tab, Visitor
from tests.test_broadcaster import RecordingEmitter

DEMO_POLL = 1


async def editor_on_dashboard(visitors: Any, demo_database: DemoDatabase) -> Tab:
    editor: Visitor = await visitors()
    await editor.login("redaksi@balittri.example", demo_database.passwords["editor"])
    tab = await editor.open_tab("/redaksi/", namespace=EDITORIAL)
    reply = await tab.client.call("watch_dashboard", {}, namespace=EDITORIAL, timeout=WAIT)
    assert reply == {"ok": True}
    return tab


def reading(data: dict[str, Any]) -> dict[str, int]:
    return {page["path"]: page["readers"] for page in data["reading"]}


def voters(data: dict[str, Any]) -> dict[int, int]:
    return {poll["poll_id"]: poll["voters"] for poll in data["polls"]}


def first_option(server: LiveServer) -> int:
    conn = sqlite3.connect(server.database)
    try:
        row = conn.execute(
            "SELECT id FROM poll_options WHERE poll_id = ? ORDER BY ordering LIMIT 1", (DEMO_POLL,)
        ).fetchone()
        return int(row[0])
    finally:
        conn.close()


async def test_readers_and_votes_reach_the_dashboard(
    visitors: Any, live_server: LiveServer, demo_database: DemoDatabase
) -> None:
    dashboard = await editor_on_dashboard(visitors, demo_database)
    # another editor's socket in the same namespace, on an article's form, not the dashboard
    other: Visitor = await visitors()
    await other.login("admin@balittri.example", demo_database.passwords["admin"])
    elsewhere = await other.open_tab("/redaksi/artikel/1", namespace=EDITORIAL)
    item = {"kind": "article", "id": 1}
    await elsewhere.client.call("open_item", item, namespace=EDITORIAL, timeout=WAIT)
    first = await dashboard.wait_for("dashboard_live")
    assert voters(first) == {DEMO_POLL: 37}
    assert "/artikel/2-x" not in reading(first)

    reader = await visitors()
    await reader.open_tab("/artikel/2-x", auth={"title": "Judul Dua – Situs"})
    data = await dashboard.wait_for("dashboard_live", lambda d: reading(d).get("/artikel/2-x") == 1)
    assert {"path": "/artikel/2-x", "title": "Judul Dua – Situs", "readers": 1} in data["reading"]
    second = await visitors()
    await second.open_tab("/artikel/2-x")
    await dashboard.wait_for("dashboard_live", lambda d: reading(d).get("/artikel/2-x") == 2)

    voter = await visitors()
    tab = await voter.open_tab("/", auth={"polls": [DEMO_POLL]})
    ack = await tab.client.call(
        "vote", {"poll_id": DEMO_POLL, "options": [first_option(live_server)]}, timeout=WAIT
    )
    assert ack["ok"] is True
    await dashboard.wait_for("dashboard_live", lambda d: voters(d) == {DEMO_POLL: 38})

    await reader.close()
    await second.close()
    await dashboard.wait_for("dashboard_live", lambda d: "/artikel/2-x" not in reading(d))

    # None of it went to the other editor's socket (its acknowledgement comes after whatever
    # was queued for it) nor to the public sockets.
    await elsewhere.client.call("open_item", item, namespace=EDITORIAL, timeout=WAIT)
    assert [name for name, _ in elsewhere.events if name == "dashboard_live"] == []
    assert [name for name, _ in tab.events if name == "dashboard_live"] == []


async def test_only_editors_may_watch(visitors: Any, demo_database: DemoDatabase) -> None:
    import socketio

    guest = await visitors()
    with pytest.raises(socketio.exceptions.ConnectionError):
        await guest.open_tab("/redaksi/", namespace=EDITORIAL)
    moderator: Visitor = await visitors()
    await moderator.login("moderator@balittri.example", demo_database.passwords["moderator"])
    with pytest.raises(socketio.exceptions.ConnectionError):
        await moderator.open_tab("/redaksi/", namespace=EDITORIAL)


class CountingDatabase:
    """The real database, counting the reads made through it."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.reads = 0

    async def fetchval(self, *args: Any) -> Any:
        self.reads += 1
        return await self.db.fetchval(*args)

    async def fetchall(self, *args: Any) -> Any:
        self.reads += 1
        return await self.db.fetchall(*args)


class Room:
    """How many sockets the channel's room has (the server's answer, set by the test)."""

    def __init__(self) -> None:
        self.size = 0

    def __call__(self, room: str, namespace: str) -> int:
        assert (room, namespace) == (DASHBOARD_ROOM, EDITORIAL)
        return self.size


async def test_channel_is_cheap_and_sends_only_changes(db: Database) -> None:
    emitter = RecordingEmitter()
    broadcaster = Broadcaster(emitter)
    tracker = PresenceTracker()
    room = Room()
    now = [datetime.now(UTC)]
    counted = CountingDatabase(db)
    channel = DashboardChannel(
        broadcaster, tracker, cast(Database, counted), now=lambda: now[0], room_size=room
    )
    broadcaster.before_tick(channel.before_tick)

    # nobody watches: nothing is computed or sent, however much happens
    tracker.connect("a", "v1", label="a", path="/artikel/2-x")
    await broadcaster.tick()
    assert emitter.emitted == [] and broadcaster.snapshot(DASHBOARD_ROOM, EDITORIAL) is None

    room.size = 1
    await channel.watch("dash")
    assert emitter.emitted[-1] == (
        "dashboard_live",
        {"reading": [{"path": "/artikel/2-x", "title": None, "readers": 1}],
         "polls": [{"poll_id": DEMO_POLL, "voters": 37}]},
        "dash",
        EDITORIAL,
    )  # fmt: skip
    assert await broadcaster.tick() == 1  # the room's first emit
    assert await broadcaster.tick() == 0  # nothing changed: nothing sent
    # staff pages and bots are not "being read"
    tracker.connect("s", "v2", label="s", role="editor", member="R", path="/redaksi/")
    tracker.connect("b", "v3", label="b", bot=True, path="/artikel/9")
    assert await broadcaster.tick() == 0

    # a vote brings its poll's voters with it: no read of the database
    reads = counted.reads
    channel.poll_voted(DEMO_POLL, 38)
    channel.poll_voted(99, 5)  # not an open poll: ignored
    tracker.connect("c", "v4", label="c", path="/artikel/2-x")
    assert await broadcaster.tick() == 1
    assert counted.reads == reads
    event, data, to, namespace = emitter.emitted[-1]
    assert (event, to, namespace) == ("dashboard_live", DASHBOARD_ROOM, EDITORIAL)
    assert data == {
        "reading": [{"path": "/artikel/2-x", "title": None, "readers": 2}],
        "polls": [{"poll_id": DEMO_POLL, "voters": 38}],
    }

    # an editor closes the poll: read again once; a closing time passing needs no read
    await db.conn.execute("UPDATE polls SET state = 'closed' WHERE id = ?", (DEMO_POLL,))
    channel.polls_changed()
    assert await broadcaster.tick() == 1
    assert emitter.emitted[-1][1]["polls"] == [] and counted.reads == reads + 2
    await db.conn.execute(
        "UPDATE polls SET state = 'open', closes_at = ? WHERE id = ?",
        ((now[0] + timedelta(seconds=30)).strftime("%Y-%m-%d %H:%M:%S"), DEMO_POLL),
    )
    channel.polls_changed()
    await broadcaster.tick()
    assert emitter.emitted[-1][1]["polls"] == [{"poll_id": DEMO_POLL, "voters": 37}]
    now[0] += timedelta(seconds=31)
    reads = counted.reads
    assert await broadcaster.tick() == 1
    assert emitter.emitted[-1][1]["polls"] == [] and counted.reads == reads

    room.size = 0  # the last dashboard closed
    tracker.disconnect("a")
    assert await broadcaster.tick() == 0


def test_most_read_pages_without_sorting_them_all() -> None:
    tracker = PresenceTracker()
    opened = [("a", "/b"), ("b", "/b"), ("c", "/a"), ("d", "/a"), ("e", "/c"), ("f", "/redaksi/")]
    opened += [("a", "/b"), ("g", "/d")]  # a second tab of one person counts once
    for sid, (visitor, path) in enumerate(opened):
        tracker.connect(f"s{sid}", visitor, label=visitor, path=path)
    assert tracker.most_read(3) == [("/a", 2), ("/b", 2), ("/c", 1)]
    assert tracker.most_read(10, ("/redaksi",)) == [("/a", 2), ("/b", 2), ("/c", 1), ("/d", 1)]
    assert tracker.most_read(10) == sorted(
        tracker.page_counts().items(), key=lambda i: (-i[1], i[0])
    )
