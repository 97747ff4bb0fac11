"""Videos, the institute's social accounts, the download library and the link banners.

Downloads: the type of an uploaded file is found from its content (magic bytes, the parts of an
Office or OpenDocument zip, or clean UTF-8 text), and must agree with its name's extension and
the allowed types. HTML, SVG and XML are never accepted. The file is kept under a random name in
the instance folder and served only by the download's id, always as an attachment.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import os
import re
import secrets
import sqlite3
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

from babel.numbers import format_decimal

from content import audit
from content.accounts import User
from content.db import Database, utcnow
from content.i18n import N_
from content.sanitize import plain_text

MAX_TITLE = 255
MAX_DESCRIPTION = 2000
MAX_CATEGORY = 80
MAX_URL = 2000
MAX_ORDERING = 9999
SITE_OR_WEB_URL = re.compile(r"^(https?://[^\s\"'<>]+|/(?!/)[^\s\"'<>\\]*)$")
IMAGE_URL = re.compile(r"^(https://[^\s\"'<>]+|/(?!/)[^\s\"'<>\\]*)$")


def _ordering(raw: str, errors: dict[str, str]) -> int:
    raw = raw.strip() or "0"
    if not (raw.isascii() and raw.isdigit()) or int(raw) > MAX_ORDERING:
        errors["ordering"] = N_("Enter a whole number from 0 to 9999.")
        return 0
    return int(raw)


def _title(form: Mapping[str, str], errors: dict[str, str], missing: str) -> str:
    title = " ".join(form.get("title", "").split())
    if not title:
        errors["title"] = missing
    elif len(title) > MAX_TITLE:
        errors["title"] = N_("The title is too long.")
    return title


# Videos

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
    title = _title(form, errors, N_("Give the video a title."))
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
    thumbnail = form.get("thumbnail", "").strip()
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
        ordering=_ordering(form.get("ordering", ""), errors),
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


async def save_video(
    db: Database, draft: VideoDraft, user: User | None, video_id: int | None = None
) -> int:
    """Create or update a video (and an audit entry); its id."""
    now = utcnow()
    values = (
        draft.title,
        draft.url,
        draft.provider,
        draft.video_id,
        draft.thumbnail,
        draft.description,
        draft.ordering,
        int(draft.published),
    )
    async with db.transaction() as conn:
        if video_id is None:
            cursor = await conn.execute(
                "INSERT INTO videos (title, url, provider, video_id, thumbnail, description, "
                "ordering, published, created, modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*values, now, now),
            )
            assert cursor.lastrowid is not None
            video_id = cursor.lastrowid
            await audit.record(conn, user, "create", "video", video_id, draft.title)
            return video_id
        cursor = await conn.execute(
            "UPDATE videos SET title = ?, url = ?, provider = ?, video_id = ?, thumbnail = ?, "
            "description = ?, ordering = ?, published = ?, modified = ? WHERE id = ?",
            (*values, now, video_id),
        )
        if cursor.rowcount == 0:
            raise LookupError(video_id)
        await audit.record(conn, user, "update", "video", video_id, draft.title)
    return video_id


# Social media accounts


@dataclass(frozen=True)
class Network:
    """A social network: its name, and the hosts an account's address may be on."""

    key: str
    name: str
    domains: tuple[str, ...]


NETWORKS: dict[str, Network] = {
    network.key: network
    for network in (
        Network("instagram", "Instagram", ("instagram.com",)),
        Network("facebook", "Facebook", ("facebook.com", "fb.com")),
        Network("youtube", "YouTube", ("youtube.com", "youtu.be")),
        Network("x", "X (Twitter)", ("x.com", "twitter.com")),
        Network("tiktok", "TikTok", ("tiktok.com",)),
        Network("linkedin", "LinkedIn", ("linkedin.com",)),
        Network("website", N_("Website"), ()),
    )
}


