"""Public pages: home, categories, articles, and the language switch."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from quart import (
    Blueprint,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from quart.typing import ResponseReturnValue

from content import articles
from content.articles import Article, PageOutOfRange
from content.db import get_db
from content.i18n import LANGUAGE_COOKIE, LANGUAGES
from content.live import get_presence
from content.modules_layout import HOME_PAGE, Page
from content.stats import get_counter
from content.web import (
    VENDOR_FILES,
    announce_page_view,
    current_user,
    parse_page_number,
    request_visit,
    safe_next,
)
from content.web.page_cache import shared_page
from content.web.sidebar import sidebar

blueprint = Blueprint("public", __name__)

# "12-optimalisasi-media-sosial" or a bare "12"; ids are bounded so SQLite never overflows.
SLUG = re.compile(r"^(\d{1,12})(?:-([a-z0-9-]{1,200}))?$")
ONE_YEAR = 365 * 24 * 3600


def _parse_slug(slug: str) -> tuple[int, str | None]:
    match = SLUG.match(slug)
    if match is None:
        abort(404)
    return int(match.group(1)), match.group(2)


@blueprint.get("/")
@shared_page()
async def home() -> str:
    """Featured articles as a blog, newest first."""
    number = parse_page_number(request.args.get("halaman"))
    try:
        page = await articles.featured_articles(get_db(), number, _per_page())
    except PageOutOfRange:
        abort(404)
    return await render_template("home.html", page=page, **await sidebar(HOME_PAGE))


def _per_page() -> int:
    value: int = current_app.config["ARTICLES_PER_PAGE"]
    return value


@blueprint.get("/kategori/<slug>")
@shared_page()
async def category(slug: str) -> ResponseReturnValue:
    """A category's articles, as a blog or a list, paginated."""
    category_id, alias = _parse_slug(slug)
    db = get_db()
    found = await articles.get_category(db, category_id)
    if found is None or not found.published:
        abort(404)
    if alias != found.alias:
        return redirect(url_for("public.category", slug=found.slug), 301)
    number = parse_page_number(request.args.get("halaman"))
    layout = request.args.get("tampilan", found.layout)
    if layout not in ("blog", "list"):
        abort(400)
    with_children = await articles.includes_children(db, found)
    try:
        page = await articles.category_articles(
            db, found, number, _per_page(), with_children=with_children
        )
    except PageOutOfRange:
        abort(404)
    children = [
        c
        for c in await articles.list_categories(db, published_only=True)
        if c.parent_id == found.id
    ]
    return await render_template(
        "category.html",
        category=found,
        path=await articles.category_path(db, found),
        children=children,
        with_children=with_children,
        page=page,
        layout=layout,
        **await sidebar(Page(category_id=found.id)),
    )


async def _visible_article(article_id: int) -> tuple[Article, bool]:
    """The article and whether it is shown as an editor's preview; 404 for visitors otherwise."""
    article = await articles.get_article(get_db(), article_id)
    if article is None:
        abort(404)
    if article.is_readable(datetime.now(UTC)):
        return article, False
    user = await current_user()
    if user is not None and user.can_edit:
        return article, True
    abort(404)


@blueprint.get("/artikel/<slug>")
@shared_page()
async def article(slug: str) -> ResponseReturnValue:
    """One article; an old alias or a bare id redirects to the current address."""
    article_id, alias = _parse_slug(slug)
    found, preview = await _visible_article(article_id)
    if alias != found.alias:
        if alias is not None and not await articles.had_alias(get_db(), found.id, alias):
            abort(404)
        return redirect(url_for("public.article", slug=found.slug), 301)
    db = get_db()
    category = await articles.get_category(db, found.category_id)
    assert category is not None
    counter = get_counter()
    if not preview and request.method == "GET":
        # Announced now rather than after the response, so the page shows its own hit; the
        # page kept for others notes the article, whose hit each serve of it announces.
        staff = await current_user() is not None
        announce_page_view(
            current_app, request_visit(), request.path, staff=staff, article_id=found.id
        )
        g.page_view_announced = True
        g.counted_article = found.id
    presence = get_presence()
    # The reader who asked is reading it too, though their socket is not connected yet.
    readers = max(1, presence.readers(request.path)) if presence else None
    return await render_template(
        "article.html",
        article=found,
        preview=preview,
        readers=readers,
        hits=found.hits + counter.unflushed_hits(found.id),
        path=await articles.category_path(db, category),
        **await sidebar(Page(category_id=found.category_id)),  # its category's modules
    )


@blueprint.get("/vendor/<name>")
async def vendor(name: str) -> ResponseReturnValue:
    """A front-end file installed from npm (the socket.io client, the editor); at its versioned
    URL it is kept a year (content/web/caching.py)."""
    path = VENDOR_FILES.get(name)
    if path is None or not path.is_file():
        abort(404)
    mimetype = "text/css" if path.suffix == ".css" else "text/javascript"
    return await send_file(path, mimetype=mimetype)


@blueprint.get("/bahasa/<code>")
async def choose_language(code: str) -> ResponseReturnValue:
    """Switch the interface language and remember it in a cookie; works without JavaScript."""
    if code not in LANGUAGES:
        abort(404)
    response = redirect(safe_next(request.args.get("next")))
    response.set_cookie(
        LANGUAGE_COOKIE, code, max_age=ONE_YEAR, samesite="Lax", httponly=True, path="/"
    )
    return response
