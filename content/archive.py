"""The archive: articles editors archived stay readable at their address and are listed by year,
month and category, as Joomla's archive did; never in blogs, feeds or the home page."""

from __future__ import annotations

from dataclasses import dataclass

from content.articles import (
    _SELECT,
    Article,
    Category,
    Page,
    _article,
    _now,
    _page,
)
from content.db import Database

# What visitors may read of the archive: archived, in a published category, in its window.
ARCHIVED = """
a.state = 2 AND c.published = 1
AND (a.publish_up IS NULL OR a.publish_up <= :now)
AND (a.publish_down IS NULL OR a.publish_down > :now)
"""
_DATE = "coalesce(a.publish_up, a.created)"


@dataclass(frozen=True)
class Month:
    """A month with archived articles, and how many."""

    year: int
    month: int
    count: int


@dataclass(frozen=True)
class ArchivedIn:
    """A category with archived articles in a year, and how many."""

    category: Category
    count: int


async def months(db: Database) -> list[Month]:
    """Every month with archived articles, newest first."""
    rows = await db.fetchall(
        f"SELECT CAST(strftime('%Y', {_DATE}) AS INTEGER) AS year, "
        f"CAST(strftime('%m', {_DATE}) AS INTEGER) AS month, count(*) AS n "
        f"FROM articles a JOIN categories c ON c.id = a.category_id WHERE {ARCHIVED} "
        "GROUP BY year, month ORDER BY year DESC, month DESC",
        {"now": _now()},
    )
    return [Month(int(r["year"]), int(r["month"]), int(r["n"])) for r in rows]


async def categories_in(db: Database, year: int) -> list[ArchivedIn]:
    """The categories with archived articles in a year, by title."""
    rows = await db.fetchall(
        "SELECT c.*, count(*) AS n FROM articles a JOIN categories c ON c.id = a.category_id "
        f"WHERE {ARCHIVED} AND strftime('%Y', {_DATE}) = :year "
        "GROUP BY c.id ORDER BY c.title COLLATE NOCASE, c.id",
        {"now": _now(), "year": f"{year:04d}"},
    )
    return [
        ArchivedIn(
            Category(
                id=r["id"],
                parent_id=r["parent_id"],
                title=r["title"],
                alias=r["alias"],
                description=r["description"],
                layout=r["layout"],
                ordering=r["ordering"],
                published=bool(r["published"]),
                include_children=r["include_children"],
            ),
            int(r["n"]),
        )
        for r in rows
    ]


async def archived_articles(
    db: Database,
    year: int,
    month: int | None,
    category_id: int | None,
    number: int,
    per_page: int,
) -> Page[Article]:
    """Archived articles of a year (and month, and category), newest first."""
    where = f"{ARCHIVED} AND strftime('%Y', {_DATE}) = :year"
    params: dict[str, object] = {"now": _now(), "year": f"{year:04d}"}
    if month is not None:
        where += f" AND strftime('%m', {_DATE}) = :month"
        params["month"] = f"{month:02d}"
    if category_id is not None:
        where += " AND a.category_id = :category"
        params["category"] = category_id
    return await _page(db, where, params, f"{_DATE} DESC, a.id DESC", number, per_page)


async def latest_archived(db: Database, limit: int) -> list[Article]:
    """The newest archived articles (the archive's first page)."""
    rows = await db.fetchall(
        f"{_SELECT} WHERE {ARCHIVED} ORDER BY {_DATE} DESC, a.id DESC LIMIT :limit",
        {"now": _now(), "limit": limit},
    )
    return [_article(r) for r in rows]
