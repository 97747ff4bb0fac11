"""When an event takes place: its occurrences between two days.

Recurrence is weekly, monthly or yearly up to a last day; a monthly event on the 29th-31st
skips the months without that day, and a yearly one on 29 February skips the years without it,
which is what iCalendar's RRULE does (RFC 5545, 3.3.10), so the feed and the pages agree.
"""

from __future__ import annotations

import calendar as gregorian
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from content.calendar.events import LAST_YEAR, Event

# A repetition must end before the next one begins (days an occurrence may span at most).
LONGEST_SPAN = {"weekly": 7, "monthly": 28, "yearly": 365}
MAX_REPEAT_YEARS = 10


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
