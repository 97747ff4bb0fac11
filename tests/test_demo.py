"""The demo portal that `make run` loads into an empty database."""

from __future__ import annotations

from datetime import datetime

from content.db import Database, parse_utc

SEED_BANNERS = [
    "LPSE", "WBK", "Lapor.go.id", "WBS", "Pakar Kopi", "PPID", "perpus_digital", "Kalender Tanam",
    "Saber Pungli", "pui-balittri", "SKM", "Ejurnal", "Sigap UPG", "TV-TANI", "satu-layanan",
]  # fmt: skip


async def test_demo_has_the_seed_pages_world(db: Database) -> None:
    banners = [r[0] for r in await db.fetchall("SELECT title FROM banners ORDER BY ordering")]
    assert banners == SEED_BANNERS
    categories = {r[0] for r in await db.fetchall("SELECT title FROM categories")}
    assert {"Berita", "Artikel", "Pengumuman"} <= categories
    nested = await db.fetchval("SELECT count(*) FROM categories WHERE parent_id IS NOT NULL")
    assert nested >= 1
    assert await db.fetchval("SELECT value FROM settings WHERE key = 'content_visit_offset'") == (
        "1805559"
    )
    roles = {r[0] for r in await db.fetchall("SELECT role FROM users")}
    assert {"editor", "moderator"} <= roles


async def test_about_thirty_articles_over_two_years(db: Database) -> None:
    rows = await db.fetchall("SELECT created, state, author_name FROM articles")
    assert 28 <= len(rows) <= 40
    dates = sorted(parse_utc(r["created"]) for r in rows)
    assert (dates[-1] - dates[0]).days > 365
    assert all(r["state"] == 1 and r["author_name"] for r in rows)


async def test_demo_has_a_year_of_daily_figures_for_the_charts(db: Database) -> None:
    rows = await db.fetchall("SELECT day, views, visitors, bot_views FROM site_daily ORDER BY day")
    assert len(rows) >= 365
    assert all(r["views"] > r["visitors"] > 0 for r in rows)
    weekdays = [r["views"] for r in rows if datetime.fromisoformat(r["day"]).weekday() < 5]
    weekends = [r["views"] for r in rows if datetime.fromisoformat(r["day"]).weekday() >= 5]
    assert sum(weekends) / len(weekends) < sum(weekdays) / len(weekdays)
