"""Images of the media library: checking an upload, making its variants, and their addresses.

An upload is decided from its content by Pillow (JPEG, PNG, WebP or GIF; never by its name),
turned upright from its EXIF orientation, stripped of every metadata block (EXIF with its GPS,
XMP, IPTC, comments; only the colour profile stays), and written as variants 480, 960 and 1600
pixels wide (never wider than the upload) in WebP and in the upload's own format. The variants
are named after the upload's content hash and its size, so an address never changes its bytes
(served as immutable) and an address alone says which variants exist:

    /media/img/<24 hex of sha256>-<width>x<height>-<variant width>.<webp|jpg|png|gif>

That lets the cleaner give a library image its srcset, sizes, width and height when an article
is saved, with no lookup (`LibraryImages`). This module needs only Pillow and the standard
library: the worker processes that make the variants import nothing else.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import re
import secrets
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PIL import Image, ImageFile, ImageOps, UnidentifiedImageError

VARIANT_WIDTHS = (480, 960, 1600)
DEFAULT_WIDTH = 960
THUMBNAIL_WIDTH = 480
URL_PREFIX = "/media/img/"
# Pillow format -> (the variants' extension, mimetype)
FORMATS: dict[str, tuple[str, str]] = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
    "GIF": ("gif", "image/gif"),
}
MIMETYPES = {ext: mime for ext, mime in FORMATS.values()}
DIGEST_LENGTH = 24
FILE_NAME = re.compile(
    r"(?P<digest>[0-9a-f]{24})-(?P<width>[1-9][0-9]{0,4})x(?P<height>[1-9][0-9]{0,4})"
    r"-(?P<variant>[1-9][0-9]{0,4})\.(?P<ext>webp|jpg|png|gif)"
)
LIBRARY_URL = re.compile(re.escape(URL_PREFIX) + FILE_NAME.pattern)
# Markup or script a browser could run if the file were ever shown as a page or a script. Pixel
# data is noise to a pattern: a short one turns up in it by chance ("<svg" about once in 1,000
# photos), so the whole file is searched only for long ones, and the first and last 64 KB (where
# headers, comments, metadata and anything appended sit) for the shorter ones too. A file that
# starts with "<" is markup anyway. The served variants are always new encodings of the pixels,
# so nothing of the upload's bytes reaches a visitor whatever these find.
ACTIVE_CONTENT = re.compile(
    rb"<\s*(?:!doctype|script|iframe|object)|javascript:|\balert\s*\(|\bdocument\s*\."
    rb"|\bwindow\s*\.|\bfunction\s*\(",
    re.IGNORECASE,
)
MARKUP_NEAR_ENDS = re.compile(
    rb"<\s*(?:html|head|body|svg|embed|meta|link|style|img|a\s+href|form|xsl:|math)[\s/>]"
    rb"|\beval\s*\(",
    re.IGNORECASE,
)
ENDS = 64 * 1024
# A GIF whose width bytes open a JavaScript comment: the classic GIF/JS polyglot's header.
GIF_SCRIPT_HEADER = re.compile(rb"^GIF8[79]a/\*")
WEBP_QUALITY = 80
JPEG_QUALITY = 85


class ImageRefused(Exception):
    """The upload is not an image the library keeps; `message` says why (to be translated)."""

    def __init__(self, message: str, **variables: Any) -> None:
        super().__init__(message)
        self.message = message
        self.variables = variables


class ImageNotStored(ImageRefused):
    """The image was fine but its files could not be written (disk full, no permission)."""


def _(message: str) -> str:
    """Marks a message for the catalogs (content.i18n.N_ without importing content)."""
    return message


@dataclass(frozen=True)
class Variant:
    """One written file: its name in the folder, width, height and size in bytes."""

    name: str
    width: int
    height: int
    size: int


@dataclass(frozen=True)
class ProcessedImage:
    """What an upload became: its content hash, upright size, format and written variants."""

    digest: str
    width: int
    height: int
    format: str  # a FORMATS key
    variants: tuple[Variant, ...] = field(default=())

    @property
    def stored_bytes(self) -> int:
        return sum(variant.size for variant in self.variants)


def folder_for(database: str) -> Path:
    """Where the library's variants are kept: `gambar/` beside the database, so they move
    together."""
    return Path(database).resolve().parent / "gambar"


def digest_of(data: bytes) -> str:
    """The content hash that names an upload's variants."""
    return hashlib.sha256(data).hexdigest()[:DIGEST_LENGTH]


