"""The media library's images: adding an upload (its variants made off the event loop, the
record written only once every file is there), listing, alt text, where each is used, and
removing one no article uses. The pixels are handled in content.imaging."""

from __future__ import annotations

import asyncio
import concurrent.futures
import logging
import multiprocessing
import sqlite3
import time
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path

import aiosqlite

from content import audit, imaging
from content.accounts import User
from content.db import Database, parse_utc, utcnow
from content.i18n import N_

log = logging.getLogger(__name__)
AUDIT_WORDS = audit.Words(
    actions={"upload": N_("Uploaded"), "alt": N_("Alternative text changed")},
    kinds={"image": N_("Image")},
)
MAX_ALT = 250
MAX_FILENAME = 150
PER_PAGE = 30


@dataclass(frozen=True)
class LibraryImage:
    """An image in the library, its variants named by `digest` (see content.imaging)."""

    id: int
    digest: str
    format: str
    width: int
    height: int
    bytes: int
    stored_bytes: int
    filename: str
    alt: str
    decorative: bool
    uploaded_at: datetime
    uploaded_by: int | None
    uploader: str

    def url(self, variant: int | None = None, ext: str = "webp") -> str:
        """A variant's address: the default (960 wide or the largest) unless one is named."""
        width = variant or imaging.default_width(self.width)
        return imaging.image_url(self.digest, self.width, self.height, width, ext)

    @property
    def widths(self) -> list[int]:
        return imaging.variant_widths(self.width)

    @property
    def default_size(self) -> tuple[int, int]:
        width = imaging.default_width(self.width)
        return width, imaging.variant_height(self.width, self.height, width)

    @property
    def thumbnail(self) -> str:
        return self.url(self.widths[0])

    @property
    def original_format_url(self) -> str:
        """The default variant in the upload's own format (for readers without WebP)."""
        return self.url(None, imaging.FORMATS[self.format][0])

    @property
    def srcset(self) -> str:
        return ", ".join(f"{self.url(w)} {w}w" for w in self.widths)

    @property
    def sizes(self) -> str:
        return imaging.sizes_for(self.default_size[0])

    @property
    def file_names(self) -> list[str]:
        exts = {"webp", imaging.FORMATS[self.format][0]}
        return [
            imaging.file_name(self.digest, self.width, self.height, w, ext)
            for w in self.widths
            for ext in sorted(exts)
        ]


@dataclass(frozen=True)
class ImageUse:
    """Something that shows an image: an article, a link banner or a video's poster."""

    kind: str  # "article", "banner", "video"
    id: int
    title: str


@dataclass(frozen=True)
class ImagePage:
    """One page of the library."""

    items: list[LibraryImage]
    total: int
    number: int
    pages: int

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


class ImageProcessor:
    """Makes the variants of uploads in worker processes (or, with no workers, in a thread), so
    the event loop never decodes or encodes a pixel. The pool starts at the first upload."""

    def __init__(self, folder: Path, max_pixels: int, workers: int) -> None:
        self.folder = folder
        self.max_pixels = max_pixels
        self.workers = workers
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None

    def _executor(self) -> concurrent.futures.ProcessPoolExecutor:
        if self._pool is None:
            # A fresh interpreter (forking the server would copy its sockets and threads) that
            # has Pillow loaded already, so a worker starts at little cost.
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["content.imaging"])
            self._pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=context,
                initializer=imaging.worker_setup,
                initargs=(self.max_pixels,),
            )
        return self._pool

    async def process(self, data: bytes) -> imaging.ProcessedImage:
        """The upload's variants, written to the folder; ImageRefused when it is no image."""
        job = partial(imaging.process_image, data, str(self.folder), self.max_pixels)
        if self.workers == 0:
            return await asyncio.to_thread(job)
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(self._executor(), job)
        except concurrent.futures.process.BrokenProcessPool as error:
            # A worker died (killed, out of memory): start a new pool for the next upload.
            log.error("An image worker process died while making an upload's variants")
            self._pool = None
            raise imaging.ImageRefused(
                N_("The image could not be processed. Try again.")
            ) from error

    def close(self) -> None:
        """Stop the worker processes (uploads still running are waited for)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


IMAGE_COLUMNS = (
    "i.id, i.digest, i.format, i.width, i.height, i.bytes, i.stored_bytes, i.filename, i.alt, "
    "i.decorative, i.uploaded_at, i.uploaded_by, coalesce(u.name, '') AS uploader"
)
IMAGE_FROM = "images i LEFT JOIN users u ON u.id = i.uploaded_by"


def _image(row: sqlite3.Row) -> LibraryImage:
    return LibraryImage(
        id=row["id"],
        digest=row["digest"],
        format=row["format"],
        width=row["width"],
        height=row["height"],
        bytes=row["bytes"],
        stored_bytes=row["stored_bytes"],
        filename=row["filename"],
        alt=row["alt"],
        decorative=bool(row["decorative"]),
        uploaded_at=parse_utc(row["uploaded_at"]),
        uploaded_by=row["uploaded_by"],
        uploader=row["uploader"],
    )


def clean_alt(raw: str) -> tuple[str, str | None]:
    """Alt text on one line, and a message when it is too long."""
    alt = " ".join(raw.split())
    if len(alt) > MAX_ALT:
        return alt[:MAX_ALT], N_("Keep the alternative text under 250 characters.")
    return alt, None


def clean_upload_name(raw: str | None) -> str:
    """The uploaded file's name as editors see it: its last part, on one line, bounded."""
    name = (raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable())
    return " ".join(name.split())[:MAX_FILENAME]


