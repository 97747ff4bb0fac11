"""iCalendar (RFC 5545) files of the events, for calendar apps to add or subscribe to."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from content.calendar.events import Event
from content.db import parse_utc
from content.sanitize import plain_text


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
