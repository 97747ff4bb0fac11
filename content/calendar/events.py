"""Events as stored: reading them, and saving or removing one with its audit entry.

Times: a timed event is stored in UTC and repeats at the same wall-clock time in the site's zone
(Asia/Jakarta has no daylight saving, but another zone may). An all-day event is a range of local
dates.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import aiosqlite

from content import audit, revisions
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
AUDIT_WORDS = audit.Words(kinds={"event": N_("Event")})
REVISION_KIND = "event"
# What a revision of an event holds: every column an editor's save writes.
REVISION_FIELDS = (
    "title",
    "description_html",
    "location",
    "url",
    "category",
    "all_day",
    "starts",
    "ends",
    "recurrence",
    "repeat_until",
    "published",
)


async def record_revision(
    conn: aiosqlite.Connection,
    event_id: int,
    user: User | None,
    *,
    note: str = "",
    origin: str = "",
    restored_from: int | None = None,
) -> int:
    """Keep the event as the caller's transaction has just written it as a revision; its
    number."""
    return await revisions.record_row(
        conn,
        REVISION_KIND,
        "events",
        REVISION_FIELDS,
        event_id,
        user,
        note=note,
        origin=origin,
        restored_from=restored_from,
    )


def draft_of_revision(fields: Mapping[str, Any]) -> EventDraft:
    """The event a revision holds, as a draft to save again."""
    until = fields["repeat_until"]
    return EventDraft(
        title=fields["title"],
        description_html=fields["description_html"],
        location=fields["location"],
        url=fields["url"],
        category=fields["category"],
        all_day=bool(fields["all_day"]),
        starts=fields["starts"],
        ends=fields["ends"],
        recurrence=fields["recurrence"],
        repeat_until=date.fromisoformat(until) if until else None,
        published=bool(fields["published"]),
    )


async def save_event(
    db: Database,
    draft: EventDraft,
    user: User | None,
    cleaner: HtmlCleaner,
    event_id: int | None = None,
    *,
    based_on: int | None = None,
    overwrite: int | None = None,
    note: str = "",
    restored_from: int | None = None,
) -> int:
    """Create or update an event with cleaned HTML (and an audit entry), keeping the save as a
    revision (with `note`); its id. As save_article, revisions.Conflict rises (nothing
    written) when someone saved it after revision `based_on` and that save is not
    `overwrite`."""
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
        if event_id is not None:
            await revisions.check_base(conn, REVISION_KIND, event_id, based_on, overwrite)
        event_id = await audit.save_row(
            conn,
            user,
            EVENTS,
            event_id,
            values,
            on_insert=new_row,
            action="update" if restored_from is None else "restore",
            detail=None if restored_from is None else f"{draft.title} ({restored_from})",
        )
        await record_revision(
            conn,
            event_id,
            user,
            note=note,
            origin="" if restored_from is None else "restore",
            restored_from=restored_from,
        )
        db.announce(CalendarEventSaved(event_id, created=created))
    return event_id


async def restore_event(
    db: Database, event_id: int, number: int, user: User, cleaner: HtmlCleaner
) -> int:
    """Save an event's revision `number` again, as a new revision (audited as a restore);
    LookupError when there is no such revision."""
    revision = await revisions.get(db, REVISION_KIND, event_id, number)
    if revision is None:
        raise LookupError(number)
    draft = draft_of_revision(revision.fields)
    return await save_event(db, draft, user, cleaner, event_id, restored_from=number)


async def delete_event(db: Database, event_id: int, user: User) -> bool:
    """Remove an event; False when it does not exist."""
    async with db.transaction() as conn:
        if await audit.delete_row(conn, user, EVENTS, event_id) is None:
            return False
        await revisions.forget(conn, REVISION_KIND, event_id)
        db.announce(CalendarEventDeleted(event_id))
    return True