@dataclass(frozen=True)
class SocialAccount:
    """One of the institute's accounts."""

    id: int
    name: str
    network: str
    url: str
    ordering: int
    published: bool

    @property
    def network_name(self) -> str:
        return NETWORKS[self.network].name if self.network in NETWORKS else self.network

    @property
    def icon(self) -> str:
        """The icon's static file."""
        key = self.network if self.network in NETWORKS else "website"
        return f"img/social/{key}.svg"


@dataclass(frozen=True)
class SocialDraft:
    """What an editor submits for an account, parsed."""

    name: str = ""
    network: str = "instagram"
    url: str = ""
    ordering: int = 0
    published: bool = True


def _on_domain(host: str, domains: tuple[str, ...]) -> bool:
    """Whether a host is one of the domains or under one (any host when there are none)."""
    return not domains or any(host == d or host.endswith("." + d) for d in domains)


def parse_social_form(form: Mapping[str, str]) -> tuple[SocialDraft, dict[str, str]]:
    """An account draft and the fields to fix; the address must be on the chosen network."""
    errors: dict[str, str] = {}
    name = " ".join(form.get("name", "").split())
    if not name:
        errors["name"] = N_("Give the account's name, e.g. @balittri.")
    elif len(name) > 120:
        errors["name"] = N_("The name is too long.")
    network = form.get("network", "")
    if network not in NETWORKS:
        errors["network"] = N_("Choose a network from the list.")
    url = form.get("url", "").strip()
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        parts, host = None, ""
    if parts is None or parts.scheme != "https" or not host or len(url) > MAX_URL:
        errors["url"] = N_("Give the account's address, starting with https://.")
    elif network in NETWORKS and not _on_domain(host, NETWORKS[network].domains):
        errors["url"] = N_("This address is not on %(network)s.")
    draft = SocialDraft(
        name=name,
        network=network if network in NETWORKS else "website",
        url=url,
        ordering=_ordering(form.get("ordering", ""), errors),
        published=form.get("published") == "1",
    )
    return draft, errors


async def list_social(db: Database, *, published_only: bool = True) -> list[SocialAccount]:
    """Accounts in their order."""
    where = "WHERE published = 1" if published_only else ""
    rows = await db.fetchall(
        "SELECT id, name, network, url, ordering, published FROM social_accounts "
        f"{where} ORDER BY ordering, id"
    )
    return [SocialAccount(**{**dict(r), "published": bool(r["published"])}) for r in rows]


async def get_social(db: Database, account_id: int) -> SocialAccount | None:
    """One account."""
    row = await db.fetchone(
        "SELECT id, name, network, url, ordering, published FROM social_accounts WHERE id = ?",
        (account_id,),
    )
    return None if row is None else SocialAccount(**{**dict(row), "published": bool(row[5])})


async def save_social(
    db: Database, draft: SocialDraft, user: User | None, account_id: int | None = None
) -> int:
    """Create or update an account (and an audit entry); its id."""
    values = (draft.name, draft.network, draft.url, draft.ordering, int(draft.published))
    async with db.transaction() as conn:
        if account_id is None:
            cursor = await conn.execute(
                "INSERT INTO social_accounts (name, network, url, ordering, published) "
                "VALUES (?, ?, ?, ?, ?)",
                values,
            )
            assert cursor.lastrowid is not None
            account_id = cursor.lastrowid
            await audit.record(conn, user, "create", "social_account", account_id, draft.name)
            return account_id
        cursor = await conn.execute(
            "UPDATE social_accounts SET name = ?, network = ?, url = ?, ordering = ?, "
            "published = ? WHERE id = ?",
            (*values, account_id),
        )
        if cursor.rowcount == 0:
            raise LookupError(account_id)
        await audit.record(conn, user, "update", "social_account", account_id, draft.name)
    return account_id


# Downloads