def variant_widths(width: int) -> list[int]:
    """The widths made for an image this wide: 480, 960, 1600, never wider than itself."""
    widths = [w for w in VARIANT_WIDTHS if w <= width]
    if width < VARIANT_WIDTHS[-1] and width not in widths:
        widths.append(width)
    return widths


def variant_height(width: int, height: int, variant: int) -> int:
    """The height of a variant, keeping the image's proportions."""
    return max(1, round(height * variant / width))


def default_width(width: int) -> int:
    """The variant an article's src names: 960 wide, or the largest there is."""
    widths = variant_widths(width)
    return DEFAULT_WIDTH if DEFAULT_WIDTH in widths else widths[-1]


def file_name(digest: str, width: int, height: int, variant: int, ext: str) -> str:
    """The name of one variant's file (and the last part of its address)."""
    return f"{digest}-{width}x{height}-{variant}.{ext}"


def image_url(digest: str, width: int, height: int, variant: int, ext: str = "webp") -> str:
    """The address of one variant."""
    return URL_PREFIX + file_name(digest, width, height, variant, ext)


@dataclass(frozen=True)
class LibraryUrl:
    """What a library address says: the image, its upright size and the variant it names."""

    digest: str
    width: int
    height: int
    variant: int
    ext: str

    def url(self, variant: int, ext: str = "webp") -> str:
        return image_url(self.digest, self.width, self.height, variant, ext)

    @property
    def widths(self) -> list[int]:
        return variant_widths(self.width)

    def srcset(self) -> str:
        """Every WebP variant with its width descriptor."""
        return ", ".join(f"{self.url(w)} {w}w" for w in self.widths)

    def variant_size(self, variant: int) -> tuple[int, int]:
        return variant, variant_height(self.width, self.height, variant)


def parse_library_url(url: str) -> LibraryUrl | None:
    """The library image an address names, or None for any other address."""
    match = LIBRARY_URL.fullmatch(url.strip())
    if match is None:
        return None
    found = LibraryUrl(
        match["digest"],
        int(match["width"]),
        int(match["height"]),
        int(match["variant"]),
        match["ext"],
    )
    return found if found.variant in found.widths else None


def parse_file_name(name: str) -> LibraryUrl | None:
    """The variant a file name (the last part of a library address) names, or None."""
    return parse_library_url(URL_PREFIX + name)


def sizes_for(width: int) -> str:
    """The sizes attribute of an image shown at most `width` CSS pixels wide."""
    return f"(max-width: {width}px) 100vw, {width}px"


def responsive_attributes(url: str, width: int | None = None) -> dict[str, str] | None:
    """srcset, sizes, width and height for a library address (shown `width` wide when given);
    None for an outside image."""
    found = parse_library_url(url)
    if found is None:
        return None
    shown, tall = found.variant_size(found.variant)
    if width and 0 < width < shown:
        shown, tall = width, variant_height(found.width, found.height, width)
    return {
        "srcset": found.srcset(),
        "sizes": sizes_for(shown),
        "width": str(shown),
        "height": str(tall),
    }


def picked_image(form: Mapping[str, str], name: str) -> str:
    """An image field's address: the library image picked beside it (`<name>_library`), else
    what was typed into the field."""
    picked = form.get(f"{name}_library", "").strip()
    if picked and parse_library_url(picked) is not None:
        return picked
    return form.get(name, "").strip()


class LibraryImages:
    """A bleach token filter (after cleaning): a library image in an article gets its srcset,
    sizes, width and height from its address, and loading="lazy" decoding="async".
    Recomputed on every clean, so cleaning twice gives the same HTML."""

    def __init__(self, source: Iterable[dict[str, Any]]) -> None:
        self.source = source

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for token in self.source:
            if token["type"] in ("StartTag", "EmptyTag") and token.get("name") == "img":
                token["data"] = enrich_image_attributes(token.get("data") or {})
            yield token


