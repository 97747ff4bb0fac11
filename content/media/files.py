"""The library's files on disk, kept under random names in the instance folder, and how they are
offered: always as attachments, their size in the visitor's number format."""

from __future__ import annotations

import os
import re
import secrets
import unicodedata
from pathlib import Path
from urllib.parse import quote

from babel.numbers import format_decimal

STORED_NAME = re.compile(r"^[0-9a-f]{32}$")


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