async def get_image(db: Database, image_id: int) -> LibraryImage | None:
    """An image by its id."""
    row = await db.fetchone(f"SELECT {IMAGE_COLUMNS} FROM {IMAGE_FROM} WHERE i.id = ?", (image_id,))
    return _image(row) if row else None


async def get_image_by_digest(db: Database, digest: str) -> LibraryImage | None:
    """An image by the hash of its upload."""
    row = await db.fetchone(
        f"SELECT {IMAGE_COLUMNS} FROM {IMAGE_FROM} WHERE i.digest = ?", (digest,)
    )
    return _image(row) if row else None


async def add_image(
    db: Database,
    processor: ImageProcessor,
    data: bytes,
    *,
    filename: str | None,
    alt: str,
    decorative: bool,
    user: User | None,
) -> tuple[LibraryImage, bool]:
    """Keep an upload: (the image, True) when added, (the image already there, False) when the
    same file was uploaded before; ImageRefused when it is no acceptable image. The record is
    written only after every variant is on disk."""
    digest = await asyncio.to_thread(imaging.digest_of, data)  # megabytes: not on the loop
    existing = await get_image_by_digest(db, digest) if data else None
    if existing is not None:
        return existing, False
    processed = await processor.process(data)
    try:
        image_id = await _insert(db, processed, len(data), filename, alt, decorative, user)
    except sqlite3.IntegrityError:
        # The same file, uploaded twice at once: the other upload's record won; the files
        # are the same bytes under the same names, so both uploads end with one image.
        image_id = None
    except BaseException:
        if await _digest_unknown(db, digest):
            imaging.remove_variants(processor.folder, digest)
        raise
    found = await (get_image(db, image_id) if image_id else get_image_by_digest(db, digest))
    if found is None:  # pragma: no cover - a record just written or found
        raise LookupError(digest)
    return found, image_id is not None


async def _digest_unknown(db: Database, digest: str) -> bool:
    try:
        return await db.fetchval("SELECT 1 FROM images WHERE digest = ?", (digest,)) is None
    except Exception:  # the database cannot answer: keep the files, they are complete
        return False


async def _insert(
    db: Database,
    processed: imaging.ProcessedImage,
    size: int,
    filename: str | None,
    alt: str,
    decorative: bool,
    user: User | None,
) -> int:
    async with db.transaction() as conn:
        return await insert_image(conn, processed, size, filename, alt, decorative, user)


async def insert_image(
    conn: aiosqlite.Connection,
    processed: imaging.ProcessedImage,
    size: int,
    filename: str | None,
    alt: str,
    decorative: bool,
    user: User | None,
) -> int:
    """Record processed variants as a library image inside the caller's transaction (with an
    audit entry); its id. IntegrityError when the same file is recorded already."""
    cursor = await conn.execute(
        "INSERT INTO images (digest, format, width, height, bytes, stored_bytes, filename, "
        "alt, decorative, uploaded_at, uploaded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            processed.digest,
            processed.format,
            processed.width,
            processed.height,
            size,
            processed.stored_bytes,
            clean_upload_name(filename),
            "" if decorative else alt,
            int(decorative),
            utcnow(),
            user.id if user else None,
        ),
    )
    image_id = cursor.lastrowid
    assert image_id is not None
    await audit.record(conn, user, "upload", "image", image_id, clean_upload_name(filename))
    return image_id


async def sweep_leftovers(db: Database, folder: Path, older_than: float) -> int:
    """Remove what a crash can leave in the folder: temporary files, and variants whose image
    has no record (the process died between writing them and committing it). Only files older
    than `older_than` seconds are touched, so an upload being made right now keeps its files.
    The number of files removed."""
    known = {row[0] for row in await db.fetchall("SELECT digest FROM images")}
    return await asyncio.to_thread(_sweep, folder, known, older_than)


