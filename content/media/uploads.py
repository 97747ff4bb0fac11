"""Checking an uploaded file before the library keeps it.

The type of an uploaded file is found from its content (magic bytes, the parts of an Office or
OpenDocument zip, or clean UTF-8 text), and must agree with its name's extension and the allowed
types. HTML, SVG and XML are never accepted.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass

from content.i18n import N_


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