@dataclass(frozen=True)
class FileKind:
    """A type of file the library accepts: the extensions and what the content must be."""

    key: str
    label: str
    extensions: tuple[str, ...]
    mimetype: str
    content: str  # what sniff() must find


FILE_KINDS: dict[str, FileKind] = {
    kind.key: kind
    for kind in (
        FileKind("pdf", "PDF", (".pdf",), "application/pdf", "pdf"),
        FileKind(
            "docx",
            "Word",
            (".docx",),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "docx",
        ),
        FileKind(
            "xlsx",
            "Excel",
            (".xlsx",),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
        FileKind(
            "pptx",
            "PowerPoint",
            (".pptx",),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation",
            "pptx",
        ),
        FileKind("odt", "ODT", (".odt",), "application/vnd.oasis.opendocument.text", "odt"),
        FileKind("ods", "ODS", (".ods",), "application/vnd.oasis.opendocument.spreadsheet", "ods"),
        FileKind("odp", "ODP", (".odp",), "application/vnd.oasis.opendocument.presentation", "odp"),
        FileKind("doc", "Word 97-2003", (".doc",), "application/msword", "ole"),
        FileKind("xls", "Excel 97-2003", (".xls",), "application/vnd.ms-excel", "ole"),
        FileKind("ppt", "PowerPoint 97-2003", (".ppt",), "application/vnd.ms-powerpoint", "ole"),
        FileKind("zip", "ZIP", (".zip",), "application/zip", "zip"),
        FileKind("csv", "CSV", (".csv",), "text/csv; charset=utf-8", "text"),
        FileKind("txt", "TXT", (".txt",), "text/plain; charset=utf-8", "text"),
        FileKind("jpg", "JPEG", (".jpg", ".jpeg"), "image/jpeg", "jpeg"),
        FileKind("png", "PNG", (".png",), "image/png", "png"),
    )
}
# A zip whose parts say it is an Office or OpenDocument file still counts as a zip.
CONTENT_ALSO = {"zip": {"docx", "xlsx", "pptx", "odt", "ods", "odp"}}
OOXML_PARTS = {"word/": "docx", "xl/": "xlsx", "ppt/": "pptx"}
ODF_TYPES = {
    b"application/vnd.oasis.opendocument.text": "odt",
    b"application/vnd.oasis.opendocument.spreadsheet": "ods",
    b"application/vnd.oasis.opendocument.presentation": "odp",
}
# Markup a browser could run if it ever showed the file: refused even inside a text file.
MARKUP = re.compile(
    rb"<\s*(?:!doctype|html|head|body|script|svg|\?xml|iframe|object|embed|meta|link|style"
    rb"|img|a\s|form|xsl|math)",
    re.IGNORECASE,
)
TEXT_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
STORED_NAME = re.compile(r"^[0-9a-f]{32}$")
MAX_FILENAME = 150


def allowed_kinds(names: Iterable[str]) -> list[FileKind]:
    """The configured types the library can recognise (others, e.g. html or svg, are ignored)."""
    wanted = dict.fromkeys(name.strip().lower() for name in names)
    return [FILE_KINDS[name] for name in wanted if name in FILE_KINDS]


def sniff(data: bytes) -> str | None:
    """What a file's content is: pdf, png, jpeg, ole, zip, docx ... ods, text; None if unknown."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    return _sniff_text(data)


def _sniff_zip(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size <= 100:
                    kind = ODF_TYPES.get(archive.read(info).strip())
                    if kind:
                        return kind
            if "[Content_Types].xml" in names:
                for prefix, kind in OOXML_PARTS.items():
                    if any(name.startswith(prefix) for name in names):
                        return kind
    except (zipfile.BadZipFile, ValueError, OSError, NotImplementedError, RuntimeError):
        return None
    return "zip"


def _sniff_text(data: bytes) -> str | None:
    body = data.removeprefix(b"\xef\xbb\xbf")
    if TEXT_CONTROL.search(body):
        return None
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if MARKUP.search(body):
        return "markup"
    return "text"


def clean_filename(raw: str | None) -> tuple[str | None, str | None]:
    """(the name to keep, None) or (None, the message): no folders, dots, controls, long names."""
    if not raw:
        return None, N_("Choose a file to upload.")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in raw):
        return None, N_("The file name may not contain folders, “..” or control characters.")
    if "/" in raw or "\\" in raw or raw.startswith("."):
        return None, N_("The file name may not contain folders, “..” or control characters.")
    name = unicodedata.normalize("NFC", raw).strip()
    if len(name) > MAX_FILENAME:
        return None, N_("The file name is too long: at most 150 characters.")
    if not name:
        return None, N_("Choose a file to upload.")
    return name, None


@dataclass(frozen=True)
class Upload:
    """A checked upload: the name offered to visitors, the content and its type."""

    filename: str
    data: bytes
    kind: FileKind

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def check_upload(
    filename: str | None, data: bytes, allowed: list[FileKind], limit: int
) -> tuple[Upload | None, str | None]:
    """(the upload, None) when it may be kept, else (None, the message for the file field)."""
    name, problem = clean_filename(filename)
    if name is None:
        return None, problem
    if len(data) > limit:
        return None, N_("The file is larger than the limit of %(limit)s.")
    if not data:
        return None, N_("The file is empty.")
    extension = os.path.splitext(name)[1].lower()
    kind = next((k for k in allowed if extension in k.extensions), None)
    if kind is None:
        return None, N_("Files of this type are not accepted. Accepted: %(types)s.")
    found = sniff(data)
    if found == "markup":
        return None, N_("The file contains web page code (HTML, SVG or XML) and is not accepted.")
    if found != kind.content and found not in CONTENT_ALSO.get(kind.content, ()):
        return None, N_("The file's content is not what its name says (%(type)s).")
    return Upload(name, data, kind), None


def store_file(folder: Path, data: bytes) -> str:
    """Write a file under a new random name in the folder (made if missing); the name."""
    folder.mkdir(parents=True, exist_ok=True)
    name = secrets.token_hex(16)
    fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o640)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return name


def stored_path(folder: Path, stored_name: str) -> Path | None:
    """Where a stored file is; None for a name this module never makes."""
    if not STORED_NAME.match(stored_name):
        return None
    return folder / stored_name


def remove_file(folder: Path, stored_name: str) -> None:
    """Delete a stored file if it is there."""
    path = stored_path(folder, stored_name)
    if path is not None:
        path.unlink(missing_ok=True)


def content_disposition(filename: str, fallback_stem: str) -> str:
    """attachment with an ASCII filename and the full name as RFC 5987 filename*."""
    stem, extension = os.path.splitext(filename)
    plain = re.sub(r"[\u2010-\u2015\u2212]", "-", stem)  # dashes and minus signs
    ascii_stem = unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode()
    ascii_stem = re.sub(r"[^A-Za-z0-9._() -]+", "_", " ".join(ascii_stem.split()))
    ascii_stem = ascii_stem.strip("._ ") or fallback_stem
    ascii_ext = re.sub(r"[^A-Za-z0-9.]", "", extension)
    return (
        f'attachment; filename="{ascii_stem}{ascii_ext}"; '
        f"filename*=UTF-8''{quote(filename, safe='')}"
    )


def format_size(size: int, locale: str) -> str:
    """A file size in the language's number format: '1,2 MB', '640 KB', '512 B'."""
    if size < 1000:
        return f"{size} B"
    value = float(size)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1000
        if value < 999.95 or unit == "TB":
            return f"{format_decimal(value, format='#,##0.#', locale=locale)} {unit}"
    raise AssertionError("unreachable")


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
    title = _title(form, errors, N_("Give the file a title."))
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
        async with db.transaction() as conn:
            if download_id is None:
                assert upload is not None and stored is not None
                cursor = await conn.execute(
                    "INSERT INTO downloads (title, description, category, filename, stored_name, "
                    "kind, size, sha256, published, created, modified) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        draft.title,
                        draft.description,
                        draft.category,
                        upload.filename,
                        stored,
                        upload.kind.key,
                        len(upload.data),
                        upload.sha256,
                        int(draft.published),
                        now,
                        now,
                    ),
                )
                assert cursor.lastrowid is not None
                download_id = cursor.lastrowid
                await audit.record(conn, user, "create", "download", download_id, draft.title)
            else:
                async with conn.execute(
                    "SELECT stored_name FROM downloads WHERE id = ?", (download_id,)
                ) as found:
                    row = await found.fetchone()
                if row is None:
                    raise LookupError(download_id)
                await conn.execute(
                    "UPDATE downloads SET title = ?, description = ?, category = ?, "
                    "published = ?, modified = ? WHERE id = ?",
                    (draft.title, draft.description, draft.category, int(draft.published), now,
                     download_id),
                )  # fmt: skip
                detail = draft.title
                if upload is not None:
                    old_name = row["stored_name"]
                    await conn.execute(
                        "UPDATE downloads SET filename = ?, stored_name = ?, kind = ?, size = ?, "
                        "sha256 = ? WHERE id = ?",
                        (upload.filename, stored, upload.kind.key, len(upload.data),
                         upload.sha256, download_id),
                    )  # fmt: skip
                    detail = f"{draft.title} (new file {upload.filename})"
                await audit.record(conn, user, "update", "download", download_id, detail)
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
        async with conn.execute(
            "SELECT title, stored_name FROM downloads WHERE id = ?", (download_id,)
        ) as cursor:
            row = await cursor.fetchone()
        if row is None:
            return False
        await conn.execute("DELETE FROM downloads WHERE id = ?", (download_id,))
        await audit.record(conn, user, "delete", "download", download_id, row["title"])
    remove_file(folder, row["stored_name"])
    return True


