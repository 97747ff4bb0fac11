"""The download library: each file's record, the editors' form, and storing, replacing and
removing a file together with its record."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from content import audit
from content.accounts import User
from content.db import Database, utcnow
from content.events import MediaChanged
from content.i18n import N_
from content.media.fields import MAX_CATEGORY, MAX_DESCRIPTION, parse_title
from content.media.files import remove_file, store_file
from content.media.uploads import FILE_KINDS, FileKind, Upload
from content.sanitize import plain_text


@dataclass(frozen=True)
class Download:
    """A file in the library."""

    id: int
    title: str
    description: str
    category: str
    filename: str
    stored_name: str
    kind: str
    size: int
    sha256: str
    hits: int
    published: bool
    created: str
    modified: str

    @property
    def file_kind(self) -> FileKind:
        return FILE_KINDS.get(self.kind, FILE_KINDS["zip"])

    @property
    def label(self) -> str:
        return self.file_kind.label


@dataclass(frozen=True)
class DownloadDraft:
    """What an editor submits about a file (the file itself comes as an Upload)."""

    title: str = ""
    description: str = ""
    category: str = ""
    published: bool = True


def parse_download_form(form: Mapping[str, str]) -> tuple[DownloadDraft, dict[str, str]]:
    """A download's details and the fields to fix."""
    errors: dict[str, str] = {}
    title = parse_title(form, errors, N_("Give the file a title."))
    description = plain_text(form.get("description", ""))
    if len(description) > MAX_DESCRIPTION:
        errors["description"] = N_("Keep the description under 2000 characters.")
    category = " ".join(form.get("category", "").split())
    if len(category) > MAX_CATEGORY:
        errors["category"] = N_("Keep the category under 80 characters.")
    draft = DownloadDraft(title, description, category, form.get("published") == "1")
    return draft, errors


DOWNLOAD_COLUMNS = (
    "id, title, description, category, filename, stored_name, kind, size, sha256, hits, "
    "published, created, modified"
)


def _download(row: sqlite3.Row) -> Download:
    return Download(**{**dict(row), "published": bool(row["published"])})


async def list_downloads(db: Database, *, published_only: bool = True) -> list[Download]:
    """Files by category, then title."""
    where = "WHERE published = 1" if published_only else ""
    rows = await db.fetchall(
        f"SELECT {DOWNLOAD_COLUMNS} FROM downloads {where} "
        "ORDER BY category = '', category, title COLLATE NOCASE, id"
    )
    return [_download(row) for row in rows]


async def latest_downloads(db: Database, limit: int) -> list[Download]:
    """The newest published files."""
    rows = await db.fetchall(
        f"SELECT {DOWNLOAD_COLUMNS} FROM downloads WHERE published = 1 "
        "ORDER BY created DESC, id DESC LIMIT ?",
        (limit,),
    )
    return [_download(row) for row in rows]


async def get_download(db: Database, download_id: int) -> Download | None:
    """One file's record, published or not."""
    row = await db.fetchone(
        f"SELECT {DOWNLOAD_COLUMNS} FROM downloads WHERE id = ?", (download_id,)
    )
    return None if row is None else _download(row)


async def download_categories(db: Database) -> list[str]:
    """The categories in use, for the editors' suggestions."""
    rows = await db.fetchall(
        "SELECT DISTINCT category FROM downloads WHERE category != '' ORDER BY category"
    )
    return [row[0] for row in rows]


DOWNLOADS = audit.Kind("downloads", "download")
AUDIT_WORDS = audit.Words(kinds={"download": N_("File to download")})


async def save_download(
    db: Database,
    draft: DownloadDraft,
    upload: Upload | None,
    user: User | None,
    folder: Path,
    download_id: int | None = None,
) -> int:
    """Create a download (an upload is needed) or update one (a new upload replaces the file).

    The file is written first under a new name; the old file is removed only after the commit,
    and a failed transaction removes the new one, so a row never points to a missing file."""
    stored = await asyncio.to_thread(store_file, folder, upload.data) if upload else None
    old_name = None
    try:
        now = utcnow()
        values: dict[str, object] = {
            "title": draft.title,
            "description": draft.description,
            "category": draft.category,
            "published": int(draft.published),
            "modified": now,
        }
        detail = draft.title
        if upload is not None:
            values |= {
                "filename": upload.filename,
                "stored_name": stored,
                "kind": upload.kind.key,
                "size": len(upload.data),
                "sha256": upload.sha256,
            }
        async with db.transaction() as conn:
            if download_id is None:
                assert upload is not None
            elif upload is not None:
                async with conn.execute(
                    "SELECT stored_name FROM downloads WHERE id = ?", (download_id,)
                ) as found:
                    row = await found.fetchone()
                if row is None:
                    raise LookupError(download_id)
                old_name = row["stored_name"]
                detail = f"{draft.title} (new file {upload.filename})"
            download_id = await audit.save_row(
                conn,
                user,
                DOWNLOADS,
                download_id,
                values,
                detail=detail,
                on_insert={"created": now},
            )
            db.announce(MediaChanged("download", download_id))
    except BaseException:
        if stored:
            remove_file(folder, stored)
        raise
    if old_name:
        remove_file(folder, old_name)
    return download_id


async def delete_download(db: Database, download_id: int, user: User, folder: Path) -> bool:
    """Remove a download and then its file; False when it does not exist."""
    async with db.transaction() as conn:
        row = await audit.delete_row(conn, user, DOWNLOADS, download_id, keep=("stored_name",))
        if row is None:
            return False
        db.announce(MediaChanged("download", download_id, removed=True))
    remove_file(folder, row["stored_name"])
    return True


async def count_download(db: Database, download_id: int) -> None:
    """One more download (one small write; downloads are rare next to page views)."""
    async with db.transaction() as conn:
        await conn.execute("UPDATE downloads SET hits = hits + 1 WHERE id = ?", (download_id,))
