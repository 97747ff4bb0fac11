"""The editors' live room (/redaksi) over the real Socket.IO protocol: who may connect, who
sees whom on an item, two tabs of one editor shown once, closed and vanished tabs dropping out,
and emits only to the item's room."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
import socketio

from realtime.editing import EditingRoster, item_room, parse_item
from tests.conftest import DemoDatabase, LiveServer
from tests.sockets import WAIT, Tab, Visitor

EDITORIAL = "/redaksi"
ARTICLE = {"kind": "article", "id": 1}
EDITOR = "Redaksi Balittri"
ADMIN = "Admin Portal"


async def staff(visitors: Any, demo_database: DemoDatabase, role: str) -> Visitor:
    email = {"editor": "redaksi", "admin": "admin", "moderator": "moderator"}[role]
    person: Visitor = await visitors()
    await person.login(f"{email}@balittri.example", demo_database.passwords[role])
    return person


async def open_item(person: Visitor, item: dict[str, Any] = ARTICLE) -> Tab:
    tab = await person.open_tab("/redaksi/artikel/1", namespace=EDITORIAL)
    reply = await tab.client.call("open_item", item, namespace=EDITORIAL, timeout=WAIT)
    assert reply == {"ok": True, "item": f"{item['kind']}:{item['id']}"}
    return tab


def names(data: dict[str, Any]) -> list[str]:
    return [editor["name"] for editor in data["editors"]]


def on(key: str, *people: str) -> Any:
    """An `editors_here` check: the item is `key` and these people are on it, in this order."""
    return lambda data: data["item"] == key and names(data) == list(people)


async def test_visitors_and_moderators_are_refused_editors_accepted(
    visitors: Any, demo_database: DemoDatabase
) -> None:
    guest = await visitors()
    with pytest.raises(socketio.exceptions.ConnectionError):
        await guest.open_tab(namespace=EDITORIAL)
    moderator = await staff(visitors, demo_database, "moderator")
    with pytest.raises(socketio.exceptions.ConnectionError):
        await moderator.open_tab(namespace=EDITORIAL)
    editor = await staff(visitors, demo_database, "editor")
    tab = await open_item(editor)
    data = await tab.wait_for("editors_here", on("article:1", EDITOR))
    assert data["editors"][0]["id"] > 0
    assert datetime.fromisoformat(data["editors"][0]["since"]).tzinfo is not None
    bad = await tab.client.call(
        "open_item", {"kind": "poll", "id": 1}, namespace=EDITORIAL, timeout=WAIT
    )
    assert bad == {"ok": False, "error": "bad_item"}


async def test_arrive_two_tabs_once_and_leave(visitors: Any, demo_database: DemoDatabase) -> None:
    editor = await staff(visitors, demo_database, "editor")
    admin = await staff(visitors, demo_database, "admin")
    elsewhere = await staff(visitors, demo_database, "admin")

    # Someone on another article first: the changes of article 1 are none of its business.
    other = await open_item(elsewhere, {"kind": "article", "id": 2})
    await other.wait_for("editors_here", on("article:2", ADMIN))

    first = await open_item(editor)
    await first.wait_for("editors_here", on("article:1", EDITOR))
    watching = await open_item(admin)
    await watching.wait_for("editors_here", on("article:1", EDITOR, ADMIN))
    await first.wait_for("editors_here", on("article:1", EDITOR, ADMIN))

    # The same editor in a second tab: still one line, since the first tab's time.
    since = first.last("editors_here")["editors"][0]["since"]
    second = await open_item(editor)
    data = await watching.wait_for("editors_here", lambda d: d["editors"][0]["tabs"] == 2)
    assert names(data) == [EDITOR, ADMIN] and data["editors"][0]["since"] == since

    # The first tab closes: the editor is still there through the second, still since then.
    await first.close()
    data = await watching.wait_for("editors_here", lambda d: d["editors"][0]["tabs"] == 1)
    assert names(data) == [EDITOR, ADMIN] and data["editors"][0]["since"] == since

    # The second tab closes: gone for the admin.
    await second.close()
    await watching.wait_for("editors_here", on("article:1", ADMIN))

    # The same item name in an event's form is another room.
    event_tab = await open_item(editor, {"kind": "event", "id": 1})
    await event_tab.wait_for("editors_here", on("event:1", EDITOR))

    # Everything above went to article 1's room only: the socket on article 2 got nothing of
    # it (re-opening is answered after whatever was queued for it before).
    await other.client.call("open_item", {"kind": "article", "id": 2}, namespace=EDITORIAL)
    assert {data["item"] for name, data in other.events if name == "editors_here"} == {"article:2"}


async def test_leaving_the_page_drops_out_at_once(
    visitors: Any, demo_database: DemoDatabase
) -> None:
    editor = await staff(visitors, demo_database, "editor")
    admin = await staff(visitors, demo_database, "admin")
    leaving = await open_item(editor)
    watching = await open_item(admin)
    await watching.wait_for("editors_here", on("article:1", EDITOR, ADMIN))
    reply = await leaving.client.call("close_item", {}, namespace=EDITORIAL, timeout=WAIT)
    assert reply == {"ok": True}
    await watching.wait_for("editors_here", on("article:1", ADMIN))


async def vanishing_tab(
    session: aiohttp.ClientSession, server: LiveServer, cookies: str
) -> aiohttp.ClientWebSocketResponse:
    """A tab whose machine went away: it joins the item, then never answers a ping."""
    url = server.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket"
    ws = await asyncio.wait_for(session.ws_connect(url, headers={"Cookie": cookies}), WAIT)
    opened = await ws.receive_str(timeout=WAIT)
    assert opened.startswith("0{")
    await ws.send_str(f"40{EDITORIAL},")
    connected = await ws.receive_str(timeout=WAIT)
    assert connected.startswith(f"40{EDITORIAL},"), connected
    await ws.send_str(f"42{EDITORIAL},1{json.dumps(['open_item', ARTICLE])}")
    while True:  # up to its acknowledgement; after that nothing is read or answered
        message = await ws.receive_str(timeout=WAIT)
        if message.startswith(f"43{EDITORIAL},1"):
            return ws


async def test_a_vanished_tab_drops_out_within_the_ping_timeout(
    server_with: Any, demo_database: DemoDatabase
) -> None:
    server = server_with(SOCKET_PING_INTERVAL="1", SOCKET_PING_TIMEOUT="1")
    editor, admin = Visitor(server), Visitor(server)
    session = aiohttp.ClientSession()
    try:
        for person, role in ((editor, "editor"), (admin, "admin")):
            await person.get("/")
            email = "redaksi" if role == "editor" else "admin"
            await person.login(f"{email}@balittri.example", demo_database.passwords[role])
        watching = await open_item(admin)
        tab = await vanishing_tab(session, server, editor.cookie_header())  # kept: not closed
        # interval 1 s + timeout 1 s, and the tick: well within the helper's wait
        await watching.wait_for("editors_here", on("article:1", ADMIN, EDITOR))
        await watching.wait_for("editors_here", on("article:1", ADMIN))
        assert not tab.closed  # it was never closed: the server gave up on it
    finally:
        await session.close()
        await editor.close()
        await admin.close()


def test_roster_one_line_per_person_oldest_first() -> None:
    now = [datetime(2026, 12, 7, 3, 43, tzinfo=UTC)]
    roster = EditingRoster(lambda: now[0])
    assert roster.open("a1", "article:1", 7, "Ani") is None
    now[0] += timedelta(minutes=1)
    roster.open("b1", "article:1", 8, "Budi")
    now[0] += timedelta(minutes=1)
    roster.open("a2", "article:1", 7, "Ani")
    assert roster.editors("article:1") == [
        {"id": 7, "name": "Ani", "since": "2026-12-07T03:43:00+00:00", "tabs": 2},
        {"id": 8, "name": "Budi", "since": "2026-12-07T03:44:00+00:00", "tabs": 1},
    ]
    # one of two tabs closes: the person has had it open since the first, without a break
    assert roster.close("a1") == "article:1"
    assert roster.editors("article:1")[0] == {
        "id": 7, "name": "Ani", "since": "2026-12-07T03:43:00+00:00", "tabs": 1,
    }  # fmt: skip
    # moving a socket to another item leaves the first
    assert roster.open("b1", "event:3", 8, "Budi") == "article:1"
    assert [e["name"] for e in roster.editors("article:1")] == ["Ani"]
    # the last tab closes and the person comes back later: since then
    roster.close("a2")
    assert roster.snapshot("article:1") == {"item": "article:1", "editors": []}
    now[0] += timedelta(minutes=5)
    roster.open("a3", "article:1", 7, "Ani")
    assert roster.editors("article:1")[0]["since"] == "2026-12-07T03:50:00+00:00"
    roster.close("a3")
    roster.close("b1")
    roster.close("b1")  # twice is harmless
    assert roster.items() == []


def test_items_are_named_strictly() -> None:
    assert parse_item({"kind": "event", "id": 3}) == ("event", 3)
    for bad in (None, [], {"kind": "article"}, {"kind": "poll", "id": 1},
                {"kind": "article", "id": True}, {"kind": "article", "id": "1"},
                {"kind": "article", "id": 0}, {"kind": "article", "id": 2**31}):  # fmt: skip
        assert parse_item(bad) is None, bad
    assert item_room("article", 12) == "editing:article:12"
