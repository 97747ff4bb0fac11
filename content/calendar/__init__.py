"""The activity calendar: events, their recurrence, month grids and iCalendar feeds.

One module each: `events` (as stored, read and written), `recurrence` (when they take place),
`display` (month grids and dates in words), `forms` (the editors' form) and `ical` (the feeds).
The names the views and the sidebar use are offered here too.
"""

from content.calendar.display import (
    SidebarCalendar,
    describe,
    first_weekday,
    grid_bounds,
    long_date,
    month_title,
    month_view,
)
from content.calendar.events import (
    FIRST_YEAR,
    LAST_YEAR,
    RECURRENCES,
    Event,
    EventDraft,
    categories,
    delete_event,
    get_event,
    list_events,
    restore_event,
    save_event,
)
from content.calendar.forms import form_values, parse_event_form
from content.calendar.ical import to_ical
from content.calendar.recurrence import Occurrence, expand, occurrences, upcoming

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "RECURRENCES",
    "Event",
    "EventDraft",
    "Occurrence",
    "SidebarCalendar",
    "categories",
    "delete_event",
    "describe",
    "expand",
    "first_weekday",
    "form_values",
    "get_event",
    "grid_bounds",
    "list_events",
    "long_date",
    "month_title",
    "month_view",
    "occurrences",
    "parse_event_form",
    "restore_event",
    "save_event",
    "to_ical",
    "upcoming",
]
