"""Revisions in the editors' area: each item's history, two revisions compared, a revision
restored, and what an edit form shows when someone else saved first (409).

A kind of item offers its revisions here by registering a `Revisable` (articles and events do
below): how to name an item, show its fields, restore one, and where its form is. The pages
are then at /redaksi/<slug>/<id>/revisi.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from quart import Blueprint, abort, flash, redirect, render_template, request, url_for
from quart.typing import ResponseReturnValue

from content import articles, calendar, revisions
from content.accounts import User
from content.articles import STATE_NAMES, State
from content.db import Database, get_db, parse_utc
from content.i18n import N_
from content.revisions import Conflict, FieldChange, Revision, Shown
from content.sanitize import HtmlCleaner
from content.web import current_user, require, site_timezone
from content.web.i18n import format_date, gettext
from content.web.state import portal

blueprint = Blueprint("revisions", __name__, url_prefix="/redaksi")
edits = require(lambda user: user.can_edit)

Restore = Callable[[Database, int, int, User, HtmlCleaner], Awaitable[dict[str, str]]]


@dataclass(frozen=True)
class Revisable:
    """A kind of item whose revisions the editors' pages show: `kind` is its name in the store,
    `slug` its part of the address, `fields` what a comparison shows; `title` names an item
    (None: no such item), `values` words a revision's fields for a reader, `restore` saves a
    revision again (its errors as a dict of messages, if any); `edit_url` and `public_url` lead
    to its form and its public page."""

    kind: str
    slug: str
    fields: tuple[Shown, ...]
    title: Callable[[Database, int], Awaitable[str | None]]
    values: Callable[[Database, Mapping[str, Any]], Awaitable[dict[str, str]]]
    restore: Restore
    edit_url: Callable[[int], str]
    public_url: Callable[[Database, int], Awaitable[str | None]]


REVISABLE: dict[str, Revisable] = {}


def register(revisable: Revisable) -> None:
    """Offer a kind's revisions on the editors' pages."""
    REVISABLE[revisable.slug] = revisable


def _moment(stored: str | None) -> str:
    return format_date(parse_utc(stored), "datetime") if stored else "—"


def _yes_no(value: object) -> str:
    return gettext("Yes") if value else gettext("No")


async def _article_title(db: Database, item_id: int) -> str | None:
    article = await articles.get_article(db, item_id)
    return None if article is None else article.title


async def _article_values(db: Database, fields: Mapping[str, Any]) -> dict[str, str]:
    category = await articles.get_category(db, fields["category_id"])
    return {
        "title": fields["title"],
        "alias": fields["alias"],
        "category_id": category.title if category else f"#{fields['category_id']}",
        "author_name": fields["author_name"],
        "state": gettext(STATE_NAMES[State(fields["state"])]),
        "featured": _yes_no(fields["featured"]),
        "publish_up": _moment(fields["publish_up"]),
        "publish_down": _moment(fields["publish_down"]),
        "meta_description": fields["meta_description"],
        "intro_image": fields["intro_image"],
        "intro_html": fields["intro_html"],
        "full_html": fields["full_html"],
    }


async def _restore_article(
    db: Database, item_id: int, number: int, user: User, cleaner: HtmlCleaner
) -> dict[str, str]:
    return (await articles.restore_article(db, item_id, number, user, cleaner))[1]


async def _article_url(db: Database, item_id: int) -> str | None:
    article = await articles.get_article(db, item_id)
    return None if article is None else url_for("public.article", slug=article.slug)


ARTICLE_FIELDS = (
    Shown("title", N_("Title")),
    Shown("alias", N_("Alias (address)")),
    Shown("category_id", N_("Category")),
    Shown("author_name", N_("Author shown")),
    Shown("state", N_("State")),
    Shown("featured", N_("Featured on the home page")),
    Shown("publish_up", N_("Publish from")),
    Shown("publish_down", N_("Publish until")),
    Shown("meta_description", N_("Description for search engines")),
    Shown("intro_image", N_("Intro image address")),
    Shown("intro_html", N_("Intro text"), is_html=True),
    Shown("full_html", N_("Full text"), is_html=True),
)


async def _event_title(db: Database, item_id: int) -> str | None:
    event = await calendar.get_event(db, item_id)
    return None if event is None else event.title


def _event_moment(stored: str, all_day: bool) -> str:
    if all_day:
        return date.fromisoformat(stored).isoformat()
    return _moment(stored)


async def _event_values(db: Database, fields: Mapping[str, Any]) -> dict[str, str]:
    all_day = bool(fields["all_day"])
    return {
        "title": fields["title"],
        "starts": _event_moment(fields["starts"], all_day),
        "ends": _event_moment(fields["ends"], all_day),
        "all_day": _yes_no(all_day),
        "recurrence": gettext(calendar.RECURRENCES.get(fields["recurrence"], "")),
        "repeat_until": fields["repeat_until"] or "—",
        "location": fields["location"],
        "category": fields["category"],
        "url": fields["url"],
        "published": _yes_no(fields["published"]),
        "description_html": fields["description_html"],
    }


async def _restore_event(
    db: Database, item_id: int, number: int, user: User, cleaner: HtmlCleaner
) -> dict[str, str]:
    await calendar.restore_event(db, item_id, number, user, cleaner)
    return {}


async def _event_url(db: Database, item_id: int) -> str | None:
    return url_for("calendar.event_page", event_id=item_id)


EVENT_FIELDS = (
    Shown("title", N_("Title")),
    Shown("starts", N_("Starts")),
    Shown("ends", N_("Ends")),
    Shown("all_day", N_("All day")),
    Shown("recurrence", N_("Repeats")),
    Shown("repeat_until", N_("Repeats until")),
    Shown("location", N_("Place")),
    Shown("category", N_("Category")),
    Shown("url", N_("Link for more information")),
    Shown("published", N_("Published")),
    Shown("description_html", N_("Description"), is_html=True),
)

ARTICLES = Revisable(
    kind=articles.REVISION_KIND,
    slug="artikel",
    fields=ARTICLE_FIELDS,
    title=_article_title,
    values=_article_values,
    restore=_restore_article,
    edit_url=lambda item_id: url_for("editor.edit_article", article_id=item_id),
    public_url=_article_url,
)
EVENTS = Revisable(
    kind=calendar.events.REVISION_KIND,
    slug="kegiatan",
    fields=EVENT_FIELDS,
    title=_event_title,
    values=_event_values,
    restore=_restore_event,
    edit_url=lambda item_id: url_for("calendar.edit_event", event_id=item_id),
    public_url=_event_url,
)
register(ARTICLES)
register(EVENTS)


def origin_text(revision: Revision) -> str:
    """How a revision came to be, in the reader's language ("" for an editor's save)."""
    if revision.origin == "restore":
        return gettext("Restored from revision %(number)s", number=revision.restored_from or "?")
    texts = {
        "import": N_("Imported from Joomla"),
        "demo": N_("Demo content"),
        "existing": N_("As it was when revisions began to be kept"),
    }
    return gettext(texts[revision.origin]) if revision.origin in texts else ""


def saved_by(revision: Revision) -> str:
    """Who saved a revision: their name, or the command line's."""
    return revision.user_name or gettext("the system")


