"""Editors' pages (/redaksi): articles, categories, and the audit log for admins."""

from __future__ import annotations

from typing import Any

from quart import (
    Blueprint,
    abort,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from quart.typing import ResponseReturnValue

from content import articles, audit
from content.accounts import User
from content.articles import STATE_NAMES, ArticleDraft, CategoryDraft, PageOutOfRange, State
from content.db import get_db
from content.sanitize import HtmlCleaner
from content.web import current_user, local_input, parse_page_number, require, site_timezone
from content.web.i18n import gettext
from content.web.removed import describe_all, flash_removed
from content.web.state import portal

blueprint = Blueprint("editor", __name__, url_prefix="/redaksi")
edits = require(lambda user: user.can_edit)
AUDIT_PER_PAGE = 50


def _cleaner() -> HtmlCleaner:
    return portal().cleaner


async def _user() -> User:
    user = await current_user()
    assert user is not None  # guaranteed by @edits
    return user


def _form_values(draft: ArticleDraft, raw: dict[str, str] | None = None) -> dict[str, Any]:
    """What the form fields show: what the person typed when there is an error."""
    values: dict[str, Any] = {
        "title": draft.title,
        "alias": draft.alias,
        "category_id": str(draft.category_id or ""),
        "intro_html": draft.intro_html,
        "full_html": draft.full_html,
        "author_name": draft.author_name,
        "state": str(int(draft.state)),
        "featured": draft.featured,
        "publish_up": local_input(draft.publish_up),
        "publish_down": local_input(draft.publish_down),
        "meta_description": draft.meta_description,
        "intro_image": draft.intro_image,
    }
    if raw is not None:
        for key in ("publish_up", "publish_down", "alias", "category_id", "state"):
            values[key] = raw.get(key, "")
    return values


@blueprint.get("/", endpoint="articles")
@edits
async def articles_list() -> str:
    """All articles but trashed ones, searchable and filtered by state and category."""
    db = get_db()
    query = request.args.get("q", "")[:200]
    state_raw = request.args.get("status", "")
    state = None
    if state_raw:
        try:
            state = State(int(state_raw))
        except ValueError:
            abort(400)
    category_raw = request.args.get("kategori", "")
    category_id = None
    if category_raw:
        if not (category_raw.isascii() and category_raw.isdigit()) or len(category_raw) > 9:
            abort(400)
        category_id = int(category_raw)
    number = parse_page_number(request.args.get("halaman"))
    try:
        page = await articles.editor_articles(
            db, query=query, state=state, category_id=category_id, number=number
        )
    except PageOutOfRange:
        abort(404)
    return await render_template(
        "editor/articles.html",
        page=page,
        query=query,
        state=state_raw,
        category=category_raw,
        categories=await articles.list_categories(db),
        state_names=STATE_NAMES,
    )


async def _article_form(
    article_id: int | None, draft: ArticleDraft, errors: dict[str, str], **extra: Any
) -> str:
    return await render_template(
        "editor/article_form.html",
        article_id=article_id,
        values=extra.pop("values", None) or _form_values(draft),
        errors=errors,
        categories=await articles.list_categories(get_db()),
        state_names=STATE_NAMES,
        **extra,
    )


@blueprint.route("/artikel/baru", methods=["GET", "POST"])
@edits
async def new_article() -> ResponseReturnValue:
    """Write a new article; the preview shows the cleaned HTML before saving."""
    return await _edit(None)


@blueprint.route("/artikel/<int:article_id>", methods=["GET", "POST"])
@edits
async def edit_article(article_id: int) -> ResponseReturnValue:
    """Edit an article."""
    return await _edit(article_id)


async def _edit(article_id: int | None) -> ResponseReturnValue:
    db = get_db()
    existing = None
    if article_id is not None:
        existing = await articles.get_article(db, article_id)
        if existing is None:
            abort(404)
    if request.method == "GET":
        if existing is None:
            return await _article_form(None, ArticleDraft(author_name=""), {})
        draft = ArticleDraft(
            title=existing.title,
            alias=existing.alias,
            category_id=existing.category_id,
            intro_html=existing.intro_html,
            full_html=existing.full_html,
            author_name=existing.author_name,
            state=existing.state,
            featured=existing.featured,
            publish_up=existing.publish_up,
            publish_down=existing.publish_down,
            meta_description=existing.meta_description,
            intro_image=existing.intro_image,
        )
        return await _article_form(article_id, draft, {}, article=existing)
    form = await request.form
    raw = {key: form.get(key, "") for key in form}
    draft, errors = articles.parse_article_form(raw, site_timezone())
    values = _form_values(draft, raw)
    if form.get("action") == "preview" and not errors:
        preview, removed = articles.clean_draft_with_report(draft, _cleaner())
        return await _article_form(
            article_id,
            draft,
            {},
            values=values,
            preview=preview,
            removed=describe_all(removed),
            article=existing,
        )
    if not errors:
        # Cleaned here for the report; save_article cleans again, which changes nothing.
        cleaned, removed = articles.clean_draft_with_report(draft, _cleaner())
        saved_id, errors = await articles.save_article(
            db, cleaned, await _user(), _cleaner(), article_id
        )
        if saved_id is not None:
            await flash_removed(removed)
            return redirect(url_for("editor.edit_article", article_id=saved_id, disimpan=1))
    page = await _article_form(article_id, draft, errors, values=values, article=existing)
    return page, 400


@blueprint.post("/pratinjau-html")
@edits
async def preview_html() -> ResponseReturnValue:
    """What the cleaner makes of a piece of HTML (form field ``html``), and what it would remove,
    worded in the editor's language: the rich-text editor asks while someone writes."""
    form = await request.form
    cleaned = _cleaner().clean_with_report(form.get("html", ""))
    removed = describe_all(cleaned.removed)
    return jsonify(
        {
            "html": cleaned.html,
            "removed": removed,
            "message": gettext("Removed by the cleaner:") if removed else "",
        }
    )


@blueprint.post("/artikel/<int:article_id>/status")
@edits
async def change_state(article_id: int) -> ResponseReturnValue:
    """Publish, unpublish, archive or trash."""
    form = await request.form
    try:
        state = State(int(form.get("state", "")))
    except ValueError:
        abort(400)
    if not await articles.set_state(get_db(), article_id, state, await _user()):
        abort(404)
    return redirect(request.referrer or url_for("editor.articles"))


@blueprint.post("/artikel/<int:article_id>/unggulan")
@edits
async def change_featured(article_id: int) -> ResponseReturnValue:
    """Feature on the home page, or take off."""
    form = await request.form
    featured = form.get("featured")
    if featured not in ("0", "1"):
        abort(400)
    if not await articles.set_featured(get_db(), article_id, featured == "1", await _user()):
        abort(404)
    return redirect(request.referrer or url_for("editor.articles"))


@blueprint.get("/kategori")
@edits
async def categories() -> str:
    """The category tree."""
    return await render_template(
        "editor/categories.html", categories=await articles.list_categories(get_db())
    )


@blueprint.route("/kategori/baru", methods=["GET", "POST"])
@edits
async def new_category() -> ResponseReturnValue:
    """Create a category."""
    return await _edit_category(None)


@blueprint.route("/kategori/<int:category_id>", methods=["GET", "POST"])
@edits
async def edit_category(category_id: int) -> ResponseReturnValue:
    """Edit a category."""
    return await _edit_category(category_id)


async def _edit_category(category_id: int | None) -> ResponseReturnValue:
    db = get_db()
    draft = CategoryDraft()
    if category_id is not None:
        existing = await articles.get_category(db, category_id)
        if existing is None:
            abort(404)
        draft = CategoryDraft(
            title=existing.title,
            alias=existing.alias,
            description=existing.description,
            parent_id=existing.parent_id,
            layout=existing.layout,
            ordering=existing.ordering,
            published=existing.published,
            include_children=existing.include_children,
        )
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = await request.form
        draft, errors = articles.parse_category_form({key: form.get(key, "") for key in form})
        if not errors:
            saved_id, errors = await articles.save_category(db, draft, await _user(), category_id)
            if saved_id is not None:
                return redirect(url_for("editor.categories"))
    page = await render_template(
        "editor/category_form.html",
        category_id=category_id,
        include_children=articles.INCLUDE_CHILDREN,
        draft=draft,
        errors=errors,
        categories=[c for c in await articles.list_categories(db) if c.id != category_id],
    )
    return (page, 400) if errors else page


@blueprint.get("/audit")
@require(lambda user: user.is_admin)
async def audit_log() -> str:
    """Who changed what, and when (admins only)."""
    number = parse_page_number(request.args.get("halaman"))
    entries, total = await audit.entries(
        get_db(), limit=AUDIT_PER_PAGE, offset=(number - 1) * AUDIT_PER_PAGE
    )
    if number > 1 and not entries:
        abort(404)
    pages = max(1, -(-total // AUDIT_PER_PAGE))
    return await render_template(
        "editor/audit.html", entries=entries, number=number, pages=pages, total=total
    )
