"""Modules (/redaksi/modul): which modules show, where, in which order and on which pages, and
the editors' own HTML modules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from quart import Blueprint, abort, redirect, render_template, request, url_for
from quart.typing import ResponseReturnValue

from content import articles, custom_modules, modules_layout, revisions
from content.accounts import User
from content.articles import Category
from content.custom_modules import CustomDraft
from content.db import Database, get_db
from content.i18n import N_
from content.revisions import Shown
from content.sanitize import HtmlCleaner
from content.web import current_user, require
from content.web.i18n import gettext
from content.web.removed import flash_removed
from content.web.state import portal
from content.web.views import drafts as draft_views
from content.web.views import revisions as revision_views

blueprint = Blueprint("modules_admin", __name__)
edits = require(lambda user: user.can_edit)
MODULE_ID = "int(signed=False)"


async def _user() -> User:
    user = await current_user()
    assert user is not None  # guaranteed by @edits
    return user


async def _categories() -> list[Category]:
    return await articles.list_categories(get_db())


@blueprint.route("/redaksi/modul", methods=["GET", "POST"])
@edits
async def positions() -> ResponseReturnValue:
    """One form for every module: position, order, on or off; each module's pages beside it."""
    db = get_db()
    current = await modules_layout.placements(db)
    errors: dict[str, str] = {}
    shown = current
    if request.method == "POST":
        form = await request.form
        chosen, errors = modules_layout.parse_layout_form(form, current)
        if not errors:
            changed = await modules_layout.save_layout(db, chosen, await _user())
            # "Change" beside a module's pages saves the form first, so nothing typed is lost
            then = form.get("halaman", "")
            if any(p.key == then for p in current):
                target = url_for("modules_admin.pages", key=then)
                return redirect(f"{target}?posisi=1" if changed else target)
            return redirect(url_for("modules_admin.positions", disimpan=1))
        shown = chosen
        raw_orderings = {p.key: form.get(f"ordering-{p.key}", "") for p in current}
    else:
        raw_orderings = {p.key: str(p.ordering) for p in current}
    page = await render_template(
        "editor/modules.html",
        placements=shown,
        orderings=raw_orderings,
        errors=errors,
        positions=modules_layout.POSITION_NAMES,
        category_lists=_category_lists(shown, await _categories()),
    )
    return (page, 400) if errors else page


def _category_lists(
    placed: list[modules_layout.Placement], categories: list[Category]
) -> dict[str, str]:
    """Per module, the titles of the categories it is shown in, for the positions page."""
    titles = {category.id: category.title for category in categories}
    return {
        p.key: ", ".join(sorted(titles[c] for c in p.pages.categories if c in titles))
        for p in placed
    }


def _chosen_ids(raw: list[str]) -> set[int]:
    """The ticked categories as typed, to show them again on a form sent back."""
    return {int(value) for value in raw if value.isascii() and value.isdigit() and len(value) < 13}


@blueprint.route("/redaksi/modul/<key>/halaman", methods=["GET", "POST"])
@edits
async def pages(key: str) -> ResponseReturnValue:
    """The pages one module shows on: every page, the home page, or chosen categories."""
    db = get_db()
    placement = next((p for p in await modules_layout.placements(db) if p.key == key), None)
    if placement is None:
        abort(404)
    categories = await _categories()
    errors: dict[str, str] = {}
    mode, chosen = placement.pages.mode, set(placement.pages.categories)
    if request.method == "POST":
        form = await request.form
        raw = form.getlist("categories")
        new, errors = modules_layout.parse_pages_form(
            form.get("pages", ""), raw, (c.id for c in categories)
        )
        if not errors:
            await modules_layout.save_pages(db, placement, new, await _user())
            return redirect(url_for("modules_admin.positions", disimpan=1))
        mode, chosen = form.get("pages", ""), _chosen_ids(raw)
    page = await render_template(
        "editor/module_pages.html",
        page_modes=modules_layout.PAGES,
        placement=placement,
        mode=mode,
        chosen=chosen,
        categories=categories,
        errors=errors,
    )
    return (page, 400) if errors else page


@blueprint.route("/redaksi/modul/html/baru", methods=["GET", "POST"])
@edits
async def new_custom() -> ResponseReturnValue:
    """Add a custom HTML module."""
    return await _edit_custom(None)


@blueprint.route(f"/redaksi/modul/html/<{MODULE_ID}:module_id>", methods=["GET", "POST"])
@edits
async def edit_custom(module_id: int) -> ResponseReturnValue:
    """Change a custom HTML module."""
    return await _edit_custom(module_id)


