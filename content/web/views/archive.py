"""The archive, as Joomla's: archived articles by year and month, and per category and year."""

from __future__ import annotations

from datetime import UTC, datetime

from quart import Blueprint, abort, current_app, render_template, request
from quart.typing import ResponseReturnValue

from content import archive, articles
from content.articles import PageOutOfRange
from content.db import get_db
from content.text_modules import article_parts, without_modules
from content.web import parse_page_number
from content.web.page_cache import shared_page
from content.web.sidebar import sidebar
from content.web.views.public import _parse_slug

blueprint = Blueprint("archive", __name__)

FIRST_YEAR, LAST_YEAR = 1990, 2200
LATEST = 10

# Article pages show the modules their text names; other pages leave the tags out.
blueprint.add_app_template_global(article_parts, "article_parts")
blueprint.add_app_template_filter(without_modules, "without_modules")


@blueprint.app_template_global("archive_months")
async def archive_months() -> list[archive.Month]:
    """The months with archived articles, for the archive module inside an article."""
    return await archive.months(get_db())


@blueprint.app_template_global("month_moment")
def month_moment(year: int, month: int) -> datetime:
    """A moment in the middle of a month, so its name is the same in every time zone."""
    return datetime(year, month, 15, 12, tzinfo=UTC)


@blueprint.get("/arsip")
@shared_page()
async def index() -> ResponseReturnValue:
    """The years and months with archived articles, and the newest of them."""
    db = get_db()
    found = await archive.months(db)
    years: dict[int, list[archive.Month]] = {}
    for month in found:
        years.setdefault(month.year, []).append(month)
    return await render_template(
        "archive.html",
        years=years,
        recent=await archive.latest_archived(db, LATEST),
        page=None,
        year=None,
        month=None,
        category=None,
        **await sidebar(),
    )


async def _year_page(year: int, slug: str | None) -> ResponseReturnValue:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        abort(404)
    db = get_db()
    category = None
    if slug is not None:
        category_id, alias = _parse_slug(slug)
        category = await articles.get_category(db, category_id)
        if category is None or not category.published or alias != category.alias:
            abort(404)
    raw_month = request.args.get("bulan")
    month = None
    if raw_month:
        if not raw_month.isdigit() or not 1 <= int(raw_month) <= 12:
            abort(400)
        month = int(raw_month)
    number = parse_page_number(request.args.get("halaman"))
    per_page: int = current_app.config["ARTICLES_PER_PAGE"]
    try:
        page = await archive.archived_articles(
            db, year, month, category.id if category else None, number, per_page
        )
    except PageOutOfRange:
        abort(404)
    return await render_template(
        "archive.html",
        years=None,
        recent=None,
        page=page,
        year=year,
        month=month,
        category=category,
        categories=await archive.categories_in(db, year),
        **await sidebar(),
    )


@blueprint.get("/arsip/<int:year>")
@shared_page()
async def year(year: int) -> ResponseReturnValue:
    """A year's archived articles (`bulan`: one month of it), with its categories."""
    return await _year_page(year, None)


@blueprint.get("/arsip/<int:year>/<slug>")
@shared_page()
async def category_year(year: int, slug: str) -> ResponseReturnValue:
    """A category's archived articles of a year."""
    return await _year_page(year, slug)
