"""The presence tracker alone: tabs, members, bots, the active window, pages, the record."""

from __future__ import annotations

import pytest

from realtime.presence import FEED_LINES, PresenceTracker, clean_path, clean_title


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def tracker(clock: Clock) -> PresenceTracker:
    return PresenceTracker(active_window=300, clock=clock)


def connect(tracker: PresenceTracker, sid: str, visitor: str, **kwargs: object) -> bool:
    return tracker.connect(sid, visitor, label=visitor[:4], **kwargs)  # type: ignore[arg-type]


def test_tabs_of_one_visitor_count_once(tracker: PresenceTracker) -> None:
    assert connect(tracker, "s1", "alice", path="/")
    assert not connect(tracker, "s2", "alice", path="/artikel/1-a")
    assert tracker.figures().connected == 1
    assert not tracker.disconnect("s1")
    assert tracker.figures().connected == 1
    assert tracker.disconnect("s2")
    assert tracker.figures().connected == 0
    assert not tracker.disconnect("s2")  # twice is harmless


def test_guests_and_members_apart_bots_never_people(tracker: PresenceTracker) -> None:
    connect(tracker, "s1", "guest1")
    connect(tracker, "s2", "guest2")
    connect(tracker, "s3", "staff1", member="Redaksi", role="editor")
    connect(tracker, "s4", "crawler", bot=True, device="bot")
    figures = tracker.figures()
    assert (figures.connected, figures.guests, figures.members) == (3, 2, 1)
    assert tracker.bots() == 1
    assert figures.active == 3  # the bot is not a person
    bot_row = [row for row in tracker.visitors() if row.bot]
    assert len(bot_row) == 1 and bot_row[0].device == "bot"


def test_active_window_counts_page_views_without_sockets(
    tracker: PresenceTracker, clock: Clock
) -> None:
    tracker.page_view("nojs-1", bot=False)
    tracker.page_view("nojs-2", bot=False)
    tracker.page_view("googlebot", bot=True)
    connect(tracker, "s1", "live-1")
    assert tracker.figures().active == 3
    clock.now += 200
    tracker.page_view("nojs-2", bot=False)
    clock.now += 150  # nojs-1 is now 350 s old, nojs-2 150 s, live-1 still connected
    assert tracker.figures().active == 2
    clock.now += 1000
    assert tracker.figures().active == 1  # a connected person stays active


def test_readers_per_page(tracker: PresenceTracker) -> None:
    page = "/artikel/12-judul"
    connect(tracker, "a1", "alice", path=page)
    connect(tracker, "a2", "alice", path=page)
    connect(tracker, "b1", "bob", path=page)
    connect(tracker, "c1", "crawler", path=page, bot=True)
    assert tracker.readers(page) == 2
    tracker.move("b1", "/")
    assert tracker.readers(page) == 1 and tracker.readers("/") == 1
    assert tracker.pop_dirty_pages() == {page, "/"}
    tracker.disconnect("a1")
    assert tracker.readers(page) == 1
    tracker.disconnect("a2")
    assert tracker.readers(page) == 0
    assert tracker.page_counts() == {"/": 1}


def test_record_rises_with_people_only(tracker: PresenceTracker, clock: Clock) -> None:
    connect(tracker, "s1", "a")
    connect(tracker, "s2", "b")
    assert tracker.record == 2 and tracker.record_changed and tracker.record_at
    tracker.record_changed = False
    tracker.disconnect("s2")
    connect(tracker, "s3", "c")
    connect(tracker, "s4", "bot", bot=True)
    assert tracker.record == 2 and not tracker.record_changed
    connect(tracker, "s5", "d")
    assert tracker.record == 3 and tracker.record_changed


def test_record_starts_from_the_stored_one() -> None:
    tracker = PresenceTracker(record=57, record_at="2020-02-13T03:43:00+00:00")
    tracker.connect("s1", "a", label="a")
    assert tracker.figures().record == 57 and not tracker.record_changed


def test_feed_of_arrivals_and_departures(tracker: PresenceTracker, clock: Clock) -> None:
    connect(tracker, "s1", "alice", path="/")
    connect(tracker, "s2", "alice", path="/")
    tracker.disconnect("s1")
    tracker.disconnect("s2")
    assert tracker.figures().connected == 0  # gone at once from the figures
    # ... but the feed waits the grace for a next page before it says so
    assert [item["type"] for item in tracker.feed()] == ["join"]
    clock.now += tracker.move_grace - 0.1
    assert [item["type"] for item in tracker.feed()] == ["join"]
    clock.now += 0.1
    feed = tracker.feed()
    assert [item["type"] for item in feed] == ["leave", "join"]  # newest first
    assert all(item["visitor"] == "alic" for item in feed)
    assert feed[0]["path"] == "/"