async def _edit_custom(module_id: int | None) -> ResponseReturnValue:
    db = get_db()
    existing = None
    if module_id is not None:
        existing = await custom_modules.get_custom(db, module_id)
        if existing is None:
            abort(404)
    categories = await _categories()
    errors: dict[str, str] = {}
    conflict = None
    revision_values: dict[str, Any] = {}
    if request.method == "GET":
        draft = custom_modules.draft_of(existing) if existing else CustomDraft()
        mode, chosen = draft.pages.mode, set(draft.pages.categories)
        ordering = str(draft.ordering)
    else:
        form = await request.form
        raw = form.getlist("categories")
        revision_values = revision_views.form_values(form)
        draft, errors = custom_modules.parse_custom_form(form, raw, (c.id for c in categories))
        if not errors:
            cleaner = portal().cleaner
            # Cleaned here for the report too: the save cleans it again, changing nothing.
            removed = cleaner.clean_with_report(draft.body_html).removed
            try:
                saved = await custom_modules.save_custom(
                    db, draft, await _user(), cleaner, module_id, **revision_views.saving(form)
                )
            except revisions.Conflict as refused:
                conflict = await revision_views.conflict_view(CUSTOM_MODULES, refused)
            else:
                await draft_views.saved(custom_modules.REVISION_KIND, module_id, saved)
                await flash_removed(removed)
                return redirect(url_for("modules_admin.edit_custom", module_id=saved, disimpan=1))
        mode, chosen = form.get("pages", ""), _chosen_ids(raw)
        ordering = form.get("ordering", "")
    page = await render_template(
        "editor/custom_module_form.html",
        page_modes=modules_layout.PAGES,
        existing=existing,
        draft=draft,
        ordering=ordering,
        mode=mode,
        chosen=chosen,
        categories=categories,
        positions=modules_layout.POSITION_NAMES,
        errors=errors,
        values=await revision_views.with_base(CUSTOM_MODULES, module_id, revision_values),
        **revision_views.form_links(CUSTOM_MODULES, module_id),
        conflict=conflict,
        draft_offer=await draft_views.offer(
            custom_modules.REVISION_KIND,
            module_id,
            await custom_modules.last_saved(db, module_id) if module_id else None,
        ),
    )
    if conflict is not None:
        return page, 409
    return (page, 400) if errors else page


@blueprint.route(f"/redaksi/modul/html/<{MODULE_ID}:module_id>/hapus", methods=["GET", "POST"])
@edits
async def delete_custom(module_id: int) -> ResponseReturnValue:
    """Remove a custom HTML module, after a confirmation page."""
    db = get_db()
    existing = await custom_modules.get_custom(db, module_id)
    if existing is None or existing.custom is None:
        abort(404)
    if request.method == "POST":
        await custom_modules.delete_custom(db, module_id, await _user())
        return redirect(url_for("modules_admin.positions", dihapus=1))
    return await render_template(
        "editor/confirm_delete.html",
        item_name=existing.custom.label,
        back=url_for("modules_admin.edit_custom", module_id=module_id),
        heading=gettext("Delete custom module"),
    )


# Revisions: the history, comparison and restore pages of /redaksi/modul-html/<id>/revisi.


async def _custom_title(db: Database, item_id: int) -> str | None:
    found = await custom_modules.get_custom(db, item_id)
    return None if found is None or found.custom is None else found.custom.label


async def _custom_values(db: Database, fields: Mapping[str, Any]) -> dict[str, str]:
    titles = {category.id: category.title for category in await articles.list_categories(db)}
    pages = gettext(modules_layout.PAGES.get(fields["pages"], fields["pages"]))
    if fields["pages"] == modules_layout.IN_CATEGORIES:
        names = sorted(titles.get(c, f"#{c}") for c in fields["categories"])
        pages = f"{pages}: {', '.join(names)}"
    position = modules_layout.POSITION_NAMES.get(fields["position"], fields["position"])
    return {
        "title": fields["title"],
        "show_title": gettext("Yes") if fields["show_title"] else gettext("No"),
        "body_html": fields["body_html"],
        "position": gettext(position),
        "ordering": str(fields["ordering"]),
        "enabled": gettext("Yes") if fields["enabled"] else gettext("No"),
        "pages": pages,
    }


async def _restore_custom(
    db: Database, item_id: int, number: int, user: User, cleaner: HtmlCleaner
) -> dict[str, str]:
    await custom_modules.restore_custom(db, item_id, number, user, cleaner)
    return {}


async def _no_public_page(db: Database, item_id: int) -> str | None:
    return None  # a module shows on many pages, none of its own


CUSTOM_MODULES = revision_views.Revisable(
    kind=custom_modules.REVISION_KIND,
    slug="modul-html",
    fields=(
        Shown("title", N_("Title")),
        Shown("show_title", N_("Show the title above the module")),
        Shown("position", N_("Position")),
        Shown("ordering", N_("Order")),
        Shown("enabled", N_("Shown")),
        Shown("pages", N_("Shown on")),
        Shown("body_html", N_("Content"), is_html=True),
    ),
    title=_custom_title,
    values=_custom_values,
    restore=_restore_custom,
    edit_url=lambda item_id: url_for("modules_admin.edit_custom", module_id=item_id),
    public_url=_no_public_page,
)
revision_views.register(CUSTOM_MODULES)
