"""Events as stored: reading them, and saving or removing one with its audit entry.

Times: a timed event is stored in UTC and repeats at the same wall-clock time in the site's zone
(Asia/Jakarta has no daylight saving, but another zone may). An all-day event is a range of local
dates.
"""

from __future__ import annotations

import sqlite3
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from content import audit
from content.accounts import User
from content.db import Database, parse_utc, utcnow
from content.events import CalendarEventDeleted, CalendarEventSaved
from content.i18n import N_
from content.sanitize import HtmlCleaner

RECURRENCES = {
    "": N_("Does not repeat"),
    "weekly": N_("Every week"),
    "monthly": N_("Every month"),
    "yearly": N_("Every year"),
}
FIRST_YEAR, LAST_YEAR = 1970, 2100


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


EVENTS = audit.Kind("events", "event")


async def save_event(
    db: Database,
    draft: EventDraft,
    user: User | None,
    cleaner: HtmlCleaner,
    event_id: int | None = None,
) -> int:
    """Create or update an event with cleaned HTML (and an audit entry); its id."""
    now = utcnow()
    values = {
        "title": draft.title,
        "description_html": cleaner.clean(draft.description_html),
        "location": draft.location,
        "url": draft.url,
        "category": draft.category,
        "all_day": int(draft.all_day),
        "starts": draft.starts,
        "ends": draft.ends,
        "recurrence": draft.recurrence,
        "repeat_until": draft.repeat_until.isoformat() if draft.repeat_until else None,
        "published": int(draft.published),
        "modified": now,
    }
    new_row = {"uid": f"{uuid.uuid4()}@serambi", "created": now}
    async with db.transaction() as conn:
        created = event_id is None
        event_id = await audit.save_row(conn, user, EVENTS, event_id, values, on_insert=new_row)
        db.announce(CalendarEventSaved(event_id, created=created))
    return event_id


async def delete_event(db: Database, event_id: int, user: User) -> bool:
    """Remove an event; False when it does not exist."""
    async with db.transaction() as conn:
        if await audit.delete_row(conn, user, EVENTS, event_id) is None:
            return False
        db.announce(CalendarEventDeleted(event_id))
    return True