def _when(moment: datetime) -> str:
    """A time alone when it is today in the site's zone, else with its date."""
    zone = site_timezone()
    today = portal().clock.now().astimezone(zone).date() == moment.astimezone(zone).date()
    return format_date(moment, "time" if today else "short")


async def _changes(
    revisable: Revisable, db: Database, old: Revision, new: Revision
) -> list[FieldChange]:
    before = await revisable.values(db, old.fields)
    after = await revisable.values(db, new.fields)
    # A long text rewritten whole takes a quarter of a second: not on the event loop.
    return await asyncio.to_thread(revisions.compare, before, after, revisable.fields)


@dataclass(frozen=True)
class ConflictView:
    """What an edit form shows when its save was refused: who saved when, and what changed
    between the revision the editor started from (None: no longer kept) and theirs."""

    current: Revision
    based_on: int | None
    message: str
    changes: list[FieldChange] | None
    history_url: str


async def conflict_view(revisable: Revisable, conflict: Conflict) -> ConflictView:
    """The conflict screen's part of an edit form (the page answers 409)."""
    db = get_db()
    item_id = conflict.current.item_id
    current = await revisions.get(db, revisable.kind, item_id, conflict.current.number)
    base = None
    if conflict.based_on is not None:
        base = await revisions.get(db, revisable.kind, item_id, conflict.based_on)
    shown = current or conflict.current
    message = gettext(
        "%(name)s saved this at %(time)s, after you opened it.",
        name=saved_by(shown),
        time=_when(shown.at),
    )
    changes = (
        None if base is None or current is None else await _changes(revisable, db, base, current)
    )
    return ConflictView(
        current=shown,
        based_on=conflict.based_on,
        message=message,
        changes=changes,
        history_url=url_for("revisions.history", slug=revisable.slug, item_id=item_id),
    )


def saving(form: Mapping[str, str]) -> dict[str, Any]:
    """What an edit form says about the save for the revisions: the revision it was based on,
    the one "Save anyway" saves over, and the note."""
    return {
        "based_on": revisions.parse_number(form.get("base_revision")),
        "overwrite": revisions.parse_number(form.get("save_anyway")),
        "note": form.get("revision_note", ""),
    }


