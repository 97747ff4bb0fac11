"""Autosaved drafts of the article, event and custom module forms (/redaksi/draf): kept and
discarded by the form's script (static/js/drafts.js) with the form token; offered when the form
opens again; discarded by the conflict screen's "Drop my changes" too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from quart import Blueprint, abort, jsonify, redirect, request
from quart.typing import ResponseReturnValue

from content import drafts
from content.accounts import User
from content.db import get_db
from content.drafts import NEW, Draft, DraftError
from content.web import current_user, require
from content.web.i18n import format_date
from content.web.state import portal
from content.web.views import revisions as revision_views
from content.web.views.revisions import Revisable

blueprint = Blueprint("drafts", __name__, url_prefix="/redaksi/draf")
edits = require(lambda user: user.can_edit)


async def _editor() -> User:
    user = await current_user()
    assert user is not None  # guaranteed by @edits
    return user


async def _item(kind_word: str, item_id: int) -> Revisable:
    """The kind of item an address names, by its word in the revision pages' addresses
    (artikel, kegiatan, modul-html); 404 for an unknown kind or item."""
    revisable = revision_views.REVISABLE.get(kind_word)
    if revisable is None or revisable.kind not in drafts.KINDS:
        abort(404)
    if item_id != NEW and await revisable.title(get_db(), item_id) is None:
        abort(404)
    return revisable


@blueprint.post("/<kind_word>/baru", defaults={"item_id": NEW})
@blueprint.post("/<kind_word>/<int:item_id>")
@edits
async def keep(kind_word: str, item_id: int) -> ResponseReturnValue:
    """Keep the form's fields (the POST body is the form itself) as the editor's draft of the
    item: {"ok": true, "saved_at": UTC ISO text}. The request limits apply as to every form
    (a body over PORTAL_MAX_CONTENT_LENGTH is a 413); a field name over 100 characters a 400;
    a form based on a revision older than one the editor saved since is not kept: 409,
    {"ok": false, "saved_since": true}."""
    kind = (await _item(kind_word, item_id)).kind
    form = await request.form
    try:
        fields = drafts.form_fields(form.items(multi=True))
    except DraftError:
        abort(400)
    now = portal().clock.now()
    if not await drafts.save_draft(get_db(), (await _editor()).id, kind, item_id, fields, now):
        return jsonify({"ok": False, "saved_since": True}), 409
    return jsonify({"ok": True, "saved_at": now.isoformat(timespec="seconds")})


@blueprint.post("/<kind_word>/baru/buang", defaults={"item_id": NEW})
@blueprint.post("/<kind_word>/<int:item_id>/buang")
@edits
async def discard(kind_word: str, item_id: int) -> ResponseReturnValue:
    """Delete the editor's draft of the item: {"ok": true, "discarded": bool}; with `buka`
    (the conflict screen's "Drop my changes and open their version", a plain form), then open
    the item's form afresh."""
    revisable = await _item(kind_word, item_id)
    found = await drafts.discard_draft(get_db(), (await _editor()).id, revisable.kind, item_id)
    if "buka" in await request.form and item_id != NEW:
        return redirect(revisable.edit_url(item_id))
    return jsonify({"ok": True, "discarded": found})


@dataclass(frozen=True)
class Offer:
    """A draft to offer on a form, and when it was kept, as the offer says it."""

    draft: Draft
    when: str  # "10:43" today, "6 Des 2026 10:43" before


async def offer(kind: str, item_id: int | None, saved: datetime | None) -> Offer | None:
    """The current editor's draft to offer on an item's form as it opens (a GET), when newer
    than the item's last save (`saved`; None for a new item)."""
    user = await current_user()
    if request.method != "GET" or user is None:
        return None
    draft = await drafts.draft_to_offer(get_db(), user.id, kind, item_id or NEW, saved)
    if draft is None:
        return None
    today = format_date(portal().clock.now(), "yyyy-MM-dd")
    same_day = format_date(draft.saved_at, "yyyy-MM-dd") == today
    return Offer(draft, format_date(draft.saved_at, "HH:mm" if same_day else "short"))


async def saved(kind: str, item_id: int | None, saved_id: int) -> None:
    """The form was saved as `saved_id`: the editor's draft of it goes."""
    user = await current_user()
    if user is not None:
        await drafts.discard_saved(get_db(), user.id, kind, item_id, saved_id)