Attributes = dict[tuple[str | None, str], str]


def enrich_image_attributes(attrs: Attributes) -> Attributes:
    """An img's (cleaned) attributes with what a responsive, non-jumping image needs."""
    found = parse_library_url(attrs.get((None, "src"), ""))
    if found is None:
        return attrs  # an outside image keeps what the cleaner let through
    result = dict(attrs)
    given = _dimension(attrs.get((None, "width")))
    shown, tall = found.variant_size(found.variant)
    if given and given < shown:
        shown, tall = given, variant_height(found.width, found.height, given)
    result[(None, "width")] = str(shown)
    result[(None, "height")] = str(tall)
    result[(None, "srcset")] = found.srcset()
    result[(None, "sizes")] = sizes_for(shown)
    result[(None, "loading")] = "lazy"
    result[(None, "decoding")] = "async"
    return result


def _dimension(value: str | None) -> int | None:
    if value and value.isascii() and value.isdigit() and len(value) < 6:
        return int(value) or None
    return None


# Making the variants (runs in a worker process or thread, never on the event loop)


def check_content(data: bytes) -> None:
    """Refuse what is no image before Pillow looks at it: nothing, markup, script."""
    if not data:
        raise ImageRefused(_("The file is empty."))
    starts_as_markup = data.lstrip(b"\xef\xbb\xbf \t\r\n\x0c").startswith(b"<")
    ends = data[:ENDS] + b"\n" + data[-ENDS:]
    if (
        starts_as_markup
        or GIF_SCRIPT_HEADER.match(data)
        or ACTIVE_CONTENT.search(data)
        or MARKUP_NEAR_ENDS.search(ends)
    ):
        raise ImageRefused(_("The file contains web page or script code and is not accepted."))


def process_image(data: bytes, folder: str, max_pixels: int) -> ProcessedImage:
    """Check an upload and write its variants into `folder`; ImageRefused when it is no
    acceptable image. Every file is written under a temporary name and renamed when complete;
    when anything fails, the files written by this call are removed again."""
    check_content(data)
    digest = digest_of(data)
    # WeasyPrint (article PDFs) sets this process-wide when it is imported, to draw what it can
    # of a damaged picture; an upload must be whole, in a thread of the server as in a worker.
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        with Image.open(io.BytesIO(data), formats=list(FORMATS)) as opened:
            return _write_variants(opened, digest, Path(folder), max_pixels)
    except ImageRefused:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels(max_pixels) from error
    except UnidentifiedImageError as error:
        raise ImageRefused(
            _("The file is not an image of an accepted type (JPEG, PNG, WebP or GIF).")
        ) from error
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError) as error:
        raise ImageRefused(_("The image file is damaged or incomplete.")) from error


def _too_many_pixels(max_pixels: int) -> ImageRefused:
    return ImageRefused(
        _("The image is too large: at most %(limit)s megapixels."),
        limit=f"{max_pixels / 1_000_000:g}",
    )


