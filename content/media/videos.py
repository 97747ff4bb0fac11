"""Videos on YouTube or Vimeo: recognising their addresses, the editors' form, and storage."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from content import audit
from content.accounts import User
from content.db import Database, utcnow
from content.events import MediaChanged
from content.i18n import N_
from content.imaging import picked_image
from content.media.fields import (
    IMAGE_URL,
    MAX_DESCRIPTION,
    MAX_URL,
    parse_ordering,
    parse_title,
)
from content.sanitize import plain_text

PROVIDER_NAMES = {"youtube": "YouTube", "vimeo": "Vimeo"}
# The player's host for each provider; a provider is offered only while VIDEO_HOSTS allows it.
EMBED_HOSTS = {"youtube": "www.youtube-nocookie.com", "vimeo": "player.vimeo.com"}
YOUTUBE_PAGES = {
    "youtube.com",
    "www.youtube.com",
    "m.youtube.com",
    "youtube-nocookie.com",
    "www.youtube-nocookie.com",
}
YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
YOUTUBE_PATH = re.compile(r"^/(?:embed|shorts|live|v)/([^/]+)/?$")
VIMEO_PATH = re.compile(r"^/(?:video/)?(\d{1,12})/?$")


@dataclass(frozen=True)
class Video:
    """A video on YouTube or Vimeo."""

    id: int
    title: str
    url: str
    provider: str
    video_id: str
    thumbnail: str
    description: str
    ordering: int
    published: bool

    @property
    def provider_name(self) -> str:
        return PROVIDER_NAMES[self.provider]

    @property
    def watch_url(self) -> str:
        """The video's page on its host's site (where the poster leads without JavaScript)."""
        if self.provider == "youtube":
            return f"https://www.youtube.com/watch?v={self.video_id}"
        return f"https://vimeo.com/{self.video_id}"

    @property
    def embed_url(self) -> str:
        """The player, loaded after a click: YouTube without cookies, Vimeo without tracking."""
        if self.provider == "youtube":
            return f"https://www.youtube-nocookie.com/embed/{self.video_id}?autoplay=1&rel=0"
        return f"https://player.vimeo.com/video/{self.video_id}?autoplay=1&dnt=1"

    @property
    def poster(self) -> str:
        """The thumbnail: the one given, else YouTube's own, else none (a drawn placeholder)."""
        if self.thumbnail:
            return self.thumbnail
        if self.provider == "youtube":
            return f"https://i.ytimg.com/vi/{self.video_id}/hqdefault.jpg"
        return ""


def allowed_providers(video_hosts: Iterable[str]) -> list[str]:
    """The providers whose player host the VIDEO_HOSTS setting allows."""
    hosts = {host.strip().lower() for host in video_hosts}
    return [provider for provider, host in EMBED_HOSTS.items() if host in hosts]


def parse_video_url(url: str) -> tuple[str, str] | None:
    """(provider, id) of a YouTube or Vimeo address; None when it is neither."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
        odd = parts.username is not None or parts.port is not None
    except ValueError:
        return None
    if parts.scheme not in ("https", "http") or odd:
        return None
    if host in YOUTUBE_PAGES or host == "youtu.be":
        return "youtube", _youtube_id(host, parts.path, parts.query)
    if host in ("vimeo.com", "www.vimeo.com", "player.vimeo.com"):
        match = VIMEO_PATH.match(parts.path)
        return "vimeo", match.group(1) if match else ""
    return None


def _youtube_id(host: str, path: str, query: str) -> str:
    if host == "youtu.be":
        found = path.strip("/")
    elif path in ("/watch", "/watch/"):
        found = parse_qs(query).get("v", [""])[0]
    else:
        match = YOUTUBE_PATH.match(path)
        found = match.group(1) if match else ""
    return found if YOUTUBE_ID.match(found) else ""


@dataclass(frozen=True)
class VideoDraft:
    """What an editor submits for a video, parsed."""

    title: str = ""
    url: str = ""
    provider: str = ""
    video_id: str = ""
    thumbnail: str = ""
    description: str = ""
    ordering: int = 0
    published: bool = True


def parse_video_form(
    form: Mapping[str, str], providers: list[str]
) -> tuple[VideoDraft, dict[str, str]]:
    """A video draft and the fields to fix; the address must be from an allowed provider."""
    errors: dict[str, str] = {}
    title = parse_title(form, errors, N_("Give the video a title."))
    url = form.get("url", "").strip()
    provider = video_id = ""
    found = parse_video_url(url) if url and len(url) <= MAX_URL else None
    if not url:
        errors["url"] = N_("Give the address of the video's page.")
    elif found is None or found[0] not in providers:
        errors["url"] = N_("Only videos from %(sites)s can be added here.")
    elif not found[1]:
        errors["url"] = N_("This address does not lead to one video. Copy the video's address.")
    else:
        provider, video_id = found
    thumbnail = picked_image(form, "thumbnail")
    if thumbnail and (not IMAGE_URL.match(thumbnail) or len(thumbnail) > MAX_URL):
        errors["thumbnail"] = N_("Give an address starting with https:// or /.")
    description = plain_text(form.get("description", ""))
    if len(description) > MAX_DESCRIPTION:
        errors["description"] = N_("Keep the description under 2000 characters.")
    draft = VideoDraft(
        title=title,
        url=url,
        provider=provider,
        video_id=video_id,
        thumbnail=thumbnail,
        description=description,
        ordering=parse_ordering(form.get("ordering", ""), errors),
        published=form.get("published") == "1",
    )
    return draft, errors


VIDEO_COLUMNS = "id, title, url, provider, video_id, thumbnail, description, ordering, published"


def _video(row: sqlite3.Row) -> Video:
    return Video(**{**dict(row), "published": bool(row["published"])})


async def list_videos(
    db: Database, *, published_only: bool = True, providers: Iterable[str] | None = None
) -> list[Video]:
    """Videos in their order (published ones from the given providers, unless asked)."""
    where = "WHERE published = 1" if published_only else ""
    rows = await db.fetchall(f"SELECT {VIDEO_COLUMNS} FROM videos {where} ORDER BY ordering, id")
    found = [_video(row) for row in rows]
    if providers is not None:
        allowed = set(providers)
        found = [video for video in found if video.provider in allowed]
    return found


async def get_video(db: Database, video_id: int) -> Video | None:
    """One video, published or not."""
    row = await db.fetchone(f"SELECT {VIDEO_COLUMNS} FROM videos WHERE id = ?", (video_id,))
    return None if row is None else _video(row)


VIDEOS = audit.Kind("videos", "video")
AUDIT_WORDS = audit.Words(kinds={"video": N_("Video")})


async def save_video(
    db: Database, draft: VideoDraft, user: User | None, video_id: int | None = None
) -> int:
    """Create or update a video (and an audit entry); its id."""
    now = utcnow()
    values = {
        "title": draft.title,
        "url": draft.url,
        "provider": draft.provider,
        "video_id": draft.video_id,
        "thumbnail": draft.thumbnail,
        "description": draft.description,
        "ordering": draft.ordering,
        "published": int(draft.published),
        "modified": now,
    }
    async with db.transaction() as conn:
        video_id = await audit.save_row(
            conn, user, VIDEOS, video_id, values, on_insert={"created": now}
        )
        db.announce(MediaChanged("video", video_id))
    return video_id
