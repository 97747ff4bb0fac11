"""Site-wide content: the link banners and stored settings such as the legacy visit offset."""

from __future__ import annotations

from dataclasses import dataclass

import aiosqlite

from content.db import Database

VISIT_OFFSET = "content_visit_offset"


@dataclass(frozen=True)
class Banner:
    """A link to a related public service, shown in the banner row."""

    id: int
    title: str
    url: str
    description: str


async def banners(db: Database) -> list[Banner]:
    """The published banners in their order."""
    rows = await db.fetchall(
        "SELECT id, title, url, description FROM banners WHERE published = 1 ORDER BY ordering, id"
    )
    return [Banner(**dict(row)) for row in rows]


async def get_setting(db: Database, key: str, default: str = "") -> str:
    """A stored setting's value, or the default."""
    value = await db.fetchval("SELECT value FROM settings WHERE key = ?", (key,))
    return default if value is None else str(value)


async def put_setting(conn: aiosqlite.Connection, key: str, value: str) -> None:
    """Store a setting's value (new or replacing the old one) in the caller's transaction."""
    await conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


async def visit_offset(db: Database) -> int:
    """The legacy offset added to the sum of hits ("Jumlah Kunjungan Konten")."""
    try:
        return int(await get_setting(db, VISIT_OFFSET, "0"))
    except ValueError:
        return 0


ONLINE_RECORD = "online_record"


async def online_record(db: Database) -> tuple[int, str | None]:
    """The most people ever connected at once, and when (UTC ISO text)."""
    value = await get_setting(db, ONLINE_RECORD, "")
    count, _, at = value.partition(" ")
    try:
        return int(count), at or None
    except ValueError:
        return 0, None


async def save_online_record(db: Database, count: int, at: str) -> None:
    """Keep a new most-ever-online record."""
    async with db.transaction() as conn:
        await put_setting(conn, ONLINE_RECORD, f"{count} {at}")
