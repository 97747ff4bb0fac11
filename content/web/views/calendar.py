"""The activity calendar: month pages, upcoming events, one page per event, iCalendar files, and
the editors' pages for events (/redaksi/kegiatan)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from quart import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from quart.typing import ResponseReturnValue

from content import calendar, revisions
from content.calendar import Event, Occurrence
from content.db import get_db, parse_utc
from content.sanitize import HtmlCleaner
from content.web import current_user, require, site_timezone
from content.web.i18n import gettext, language
from content.web.removed import flash_removed
from content.web.sidebar import sidebar
from content.web.state import portal
from content.web.views import drafts
from content.web.views import revisions as revision_views
from content.web.views.tools import external_url

blueprint = Blueprint("calendar", __name__)
edits = require(lambda user: user.can_edit)
UPCOMING_DAYS = 366
UPCOMING_LIMIT = 100
NEXT_DATES = 10
EVENT_ID = "int(min=1, max=999999999)"


def _now() -> datetime:
    return datetime.now(site_timezone())


@blueprint.app_template_filter("event_when")
def event_when(occurrence: Occurrence) -> str:
    """When an occurrence is, in the visitor's language."""
    return calendar.describe(occurrence, language())


@blueprint.app_template_filter("long_date")
def long_date(day: date) -> str:
    """A day in words in the visitor's language: 'Sabtu, 14 Juni 2025'."""
    return calendar.long_date(day, language())


@blueprint.app_template_filter("month_title")
def month_title(day: date) -> str:
    """A day's month in the visitor's language: 'Juni 2025'."""
    return calendar.month_title(day.replace(day=1), language())


@blueprint.app_template_global("badge_text")
def badge_text(badge: str | None) -> str:
    """The words of an occurrence's badge."""
    if badge == "ongoing":
        return gettext("happening now")
    if badge == "today":
        return gettext("today")
    return ""


@blueprint.get("/kalender")
async def this_month() -> ResponseReturnValue:
    """The current month."""
    today = _now().date()
    return await _month(today.year, today.month)


@blueprint.get("/kalender/<int(min=1970, max=2100):year>/<int(min=1, max=12):month>")
async def month_page(year: int, month: int) -> ResponseReturnValue:
    """A month: the grid, then every day that has an event."""
    return await _month(year, month)


async def _month(year: int, month: int) -> ResponseReturnValue:
    now = _now()
    locale = language()
    first, last = calendar.grid_bounds(year, month, calendar.first_weekday(locale))
    found = calendar.expand(await calendar.list_events(get_db()), site_timezone(), first, last)
    view = calendar.month_view(year, month, found, now.date(), locale)
    return await render_template(
        "calendar/month.html",
        view=view,
        now=now,
        has_previous=view.previous.year >= calendar.FIRST_YEAR,
        has_next=view.next.year <= calendar.LAST_YEAR,
        **await sidebar(),
    )


@blueprint.get("/kalender/mendatang")
async def upcoming() -> ResponseReturnValue:
    """The events of the coming year, under way ones first."""
    now = _now()
    today = now.date()
    found = calendar.expand(
        await calendar.list_events(get_db()),
        site_timezone(),
        today,
        today + timedelta(days=UPCOMING_DAYS),
    )
    return await render_template(
        "calendar/upcoming.html",
        listed=calendar.upcoming(found, now, UPCOMING_LIMIT),
        now=now,
        **await sidebar(),
    )


async def _visible_event(event_id: int) -> tuple[Event, bool]:
    """The event and whether an editor sees it as a preview; 404 for visitors otherwise."""
    event = await calendar.get_event(get_db(), event_id)
    if event is None:
        abort(404)
    if event.published:
        return event, False
    user = await current_user()
    if user is not None and user.can_edit:
        return event, True
    abort(404)


@blueprint.get(f"/kalender/acara/<{EVENT_ID}:event_id>")
async def event_page(event_id: int) -> ResponseReturnValue:
    """One event: when (the next dates of a repeating one), where, and its description."""
    event, preview = await _visible_event(event_id)
    now = _now()
    tz = site_timezone()
    start, end = event.span(tz)
    horizon = (event.repeat_until or end.date()) + timedelta(days=1)
    ahead = [o for o in calendar.occurrences(event, tz, now.date(), horizon) if not o.ended(now)]
    shown = ahead[0] if ahead else Occurrence(event, start, end)
    return await render_template(
        "calendar/event.html",
        event=event,
        occurrence=shown,
        next_dates=ahead[1 : NEXT_DATES + 1],
        preview=preview,
        now=now,
        **await sidebar(),
    )


