"""The row of link banners: text or an image, each click counted through /tautan/<id>."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass

from content import audit
from content.accounts import User
from content.db import Database
from content.events import MediaChanged
from content.i18n import N_
from content.imaging import picked_image
from content.media.fields import (
    IMAGE_URL,
    MAX_URL,
    SITE_OR_WEB_URL,
    parse_ordering,
    parse_title,
)
from content.sanitize import plain_text


@dataclass(frozen=True)
class BannerLink:
    """A link in the banner row: text or an image, counted through /tautan/<id>."""

    id: int
    title: str
    url: str
    description: str
    image: str
    ordering: int
    published: bool
    clicks: int


@dataclass(frozen=True)
class BannerDraft:
    """What an editor submits for a banner, parsed."""

    title: str = ""
    url: str = ""
    description: str = ""
    image: str = ""
    ordering: int = 0
    published: bool = True


def safe_target(url: str) -> bool:
    """Whether a stored banner address may be redirected to: http(s) or a path on this site."""
    return bool(SITE_OR_WEB_URL.match(url)) and len(url) <= MAX_URL


def parse_banner_form(form: Mapping[str, str]) -> tuple[BannerDraft, dict[str, str]]:
    """A banner draft and the fields to fix."""
    errors: dict[str, str] = {}
    title = parse_title(form, errors, N_("Give the banner a name."))
    url = form.get("url", "").strip()
    if not safe_target(url):
        errors["url"] = N_("Give an address starting with https://, http:// or /.")
    image = picked_image(form, "image")
    if image and (not IMAGE_URL.match(image) or len(image) > MAX_URL):
        errors["image"] = N_("Give an address starting with https:// or /.")
    description = plain_text(form.get("description", ""))
    if len(description) > 500:
        errors["description"] = N_("Keep the description under 500 characters.")
    draft = BannerDraft(
        title=title,
        url=url,
        description=description,
        image=image,
        ordering=parse_ordering(form.get("ordering", ""), errors),
        published=form.get("published") == "1",
    )
    return draft, errors


BANNER_COLUMNS = "id, title, url, description, image, ordering, published, clicks"


def _banner(row: sqlite3.Row) -> BannerLink:
    return BannerLink(**{**dict(row), "published": bool(row["published"])})


async def list_banners(db: Database, *, published_only: bool = True) -> list[BannerLink]:
    """Banners in their order."""
    where = "WHERE published = 1" if published_only else ""
    rows = await db.fetchall(f"SELECT {BANNER_COLUMNS} FROM banners {where} ORDER BY ordering, id")
    return [_banner(row) for row in rows]


async def get_banner(db: Database, banner_id: int) -> BannerLink | None:
    """One banner, published or not."""
    row = await db.fetchone(f"SELECT {BANNER_COLUMNS} FROM banners WHERE id = ?", (banner_id,))
    return None if row is None else _banner(row)


BANNERS = audit.Kind("banners", "banner")
AUDIT_WORDS = audit.Words(kinds={"banner": N_("Link banner")})


async def save_banner(
    db: Database, draft: BannerDraft, user: User | None, banner_id: int | None = None
) -> int:
    """Create or update a banner (and an audit entry); its id."""
    values = {
        "title": draft.title,
        "url": draft.url,
        "description": draft.description,
        "image": draft.image,
        "ordering": draft.ordering,
        "published": int(draft.published),
    }
    async with db.transaction() as conn:
        banner_id = await audit.save_row(conn, user, BANNERS, banner_id, values)
        db.announce(MediaChanged("banner", banner_id))
    return banner_id


async def count_click(db: Database, banner_id: int) -> None:
    """One more click on a banner."""
    async with db.transaction() as conn:
        await conn.execute("UPDATE banners SET clicks = clicks + 1 WHERE id = ?", (banner_id,))
