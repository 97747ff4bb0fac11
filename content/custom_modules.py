"""Custom HTML modules: an editor's notice or contact box, placed like the built-in modules.

The body is cleaned by the site's one cleaner when it is saved; pages show what was stored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from content import audit, modules_layout, revisions
from content.accounts import User
from content.db import Database, parse_utc_or_none, utcnow
from content.events import ModulesChanged
from content.i18n import N_
from content.modules_layout import EVERY_PAGE, POSITIONS, CustomModule, Pages, Placement
from content.sanitize import HtmlCleaner

CUSTOM_MODULES = audit.Kind("custom_modules", "custom_module")
AUDIT_WORDS = audit.Words(kinds={"custom_module": N_("Custom module")})
REVISION_KIND = "custom_module"
MAX_TITLE = 200
MAX_BODY = 200_000


@dataclass(frozen=True)
class CustomDraft:
    """A custom module as the form gave it, checked (the body not cleaned yet)."""

    title: str = ""
    show_title: bool = True
    body_html: str = ""
    position: str = "right"
    ordering: int = 0
    enabled: bool = True
    pages: Pages = EVERY_PAGE


def parse_custom_form(
    form: Mapping[str, str], categories: Iterable[str], known_categories: Iterable[int]
) -> tuple[CustomDraft, dict[str, str]]:
    """A draft from the editors' form (title, show_title, body_html, position, ordering,
    enabled, pages, and the ticked `categories`), with a message per field that is wrong."""
    errors: dict[str, str] = {}
    title = " ".join(form.get("title", "").split())
    show_title = form.get("show_title") == "1"
    if show_title and not title:
        errors["title"] = N_("Give the module a title, or choose not to show one.")
    elif len(title) > MAX_TITLE:
        errors["title"] = N_("The title is too long (at most 200 characters).")
    body = form.get("body_html", "")
    if not body.strip():
        errors["body_html"] = N_("Write what the module shows.")
    elif len(body) > MAX_BODY:
        errors["body_html"] = N_("The text is too long.")
    position = form.get("position", "")
    if position not in POSITIONS:
        errors["position"] = N_("Choose a position from the list.")
    raw = form.get("ordering", "").strip()
    ordering = 0
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 3:
        errors["ordering"] = N_("Enter a whole number from 0 to 999.")
    else:
        ordering = int(raw)
    pages, page_errors = modules_layout.parse_pages_form(
        form.get("pages", ""), categories, known_categories
    )
    errors.update(page_errors)
    draft = CustomDraft(
        title=title,
        show_title=show_title,
        body_html=body,
        position=position,
        ordering=ordering,
        enabled=form.get("enabled") == "1",
        pages=pages,
    )
    return draft, errors


def draft_of(placement: Placement) -> CustomDraft:
    """The draft that shows a stored custom module in its form."""
    module = placement.custom
    assert module is not None
    return CustomDraft(
        title=module.name,
        show_title=module.show_title,
        body_html=module.body_html,
        position=placement.position,
        ordering=placement.ordering,
        enabled=placement.enabled,
        pages=placement.pages,
    )


async def get_custom(db: Database, module_id: int) -> Placement | None:
    """A custom module with its placement, or None."""
    key = modules_layout.custom_key(module_id)
    for placement in await modules_layout.placements(db):
        if placement.key == key:
            return placement
    return None


async def last_saved(db: Database, module_id: int) -> datetime | None:
    """When a custom module was last saved (UTC), or None when there is none."""
    return parse_utc_or_none(
        await db.fetchval("SELECT modified FROM custom_modules WHERE id = ?", (module_id,))
    )


def _describe(draft: CustomDraft, title: str) -> str:
    state = "on" if draft.enabled else "off"
    shown = "" if draft.show_title else " (title hidden)"
    return (
        f"{title}{shown}: {draft.position} {draft.ordering} {state}, pages {draft.pages.describe()}"
    )


def revision_fields(draft: CustomDraft, body_html: str) -> dict[str, object]:
    """Everything a save of a custom module writes, as its revision keeps it."""
    return {
        "title": draft.title,
        "show_title": draft.show_title,
        "body_html": body_html,
        "position": draft.position,
        "ordering": draft.ordering,
        "enabled": draft.enabled,
        "pages": draft.pages.mode,
        "categories": sorted(draft.pages.categories),
    }


async def save_custom(
    db: Database,
    draft: CustomDraft,
    user: User | None,
    cleaner: HtmlCleaner,
    module_id: int | None = None,
    *,
    based_on: int | None = None,
    overwrite: int | None = None,
    note: str = "",
    restored_from: int | None = None,
) -> int:
    """Create or change a custom module, its body cleaned, its place and pages stored, with an
    audit entry and a revision, in one transaction; its id. LookupError when `module_id` names
    none; revisions.Conflict (nothing written) when someone saved it after revision `based_on`
    and that save is not `overwrite`. `restored_from`: the revision this save restores."""
    existing = None if module_id is None else await get_custom(db, module_id)
    if module_id is not None and existing is None:
        raise LookupError(module_id)
    now = utcnow()
    values = {
        "title": draft.title,
        "show_title": int(draft.show_title),
        "body_html": cleaner.clean(draft.body_html),
        "modified": now,
    }
    detail = _describe(draft, draft.title or "-")
    if restored_from is not None:
        detail = f"{detail} (revision {restored_from})"
    async with db.transaction() as conn:
        if module_id is not None:
            await revisions.check_base(conn, REVISION_KIND, module_id, based_on, overwrite)
        module_id = await audit.save_row(
            conn,
            user,
            CUSTOM_MODULES,
            module_id,
            values,
            on_insert={"created": now},
            action="update" if restored_from is None else "restore",
            detail=detail,
        )
        key = modules_layout.custom_key(module_id)
        module = CustomModule(key, modules_layout.CUSTOM_TEMPLATE, draft.title, id=module_id)
        placement = Placement(
            key, draft.position, draft.ordering, draft.enabled, draft.pages, module
        )
        await modules_layout.write_place(conn, placement)
        # The save's own entry says the pages; a second one would say it again.
        await modules_layout.write_pages(conn, user, key, None, draft.pages)
        fields = revision_fields(draft, str(values["body_html"]))
        await revisions.record(
            conn,
            REVISION_KIND,
            module_id,
            user,
            fields,
            note=note,
            origin="" if restored_from is None else "restore",
            restored_from=restored_from,
        )
        db.announce(ModulesChanged())
    return module_id


def draft_of_revision(fields: Mapping[str, Any], known_categories: Iterable[int]) -> CustomDraft:
    """The module a revision holds, as a draft to save again (categories that are gone left
    out)."""
    known = set(known_categories)
    return CustomDraft(
        title=fields["title"],
        show_title=bool(fields["show_title"]),
        body_html=fields["body_html"],
        position=fields["position"] if fields["position"] in POSITIONS else "right",
        ordering=int(fields["ordering"]),
        enabled=bool(fields["enabled"]),
        pages=Pages(fields["pages"], frozenset(c for c in fields["categories"] if c in known)),
    )


async def restore_custom(
    db: Database, module_id: int, number: int, user: User, cleaner: HtmlCleaner
) -> int:
    """Save a module's revision `number` again, as a new revision (audited as a restore);
    LookupError when there is no such revision or module."""
    revision = await revisions.get(db, REVISION_KIND, module_id, number)
    if revision is None:
        raise LookupError(number)
    known = [row["id"] for row in await db.fetchall("SELECT id FROM categories")]
    draft = draft_of_revision(revision.fields, known)
    return await save_custom(db, draft, user, cleaner, module_id, restored_from=number)


async def delete_custom(db: Database, module_id: int, user: User) -> bool:
    """Remove a custom module, its place and its pages; False when there is none."""
    async with db.transaction() as conn:
        async with conn.execute(
            "SELECT title FROM custom_modules WHERE id = ?", (module_id,)
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return False
        await conn.execute("DELETE FROM custom_modules WHERE id = ?", (module_id,))
        # Named in the log by its title, or by its number when it had none.
        await audit.record(
            conn, user, "delete", "custom_module", module_id, row[0] or f"#{module_id}"
        )
        await revisions.forget(conn, REVISION_KIND, module_id)
        db.announce(ModulesChanged())
    return True
