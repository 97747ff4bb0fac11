"""Removing a video, a social account or a banner, with its audit entry (a download has its own
removal, which also deletes its file)."""

from __future__ import annotations

from content import audit
from content.accounts import User
from content.db import Database
from content.events import MediaChanged

DELETABLE = {
    "video": ("videos", "title"),
    "social_account": ("social_accounts", "name"),
    "banner": ("banners", "title"),
}


async def delete_item(db: Database, kind: str, item_id: int, user: User) -> bool:
    """Remove a video, social account or banner (with an audit entry); False if not there."""
    table, label = DELETABLE[kind]
    async with db.transaction() as conn:
        async with conn.execute(f"SELECT {label} FROM {table} WHERE id = ?", (item_id,)) as cur:
            row = await cur.fetchone()
        if row is None:
            return False
        await conn.execute(f"DELETE FROM {table} WHERE id = ?", (item_id,))
        await audit.record(conn, user, "delete", kind, item_id, row[0])
        db.announce(MediaChanged(kind, item_id, removed=True))
    return True
