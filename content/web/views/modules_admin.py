"""Module positions (/redaksi/modul): which modules show, where, in which order."""

from __future__ import annotations

from quart import Blueprint, redirect, render_template, request, url_for
from quart.typing import ResponseReturnValue

from content import modules_layout
from content.db import get_db
from content.web import current_user, require

blueprint = Blueprint("modules_admin", __name__)
edits = require(lambda user: user.can_edit)


@blueprint.route("/redaksi/modul", methods=["GET", "POST"])
@edits
async def positions() -> ResponseReturnValue:
    """One form for every module: position, order, on or off."""
    db = get_db()
    current = await modules_layout.placements(db)
    errors: dict[str, str] = {}
    shown = current
    if request.method == "POST":
        form = await request.form
        chosen, errors = modules_layout.parse_layout_form(form, current)
        if not errors:
            user = await current_user()
            assert user is not None  # guaranteed by @edits
            await modules_layout.save_layout(db, chosen, user)
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
    )
    return (page, 400) if errors else page
