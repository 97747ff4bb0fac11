"""How the calendar is shown: month grids, the sidebar's module, and dates in words."""

from __future__ import annotations

import calendar as gregorian
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache

from babel import Locale
from babel.dates import format_date, get_day_names

from content.calendar.recurrence import Occurrence
from content.i18n import zone_label


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
    return zone_label(moment, locale)
