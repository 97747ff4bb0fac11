"""Removing a video, a social account or a banner, with its audit entry (a download has its own
removal, which also deletes its file)."""

from __future__ import annotations

from content import audit
from content.accounts import User
from content.db import Database
from content.events import MediaChanged
from content.media.banners import BANNERS
from content.media.social import SOCIAL_ACCOUNTS
from content.media.videos import VIDEOS

DELETABLE = {kind.object_type: kind for kind in (VIDEOS, SOCIAL_ACCOUNTS, BANNERS)}


async def delete_item(db: Database, kind: str, item_id: int, user: User) -> bool:
    """Remove a video, social account or banner (with an audit entry); False if not there."""
    async with db.transaction() as conn:
        if await audit.delete_row(conn, user, DELETABLE[kind], item_id) is None:
            return False
        db.announce(MediaChanged(kind, item_id, removed=True))
    return True