def form_values(form: Mapping[str, str]) -> dict[str, str]:
    """The revision fields of a posted form, to show again as they were sent."""
    return {key: form[key] for key in ("base_revision", "revision_note") if key in form}


async def with_base(
    revisable: Revisable, item_id: int | None, values: dict[str, Any]
) -> dict[str, Any]:
    """An edit form's values with the revision it is based on: as posted, else the item's
    latest ("" for a new item), and an empty note."""
    values.setdefault("revision_note", "")
    if "base_revision" not in values:
        found = None
        if item_id is not None:
            found = await revisions.latest_number(get_db(), revisable.kind, item_id)
        values["base_revision"] = "" if found is None else found
    return values


def form_links(revisable: Revisable, item_id: int | None) -> dict[str, str | None]:
    """The addresses an edit form links to: the item's history, its form afresh, and where
    the conflict screen's "Drop my changes" posts (the editor's draft goes, then the form)."""
    if item_id is None:
        return {"history_url": None, "edit_url": None, "drop_url": None}
    return {
        "history_url": url_for("revisions.history", slug=revisable.slug, item_id=item_id),
        "edit_url": revisable.edit_url(item_id),
        "drop_url": url_for("drafts.discard", kind_word=revisable.slug, item_id=item_id),
    }


async def _found(slug: str, item_id: int) -> tuple[Revisable, str]:
    revisable = REVISABLE.get(slug)
    if revisable is None:
        abort(404)
    title = await revisable.title(get_db(), item_id)
    if title is None:
        abort(404)
    return revisable, title


@blueprint.get("/<slug>/<int(min=1, max=999999999):item_id>/revisi", endpoint="history")
@edits
async def history(slug: str, item_id: int) -> ResponseReturnValue:
    """An item's revisions, newest first, to compare two or restore one."""
    revisable, title = await _found(slug, item_id)
    listed = await revisions.list_for(get_db(), revisable.kind, item_id)
    return await render_template(
        "editor/revisions.html",
        revisable=revisable,
        item_id=item_id,
        title=title,
        listed=listed,
        public_url=await revisable.public_url(get_db(), item_id),
        origin_text=origin_text,
        saved_by=saved_by,
    )


def _number_arg(name: str) -> int | None:
    raw = request.args.get(name)
    if raw is None or raw == "":
        return None
    number = revisions.parse_number(raw)
    if number is None:
        abort(400)
    return number


@blueprint.get("/<slug>/<int(min=1, max=999999999):item_id>/revisi/banding", endpoint="compare")
@edits
async def compare(slug: str, item_id: int) -> ResponseReturnValue:
    """Two revisions side by side as one diff: `dari` (older) and `ke` (newer; the latest when
    not given). Without `dari`, the revision before `ke`."""
    revisable, title = await _found(slug, item_id)
    db = get_db()
    listed = await revisions.list_for(db, revisable.kind, item_id)
    numbers = [revision.number for revision in listed]
    new_number = _number_arg("ke") or (numbers[0] if numbers else None)
    old_number = _number_arg("dari")
    if old_number is None and new_number in numbers:
        older = [number for number in numbers if number < new_number]
        old_number = older[0] if older else new_number
    if old_number is None or new_number is None:
        abort(404)
    if old_number > new_number:
        old_number, new_number = new_number, old_number
    old = await revisions.get(db, revisable.kind, item_id, old_number)
    new = await revisions.get(db, revisable.kind, item_id, new_number)
    if old is None or new is None:
        abort(404)
    return await render_template(
        "editor/revision_compare.html",
        revisable=revisable,
        item_id=item_id,
        title=title,
        old=old,
        new=new,
        latest=numbers[0],
        changes=await _changes(revisable, db, old, new),
        listed=listed,
        origin_text=origin_text,
        saved_by=saved_by,
    )


@blueprint.post(
    "/<slug>/<int(min=1, max=999999999):item_id>/revisi/<int(min=1, max=999999999):number>"
    "/pulihkan",
    endpoint="restore",
)
@edits
async def restore(slug: str, item_id: int, number: int) -> ResponseReturnValue:
    """Save a revision again as the item's newest one; back to the history with a message."""
    revisable, _ = await _found(slug, item_id)
    user = await current_user()
    assert user is not None  # guaranteed by @edits
    try:
        errors = await revisable.restore(get_db(), item_id, number, user, portal().cleaner)
    except LookupError:
        abort(404)
    if errors:
        await flash(
            gettext(
                "Revision %(number)s cannot be restored: %(why)s",
                number=number,
                why="; ".join(gettext(message) for message in errors.values()),
            ),
            "error",
        )
    else:
        await flash(gettext("Revision %(number)s was restored.", number=number), "ok")
    return redirect(url_for("revisions.history", slug=slug, item_id=item_id))
