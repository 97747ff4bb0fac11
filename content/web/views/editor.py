"""Editors' pages (/redaksi): articles, categories, and the audit log for admins."""

from __future__ import annotations

from typing import Any

from quart import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from quart.typing import ResponseReturnValue

from content import (
    accounts,
    articles,
    audit,
    bulk,
    custom_modules,
    demo,
    modules_layout,
    polls,
    revisions,
    sessions,
)
from content.accounts import User
from content.articles import (
    EDITOR_DEFAULT_SORT,
    EDITOR_SORTS,
    STATE_NAMES,
    Article,
    ArticleDraft,
    CategoryDraft,
    Page,
    PageOutOfRange,
    State,
)
from content.calendar import events
from content.db import get_db
from content.i18n import N_
from content.importers import joomla
from content.live import Nn_
from content.media import banners, downloads, images, social, videos
from content.sanitize import HtmlCleaner
from content.web import current_user, local_input, parse_page_number, require, site_timezone
from content.web.i18n import gettext, ngettext
from content.web.removed import describe_all, flash_removed
from content.web.state import portal
from content.web.views import drafts
from content.web.views import revisions as revision_views

blueprint = Blueprint("editor", __name__, url_prefix="/redaksi")
edits = require(lambda user: user.can_edit)
AUDIT_PER_PAGE = 50
# What the audit log calls each action and kind of object, from the modules that write them;
# tests/test_audit.py checks that everything the code writes is named here.
AUDIT_WORDS = audit.Words.merged(
    audit.WORDS,
    accounts.AUDIT_WORDS,
    articles.AUDIT_WORDS,
    bulk.AUDIT_WORDS,
    custom_modules.AUDIT_WORDS,
    demo.AUDIT_WORDS,
    events.AUDIT_WORDS,
    joomla.AUDIT_WORDS,
    modules_layout.AUDIT_WORDS,
    polls.AUDIT_WORDS,
    sessions.AUDIT_WORDS,
    banners.AUDIT_WORDS,
    downloads.AUDIT_WORDS,
    images.AUDIT_WORDS,
    social.AUDIT_WORDS,
    videos.AUDIT_WORDS,
)


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
        values.update(revision_views.form_values(raw))
    return values


# The list's columns that sort: address value -> heading; text sorts A to Z first, dates and
# hits the largest first.
SORT_HEADINGS = {
    "judul": N_("Title"),
    "kategori": N_("Category"),
    "penulis": N_("Author"),
    "status": N_("State"),
    "tanggal": N_("Modified"),
    "dibaca": N_("Hits"),
}
FIRST_DESCENDING = frozenset({"tanggal", "dibaca"})
SCHEDULED = "jadwal"  # the state filter's value for published articles waiting for their time


def _list_arguments() -> tuple[dict[str, Any], str, bool]:
    """The list's filters as given in the address (only those set, for building links), its
    sort column and direction; 400 for a value that is not one of the list's."""
    args = request.args
    filters = {
        "q": args.get("q", "")[:200],
        "status": args.get("status", ""),
        "kategori": args.get("kategori", ""),
        "saya": "1" if args.get("saya") == "1" else "",
    }
    # scheduled articles come soonest first unless asked otherwise, as a calendar would
    default = "mulai" if filters["status"] == SCHEDULED else EDITOR_DEFAULT_SORT
    sort = args.get("urut", "") or default
    direction = args.get("arah", "")
    if sort not in EDITOR_SORTS or direction not in ("", "naik", "turun"):
        abort(400)
    descending = direction == "turun" or (direction == "" and sort in FIRST_DESCENDING)
    return {key: value for key, value in filters.items() if value}, sort, descending


def _sort_columns(
    filters: dict[str, Any], sort: str, descending: bool
) -> dict[str, dict[str, str]]:
    """Each sortable heading by its key: its link (the other direction when it is the sorted
    one) and its aria-sort ("ascending" or "descending" on the sorted one, else "")."""
    columns = {}
    for key, heading in SORT_HEADINGS.items():
        current = key == sort
        next_descending = not descending if current else key in FIRST_DESCENDING
        direction = "turun" if next_descending else "naik"
        columns[key] = {
            "label": gettext(heading),
            "href": url_for("editor.articles", **filters, urut=key, arah=direction),
            "aria_sort": ("descending" if descending else "ascending") if current else "",
        }
    return columns


