"""What the editors' dashboard shows from the database: a few small indexed reads per view, no
write. What people read now comes from the live layer's memory (content.live), not from here."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from content import articles
from content.articles import Article
from content.db import Database, format_utc, parse_utc_or_none
from content.live import Presence
from content.media import downloads, images
from content.media.downloads import Download
from content.media.images import LibraryImage

PANEL_ITEMS = 5  # items per panel; each panel links to its full list
T = TypeVar("T")


@dataclass(frozen=True)
class Panel(Generic[T]):
    """The first items of a list, and how many there are in all."""

    items: list[T]
    total: int


@dataclass(frozen=True)
class OpenPoll:
    """A poll taking votes now, with its voters so far."""

    id: int
    question: str
    voters: int
    closes_at: datetime | None


async def _articles(
    db: Database, where: str, params: dict[str, object], order: str, limit: int
) -> Panel[Article]:
    total = await db.fetchval(
        f"SELECT count(*) FROM articles a JOIN categories c ON c.id = a.category_id WHERE {where}",
        params,
    )
    rows = await db.fetchall(
        f"{articles._SELECT} WHERE {where} ORDER BY {order} LIMIT :limit",
        {**params, "limit": limit},
    )
    return Panel([articles._article(row) for row in rows], int(total))


async def my_drafts(db: Database, user_id: int, limit: int = PANEL_ITEMS) -> Panel[Article]:
    """The user's own unpublished articles, the latest changed first."""
    return await _articles(
        db,
        "a.author_id = :user AND a.state = 0",
        {"user": user_id},
        "a.modified DESC, a.id DESC",
        limit,
    )


async def scheduled(db: Database, now: datetime, limit: int = PANEL_ITEMS) -> Panel[Article]:
    """Published articles whose publishing starts after `now`, the soonest first."""
    return await _articles(
        db,
        "a.state = 1 AND a.publish_up > :now",
        {"now": format_utc(now)},
        "a.publish_up ASC, a.id ASC",
        limit,
    )


async def recently_published(
    db: Database, now: datetime, limit: int = PANEL_ITEMS
) -> Panel[Article]:
    """Articles visitors can read now, the latest published first."""
    return await _articles(
        db,
        "a.state = 1 AND (a.publish_up IS NULL OR a.publish_up <= :now) "
        "AND (a.publish_down IS NULL OR a.publish_down > :now)",
        {"now": format_utc(now)},
        "coalesce(a.publish_up, a.created) DESC, a.id DESC",
        limit,
    )


def _open_poll(row: sqlite3.Row) -> OpenPoll:
    return OpenPoll(row["id"], row["question"], row["voters"], parse_utc_or_none(row["closes_at"]))


async def open_polls(db: Database, now: datetime, limit: int = PANEL_ITEMS) -> Panel[OpenPoll]:
    """Polls taking votes at `now` (open, and within their times), the newest first."""
    where = (
        "state = 'open' AND (opens_at IS NULL OR opens_at <= :now) "
        "AND (closes_at IS NULL OR closes_at > :now)"
    )
    params = {"now": format_utc(now)}
    total = await db.fetchval(f"SELECT count(*) FROM polls WHERE {where}", params)
    rows = await db.fetchall(
        f"SELECT id, question, voters, closes_at FROM polls WHERE {where} "
        "ORDER BY id DESC LIMIT :limit",
        {**params, "limit": limit},
    )
    return Panel([_open_poll(row) for row in rows], int(total))


async def recent_images(db: Database, limit: int = PANEL_ITEMS) -> Panel[LibraryImage]:
    """The media library's newest images."""
    page = await images.list_images(db, per_page=limit)
    return Panel(page.items, page.total)


async def recent_downloads(db: Database, limit: int = PANEL_ITEMS) -> Panel[Download]:
    """The newest files of the download library, published or not."""
    total = await db.fetchval("SELECT count(*) FROM downloads")
    rows = await db.fetchall(
        f"SELECT {downloads.DOWNLOAD_COLUMNS} FROM downloads ORDER BY created DESC, id DESC "
        "LIMIT ?",
        (limit,),
    )
    return Panel([downloads._download(row) for row in rows], int(total))


# Pages of the staff's own areas are not what "being read now" is about.
STAFF_PATHS = ("/redaksi", "/moderasi", "/masuk", "/keluar", "/api/")
READING_ITEMS = 10


def reading_now(presence: Presence | None, limit: int = READING_ITEMS) -> list[dict[str, Any]]:
    """The public pages people have open now, the most read first, from the live layer's
    memory: [{"path", "title" (as the page reported it, or None), "readers"}]."""
    if presence is None:
        return []
    return [
        {"path": path, "title": presence.page_title(path), "readers": readers}
        for path, readers in presence.most_read(limit, STAFF_PATHS)
    ]
