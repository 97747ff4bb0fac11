"""The editors' event form: what it shows for an event, and the draft and messages it gives."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from content.calendar.events import (
    FIRST_YEAR,
    LAST_YEAR,
    RECURRENCES,
    Event,
    EventDraft,
)
from content.calendar.recurrence import LONGEST_SPAN, MAX_REPEAT_YEARS
from content.db import format_utc, parse_utc
from content.i18n import N_

TOO_LONG = {
    "weekly": N_("An event that repeats every week must last less than a week."),
    "monthly": N_("An event that repeats every month must last at most 28 days."),
    "yearly": N_("An event that repeats every year must last less than a year."),
}
MAX_TITLE = 255
MAX_TEXT = 255
MAX_CATEGORY = 80
MAX_DESCRIPTION = 100_000
URL = re.compile(r"^https?://[^\s\"'<>]{1,2000}$")
DATE_FORMAT = "%Y-%m-%d"
TIME_FORMAT = "%H:%M"


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
