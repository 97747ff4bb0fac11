"""The moderators' room over the real Socket.IO protocol: the record moves live, a click to
another page is one feed line, pages carry their titles, staff lines are marked as such."""

from __future__ import annotations

from typing import Any

from tests.conftest import DemoDatabase, LiveServer
from tests.sockets import Visitor

SITE = " – Balai Penelitian Tanaman Industri dan Penyegar"  # the demo's SITE_NAME


def feed_of(table: dict[str, Any], label: str) -> list[dict[str, Any]]:
    return [item for item in table["feed"] if item["visitor"] == label]


async def person(server: LiveServer) -> Visitor:
    visitor = Visitor(server)
    await visitor.get("/")  # the visitor cookie
    return visitor


async def test_record_moves_and_a_click_is_one_move(
    server_with: Any, demo_database: DemoDatabase
) -> None:
    # A long grace: the next page's socket comes well within it however slow the machine is
    # (the grace running out is the tracker's test, on a clock moved by hand).
    server = server_with(PRESENCE_MOVE_GRACE="120")
    people: list[Visitor] = []
    try:
        moderator = await person(server)
        people.append(moderator)
        await moderator.login("moderator@balittri.example", demo_database.passwords["moderator"])
        await moderator.open_tab("/moderasi/online", auth={"title": "Siapa yang online"})
        room = await moderator.open_tab(namespace="/moderasi")
        table = await room.wait_for("presence_table", lambda d: len(d["visitors"]) == 1)
        start = table["figures"]["record"]
        own = table["feed"][0]
        assert own["staff"] and own["member"] == "Moderator Balittri" and not own["bot"]

        guests = []
        for _ in range(2):
            guest = await person(server)
            people.append(guest)
            guests.append(guest)
            await guest.open_tab("/", auth={"title": f"Beranda{SITE}"})
        table = await room.wait_for("presence_table", lambda d: d["figures"]["connected"] == 3)
        assert table["figures"]["record"] == max(start, 3)
        assert table["figures"]["record_at"]
        assert table["titles"]["/"] == "Beranda"
        assert {"path": "/", "title": "Beranda", "readers": 2} in table["pages"]
        labels = {row["label"] for row in table["visitors"] if row["member"] is None}

        # the first guest clicks to the calendar: its tab closes, the next page's opens
        walker = guests[0]
        await walker.tabs[-1].close()
        await walker.open_tab("/kalender", auth={"title": f"Kalender Kegiatan{SITE}"})
        table = await room.wait_for(
            "presence_table",
            lambda d: any(item["type"] == "move" for item in d["feed"]),
        )
        moved = [item for item in table["feed"] if item["type"] == "move"]
        assert len(moved) == 1
        line = moved[0]
        assert line["visitor"] in labels
        assert (line["path"], line["title"]) == ("/kalender", "Kalender Kegiatan")
        assert (line["from_path"], line["from_title"]) == ("/", "Beranda")
        assert [item["type"] for item in feed_of(table, line["visitor"])] == ["move", "join"]
        assert table["figures"]["connected"] == 3
    finally:
        for visitor in people:
            await visitor.close()


def test_the_snapshot_keeps_the_api_description() -> None:
    """Every kind of feed line, titles and staff flags, as GET /api/moderasi/online describes."""
    import jsonschema_rs

    from content.live import moderation_snapshot
    from content.web import openapi
    from realtime.presence import PresenceTracker

    now = [1000.0]
    tracker = PresenceTracker(clock=lambda: now[0], title_suffix=SITE)
    tracker.connect("s1", "guest", label="g", path="/", title=f"Beranda{SITE}")
    tracker.connect("s2", "staff", label="s", member="Redaksi", role="editor", path="/redaksi/")
    tracker.connect("s3", "bot", label="b", bot=True, device="bot")
    tracker.disconnect("s1")
    tracker.connect("s4", "guest", label="g", path="/kalender", title="Kalender")
    tracker.disconnect("s2")
    now[0] += tracker.move_grace + 1
    snapshot = moderation_snapshot(tracker)
    assert {item["type"] for item in snapshot["feed"]} == {"join", "move", "leave"}
    schemas = openapi.build_document()["components"]["schemas"]
    validator = jsonschema_rs.validator_for(
        {"$ref": "#/components/schemas/ModerationSnapshot", "components": {"schemas": schemas}}
    )
    errors = [error.message for error in validator.iter_errors(snapshot)]
    assert errors == []