@blueprint.get("/artikel", endpoint="articles")
@edits
async def articles_list() -> ResponseReturnValue:
    """All articles but trashed ones, searchable, filtered by state, category and author, sorted
    by a column; every choice is in the address, so pages and links keep them."""
    db = get_db()
    filters, sort, descending = _list_arguments()
    state_raw = filters.get("status", "")
    state = None
    scheduled_after = None
    if state_raw == SCHEDULED:
        scheduled_after = portal().clock.now()
    elif state_raw:
        try:
            state = State(int(state_raw))
        except ValueError:
            abort(400)
    category_raw = filters.get("kategori", "")
    category_id = None
    if category_raw:
        if not (category_raw.isascii() and category_raw.isdigit()) or len(category_raw) > 9:
            abort(400)
        category_id = int(category_raw)
    user = await _user()
    number = parse_page_number(request.args.get("halaman"))
    kept = {**filters}
    if sort != EDITOR_DEFAULT_SORT or not descending:
        kept.update(urut=sort, arah="turun" if descending else "naik")

    async def listed(number: int) -> Page[Article]:
        return await articles.editor_articles(
            db,
            query=filters.get("q", ""),
            state=state,
            category_id=category_id,
            number=number,
            sort=sort,
            descending=descending,
            author_id=user.id if filters.get("saya") else None,
            scheduled_after=scheduled_after,
        )

    try:
        page = await listed(number)
    except PageOutOfRange:
        # A page emptied meanwhile (its last articles trashed or moved by a bulk action, which
        # returns here): its list's last page instead.
        return redirect(_list_url(kept, (await listed(1)).pages))
    return await render_template(
        "editor/articles.html",
        page=page,
        query=filters.get("q", ""),
        state=state_raw,
        category=category_raw,
        mine=bool(filters.get("saya")),
        kept=kept,
        here=_list_url(kept, page.number),
        select_all_href=_list_url(kept, page.number, pilih="semua"),
        previous_href=_list_url(kept, page.number - 1),
        next_href=_list_url(kept, page.number + 1),
        columns=_sort_columns(filters, sort, descending),
        select_all=request.args.get("pilih") == "semua",
        categories=await articles.list_categories(db),
        state_names=STATE_NAMES,
        scheduled=SCHEDULED,
        now=portal().clock.now(),
        bulk_actions=bulk.ACTION_NAMES,
    )


def _list_url(kept: dict[str, Any], number: int, **more: Any) -> str:
    """The list's address with its filters and sort, at page `number`."""
    return url_for("editor.articles", **kept, halaman=number if number > 1 else None, **more)


def _back_to_list(raw: str) -> str:
    """Where a bulk action returns: the list as it was (its filters, sort and page), never
    another address."""
    base = url_for("editor.articles")
    if raw == base or (raw.startswith(base + "?") and "\\" not in raw and raw.isprintable()):
        return raw
    return base


# What the confirmation says, by action: how many articles changed.
BULK_DONE = {
    "publish": Nn_("%(num)s article published.", "%(num)s articles published."),
    "unpublish": Nn_("%(num)s article unpublished.", "%(num)s articles unpublished."),
    "feature": Nn_("%(num)s article featured.", "%(num)s articles featured."),
    "unfeature": Nn_("%(num)s article no longer featured.", "%(num)s articles no longer featured."),
    "move": Nn_(
        "%(num)s article moved to %(category)s.", "%(num)s articles moved to %(category)s."
    ),
    "trash": Nn_("%(num)s article moved to the trash.", "%(num)s articles moved to the trash."),
}


@blueprint.post("/artikel/massal")
@edits
async def bulk_articles() -> ResponseReturnValue:
    """Publish, unpublish, feature, unfeature, move or trash the ticked articles, all or none,
    and say how many changed."""
    form = await request.form
    back = _back_to_list(form.get("kembali", ""))
    action = form.get("aksi", "")
    category_id = None
    target = form.get("kategori_tujuan", "")
    if action == "move" and target:
        if not (target.isascii() and target.isdigit()) or len(target) > 9:
            await flash(gettext("That category does not exist. Choose one from the list."), "error")
            return redirect(back)
        category_id = int(target)
    try:
        ids = bulk.parse_ids(form.getlist("artikel"))
        result = await bulk.apply(get_db(), action, ids, await _user(), category_id=category_id)
    except bulk.BulkRefused as refused:
        await flash(gettext(refused.message), "error")
        return redirect(back)
    category = ""
    if action == "move" and category_id is not None:
        found = await articles.get_category(get_db(), category_id)
        category = found.title if found else ""
    singular, plural = BULK_DONE[action]
    message = ngettext(singular, plural, len(result.changed), category=category)
    if result.unchanged:
        message += " " + ngettext(
            "%(num)s was already so and was left as it was.",
            "%(num)s were already so and were left as they were.",
            result.unchanged,
        )
    await flash(message, "ok")
    return redirect(back)


async def _article_form(
    article_id: int | None, draft: ArticleDraft, errors: dict[str, str], **extra: Any
) -> str:
    values = extra.pop("values", None) or _form_values(draft)
    article = extra.get("article")
    offer = await drafts.offer("article", article_id, article.modified if article else None)
    return await render_template(
        "editor/article_form.html",
        article_id=article_id,
        values=await revision_views.with_base(revision_views.ARTICLES, article_id, values),
        **revision_views.form_links(revision_views.ARTICLES, article_id),
        errors=errors,
        categories=await articles.list_categories(get_db()),
        state_names=STATE_NAMES,
        draft_offer=offer,
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
        try:
            saved_id, errors = await articles.save_article(
                db, cleaned, await _user(), _cleaner(), article_id, **revision_views.saving(raw)
            )
        except revisions.Conflict as conflict:
            shown = await revision_views.conflict_view(revision_views.ARTICLES, conflict)
            page = await _article_form(
                article_id, draft, {}, values=values, article=existing, conflict=shown
            )
            return page, 409
        if saved_id is not None:
            await drafts.saved("article", article_id, saved_id)
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
        "editor/audit.html",
        entries=entries,
        number=number,
        pages=pages,
        total=total,
        words=AUDIT_WORDS,
        actors=audit.ACTORS,
    )
