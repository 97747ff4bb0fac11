"""The activity calendar: events, their recurrence, month grids and iCalendar feeds.

Times: a timed event is stored in UTC and repeats at the same wall-clock time in the site's zone
(Asia/Jakarta has no daylight saving, but another zone may). An all-day event is a range of local
dates. Recurrence is weekly, monthly or yearly up to a last day; a monthly event on the 29th-31st
skips the months without that day, and a yearly one on 29 February skips the years without it,
which is what iCalendar's RRULE does (RFC 5545, 3.3.10), so the feed and the pages agree.
"""

from __future__ import annotations

import calendar as gregorian
import re
import sqlite3
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_time, get_day_names

from content import audit
from content.accounts import User
from content.db import Database, utcnow
from content.i18n import N_
from content.sanitize import HtmlCleaner, plain_text

RECURRENCES = {
    "": N_("Does not repeat"),
    "weekly": N_("Every week"),
    "monthly": N_("Every month"),
    "yearly": N_("Every year"),
}
# A repetition must end before the next one begins (days an occurrence may span at most).
LONGEST_SPAN = {"weekly": 7, "monthly": 28, "yearly": 365}
TOO_LONG = {
    "weekly": N_("An event that repeats every week must last less than a week."),
    "monthly": N_("An event that repeats every month must last at most 28 days."),
    "yearly": N_("An event that repeats every year must last less than a year."),
}
MAX_REPEAT_YEARS = 10
FIRST_YEAR, LAST_YEAR = 1970, 2100
MAX_TITLE = 255
MAX_TEXT = 255
MAX_CATEGORY = 80
MAX_DESCRIPTION = 100_000
URL = re.compile(r"^https?://[^\s\"'<>]{1,2000}$")
DATE_FORMAT = "%Y-%m-%d"
TIME_FORMAT = "%H:%M"


