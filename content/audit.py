"""The audit log: who changed what, and when; written in the same transaction as the change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import aiosqlite

from content.db import Database, utcnow

if TYPE_CHECKING:
    from content.accounts import User


@dataclass(frozen=True)
class Entry:
    """One recorded change."""

    id: int
    at: str
    user_email: str
    action: str
    object_type: str
    object_id: int | None
    detail: str


async def record(
    conn: aiosqlite.Connection,
    user: User | None,
    action: str,
    object_type: str,
    object_id: int | None,
    detail: str = "",
) -> None:
    """Add an entry inside the caller's transaction; `user` None means the command line."""
    await conn.execute(
        "INSERT INTO audit_log (at, user_id, user_email, action, object_type, object_id, detail) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            utcnow(),
            user.id if user else None,
            user.email if user else "(command line)",
            action,
            object_type,
            object_id,
            detail,
        ),
    )


async def entries(db: Database, *, limit: int, offset: int = 0) -> tuple[list[Entry], int]:
    """The newest entries first, and how many there are in all."""
    rows = await db.fetchall(
        "SELECT id, at, user_email, action, object_type, object_id, detail FROM audit_log "
        "ORDER BY id DESC LIMIT ? OFFSET ?",
        (limit, offset),
    )
    total = await db.fetchval("SELECT count(*) FROM audit_log")
    return [Entry(**dict(row)) for row in rows], int(total)
