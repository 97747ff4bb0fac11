"""`import-joomla --media DIR`: the images an imported article shows, brought from the old
site's files into the media library, and the article's addresses rewritten to them.

DIR is the old site's root (the folder holding `images/`) or its `images/` folder itself. Only
addresses on the old site (`images/...` or `/images/...`) are looked for; outside images stay as
they are. Each file goes through the same checks and variants as an upload, and the same file
(by its content hash) is one library image however often it is referenced and however often the
import runs. What is not found, or is refused, is listed in the summary.
"""

from __future__ import annotations

import asyncio
import html
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import aiosqlite

from content import imaging
from content.media.images import clean_alt, insert_image

IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
SRC = re.compile(r"""(\bsrc\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)


@dataclass
class MediaImport:
    """One run's images: where the old site's files are, what became of each address."""

    source: Path
    folder: Path  # the library's variants folder
    max_bytes: int
    max_pixels: int
    dry_run: bool = False
    imported: int = 0
    already: int = 0
    found: dict[str, str | None] = field(default_factory=dict)  # site path -> library address
    # site path -> (what, Joomla id): ("articles", 26), ("banners", 2)
    missing: dict[str, list[tuple[str, int]]] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)  # site path -> why
    written: list[str] = field(default_factory=list)  # digests whose files this run wrote
    digests: set[str] = field(default_factory=set)  # files a dry run has counted

    def site_path(self, address: str) -> str | None:
        """`images/...` for an address on the old site's images; None for anything else."""
        try:
            parts = urlsplit(html.unescape(address).strip())
        except ValueError:
            return None
        if parts.scheme or parts.netloc:
            return None  # an outside image, left as it is
        path = PurePosixPath(unquote(parts.path).lstrip("/"))
        if not path.parts or path.parts[0] != "images" or ".." in path.parts:
            return None
        return path.as_posix()

    def file_for(self, site_path: str) -> Path | None:
        """The file of a site path under DIR (the site's root or its images folder)."""
        root = self.source.resolve()
        relative = site_path if (root / "images").is_dir() else site_path.removeprefix("images/")
        candidate = (root / relative).resolve()
        if not candidate.is_relative_to(root) or not candidate.is_file():
            return None
        return candidate

    async def address_for(
        self,
        conn: aiosqlite.Connection,
        site_path: str,
        alt: str,
        joomla_id: int,
        owner: str = "articles",
    ) -> str | None:
        """The library address of an old site's image (brought in on first sight), or None
        when it is missing or refused (the article keeps its old address)."""
        if site_path in self.found:
            if self.found[site_path] is None and site_path in self.missing:
                self.missing[site_path].append((owner, joomla_id))
            return self.found[site_path]
        self.found[site_path] = None
        path = self.file_for(site_path)
        if path is None:
            self.missing[site_path] = [(owner, joomla_id)]
            return None
        data = path.read_bytes() if path.stat().st_size <= self.max_bytes else b""
        if not data:
            self.refused[site_path] = "empty or larger than PORTAL_IMAGE_MAX_BYTES"
            return None
        digest = imaging.digest_of(data)
        async with conn.execute(
            "SELECT width, height FROM images WHERE digest = ?", (digest,)
        ) as cursor:
            known = await cursor.fetchone()
        if known is not None or digest in self.digests:
            self.already += 1
            if known is None:
                return None  # a dry run's second address of the same file
            width, height = int(known[0]), int(known[1])
        elif self.dry_run:
            self.imported += 1
            self.digests.add(digest)
            return None
        else:
            try:
                processed = await asyncio.to_thread(
                    imaging.process_image, data, str(self.folder), self.max_pixels
                )
            except imaging.ImageRefused as refused:
                self.refused[site_path] = refused.message % refused.variables
                return None
            self.written.append(digest)
            await insert_image(
                conn, processed, len(data), path.name, clean_alt(alt)[0], False, None
            )
            self.imported += 1
            width, height = processed.width, processed.height
        address = imaging.image_url(digest, width, height, imaging.default_width(width))
        self.found[site_path] = address
        return address

    async def rewrite(self, conn: aiosqlite.Connection, text: str, joomla_id: int) -> str:
        """Article HTML with every image of the old site pointing at its library copy."""
        replacements: dict[str, str] = {}
        for tag in IMG_TAG.findall(text):
            src = SRC.search(tag)
            if src is None:
                continue
            address = next(group for group in src.groups()[1:] if group is not None)
            site_path = self.site_path(address)
            if site_path is None:
                continue
            alt_match = ALT.search(tag)
            alt = next((g for g in alt_match.groups() if g is not None), "") if alt_match else ""
            found = await self.address_for(conn, site_path, html.unescape(alt), joomla_id)
            if found is not None:
                src_start, src_end = src.span()
                replacements[tag] = f'{tag[:src_start]}{src.group(1)}"{found}"{tag[src_end:]}'

        for old, new in replacements.items():
            text = text.replace(old, new)
        return text

    def discard(self) -> None:
        """Remove the files this run wrote (its transaction rolled back)."""
        for digest in self.written:
            imaging.remove_variants(self.folder, digest)
        self.written.clear()

    def lines(self) -> list[str]:
        """The summary's lines about images."""
        verb = "would be brought" if self.dry_run else "brought"
        lines = [
            f"Images: {self.imported} {verb} into the media library, {self.already} already "
            f"there, {len(self.missing)} not found, {len(self.refused)} refused."
        ]
        if self.missing:
            lines.append(f"Images not found under {self.source} (left at their old address):")
            for path, owners in sorted(self.missing.items()):
                kinds = sorted({kind for kind, _ in owners})
                shown = "; ".join(
                    f"Joomla {kind} "
                    + ", ".join(str(i) for i in sorted({i for k, i in owners if k == kind}))
                    for kind in kinds
                )
                lines.append(f"  {path} ({shown})")
        if self.refused:
            lines.append("Images refused (left at their old address):")
            lines.extend(f"  {path}: {why}" for path, why in sorted(self.refused.items()))
        return lines