def parse_utc(value: str) -> datetime:
    """A stored UTC timestamp as an aware datetime."""
    return datetime.strptime(value, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


def format_utc(value: datetime) -> str:
    """An aware datetime in the stored UTC format."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class Event:
    """An activity as stored: its first occurrence and how it repeats."""

    id: int
    uid: str
    title: str
    description_html: str
    location: str
    url: str
    category: str
    all_day: bool
    starts: str
    ends: str
    recurrence: str
    repeat_until: date | None
    published: bool
    created: str
    modified: str

    def span(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """The first occurrence in the zone; all day: from midnight to the midnight after it."""
        if self.all_day:
            first = date.fromisoformat(self.starts)
            last = date.fromisoformat(self.ends)
            return _midnight(first, tz), _midnight(last + timedelta(days=1), tz)
        return parse_utc(self.starts).astimezone(tz), parse_utc(self.ends).astimezone(tz)

    @property
    def recurrence_name(self) -> str:
        return RECURRENCES.get(self.recurrence, RECURRENCES[""])


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tz)


@dataclass(frozen=True)
class Occurrence:
    """One time an event takes place. All day: from midnight to the midnight after its last day."""

    event: Event
    start: datetime
    end: datetime

    @property
    def all_day(self) -> bool:
        return self.event.all_day

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        """The last local day it covers (an end at midnight does not reach into the next day)."""
        if self.end <= self.start:
            return self.start.date()
        return (self.end - timedelta(microseconds=1)).date()

    @property
    def many_days(self) -> bool:
        return self.last_day > self.first_day

    def days(self) -> Iterator[date]:
        """Every local day it covers."""
        day = self.first_day
        while day <= self.last_day:
            yield day
            day += timedelta(days=1)

    def ended(self, now: datetime) -> bool:
        """Whether it is over (a moment-long event is over once its moment has passed)."""
        return now >= self.end if self.end > self.start else now > self.end

    def badge(self, now: datetime) -> str | None:
        """'ongoing' while it runs, 'today' on its day before it starts (or all day), else None."""
        if self.ended(now):
            return None
        if self.start <= now < self.end and (not self.all_day or self.many_days):
            return "ongoing"
        if self.first_day <= now.date() <= self.last_day:
            return "today"
        return None


def _shift(first: date, recurrence: str, step: int) -> tuple[date, date | None]:
    """The nominal start of period `step` (for stopping) and the occurrence's day, or None
    when that period has no such day (the 31st of a short month, 29 February in other years)."""
    if recurrence == "weekly":
        day = first + timedelta(weeks=step)
        return day, day
    if recurrence == "monthly":
        index = first.month - 1 + step
        year, month = first.year + index // 12, index % 12 + 1
    else:
        year, month = first.year + step, first.month
    if year > LAST_YEAR + MAX_REPEAT_YEARS:
        return date(LAST_YEAR + MAX_REPEAT_YEARS, 12, 31), None
    period = date(year, month, 1)
    if first.day > gregorian.monthrange(year, month)[1]:
        return period, None
    return period, date(year, month, first.day)


def occurrences(event: Event, tz: ZoneInfo, first: date, last: date) -> list[Occurrence]:
    """The event's occurrences that touch the local days first..last (both included)."""
    base_start, base_end = event.span(tz)
    duration = base_end - base_start
    found = []
    stop = last
    if event.recurrence and event.repeat_until is not None:
        stop = min(last, event.repeat_until)
    step = 0
    while True:
        if event.recurrence:
            period, day = _shift(base_start.date(), event.recurrence, step)
        else:
            if step:
                break
            period = day = base_start.date()
        if period > stop:
            break
        step += 1
        if day is None or day > stop:
            continue
        start = datetime.combine(day, base_start.time(), tz)
        occurrence = Occurrence(event, start, start + duration)
        if occurrence.last_day >= first and occurrence.first_day <= last:
            found.append(occurrence)
    return found


def expand(events: list[Event], tz: ZoneInfo, first: date, last: date) -> list[Occurrence]:
    """All events' occurrences touching first..last, by start, then title."""
    found = [o for event in events for o in occurrences(event, tz, first, last)]
    return sorted(found, key=lambda o: (o.start, o.event.title, o.event.id))


def upcoming(found: list[Occurrence], now: datetime, limit: int) -> list[Occurrence]:
    """The next occurrences that have not ended (those under way first)."""
    return [o for o in found if not o.ended(now)][:limit]


# Month grids


@dataclass(frozen=True)
class Day:
    """One cell of a month grid."""

    day: date
    in_month: bool
    today: bool
    occurrences: tuple[Occurrence, ...]

    @property
    def anchor(self) -> str:
        return f"hari-{self.day.isoformat()}"


@dataclass(frozen=True)
class MonthView:
    """A month as weeks of days, with the weekday names and the title in one language."""

    first: date
    title: str
    weekdays: list[tuple[str, str]]  # (abbreviated, full), in the grid's order
    weeks: list[list[Day]]

    @property
    def previous(self) -> date:
        return (self.first - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        return (self.first + timedelta(days=32)).replace(day=1)

    @property
    def busy_days(self) -> list[Day]:
        """The days of this month that have an event."""
        return [d for week in self.weeks for d in week if d.in_month and d.occurrences]


def grid_bounds(year: int, month: int, first_weekday: int) -> tuple[date, date]:
    """The first and last day a month grid shows (whole weeks)."""
    first = date(year, month, 1)
    start = first - timedelta(days=(first.weekday() - first_weekday) % 7)
    last = date(year, month, gregorian.monthrange(year, month)[1])
    end = last + timedelta(days=(first_weekday - 1 - last.weekday()) % 7)
    return start, end


@lru_cache(maxsize=16)
def first_weekday(locale: str) -> int:
    """The day weeks start on in a language's calendars (0 = Monday)."""
    return int(Locale.parse(locale).first_week_day)


@lru_cache(maxsize=16)
def weekday_names(locale: str) -> list[tuple[str, str]]:
    """(abbreviated, full) weekday names in grid order for a language."""
    short = get_day_names("abbreviated", locale=locale)
    wide = get_day_names("wide", locale=locale)
    start = first_weekday(locale)
    return [(short[(start + i) % 7], wide[(start + i) % 7]) for i in range(7)]


@lru_cache(maxsize=512)
def month_title(first: date, locale: str) -> str:
    """'Juni 2025'."""
    return format_date(first, "LLLL yyyy", locale=locale)


def month_view(
    year: int, month: int, found: list[Occurrence], today: date, locale: str
) -> MonthView:
    """A month grid with each day's occurrences (from `found`, which must cover the grid)."""
    start, end = grid_bounds(year, month, first_weekday(locale))
    by_day: dict[date, list[Occurrence]] = {}
    for occurrence in found:
        for day in occurrence.days():
            if start <= day <= end:
                by_day.setdefault(day, []).append(occurrence)
    weeks: list[list[Day]] = []
    day = start
    while day <= end:
        week = []
        for _ in range(7):
            week.append(Day(day, day.month == month, day == today, tuple(by_day.get(day, ()))))
            day += timedelta(days=1)
        weeks.append(week)
    first = date(year, month, 1)
    return MonthView(first, month_title(first, locale), weekday_names(locale), weeks)


@dataclass(frozen=True)
class SidebarCalendar:
    """What the Kalender Kegiatan module shows: this month and the next few events."""

    month: MonthView
    upcoming: list[Occurrence]
    now: datetime


@lru_cache(maxsize=2048)
def long_date(day: date, locale: str) -> str:
    """'Sabtu, 14 Juni 2025'."""
    return format_date(day, "EEEE, d MMMM yyyy", locale=locale)


def describe(occurrence: Occurrence, locale: str) -> str:
    """When an occurrence is, in words: 'Sabtu, 14 Juni 2025, 09:00–12:00 WIB'."""
    first = long_date(occurrence.first_day, locale)
    if occurrence.all_day:
        if occurrence.many_days:
            return f"{first} – {long_date(occurrence.last_day, locale)}"
        return first
    start, end = occurrence.start, occurrence.end
    zone = _zone_label(start, locale)
    if end <= start:
        return f"{first}, {start:%H:%M} {zone}"
    if end.date() == start.date():
        return f"{first}, {start:%H:%M}–{end:%H:%M} {zone}"
    return f"{first}, {start:%H:%M} – {long_date(end.date(), locale)}, {end:%H:%M} {zone}"


def _zone_label(moment: datetime, locale: str) -> str:
    return format_time(moment, "z", tzinfo=moment.tzinfo, locale=locale)


# Reading


def _event(row: sqlite3.Row) -> Event:
    until = row["repeat_until"]
    return Event(
        id=row["id"],
        uid=row["uid"],
        title=row["title"],
        description_html=row["description_html"],
        location=row["location"],
        url=row["url"],
        category=row["category"],
        all_day=bool(row["all_day"]),
        starts=row["starts"],
        ends=row["ends"],
        recurrence=row["recurrence"],
        repeat_until=date.fromisoformat(until) if until else None,
        published=bool(row["published"]),
        created=row["created"],
        modified=row["modified"],
    )


EVENT_COLUMNS = (
    "id, uid, title, description_html, location, url, category, all_day, starts, ends, "
    "recurrence, repeat_until, published, created, modified"
)


async def list_events(db: Database, *, published_only: bool = True) -> list[Event]:
    """Events by their first start (published ones only, unless asked)."""
    where = "WHERE published = 1" if published_only else ""
    rows = await db.fetchall(f"SELECT {EVENT_COLUMNS} FROM events {where} ORDER BY starts, id")
    return [_event(row) for row in rows]


async def get_event(db: Database, event_id: int) -> Event | None:
    """One event, published or not."""
    row = await db.fetchone(f"SELECT {EVENT_COLUMNS} FROM events WHERE id = ?", (event_id,))
    return None if row is None else _event(row)


async def categories(db: Database) -> list[str]:
    """The categories events already use, for the editors' suggestions."""
    rows = await db.fetchall(
        "SELECT DISTINCT category FROM events WHERE category != '' ORDER BY category"
    )
    return [row[0] for row in rows]


# Writing


@dataclass(frozen=True)
class EventDraft:
    """What an editor submits for an event, parsed; starts/ends in the stored form."""

    title: str = ""
    description_html: str = ""
    location: str = ""
    url: str = ""
    category: str = ""
    all_day: bool = False
    starts: str = ""
    ends: str = ""
    recurrence: str = ""
    repeat_until: date | None = None
    published: bool = True


def _parse_date(raw: str) -> date | None:
    try:
        value = datetime.strptime(raw.strip(), DATE_FORMAT).date()
    except ValueError:
        return None
    return value if FIRST_YEAR <= value.year <= LAST_YEAR else None


def _parse_time(raw: str) -> time | None:
    try:
        return datetime.strptime(raw.strip()[:5], TIME_FORMAT).time()
    except ValueError:
        return None


def form_values(event: Event | EventDraft, tz: ZoneInfo) -> dict[str, str | bool]:
    """What the editors' form shows for an event or a draft."""
    values: dict[str, str | bool] = {
        "title": event.title,
        "description_html": event.description_html,
        "location": event.location,
        "url": event.url,
        "category": event.category,
        "all_day": event.all_day,
        "recurrence": event.recurrence,
        "repeat_until": event.repeat_until.isoformat() if event.repeat_until else "",
        "published": event.published,
        "start_date": "",
        "start_time": "",
        "end_date": "",
        "end_time": "",
    }
    if event.starts and event.ends:
        if event.all_day:
            values.update(start_date=event.starts, end_date=event.ends)
        else:
            start = parse_utc(event.starts).astimezone(tz)
            end = parse_utc(event.ends).astimezone(tz)
            values.update(
                start_date=start.strftime(DATE_FORMAT),
                start_time=start.strftime(TIME_FORMAT),
                end_date=end.strftime(DATE_FORMAT),
                end_time=end.strftime(TIME_FORMAT),
            )
    return values


def parse_event_form(form: Mapping[str, str], tz: ZoneInfo) -> tuple[EventDraft, dict[str, str]]:
    """An event draft from the editors' form, and messages for the fields to fix."""
    errors: dict[str, str] = {}
    title = form.get("title", "").strip()
    if not title:
        errors["title"] = N_("Give the event a title.")
    elif len(title) > MAX_TITLE:
        errors["title"] = N_("The title is too long.")
    description = form.get("description_html", "")
    if len(description) > MAX_DESCRIPTION:
        errors["description_html"] = N_("The text is too long.")
    location = " ".join(form.get("location", "").split())
    if len(location) > MAX_TEXT:
        errors["location"] = N_("Keep the place under 255 characters.")
    category = " ".join(form.get("category", "").split())
    if len(category) > MAX_CATEGORY:
        errors["category"] = N_("Keep the category under 80 characters.")
    url = form.get("url", "").strip()
    if url and not URL.match(url):
        errors["url"] = N_("Give an address starting with https:// or http://.")
    all_day = form.get("all_day") == "1"

    start_day = _parse_date(form.get("start_date", ""))
    if start_day is None:
        errors["start_date"] = N_("Enter a date like 2025-06-14.")
    end_raw = form.get("end_date", "").strip()
    end_day = _parse_date(end_raw) if end_raw else start_day
    if end_day is None and end_raw:
        errors["end_date"] = N_("Enter a date like 2025-06-14.")
    starts = ends = ""
    duration = timedelta()
    if all_day:
        if start_day and end_day:
            if end_day < start_day:
                errors["end_date"] = N_("The event must end after it starts.")
            starts, ends = start_day.isoformat(), end_day.isoformat()
            duration = end_day - start_day + timedelta(days=1)
    else:
        start_time = _parse_time(form.get("start_time", ""))
        if start_time is None:
            errors["start_time"] = N_("Enter a time like 09:30, or mark the event as all day.")
        end_time_raw = form.get("end_time", "").strip()
        end_time = _parse_time(end_time_raw) if end_time_raw else start_time
        if end_time is None and end_time_raw:
            errors["end_time"] = N_("Enter a time like 09:30, or mark the event as all day.")
        if start_day and end_day and start_time and end_time:
            start = datetime.combine(start_day, start_time, tz)
            end = datetime.combine(end_day, end_time, tz)
            if end < start:
                field = "end_date" if end_day < start_day else "end_time"
                errors[field] = N_("The event must end after it starts.")
            starts, ends = format_utc(start), format_utc(end)
            duration = end - start

    recurrence = form.get("recurrence", "")
    until = None
    if recurrence not in RECURRENCES:
        errors["recurrence"] = N_("Choose a repetition from the list.")
        recurrence = ""
    if recurrence:
        until = _parse_date(form.get("repeat_until", ""))
        if until is None:
            errors["repeat_until"] = N_("Give the last day the event repeats on, like 2025-12-31.")
        elif start_day and until < start_day:
            errors["repeat_until"] = N_("The repetition must end on or after the first day.")
        elif start_day and until > _years_later(start_day, MAX_REPEAT_YEARS):
            errors["repeat_until"] = N_("An event may repeat for at most 10 years.")
        if duration > timedelta(days=LONGEST_SPAN[recurrence]):
            errors["recurrence"] = TOO_LONG[recurrence]
    draft = EventDraft(
        title=title,
        description_html=description,
        location=location,
        url=url,
        category=category,
        all_day=all_day,
        starts=starts,
        ends=ends,
        recurrence=recurrence,
        repeat_until=until if recurrence else None,
        published=form.get("published") == "1",
    )
    return draft, errors


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


async def save_event(
    db: Database,
    draft: EventDraft,
    user: User | None,
    cleaner: HtmlCleaner,
    event_id: int | None = None,
) -> int:
    """Create or update an event with cleaned HTML (and an audit entry); its id."""
    now = utcnow()
    values = (
        draft.title,
        cleaner.clean(draft.description_html),
        draft.location,
        draft.url,
        draft.category,
        int(draft.all_day),
        draft.starts,
        draft.ends,
        draft.recurrence,
        draft.repeat_until.isoformat() if draft.repeat_until else None,
        int(draft.published),
    )
    async with db.transaction() as conn:
        if event_id is None:
            cursor = await conn.execute(
                "INSERT INTO events (title, description_html, location, url, category, all_day, "
                "starts, ends, recurrence, repeat_until, published, uid, created, modified) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*values, f"{uuid.uuid4()}@serambi", now, now),
            )
            event_id = cursor.lastrowid
            assert event_id is not None
            await audit.record(conn, user, "create", "event", event_id, draft.title)
            return event_id
        cursor = await conn.execute(
            "UPDATE events SET title = ?, description_html = ?, location = ?, url = ?, "
            "category = ?, all_day = ?, starts = ?, ends = ?, recurrence = ?, repeat_until = ?, "
            "published = ?, modified = ? WHERE id = ?",
            (*values, now, event_id),
        )
        if cursor.rowcount == 0:
            raise LookupError(event_id)
        await audit.record(conn, user, "update", "event", event_id, draft.title)
    return event_id


async def delete_event(db: Database, event_id: int, user: User) -> bool:
    """Remove an event; False when it does not exist."""
    async with db.transaction() as conn:
        async with conn.execute("SELECT title FROM events WHERE id = ?", (event_id,)) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return False
        await conn.execute("DELETE FROM events WHERE id = ?", (event_id,))
        await audit.record(conn, user, "delete", "event", event_id, row["title"])
    return True


# iCalendar


def to_ical(
    events: list[Event], tz: ZoneInfo, name: str, page_url: Callable[[Event], str]
) -> bytes:
    """An iCalendar (RFC 5545) file of the events, with their repetition as RRULE."""
    from icalendar import Calendar
    from icalendar import Event as CalendarEvent

    feed = Calendar()
    feed.add("prodid", "-//Serambi//Kalender Kegiatan//ID")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", name)
    feed.add("x-wr-timezone", tz.key)
    for event in events:
        item = CalendarEvent()
        item.add("uid", event.uid)
        item.add("dtstamp", parse_utc(event.modified))
        item.add("last-modified", parse_utc(event.modified))
        item.add("created", parse_utc(event.created))
        item.add("summary", event.title)
        start, end = event.span(tz)
        if event.all_day:
            item.add("dtstart", start.date())
            item.add("dtend", end.date())  # the day after the last, as RFC 5545 counts
        else:
            item.add("dtstart", start)
            item.add("dtend", end)
        if event.recurrence and event.repeat_until is not None:
            until: date | datetime = event.repeat_until
            if not event.all_day:
                # the last start it may have, in UTC as RFC 5545 asks when DTSTART has a zone
                until = datetime.combine(event.repeat_until, start.time(), tz).astimezone(UTC)
            item.add("rrule", {"freq": event.recurrence.upper(), "until": until})
        text = plain_text(event.description_html)
        if event.url:
            text = f"{text}\n\n{event.url}".strip()
        if text:
            item.add("description", text)
        if event.location:
            item.add("location", event.location)
        if event.category:
            item.add("categories", [event.category])
        item.add("url", page_url(event))
        feed.add_component(item)
    feed.add_missing_timezones()
    body: bytes = feed.to_ical()
    return body
