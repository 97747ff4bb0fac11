"""Demo content: a believable institute portal, loaded only into an empty database."""

from __future__ import annotations

import random
import secrets
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import aiosqlite

from content import articles, audit, polls
from content.accounts import hash_password
from content.calendar import events as calendar_events
from content.db import Database, format_utc, utcnow
from content.demo import data as demo_data
from content.demo import modules as demo_modules
from content.i18n import N_
from content.sanitize import HtmlCleaner
from content.site import VISIT_OFFSET, put_setting

AUDIT_WORDS = audit.Words(
    actions={"seed-demo": N_("Demo content loaded")}, kinds={"site": N_("Site")}
)
DEMO_ACCOUNTS = (
    ("admin@balittri.example", "Admin Portal", "admin"),
    ("redaksi@balittri.example", "Redaksi Balittri", "editor"),
    ("moderator@balittri.example", "Moderator Balittri", "moderator"),
)
VISIT_OFFSET_VALUE = 1805559  # the figure the old site's Statistik module started from


def demo_daily_figures(today: date, days: int = 400) -> list[tuple[str, int, int, int]]:
    """A believable history of daily views (quieter weekends, a slow rise), so charts show."""
    chance = random.Random(1805559)  # noqa: S311 -- demo figures, not secrets
    rows = []
    for back in range(days, 0, -1):
        day = today - timedelta(days=back)
        level = 700 + 2 * (days - back) + chance.randint(-120, 160)
        if day.weekday() >= 5:
            level = level * 45 // 100
        views = max(50, level)
        rows.append(
            (day.isoformat(), views, views * 38 // 100, views * chance.randint(20, 40) // 100)
        )
    return rows


DEMO_POLL = "Apakah Situs Web Ini Informatif ?"  # the old site's question, as it was
DEMO_POLL_OPTIONS = (
    ("Sangat informatif", 18),
    ("Informatif", 11),
    ("Cukup informatif", 5),
    ("Kurang informatif", 3),
)


async def seed_poll(conn: aiosqlite.Connection, now: str) -> None:
    """The old site's poll, open and pinned in the Polling module (a poll opened later asks
    before taking its place), with some votes spread over the last weeks."""
    cursor = await conn.execute(
        "INSERT INTO polls (question, state, created, modified, opened_at, pinned, pinned_at) "
        "VALUES (?, ?, ?, ?, ?, 1, ?)",
        (DEMO_POLL, polls.State.OPEN, now, now, now, now),
    )
    poll_id = cursor.lastrowid
    chance = random.Random(2020)  # noqa: S311 -- demo figures, not secrets
    start = datetime.now(UTC) - timedelta(days=40)
    stamps = sorted(
        start + timedelta(minutes=chance.randint(0, 40 * 24 * 60))
        for _ in range(sum(n for _, n in DEMO_POLL_OPTIONS))
    )
    ballots = iter(stamps)
    for ordering, (label, votes) in enumerate(DEMO_POLL_OPTIONS):
        cursor = await conn.execute(
            "INSERT INTO poll_options (poll_id, label, ordering, votes) VALUES (?, ?, ?, ?)",
            (poll_id, label, ordering, votes),
        )
        option_id = cursor.lastrowid
        for _ in range(votes):
            cast = format_utc(next(ballots))
            ballot = await conn.execute(
                "INSERT INTO poll_ballots (poll_id, cast_at, voter_hash, address_hash, channel) "
                "VALUES (?, ?, ?, ?, 'form')",
                (poll_id, cast, f"demo{chance.getrandbits(64):016x}", "demo"),
            )
            await conn.execute(
                "INSERT INTO poll_choices (ballot_id, option_id) VALUES (?, ?)",
                (ballot.lastrowid, option_id),
            )
    await conn.execute(
        "UPDATE polls SET voters = ?, votes = ?, first_vote = ?, last_vote = ? WHERE id = ?",
        (len(stamps), len(stamps), format_utc(stamps[0]), format_utc(stamps[-1]), poll_id),
    )


async def is_empty(db: Database) -> bool:
    """Whether the database has no accounts and no articles yet."""
    users = await db.fetchval("SELECT count(*) FROM users")
    items = await db.fetchval("SELECT count(*) FROM articles")
    return not users and not items


async def _first_revisions(conn: aiosqlite.Connection) -> None:
    """Every demo article and event starts with one revision, so no history is empty."""
    async with conn.execute("SELECT id FROM articles ORDER BY id") as cursor:
        article_ids = [row[0] for row in await cursor.fetchall()]
    for article_id in article_ids:
        await articles.record_revision(conn, article_id, None, origin="demo")
    async with conn.execute("SELECT id FROM events ORDER BY id") as cursor:
        event_ids = [row[0] for row in await cursor.fetchall()]
    for event_id in event_ids:
        await calendar_events.record_revision(conn, event_id, None, origin="demo")


async def seed_demo(db: Database, timezone: str) -> list[tuple[str, str, str]] | None:
    """Load the demo portal in one transaction; (email, role, password) of each account made."""
    if not await is_empty(db):
        return None
    tz = ZoneInfo(timezone)
    cleaner = HtmlCleaner()
    now = utcnow()
    accounts = []
    async with db.transaction() as conn:
        for email, name, role in DEMO_ACCOUNTS:
            password = secrets.token_urlsafe(12)
            await conn.execute(
                "INSERT INTO users (email, name, role, password_hash, created) "
                "VALUES (?, ?, ?, ?, ?)",
                (email, name, role, hash_password(password), now),
            )
            accounts.append((email, role, password))
        category_ids: dict[str, int] = {}
        for order, item in enumerate(demo_data.CATEGORIES):
            parent = item["parent"]
            cursor = await conn.execute(
                "INSERT INTO categories (parent_id, title, alias, description, layout, ordering) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    category_ids[parent] if parent else None,
                    item["title"],
                    item["alias"],
                    item["description"] or "",
                    item["layout"],
                    order,
                ),
            )
            assert cursor.lastrowid is not None
            category_ids[str(item["alias"])] = cursor.lastrowid
        for order, banner in enumerate(demo_data.BANNERS):
            await conn.execute(
                "INSERT INTO banners (title, url, description, ordering) VALUES (?, ?, ?, ?)",
                (banner["title"], banner["url"], banner["description"], order),
            )
        for article in [*demo_data.ARTICLES, demo_data.ABOUT_ARTICLE]:
            local = datetime.strptime(str(article["created"]), "%Y-%m-%d %H:%M").replace(tzinfo=tz)
            created = format_utc(local)
            await conn.execute(
                "INSERT INTO articles (category_id, title, alias, intro_html, full_html, "
                "author_name, created, modified, publish_up, state, featured, hits, "
                "meta_description) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?)",
                (
                    category_ids[str(article["category"])],
                    article["title"],
                    article["alias"],
                    cleaner.clean(str(article["intro"])),
                    cleaner.clean(str(article["body"])),
                    article["author"],
                    created,
                    created,
                    created,
                    int(bool(article["featured"])),
                    article["hits"],
                    article["metadesc"],
                ),
            )
        await put_setting(conn, VISIT_OFFSET, str(VISIT_OFFSET_VALUE))
        await conn.executemany(
            "INSERT INTO site_daily (day, views, visitors, bot_views) VALUES (?, ?, ?, ?)",
            demo_daily_figures(datetime.now(tz).date()),
        )
        await seed_poll(conn, now)
        await demo_modules.seed_modules(conn, db.path, tz)
        await _first_revisions(conn)
        await audit.record(conn, None, "seed-demo", "site", None, "demo content loaded")
    return accounts
