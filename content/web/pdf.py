"""Articles as PDF files: WeasyPrint in a worker thread, only our static files, cached on disk."""

from __future__ import annotations

import asyncio
import hashlib
import logging
import mimetypes
import os
import re
import tempfile
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from quart import Quart

from content.imaging import URL_PREFIX, folder_for, parse_file_name
from content.web.state import portal

logger = logging.getLogger(__name__)

# Bump when the print template or its stylesheet change in a way cached files must follow.
LAYOUT_VERSION = 1
# PDF rendering is heavy on memory and CPU: at most this many at once, the rest wait.
MAX_RENDERS_AT_ONCE = 2
_CACHE_NAME = re.compile(r"^(\d+)-([a-z]{2})-v\d+-[0-9a-f]{16}\.pdf$")


class RefusedURL(ValueError):
    """WeasyPrint asked for something that is not one of our static files."""


def static_file_for(url: str, site_root: str, static_folder: Path) -> Path | None:
    """The file under the static folder that `url` names on our own site, or None."""
    try:
        parts = urlsplit(url)
        site = urlsplit(site_root)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != site.netloc.lower():
        return None
    if parts.username or parts.password or not parts.path.startswith("/static/"):
        return None
    relative = unquote(parts.path.removeprefix("/static/"))
    if not relative or "\\" in relative or "\x00" in relative:
        return None
    if any(segment in ("", ".", "..") for segment in relative.split("/")):
        return None
    folder = static_folder.resolve()
    path = (folder / relative).resolve()
    if not path.is_relative_to(folder) or not path.is_file():
        return None
    return path


def library_file_for(url: str, site_root: str, image_folder: Path) -> Path | None:
    """The media library's variant that `url` names on our own site, or None."""
    try:
        parts = urlsplit(url)
        site = urlsplit(site_root)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or parts.netloc.lower() != site.netloc.lower():
        return None
    name = parts.path.removeprefix(URL_PREFIX)
    if not parts.path.startswith(URL_PREFIX) or parse_file_name(name) is None:
        return None
    path = image_folder / name
    return path if path.is_file() else None


def render_pdf(
    html: str, site_root: str, static_folder: Path, image_folder: Path | None = None
) -> bytes:
    """Render print HTML to PDF; only files under `static_folder` and the media library's
    variants are ever read (blocking)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]
        """Serves /static/... of our own site from disk and refuses every other URL."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            path = static_file_for(url, site_root, static_folder)
            if path is None and image_folder is not None:
                path = library_file_for(url, site_root, image_folder)
            if path is None:
                raise RefusedURL(f"not one of our static files: {url[:200]}")
            mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                url, body=path.read_bytes(), headers={"Content-Type": mimetype}
            )

    fetcher = StaticOnlyFetcher(allowed_protocols=("http", "https"), allow_redirects=False)
    document = HTML(string=html, base_url=site_root, url_fetcher=fetcher)
    data: bytes = document.write_pdf()
    return data


@dataclass(frozen=True)
class PdfKey:
    """What a cached PDF depends on: the article's version, the language and what frames it."""

    article_id: int
    language: str
    version: int
    frame: str  # anything else printed in it: category, author, site name, stylesheet

    @property
    def filename(self) -> str:
        digest = hashlib.sha256(f"{LAYOUT_VERSION}\n{self.frame}".encode()).hexdigest()[:16]
        return f"{self.article_id}-{self.language}-v{self.version}-{digest}.pdf"


class PdfCache:
    """PDF files on disk, one per article and language: a new version replaces the old file."""

    def __init__(self, folder: Path, static_folder: Path, image_folder: Path | None = None):
        self.folder = folder
        self.static_folder = static_folder
        self.image_folder = image_folder
        self.renders = 0  # how many PDFs were rendered (the rest came from the cache)
        self._locks: dict[str, asyncio.Lock] = {}
        self._slots: asyncio.Semaphore | None = None

    def path_for(self, key: PdfKey) -> Path:
        """Where the PDF for `key` is (or will be) kept."""
        return self.folder / key.filename

    async def get(
        self, key: PdfKey, site_root: str, make_html: Callable[[], Awaitable[str]]
    ) -> Path:
        """The cached PDF for `key`; rendered first (once, off the event loop) when missing."""
        path = self.path_for(key)
        if await asyncio.to_thread(path.is_file):
            return path
        lock = self._locks.setdefault(key.filename, asyncio.Lock())
        try:
            async with lock:
                # Another request may have rendered it while this one waited.
                if await asyncio.to_thread(path.is_file):
                    return path
                html = await make_html()
                if self._slots is None:
                    self._slots = asyncio.Semaphore(MAX_RENDERS_AT_ONCE)
                async with self._slots:
                    data = await asyncio.to_thread(
                        render_pdf, html, site_root, self.static_folder, self.image_folder
                    )
                self.renders += 1
                await asyncio.to_thread(self._store, key, data)
        finally:
            if not lock.locked():
                self._locks.pop(key.filename, None)
        return path

    def _store(self, key: PdfKey, data: bytes) -> None:
        """Write the file atomically, then remove the article's older files in that language."""
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, self.path_for(key))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        for old in self.folder.glob(f"{key.article_id}-{key.language}-v*.pdf"):
            if old.name != key.filename and _CACHE_NAME.match(old.name):
                old.unlink(missing_ok=True)


def init_app(app: Quart, static_folder: Path) -> PdfCache:
    """The app's PDF cache, in <instance folder>/pdf (library images read from their folder)."""
    image_folder = folder_for(app.config["DATABASE"])
    return PdfCache(Path(app.instance_path) / "pdf", static_folder, image_folder)


def get_pdf_cache() -> PdfCache:
    """The app's PDF cache."""
    return portal().pdf_cache