def _write_variants(
    opened: ImageFile.ImageFile, digest: str, folder: Path, max_pixels: int
) -> ProcessedImage:
    # A phone's multi-picture JPEG (MPO: the photo, then a depth map or a preview) is a JPEG
    # whose first picture is the photo.
    kind = "JPEG" if opened.format == "MPO" else opened.format or ""
    if kind not in FORMATS:
        raise ImageRefused(
            _("The file is not an image of an accepted type (JPEG, PNG, WebP or GIF).")
        )
    if opened.width * opened.height > max_pixels:
        raise _too_many_pixels(max_pixels)  # before a single pixel is decoded
    # The colour profile stays (it is no personal data) where the pixels keep its colour space.
    icc = opened.info.get("icc_profile") if opened.mode in ("RGB", "RGBA") else None
    orientation = opened.getexif().get(0x0112, 1)
    upright_w, upright_h = opened.size
    if orientation in (5, 6, 7, 8):
        upright_w, upright_h = upright_h, upright_w
    widths = variant_widths(upright_w)
    if kind == "JPEG":
        # Decode at the smallest scale (1/2, 1/4, 1/8) that still covers the widest variant.
        largest = widths[-1]
        scale = largest / upright_w
        opened.draft("RGB", (int(opened.width * scale) + 1, int(opened.height * scale) + 1))
    opened.seek(0)  # an animation keeps its first frame
    opened.load()
    upright = ImageOps.exif_transpose(opened)
    base = _plain_mode(upright, kind)
    base.info = {}  # EXIF, XMP, IPTC, comments: nothing of the upload's metadata goes on
    ext = FORMATS[kind][0]
    outputs = ["webp"] if ext == "webp" else ["webp", ext]
    written: list[Path] = []
    variants: list[Variant] = []
    try:
        _store(folder.mkdir, parents=True, exist_ok=True)
        source = base
        for width in reversed(widths):
            height = variant_height(upright_w, upright_h, width)
            if source.size != (width, height):
                source = source.resize((width, height), Image.Resampling.LANCZOS)
                source.info = {}
            for out_ext in outputs:
                encoded = _webp(source, icc) if out_ext == "webp" else _same(source, kind, icc)
                name = file_name(digest, upright_w, upright_h, width, out_ext)
                path = folder / name
                _store(_write_atomically, path, encoded)
                written.append(path)
                variants.append(Variant(name, width, height, len(encoded)))
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    return ProcessedImage(digest, upright_w, upright_h, kind, tuple(variants))


def _store(write: Callable[..., None], *args: Any, **kwargs: Any) -> None:
    """Run a step that writes to the disk; its failure is the server's, not the image's."""
    try:
        write(*args, **kwargs)
    except OSError as error:
        raise ImageNotStored(
            _("The image could not be stored on the server. Nothing was kept; try again later.")
        ) from error


def _plain_mode(image: Image.Image, kind: str) -> Image.Image:
    """The image in a mode its format can be written and resized in."""
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    if kind == "JPEG":
        return image if image.mode in ("RGB", "L") else image.convert("RGB")
    if has_alpha:
        return image if image.mode == "RGBA" else image.convert("RGBA")
    return image if image.mode in ("RGB", "L") else image.convert("RGB")


def _webp(image: Image.Image, icc: bytes | None) -> bytes:
    out = io.BytesIO()
    source = image if image.mode in ("RGB", "RGBA") else image.convert("RGB")
    extra: dict[str, Any] = {"icc_profile": icc} if icc else {}
    source.save(out, "WEBP", quality=WEBP_QUALITY, method=4, exif=b"", xmp=b"", **extra)
    return out.getvalue()


def _same(image: Image.Image, kind: str, icc: bytes | None) -> bytes:
    out = io.BytesIO()
    extra: dict[str, Any] = {"icc_profile": icc} if icc and kind != "GIF" else {}
    if kind == "JPEG":
        image.save(out, "JPEG", quality=JPEG_QUALITY, progressive=True, exif=b"", **extra)
    elif kind == "PNG":
        image.save(out, "PNG", compress_level=6, **extra)
    elif kind == "WEBP":
        return _webp(image, icc)
    else:
        image.save(out, "GIF")
    return out.getvalue()


def _write_atomically(path: Path, data: bytes) -> None:
    """Write under a temporary name beside `path`, flush it to disk, then rename."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.part")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def remove_variants(folder: Path, digest: str) -> None:
    """Delete every variant of an image from the folder."""
    for path in folder.glob(f"{digest}-*"):
        if FILE_NAME.fullmatch(path.name):
            path.unlink(missing_ok=True)


def worker_setup(max_pixels: int) -> None:
    """A worker process's start: Pillow's own decompression-bomb guard at the setting, and
    below the web server in the scheduler's eyes so pages go first."""
    Image.MAX_IMAGE_PIXELS = max_pixels
    with contextlib.suppress(OSError):
        os.nice(10)