def test_a_click_to_another_page_is_one_move(tracker: PresenceTracker, clock: Clock) -> None:
    assert connect(tracker, "s1", "alice", path="/", title="Beranda")
    since = tracker.visitors()[0].since
    tracker.changed = False
    tracker.disconnect("s1")
    clock.now += 2  # the next page loads and connects
    assert connect(tracker, "s2", "alice", path="/artikel/1-kopi", title="Panen Kopi")
    assert tracker.changed
    feed = tracker.feed()
    assert [item["type"] for item in feed] == ["move", "join"]
    move = feed[0]
    assert (move["path"], move["title"]) == ("/artikel/1-kopi", "Panen Kopi")
    assert (move["from_path"], move["from_title"]) == ("/", "Beranda")
    assert tracker.visitors()[0].since == since  # still the same visit
    assert tracker.figures().connected == 1
    clock.now += 60  # no departure comes later for the closed tab
    assert [item["type"] for item in tracker.feed()] == ["move", "join"]
    # the same tab moving on its own socket is one line too
    tracker.move("s2", "/kalender", "Kalender Kegiatan")
    assert [item["type"] for item in tracker.feed()][:2] == ["move", "move"]
    assert tracker.feed()[0]["from_path"] == "/artikel/1-kopi"


def test_a_visitor_back_after_the_grace_left_and_arrived(
    tracker: PresenceTracker, clock: Clock
) -> None:
    connect(tracker, "s1", "alice", path="/")
    tracker.disconnect("s1")
    clock.now += tracker.move_grace + 1
    connect(tracker, "s2", "alice", path="/kalender")
    assert [item["type"] for item in tracker.feed()] == ["join", "leave", "join"]


def test_another_tab_of_a_visitor_still_here_is_no_line(
    tracker: PresenceTracker, clock: Clock
) -> None:
    connect(tracker, "s1", "alice", path="/")
    connect(tracker, "s2", "alice", path="/kalender")
    clock.now += tracker.move_grace + 1
    tracker.disconnect("s2")  # a tab closed, another stays
    clock.now += tracker.move_grace + 1
    assert [item["type"] for item in tracker.feed()] == ["join"]


def test_feed_marks_staff_and_bots_and_keeps_fifty_lines_of_people(
    tracker: PresenceTracker,
) -> None:
    connect(tracker, "m1", "moderator", member="Moderator", role="moderator")
    connect(tracker, "b1", "crawler", bot=True, device="bot")
    for number in range(FEED_LINES + 10):
        connect(tracker, f"g{number}", f"guest{number:03}", path="/")
    connect(tracker, "m2", "editor", member="Redaksi", role="editor")
    feed = tracker.feed()
    people = [item for item in feed if not item["staff"] and not item["bot"]]
    assert len(people) == FEED_LINES
    assert people[0]["visitor"] == "gues" and people[-1]["visitor"] == "gues"
    staff = [item for item in feed if item["staff"]]
    # staff and bot lines older than the 50th line of people are left out with it
    assert [item["member"] for item in staff] == ["Redaksi"]
    assert not any(item["bot"] for item in feed)
    assert feed[0]["member"] == "Redaksi"  # newest first, staff lines among the others
    connect(tracker, "b2", "crawler2", bot=True, device="bot")
    assert tracker.feed()[0]["bot"] and len(tracker.feed()) == FEED_LINES + 2


def test_titles_are_remembered_per_page() -> None:
    tracker = PresenceTracker(title_suffix=" – Balittri")
    tracker.connect("s1", "a", label="a", path="/artikel/1", title="Panen Kopi – Balittri")
    assert tracker.page_title("/artikel/1") == "Panen Kopi"
    tracker.connect("s2", "b", label="b", path="/artikel/1")  # no title: the one known
    assert tracker.feed()[0]["title"] == "Panen Kopi"
    assert tracker.page_title("/kalender") is None


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Panen Kopi – Balittri", "Panen Kopi"),
        ("  Panen\n  Kopi  ", "Panen Kopi"),
        ("Balittri – Balittri", "Balittri"),
        ("a\u200b\x07b", "ab"),
        ("x" * 400, "x" * 149 + "…"),
        ("", None),
        (12, None),
        (None, None),
    ],
)
def test_clean_title(raw: object, clean: str | None) -> None:
    assert clean_title(raw, " – Balittri") == clean


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("/artikel/12-judul?x=1#top", "/artikel/12-judul"),
        ("/", "/"),
        ("//evil.example/", None),
        ("http://evil.example/", None),
        ("/" + "a" * 400, None),
        ("/<script>", None),
        (12, None),
        (None, None),
    ],
)
def test_clean_path(raw: object, clean: str | None) -> None:
    assert clean_path(raw) == clean