def _event_url(event: Event) -> str:
    return external_url("calendar.event_page", event_id=event.id)


def _ical_response(body: bytes, filename: str | None = None) -> Response:
    response = Response(body, mimetype="text/calendar")
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    if filename:
        response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response


@blueprint.get(f"/kalender/acara/<{EVENT_ID}:event_id>.ics")
async def event_ical(event_id: int) -> ResponseReturnValue:
    """One event as an iCalendar file, to add to a calendar app."""
    event, _ = await _visible_event(event_id)
    body = calendar.to_ical([event], site_timezone(), current_app.config["SITE_NAME"], _event_url)
    return _ical_response(body, f"kegiatan-{event.id}.ics")


@blueprint.get("/kalender.ics")
async def feed() -> ResponseReturnValue:
    """Every published event as an iCalendar feed that calendar apps can subscribe to."""
    events = await calendar.list_events(get_db())
    body = calendar.to_ical(events, site_timezone(), current_app.config["SITE_NAME"], _event_url)
    return _ical_response(body)


# Editors


def _cleaner() -> HtmlCleaner:
    return portal().cleaner


@blueprint.get("/redaksi/kegiatan")
@edits
async def manage() -> ResponseReturnValue:
    """Every event, published or not, newest first start last."""
    tz = site_timezone()
    listed = [
        (event, Occurrence(event, *event.span(tz)))
        for event in await calendar.list_events(get_db(), published_only=False)
    ]
    return await render_template("editor/events.html", listed=listed)


@blueprint.route("/redaksi/kegiatan/baru", methods=["GET", "POST"])
@edits
async def new_event() -> ResponseReturnValue:
    """Add an event."""
    return await _edit(None)


@blueprint.route(f"/redaksi/kegiatan/<{EVENT_ID}:event_id>", methods=["GET", "POST"])
@edits
async def edit_event(event_id: int) -> ResponseReturnValue:
    """Change an event."""
    return await _edit(event_id)


async def _edit(event_id: int | None) -> ResponseReturnValue:
    db = get_db()
    tz = site_timezone()
    existing = None
    if event_id is not None:
        existing = await calendar.get_event(db, event_id)
        if existing is None:
            abort(404)
    errors: dict[str, str] = {}
    values: dict[str, Any]
    conflict = None
    if request.method == "GET":
        values = calendar.form_values(existing or calendar.EventDraft(), tz)
    else:
        form = await request.form
        raw = {key: form.get(key, "") for key in form}
        draft, errors = calendar.parse_event_form(raw, tz)
        if not errors:
            # Cleaned here for the report too: the save cleans it again, changing nothing.
            removed = _cleaner().clean_with_report(draft.description_html).removed
            try:
                saved = await calendar.save_event(
                    db,
                    draft,
                    await current_user(),
                    _cleaner(),
                    event_id,
                    **revision_views.saving(raw),
                )
            except revisions.Conflict as refused:
                conflict = await revision_views.conflict_view(revision_views.EVENTS, refused)
            else:
                await drafts.saved("event", event_id, saved)
                await flash_removed(removed)
                return redirect(url_for("calendar.manage", disimpan=saved))
        values = {**raw, "all_day": raw.get("all_day") == "1"}
        values["published"] = raw.get("published") == "1"
    page = await render_template(
        "editor/event_form.html",
        event=existing,
        values=await revision_views.with_base(revision_views.EVENTS, event_id, values),
        **revision_views.form_links(revision_views.EVENTS, event_id),
        conflict=conflict,
        errors=errors,
        recurrences=calendar.RECURRENCES,
        categories=await calendar.categories(db),
        draft_offer=await drafts.offer(
            "event", event_id, parse_utc(existing.modified) if existing else None
        ),
    )
    if conflict is not None:
        return page, 409
    return (page, 400) if errors else page


@blueprint.route(f"/redaksi/kegiatan/<{EVENT_ID}:event_id>/hapus", methods=["GET", "POST"])
@edits
async def delete_event(event_id: int) -> ResponseReturnValue:
    """Remove an event, after a confirmation page."""
    db = get_db()
    event = await calendar.get_event(db, event_id)
    if event is None:
        abort(404)
    if request.method == "POST":
        user = await current_user()
        assert user is not None
        await calendar.delete_event(db, event_id, user)
        return redirect(url_for("calendar.manage"))
    return await render_template(
        "editor/confirm_delete.html",
        item_name=event.title,
        back=url_for("calendar.manage"),
        heading=gettext("Delete event"),
    )
