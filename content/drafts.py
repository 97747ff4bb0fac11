"""Autosaved drafts of the article, event and custom module forms: per editor and item, never
public.

While an editor types, the form's fields are kept here every few seconds (only when they
changed); opening the form again offers the draft when it is newer than the saved item, a
successful save discards it, and it goes with its item and its editor (foreign keys, migrations
0015 and 0020). A draft is a form's fields as they were, not content: nothing here is cleaned,
shown to the public or listed among an item's revisions.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from content import revisions
from content.db import Database, format_utc, parse_utc

KINDS = ("article", "event", "custom_module")  # as the revisions name them
NEW = 0  # the item_id of a new item, not saved yet
# Not kept: the form token (it changes with the session) and the submit button pressed.
NOT_KEPT = frozenset({"csrf_token", "action"})
MAX_NAME = 100  # characters of a field's name


class DraftError(ValueError):
    """A draft that cannot be kept as sent (an unknown kind, a field name too long)."""


@dataclass(frozen=True)
class Draft:
    """An editor's unsaved form of one item."""

    kind: str
    item_id: int  # NEW for an item not saved yet
    fields: dict[str, list[str]]  # every field's values, in the form's order
    saved_at: datetime  # UTC


def form_fields(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """A form's (name, value) pairs as a draft keeps them: every value of every field but the
    token and the button. Raises DraftError on a field name no form of ours has."""
    fields: dict[str, list[str]] = {}
    for name, value in pairs:
        if name in NOT_KEPT:
            continue
        if not name or len(name) > MAX_NAME:
            raise DraftError("field name")
        fields.setdefault(name, []).append(value)
    return fields


def _check(kind: str, item_id: int) -> None:
    if kind not in KINDS or item_id < 0:
        raise DraftError(f"no draft for {kind} {item_id}")


async def save_draft(
    db: Database,
    user_id: int,
    kind: str,
    item_id: int,
    fields: dict[str, list[str]],
    now: datetime,
) -> bool:
    """Keep an editor's form of an item (NEW: of a new one), replacing their earlier draft.
    False, keeping nothing, when the editor saved the item after the revision the form was
    based on (its `base_revision`): an autosave that was on its way as they pressed Save must
    not come back as a draft of what they just saved."""
    _check(kind, item_id)
    linked = item_id if item_id != NEW else None
    based_on = revisions.parse_number((fields.get("base_revision") or [""])[0])
    async with db.transaction() as conn:
        # Checked in the writing transaction, so a save is either before it (seen) or after
        # it (and deletes the draft).
        cursor = await conn.execute(
            "INSERT INTO editing_drafts "
            "(user_id, kind, item_id, article_id, event_id, module_id, fields, saved_at) "
            "SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM revisions "
            "WHERE kind = ? AND item_id = ? AND number > ? AND user_id = ?) "
            "ON CONFLICT (user_id, kind, item_id) DO UPDATE SET "
            "fields = excluded.fields, saved_at = excluded.saved_at",
            (
                user_id,
                kind,
                item_id,
                linked if kind == "article" else None,
                linked if kind == "event" else None,
                linked if kind == "custom_module" else None,
                json.dumps(fields, ensure_ascii=False, separators=(",", ":")),
                format_utc(now),
                kind,
                item_id,
                based_on,  # None (a new item, a form that does not say): never refused
                user_id,
            ),
        )
        return cursor.rowcount > 0


async def get_draft(db: Database, user_id: int, kind: str, item_id: int) -> Draft | None:
    """An editor's own draft of an item, or None."""
    row = await db.fetchone(
        "SELECT fields, saved_at FROM editing_drafts "
        "WHERE user_id = ? AND kind = ? AND item_id = ?",
        (user_id, kind, item_id),
    )
    if row is None:
        return None
    return Draft(kind, item_id, json.loads(row["fields"]), parse_utc(row["saved_at"]))


async def draft_to_offer(
    db: Database, user_id: int, kind: str, item_id: int, saved: datetime | None
) -> Draft | None:
    """The editor's draft of an item if it is worth offering: newer than the item's last save
    (`saved`; None for a new item), to the second (a save in the draft's own second may not
    have had it, so it is offered)."""
    draft = await get_draft(db, user_id, kind, item_id)
    if draft is None or (saved is not None and draft.saved_at < saved.replace(microsecond=0)):
        return None
    return draft


async def discard_draft(db: Database, user_id: int, kind: str, item_id: int) -> bool:
    """Delete an editor's draft of an item; False when there was none."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "DELETE FROM editing_drafts WHERE user_id = ? AND kind = ? AND item_id = ?",
            (user_id, kind, item_id),
        )
        return cursor.rowcount > 0


async def discard_saved(
    db: Database, user_id: int, kind: str, item_id: int | None, saved_id: int
) -> None:
    """The editor saved the item (`item_id` None: they created it as `saved_id`): their draft
    of it is no longer needed."""
    async with db.transaction() as conn:
        await conn.execute(
            "DELETE FROM editing_drafts WHERE user_id = ? AND kind = ? AND item_id = ?",
            (user_id, kind, NEW if item_id is None else saved_id),
        )
