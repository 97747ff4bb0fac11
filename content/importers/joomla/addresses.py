"""Old Joomla addresses: which article or category an imported Joomla id is now.

Looked up on every old link, so this module loads neither the dump reader nor the importer.
"""

from __future__ import annotations

from typing import Literal

from content.db import Database


async def legacy_article_slug(db: Database, joomla_id: int) -> str | None:
    """The current slug ('12-alias') of the article imported from this Joomla article id."""
    row = await db.fetchone(
        "SELECT a.id, a.alias FROM joomla_map m JOIN articles a ON a.id = m.new_id "
        "WHERE m.kind = 'article' AND m.old_id = ?",
        (joomla_id,),
    )
    return None if row is None else f"{row['id']}-{row['alias']}"


async def legacy_category_slug(
    db: Database, kind: Literal["category", "section"], joomla_id: int
) -> str | None:
    """The current slug of the category imported from this Joomla category (or 1.5 section)."""
    row = await db.fetchone(
        "SELECT c.id, c.alias FROM joomla_map m JOIN categories c ON c.id = m.new_id "
        "WHERE m.kind = ? AND m.old_id = ?",
        (kind, joomla_id),
    )
    return None if row is None else f"{row['id']}-{row['alias']}"