def _sweep(folder: Path, known: set[str], older_than: float) -> int:
    if not folder.is_dir():
        return 0
    limit = time.time() - older_than
    removed = 0
    for path in folder.iterdir():
        found = imaging.FILE_NAME.fullmatch(path.name)
        leftover = path.name.endswith(".part") or (found and found["digest"] not in known)
        try:
            if leftover and path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except OSError:
            continue  # gone meanwhile, or not ours to remove: the next start tries again
    if removed:
        log.info("Removed %d leftover image files from %s", removed, folder)
    return removed


async def list_images(
    db: Database, *, query: str = "", number: int = 1, per_page: int = PER_PAGE
) -> ImagePage:
    """The newest images first, those whose name or alt text holds `query` when given."""
    where, params = "", []
    words = query.split()
    if words:
        clauses = []
        for word in words[:8]:
            pattern = "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            clauses.append("(i.filename LIKE ? ESCAPE '\\' OR i.alt LIKE ? ESCAPE '\\')")
            params += [pattern + "%", pattern + "%"]
        where = "WHERE " + " AND ".join(clauses)
    total = int(await db.fetchval(f"SELECT count(*) FROM images i {where}", params))
    pages = max(1, -(-total // per_page))
    rows = await db.fetchall(
        f"SELECT {IMAGE_COLUMNS} FROM {IMAGE_FROM} {where} "
        "ORDER BY i.uploaded_at DESC, i.id DESC LIMIT ? OFFSET ?",
        (*params, per_page, (number - 1) * per_page),
    )
    return ImagePage([_image(row) for row in rows], total, number, pages)


async def recent_images(db: Database, limit: int = 60) -> list[LibraryImage]:
    """The newest images, for the pickers beside image address fields."""
    return (await list_images(db, per_page=limit)).items


async def image_uses(db: Database, images: list[LibraryImage]) -> dict[int, list[ImageUse]]:
    """Where each image is shown: articles (any state, trashed ones too), banners, videos."""
    uses: dict[int, list[ImageUse]] = {image.id: [] for image in images}
    if not images:
        return uses
    marks = ", ".join("?" for _ in images)
    rows = await db.fetchall(
        "SELECT u.image_id, a.id, a.title FROM image_uses u "
        f"JOIN articles a ON a.id = u.article_id WHERE u.image_id IN ({marks}) ORDER BY a.title",
        [image.id for image in images],
    )
    for row in rows:
        uses[row[0]].append(ImageUse("article", row[1], row[2]))
    for image in images:
        needle = imaging.URL_PREFIX + image.digest
        for kind, sql in (
            ("banner", "SELECT id, title FROM banners WHERE instr(image, ?) > 0 ORDER BY title"),
            ("video", "SELECT id, title FROM videos WHERE instr(thumbnail, ?) > 0 ORDER BY title"),
        ):
            for row in await db.fetchall(sql, (needle,)):
                uses[image.id].append(ImageUse(kind, row[0], row[1]))
    return uses


async def update_alt(
    db: Database, image_id: int, alt: str, decorative: bool, user: User
) -> LibraryImage | None:
    """Change an image's alternative text (or mark it decorative); None when it is not there.
    Articles keep the alt text they were written with, as the editor chose it there."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE images SET alt = ?, decorative = ? WHERE id = ?",
            ("" if decorative else alt, int(decorative), image_id),
        )
        if cursor.rowcount == 0:
            return None
        await audit.record(conn, user, "alt", "image", image_id)
    return await get_image(db, image_id)


async def delete_image(
    db: Database, image_id: int, user: User, folder: Path
) -> list[ImageUse] | None:
    """Remove an image and its files: [] when removed, the places that still show it when it
    is in use (nothing removed), None when there is no such image."""
    image = await get_image(db, image_id)
    if image is None:
        return None
    async with db.transaction() as conn:
        # Checked inside the write transaction: no article can start using it meanwhile.
        uses = await _uses_in(conn, image)
        if uses:
            return uses
        await conn.execute("DELETE FROM images WHERE id = ?", (image_id,))
        await audit.record(conn, user, "delete", "image", image_id, image.filename)
    imaging.remove_variants(folder, image.digest)
    return []


async def _uses_in(conn: aiosqlite.Connection, image: LibraryImage) -> list[ImageUse]:
    needle = imaging.URL_PREFIX + image.digest
    found: list[ImageUse] = []
    queries = (
        (
            "article",
            "SELECT a.id, a.title FROM image_uses u JOIN articles a ON a.id = u.article_id "
            "WHERE u.image_id = ? ORDER BY a.title",
            (image.id,),
        ),
        ("banner", "SELECT id, title FROM banners WHERE instr(image, ?) > 0", (needle,)),
        ("video", "SELECT id, title FROM videos WHERE instr(thumbnail, ?) > 0", (needle,)),
    )
    for kind, sql, params in queries:
        async with conn.execute(sql, params) as cursor:
            found.extend(ImageUse(kind, row[0], row[1]) for row in await cursor.fetchall())
    return found
