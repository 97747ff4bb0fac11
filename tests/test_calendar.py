"""Kalender Kegiatan: recurrence over month and year ends, month grids, iCalendar, pages, forms."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar
from quart import Quart
from quart.testing import QuartClient

from content.calendar.display import describe, month_title, month_view
from content.calendar.events import Event, EventDraft, get_event, save_event
from content.calendar.ical import to_ical
from content.calendar.recurrence import Occurrence, expand, occurrences, upcoming
from content.db import Database, format_utc
from content.sanitize import HtmlCleaner
from tests.conftest import Auth, csrf_from, soup

JAKARTA = ZoneInfo("Asia/Jakarta")


def event(
    start: date | datetime,
    end: date | datetime,
    recurrence: str = "",
    until: date | None = None,
    title: str = "Kegiatan",
    tz: ZoneInfo = JAKARTA,
) -> Event:
    """An event as stored: timed ones from local wall-clock datetimes, all-day ones from dates."""
    all_day = not isinstance(start, datetime)
    if isinstance(start, datetime) and isinstance(end, datetime):
        starts = format_utc(start.replace(tzinfo=tz))
        ends = format_utc(end.replace(tzinfo=tz))
    else:
        starts, ends = start.isoformat(), end.isoformat()
    return Event(
        id=1,
        uid="uji@serambi",
        title=title,
        description_html="<p>Uraian</p>",
        location="Aula",
        url="",
        category="Uji",
        all_day=all_day,
        starts=starts,
        ends=ends,
        recurrence=recurrence,
        repeat_until=until,
        published=True,
        created="2025-01-01 00:00:00",
        modified="2025-01-02 00:00:00",
    )


def starts(found: list[Occurrence]) -> list[datetime]:
    return [o.start for o in found]


def local(*args: int, tz: ZoneInfo = JAKARTA) -> datetime:
    return datetime(*args, tzinfo=tz)  # type: ignore[misc]


# Recurrence


def test_monthly_on_the_31st_skips_months_without_it_across_the_year_end() -> None:
    item = event(
        datetime(2025, 10, 31, 9, 0), datetime(2025, 10, 31, 11, 0), "monthly", date(2026, 5, 31)
    )
    found = occurrences(item, JAKARTA, date(2025, 1, 1), date(2026, 12, 31))
    assert [o.first_day for o in found] == [
        date(2025, 10, 31),
        date(2025, 12, 31),
        date(2026, 1, 31),
        date(2026, 3, 31),
        date(2026, 5, 31),
    ]
    assert all(
        o.start.time() == time(9, 0) and o.end - o.start == timedelta(hours=2) for o in found
    )
    # a window inside a month without a 31st has none
    assert occurrences(item, JAKARTA, date(2026, 2, 1), date(2026, 2, 28)) == []


def test_monthly_on_the_30th_across_december_and_february() -> None:
    item = event(date(2025, 11, 30), date(2025, 11, 30), "monthly", date(2026, 3, 31))
    found = occurrences(item, JAKARTA, date(2025, 11, 1), date(2026, 4, 30))
    assert [o.first_day for o in found] == [
        date(2025, 11, 30),
        date(2025, 12, 30),
        date(2026, 1, 30),
        date(2026, 3, 30),
    ]
    assert all(o.all_day and not o.many_days for o in found)


def test_weekly_across_the_year_end_and_over_midnight() -> None:
    # every Wednesday 23:00-01:00 from Christmas Eve to mid January
    item = event(
        datetime(2025, 12, 24, 23, 0), datetime(2025, 12, 25, 1, 0), "weekly", date(2026, 1, 14)
    )
    found = occurrences(item, JAKARTA, date(2025, 12, 1), date(2026, 1, 31))
    assert starts(found) == [
        local(2025, 12, 24, 23),
        local(2025, 12, 31, 23),
        local(2026, 1, 7, 23),
        local(2026, 1, 14, 23),
    ]
    new_year = found[1]
    assert list(new_year.days()) == [date(2025, 12, 31), date(2026, 1, 1)]
    # January's grid shows the New Year's Eve occurrence on the 1st too
    january = month_view(2026, 1, found, date(2026, 1, 5), "id")
    first = next(d for week in january.weeks for d in week if d.day == date(2026, 1, 1))
    assert first.occurrences == (new_year,)
    # a window that starts inside an occurrence still finds it
    assert occurrences(item, JAKARTA, date(2026, 1, 1), date(2026, 1, 1)) == [new_year]


def test_repetition_stops_on_its_last_day() -> None:
    item = event(date(2025, 1, 15), date(2025, 1, 15), "monthly", date(2025, 4, 10))
    found = occurrences(item, JAKARTA, date(2024, 1, 1), date(2030, 1, 1))
    assert [o.first_day for o in found] == [date(2025, 1, 15), date(2025, 2, 15), date(2025, 3, 15)]


def test_yearly_on_29_february_only_in_leap_years() -> None:
    item = event(date(2024, 2, 29), date(2024, 2, 29), "yearly", date(2032, 12, 31))
    found = occurrences(item, JAKARTA, date(2024, 1, 1), date(2034, 1, 1))
    assert [o.first_day for o in found] == [date(2024, 2, 29), date(2028, 2, 29), date(2032, 2, 29)]


def test_multi_day_event_reaches_into_the_next_month_and_year() -> None:
    item = event(date(2025, 12, 30), date(2026, 1, 2))
    found = occurrences(item, JAKARTA, date(2026, 1, 1), date(2026, 1, 31))
    assert len(found) == 1 and found[0].many_days
    assert found[0].last_day == date(2026, 1, 2)
    assert found[0].end == local(2026, 1, 3)  # the midnight after the last day


def test_weekly_keeps_the_wall_clock_time_in_a_zone_with_daylight_saving() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    item = event(
        datetime(2025, 10, 20, 9, 0),
        datetime(2025, 10, 20, 10, 0),
        "weekly",
        date(2025, 11, 3),
        tz=berlin,
    )
    found = occurrences(item, berlin, date(2025, 10, 1), date(2025, 11, 30))
    assert [o.start.time() for o in found] == [time(9, 0)] * 3
    assert [o.start.utcoffset() for o in found] == [timedelta(hours=2), *[timedelta(hours=1)] * 2]


def test_badges_today_and_ongoing() -> None:
    now = local(2025, 6, 14, 10, 0)
    running = event(datetime(2025, 6, 14, 9, 0), datetime(2025, 6, 14, 12, 0))
    later = event(datetime(2025, 6, 14, 15, 0), datetime(2025, 6, 14, 16, 0))
    over = event(datetime(2025, 6, 14, 7, 0), datetime(2025, 6, 14, 8, 0))
    all_day = event(date(2025, 6, 14), date(2025, 6, 14))
    fair = event(date(2025, 6, 13), date(2025, 6, 15))
    tomorrow = event(date(2025, 6, 15), date(2025, 6, 15))

    def badge(item: Event) -> str | None:
        (occurrence,) = occurrences(item, JAKARTA, date(2025, 6, 1), date(2025, 6, 30))
        return occurrence.badge(now)

    assert badge(running) == "ongoing"
    assert badge(later) == "today"
    assert badge(over) is None
    assert badge(all_day) == "today"
    assert badge(fair) == "ongoing"
    assert badge(tomorrow) is None
    found = expand([over, later, running, tomorrow], JAKARTA, now.date(), now.date())
    assert [o.event for o in upcoming(found, now, 5)] == [running, later]


def test_month_grid_in_indonesian() -> None:
    view = month_view(2026, 2, [], date(2026, 2, 17), "id")
    assert view.title == "Februari 2026"
    assert [full for _, full in view.weekdays][:2] == ["Senin", "Selasa"]
    assert view.weeks[0][0].day == date(2026, 1, 26) and not view.weeks[0][0].in_month
    assert all(len(week) == 7 for week in view.weeks)
    assert view.weeks[-1][-1].day == date(2026, 3, 1)
    assert view.previous == date(2026, 1, 1) and view.next == date(2026, 3, 1)
    assert [d.day for week in view.weeks for d in week if d.today] == [date(2026, 2, 17)]
    english = month_view(2026, 2, [], date(2026, 2, 17), "en")
    assert english.title == "February 2026"


def test_describe_in_indonesian() -> None:
    timed = event(datetime(2020, 2, 13, 10, 43), datetime(2020, 2, 13, 12, 0))
    (occurrence,) = occurrences(timed, JAKARTA, date(2020, 2, 1), date(2020, 2, 29))
    assert describe(occurrence, "id") == "Kamis, 13 Februari 2020, 10:43–12:00 WIB"
    fair = event(date(2025, 12, 30), date(2026, 1, 2))
    (occurrence,) = occurrences(fair, JAKARTA, date(2025, 12, 1), date(2026, 1, 31))
    assert describe(occurrence, "id") == "Selasa, 30 Desember 2025 – Jumat, 2 Januari 2026"


# iCalendar


@pytest.mark.parametrize(
    "item",
    [
        event(
            datetime(2025, 10, 31, 9, 0),
            datetime(2025, 10, 31, 11, 0),
            "monthly",
            date(2026, 5, 31),
        ),
        event(
            datetime(2025, 12, 24, 23, 0),
            datetime(2025, 12, 25, 1, 0),
            "weekly",
            date(2026, 1, 14),
        ),
        event(date(2024, 2, 29), date(2024, 3, 1), "yearly", date(2032, 12, 31)),
        event(date(2025, 11, 30), date(2025, 11, 30), "monthly", date(2026, 3, 31)),
    ],
    ids=["monthly-31st", "weekly-new-year", "yearly-29-february", "monthly-all-day"],
)
def test_ical_repetition_expands_as_ours_does(item: Event) -> None:
    body = to_ical([item], JAKARTA, "Balittri", lambda e: f"https://x.example/{e.id}")
    parsed = Calendar.from_ical(body)
    (vevent,) = parsed.walk("VEVENT")
    dtstart = vevent.decoded("dtstart")
    rule = vevent.get("rrule").to_ical().decode()
    if isinstance(dtstart, datetime):
        theirs = [moment.astimezone(JAKARTA) for moment in rrulestr(rule, dtstart=dtstart)]
    else:
        first = datetime.combine(dtstart, time())
        theirs = [moment.replace(tzinfo=JAKARTA) for moment in rrulestr(rule, dtstart=first)]
    ours = starts(occurrences(item, JAKARTA, date(2020, 1, 1), date(2040, 1, 1)))
    assert ours == theirs and len(ours) >= 3


def test_ical_all_day_end_is_the_day_after_and_text_is_plain() -> None:
    item = event(date(2025, 12, 30), date(2026, 1, 2))
    body = to_ical([item], JAKARTA, "Balittri", lambda e: "https://x.example/1")
    (vevent,) = Calendar.from_ical(body).walk("VEVENT")
    assert vevent.decoded("dtstart") == date(2025, 12, 30)
    assert vevent.decoded("dtend") == date(2026, 1, 3)
    assert str(vevent.get("description")) == "Uraian"
    assert str(vevent.get("url")) == "https://x.example/1"


async def add_event(db: Database, draft: EventDraft) -> int:
    return await save_event(db, draft, None, HtmlCleaner())


def timed_draft(start: datetime, end: datetime, **extra: object) -> EventDraft:
    values: dict[str, object] = {
        "title": "Rapat Uji",
        "starts": format_utc(start),
        "ends": format_utc(end),
        "location": "Aula",
        **extra,
    }
    return EventDraft(**values)  # type: ignore[arg-type]


async def test_ics_of_one_event_and_the_feed_parse_back(client: QuartClient, db: Database) -> None:
    start = local(2026, 3, 31, 9, 30)
    event_id = await add_event(
        db,
        timed_draft(
            start,
            start + timedelta(hours=2),
            title="Rapat Koordinasi Bulanan",
            recurrence="monthly",
            repeat_until=date(2026, 12, 31),
            category="Rapat",
            url="https://balittri.example.go.id/rapat",
        ),
    )
    response = await client.get(f"/kalender/acara/{event_id}.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert "attachment" in response.headers["Content-Disposition"]
    parsed = Calendar.from_ical(await response.get_data())
    assert parsed.get("version") == "2.0" and parsed.walk("VTIMEZONE")
    (vevent,) = parsed.walk("VEVENT")
    assert str(vevent.get("summary")) == "Rapat Koordinasi Bulanan"
    assert vevent.decoded("dtstart") == start
    assert vevent.decoded("dtend") == start + timedelta(hours=2)
    rule = vevent.get("rrule")
    assert rule["FREQ"] == ["MONTHLY"]
    assert rule["UNTIL"] == [datetime(2026, 12, 31, 2, 30, tzinfo=UTC)]
    assert str(vevent.get("url")).endswith(f"/kalender/acara/{event_id}")
    assert "https://balittri.example.go.id/rapat" in str(vevent.get("description"))

    feed = await client.get("/kalender.ics")
    events = Calendar.from_ical(await feed.get_data()).walk("VEVENT")
    published = await db.fetchval("SELECT count(*) FROM events WHERE published = 1")
    assert len(events) == published >= 7
    assert len({str(e.get("uid")) for e in events}) == len(events)


# Pages


async def test_month_page_navigates_without_javascript(client: QuartClient) -> None:
    response = await client.get("/kalender/2026/1")
    assert response.status_code == 200
    page = soup(await response.get_data())
    assert page.select_one("#cal-month-title").get_text() == "Januari 2026"
    assert page.select_one(".cal-grid thead abbr")["title"] == "Senin"
    assert page.select_one(".cal-nav a[rel=prev]")["href"] == "/kalender/2025/12"
    assert page.select_one(".cal-nav a[rel=next]")["href"] == "/kalender/2026/2"
    december = soup(await (await client.get("/kalender/2025/12")).get_data())
    assert december.select_one("#cal-month-title").get_text() == "Desember 2025"
    assert december.select_one(".cal-nav a[rel=next]")["href"] == "/kalender/2026/1"


@pytest.mark.parametrize(
    "path", ["/kalender/2026/13", "/kalender/2026/0", "/kalender/1969/5", "/kalender/abc/1"]
)
async def test_bad_months_are_404(client: QuartClient, path: str) -> None:
    assert (await client.get(path)).status_code == 404


async def test_busy_days_link_to_their_place_in_the_month(client: QuartClient) -> None:
    today = datetime.now(JAKARTA).date()
    page = soup(await (await client.get(f"/kalender/{today.year}/{today.month}")).get_data())
    links = page.select("main .cal-grid td.cal-in.cal-busy a")
    assert links, "the demo has events this month"
    for link in links:
        anchor = link["href"].split("#")[1]
        section = page.select_one(f"section#{anchor}")
        assert section is not None and section.select("li .cal-title")


async def test_sidebar_shows_the_month_and_the_next_events_with_badges(
    app: Quart, client: QuartClient, db: Database
) -> None:
    now = datetime.now(JAKARTA).replace(second=0, microsecond=0)
    await add_event(db, timed_draft(now - timedelta(minutes=30), now + timedelta(minutes=30)))
    await add_event(
        db,
        EventDraft(
            title="Hari Kerja Bakti",
            all_day=True,
            starts=now.date().isoformat(),
            ends=now.date().isoformat(),
        ),
    )
    page = soup(await (await client.get("/")).get_data())
    module = page.select_one(".modules-right .module-calendar")
    assert module.select_one("caption").get_text() == month_title(now.date().replace(day=1), "id")
    assert module.select_one("[aria-current=date]").get_text().startswith(str(now.day))
    items = module.select(".cal-upcoming li")
    assert len(items) == app.config["CALENDAR_UPCOMING"] == 3
    badges = {
        li.select_one(".cal-title").get_text(): li.select_one(".cal-badge")["data-badge"]
        for li in items
        if li.select_one(".cal-badge")
    }
    assert badges["Rapat Uji"] == "ongoing"
    assert badges["Hari Kerja Bakti"] == "today"


async def test_event_page_upcoming_page_and_unpublished_events(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    row = await db.fetchone("SELECT id, title FROM events WHERE recurrence = 'weekly'")
    page = soup(await (await client.get(f"/kalender/acara/{row['id']}")).get_data())
    assert page.select_one("article.event h1").get_text().startswith(row["title"])
    assert page.select_one(".event-facts time")["datetime"]
    assert page.select("article.event ul.cal-events li"), "the next dates of a weekly event"
    assert page.select_one(f'a[href="/kalender/acara/{row["id"]}.ics"]') is not None

    upcoming = soup(await (await client.get("/kalender/mendatang")).get_data())
    titles = [a.get_text() for a in upcoming.select("main .cal-list .cal-title")]
    assert row["title"] in titles

    start = datetime.now(JAKARTA) + timedelta(days=3)
    hidden = await add_event(
        db, timed_draft(start, start + timedelta(hours=1), title="Draf", published=False)
    )
    assert (await client.get(f"/kalender/acara/{hidden}")).status_code == 404
    assert (await client.get(f"/kalender/acara/{hidden}.ics")).status_code == 404
    feed = Calendar.from_ical(await (await client.get("/kalender.ics")).get_data())
    assert "Draf" not in [str(e.get("summary")) for e in feed.walk("VEVENT")]
    await auth.login("editor")
    preview = soup(await (await client.get(f"/kalender/acara/{hidden}")).get_data())
    assert preview.select_one(".notice-preview") is not None
    for bad in ("/kalender/acara/0", "/kalender/acara/99999999999", "/kalender/acara/x"):
        assert (await client.get(bad)).status_code == 404


# Editors


def event_form(token: str, **fields: str) -> dict[str, str]:
    form = {
        "csrf_token": token,
        "title": "Temu Lapang Kakao",
        "start_date": "2026-01-30",
        "start_time": "09:00",
        "end_date": "2026-01-30",
        "end_time": "12:00",
        "recurrence": "",
        "repeat_until": "",
        "location": "Kebun Percobaan Pakuwon",
        "category": "Temu Lapang",
        "url": "",
        "description_html": (
            '<p>Temu lapang.</p><script>alert(1)</script><a href="javascript:x">x</a>'
        ),
        "published": "1",
    }
    form.update(fields)
    return form


async def test_editor_creates_a_repeating_event(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    token = await csrf_from(client, "/redaksi/kegiatan/baru")
    form = event_form(token, recurrence="monthly", repeat_until="2026-06-30")
    response = await client.post("/redaksi/kegiatan/baru", form=form)
    assert response.status_code == 302
    row = await db.fetchone("SELECT * FROM events ORDER BY id DESC LIMIT 1")
    assert row["title"] == "Temu Lapang Kakao" and row["recurrence"] == "monthly"
    assert (row["starts"], row["ends"]) == ("2026-01-30 02:00:00", "2026-01-30 05:00:00")
    assert "<script" not in row["description_html"]
    assert "javascript" not in row["description_html"]
    entry = await db.fetchone("SELECT * FROM audit_log ORDER BY id DESC LIMIT 1")
    assert (entry["action"], entry["object_type"], entry["object_id"]) == (
        "create",
        "event",
        row["id"],
    )
    # February has no 30th; March does
    february = soup(await (await client.get("/kalender/2026/2")).get_data())
    assert "Temu Lapang Kakao" not in [a.get_text() for a in february.select(".cal-day .cal-title")]
    march = soup(await (await client.get("/kalender/2026/3")).get_data())
    day = march.select_one("section#hari-2026-03-30")
    assert "Temu Lapang Kakao" in [a.get_text() for a in day.select(".cal-title")]

    edit = soup(await (await client.get(f"/redaksi/kegiatan/{row['id']}")).get_data())
    assert edit.select_one("#start_time")["value"] == "09:00"
    assert edit.select_one("#recurrence option[selected]")["value"] == "monthly"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"end_time": "08:00"}, "end_time"),
        ({"end_date": "2026-01-29"}, "end_date"),
        ({"start_date": "30/01/2026"}, "start_date"),
        ({"start_time": ""}, "start_time"),
        ({"title": " "}, "title"),
        ({"recurrence": "monthly", "repeat_until": ""}, "repeat_until"),
        ({"recurrence": "weekly", "repeat_until": "2025-12-01"}, "repeat_until"),
        ({"recurrence": "weekly", "repeat_until": "2040-01-01"}, "repeat_until"),
        (
            {"recurrence": "weekly", "repeat_until": "2026-03-01", "end_date": "2026-02-08"},
            "recurrence",
        ),
        ({"recurrence": "daily"}, "recurrence"),
        ({"url": "javascript:alert(1)"}, "url"),
    ],
)
async def test_bad_events_are_refused_next_to_the_field(
    client: QuartClient, auth: Auth, db: Database, fields: dict[str, str], field: str
) -> None:
    await auth.login("editor")
    before = await db.fetchval("SELECT count(*) FROM events")
    token = await csrf_from(client, "/redaksi/kegiatan/baru")
    response = await client.post("/redaksi/kegiatan/baru", form=event_form(token, **fields))
    assert response.status_code == 400
    page = soup(await response.get_data())
    assert page.select_one(f"#{field}")["aria-invalid"] == "true"
    assert page.select_one(f"#{field}")["aria-describedby"] == f"{field}-error"
    assert page.select_one(f"#{field}-error").get_text().strip()
    assert page.select_one("#title")["value"] == fields.get("title", "Temu Lapang Kakao")
    assert await db.fetchval("SELECT count(*) FROM events") == before


async def test_end_before_start_message_in_the_visitors_language(
    client: QuartClient, auth: Auth
) -> None:
    await auth.login("editor")
    await client.get("/bahasa/en?next=/")
    token = await csrf_from(client, "/redaksi/kegiatan/baru")
    response = await client.post("/redaksi/kegiatan/baru", form=event_form(token, end_time="08:00"))
    page = soup(await response.get_data())
    assert page.select_one("#end_time-error").get_text() == "The event must end after it starts."


async def test_events_need_an_editor_and_a_csrf_token(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    assert (await client.get("/redaksi/kegiatan")).status_code == 302
    await auth.login("moderator")
    assert (await client.get("/redaksi/kegiatan")).status_code == 403
    await auth.logout()
    await auth.login("editor")
    response = await client.post("/redaksi/kegiatan/baru", form=event_form("salah"))
    assert response.status_code == 400
    listing = soup(await (await client.get("/redaksi/kegiatan")).get_data())
    assert len(listing.select("tbody tr[data-event-id]")) == await db.fetchval(
        "SELECT count(*) FROM events"
    )


async def test_editor_deletes_an_event_after_confirming(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    event_id = await db.fetchval("SELECT min(id) FROM events")
    confirm = await client.get(f"/redaksi/kegiatan/{event_id}/hapus")
    assert confirm.status_code == 200
    token = await csrf_from(client, f"/redaksi/kegiatan/{event_id}/hapus")
    response = await client.post(f"/redaksi/kegiatan/{event_id}/hapus", form={"csrf_token": token})
    assert response.status_code == 302
    assert await get_event(db, event_id) is None
    assert (await client.get(f"/kalender/acara/{event_id}")).status_code == 404
    entry = await db.fetchone("SELECT action, object_type FROM audit_log ORDER BY id DESC")
    assert tuple(entry) == ("delete", "event")