async def count_download(db: Database, download_id: int) -> None:
    """One more download (one small write; downloads are rare next to page views)."""
    async with db.transaction() as conn:
        await conn.execute("UPDATE downloads SET hits = hits + 1 WHERE id = ?", (download_id,))


# Link banners


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
    title = _title(form, errors, N_("Give the banner a name."))
    url = form.get("url", "").strip()
    if not safe_target(url):
        errors["url"] = N_("Give an address starting with https://, http:// or /.")
    image = form.get("image", "").strip()
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
        ordering=_ordering(form.get("ordering", ""), errors),
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


async def save_banner(
    db: Database, draft: BannerDraft, user: User | None, banner_id: int | None = None
) -> int:
    """Create or update a banner (and an audit entry); its id."""
    values = (
        draft.title,
        draft.url,
        draft.description,
        draft.image,
        draft.ordering,
        int(draft.published),
    )
    async with db.transaction() as conn:
        if banner_id is None:
            cursor = await conn.execute(
                "INSERT INTO banners (title, url, description, image, ordering, published) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                values,
            )
            assert cursor.lastrowid is not None
            banner_id = cursor.lastrowid
            await audit.record(conn, user, "create", "banner", banner_id, draft.title)
            return banner_id
        cursor = await conn.execute(
            "UPDATE banners SET title = ?, url = ?, description = ?, image = ?, ordering = ?, "
            "published = ? WHERE id = ?",
            (*values, banner_id),
        )
        if cursor.rowcount == 0:
            raise LookupError(banner_id)
        await audit.record(conn, user, "update", "banner", banner_id, draft.title)
    return banner_id


async def count_click(db: Database, banner_id: int) -> None:
    """One more click on a banner."""
    async with db.transaction() as conn:
        await conn.execute("UPDATE banners SET clicks = clicks + 1 WHERE id = ?", (banner_id,))


# Removing videos, accounts and banners

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
    return True
