"""Reading a dump's bytes as text (gzip or plain, utf-8 or MySQL's latin1), and repairing
text that was double-encoded on the way ("Ã©" for "é").
"""

from __future__ import annotations

import codecs
import gzip
import re
import zlib

from content.importers.joomla.errors import JoomlaError

_GZIP_MAGIC = b"\x1f\x8b"
_OTHER_ARCHIVES = {
    b"PK\x03\x04": "a zip archive",
    b"BZh": "a bzip2 file",
    b"\xfd7zXZ\x00": "an xz file",
    b"7z\xbc\xaf": "a 7-Zip archive",
}


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Decode bytes that are not utf-8 as MySQL's latin1 (cp1252, C1 controls where undefined)."""
    assert isinstance(error, UnicodeDecodeError)
    chunk = error.object[error.start : error.end]
    return "".join(_MYSQL_LATIN1[byte] for byte in chunk), error.end


_MYSQL_LATIN1 = [bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(256)]
# The decoding error handler that reads bytes that are not utf-8 as MySQL's latin1.
MYSQL_LATIN1_ERRORS = "serambi-mysql-latin1"
codecs.register_error(MYSQL_LATIN1_ERRORS, _cp1252_fallback)


def decode_dump(data: bytes, name: str = "the dump") -> str:
    """A dump's text: gunzipped if gzip, decoded as utf-8 with bytes that are not read as latin1."""
    if data.startswith(_GZIP_MAGIC):
        try:
            data = gzip.decompress(data)
        except EOFError:
            raise JoomlaError(
                f"{name} is a gzip file that ends too early; it seems truncated."
            ) from None
        except (OSError, zlib.error) as error:
            raise JoomlaError(f"{name} is a damaged gzip file ({error}).") from None
    for magic, kind in _OTHER_ARCHIVES.items():
        if data.startswith(magic):
            raise JoomlaError(f"{name} is {kind}, not an SQL dump; unpack it first.")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")  # a dump saved again by a Windows editor
        except UnicodeDecodeError:
            raise JoomlaError(f"{name} starts like UTF-16 text but is not.") from None
    if b"\x00" in data[:65536]:
        raise JoomlaError(f"{name} is a binary file, not an SQL dump.")
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    return data.decode("utf-8", errors=MYSQL_LATIN1_ERRORS)


# Repairing double-encoded text ("Ã©" for "é")

_TO_MYSQL_LATIN1 = {char: byte for byte, char in enumerate(_MYSQL_LATIN1)}
_CONTINUATION = "".join(_MYSQL_LATIN1[b] for b in range(0x80, 0xC0))
# A utf-8 lead byte followed by a continuation byte, both read as latin1: the mark of mojibake.
_SUSPICIOUS = re.compile(f"[\u00c2-\u00f4][{re.escape(_CONTINUATION)}]")


def _mysql_latin1_bytes(text: str) -> bytes | None:
    try:
        return text.encode("cp1252")
    except UnicodeEncodeError:
        pass
    out = bytearray()
    for char in text:
        byte = _TO_MYSQL_LATIN1.get(char)
        if byte is None:
            return None
        out.append(byte)
    return bytes(out)


def repair_text(text: str) -> str:
    """Undo utf-8 stored through a latin1 connection (once or twice) where that cleanly helps."""
    for _ in range(3):
        if text.isascii():
            return text
        before = len(_SUSPICIOUS.findall(text))
        if not before:
            return text
        raw = _mysql_latin1_bytes(text)
        if raw is None:
            return text
        try:
            repaired = raw.decode("utf-8")
        except UnicodeDecodeError:
            return text
        if len(_SUSPICIOUS.findall(repaired)) >= before:
            return text
        text = repaired
    return text
