"""Responses compressed with brotli or gzip as the browser accepts, and validated for reloads.

Pages, CSS, JavaScript, JSON, XML (feeds, the sitemap, the calendar) and SVG go out compressed,
with the coding chosen from the request's Accept-Encoding (its q-values honoured; brotli before
gzip when both are welcome). Images, PDFs and downloads go out as they are, and so does a body
under MIN_SIZE, a partial (206) answer or an attachment: a download's Content-Length and byte
ranges keep meaning the file itself.

The work is done once wherever the bytes allow it:
- a static file (static/ and the front-end packages) is compressed at its best level on its first
  request and kept in memory per file version and coding (`Compressor.files`);
- a kept page (content/web/page_cache.py) is compressed once per render: its bytes differ per
  visitor only by the form token, so `KeptBody` keeps the compressed pieces around it and a
  visitor's request joins them with the token (see KeptBody for how, per coding);
- anything else (a page rendered for one request, JSON, a feed) is compressed as it goes out, at
  a fast level.

A page's form token never goes into a compressor. A page shows what its address asked for (a
search, the language links' `next`) beside the visitor's token; compressed together, the
compressed length would tell a right guess of the token's first bytes from a wrong one (BREACH).
So a page's view leaves its token in the request's scope (SPLICE_AT) and the page is compressed
in pieces around it, as a kept page is. Responses that must not be stored (`no-store`: staff
pages, some with one-time secrets such as reset links) are not compressed at all.

Every response of a compressible type says `Vary: Accept-Encoding` and carries a weak ETag (the
compressed and the plain body are the same page in two encodings, which is what a weak validator
means; nginx does the same). A GET answered by the portal's views gets one made from a digest of
its bytes when it has none, so a reload can be a 304; the digest is of exactly the bytes this
visitor would get (their form token and "voted" answers included), so a 304 never stands for
someone else's page. Responses that must not be stored (`no-store`: staff pages) get none.

Socket.IO never comes through here: this layer sits behind Socket.IO's router (app.asgi), and
python-socketio compresses its own long-polling answers.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import math
import zlib
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from functools import lru_cache
from typing import Any, cast

import brotli
from quart import Quart, Response, g, request

from content.web import csrf_token

BR, GZIP = "br", "gzip"
MIN_SIZE = 512  # bytes: below this the saving is a few hundred bytes, less than the headers
MAX_BUFFERED = 8 * 1024 * 1024  # a larger body goes out as it is, as it comes
STATIC_PREFIXES = ("/static/", "/vendor/")
FILES_KEPT = 256  # (file, version, coding) compressed bodies kept; the oldest go first
# Levels: brotli quality 0-11, gzip 1-9.
BEST = {BR: 11, GZIP: 9}  # files: once per version, in a worker thread
# A large file at brotli's 11 takes seconds (the 730 KB editor script: 1.8 s, against 0.1 s at
# 9 for 8% more bytes); its first request would wait that long.
LARGE_FILE = 256 * 1024
BEST_LARGE = {BR: 9, GZIP: 9}
KEPT = {BR: 5, GZIP: 6}  # kept pages: once per render (each second at most per address)
FAST = {BR: 4, GZIP: 6}  # bodies made for one request
TEXT_TYPES = frozenset(
    {
        "text/html",
        "text/css",
        "text/javascript",
        "text/plain",
        "text/xml",
        "text/calendar",
        "text/csv",
        "application/javascript",
        "application/json",
        "application/xml",
        "image/svg+xml",
    }
)
GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"  # no name, no time, unknown system
BROTLI_END = b"\x03"  # an empty last meta-block (ISLAST, ISLASTEMPTY)


def compressible(content_type: str) -> bool:
    """Whether a body of this Content-Type gets smaller compressed (text, not images or PDFs)."""
    kind = content_type.split(";", 1)[0].strip().lower()
    return kind in TEXT_TYPES or kind.endswith(("+xml", "+json"))


@lru_cache(maxsize=256)
def choose(accept_encoding: str, prefer: tuple[str, ...] = (BR, GZIP)) -> str | None:
    """The coding to send for an Accept-Encoding value: the acceptable one of `prefer` with the
    highest q, the first in `prefer` among equals; None for the body as it is (nothing
    acceptable, or `identity` given a higher q than every coding)."""
    weights: dict[str, float] = {}
    for item in accept_encoding.split(","):
        name, _, params = item.partition(";")
        name = name.strip().lower()
        if not name:
            continue
        weight = 1.0
        for param in params.split(";"):
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value.strip())
                except ValueError:
                    weight = 0.0
        if not math.isfinite(weight) or not 0.0 <= weight <= 1.0:
            weight = 0.0
        weights[GZIP if name == "x-gzip" else name] = weight
    star = weights.get("*", 0.0)
    plain = weights.get("identity", 0.0)  # only an explicit identity outranks a coding
    best: str | None = None
    best_weight = 0.0
    for coding in prefer:
        weight = weights.get(coding, star)
        if weight > best_weight:
            best, best_weight = coding, weight
    if best is None or plain > best_weight:
        return None
    return best


def also(values: str, value: bytes) -> str:
    """A header's values with one more (a header sent twice is one list)."""
    text = value.decode("latin-1")
    return f"{values},{text}" if values else text


def body_etag(data: bytes) -> str:
    """A weak ETag from a digest of a body's plain bytes (the same for every coding of them)."""
    return _weak(hashlib.blake2b(data, digest_size=16).hexdigest())


def _weak(digest: str) -> str:
    return f'W/"{digest}"'


def etag_matches(if_none_match: str, etag: str) -> bool:
    """Whether If-None-Match names this ETag, compared weakly as it must be for this header."""
    if not if_none_match:
        return False
    mine = etag.removeprefix("W/")
    for candidate in if_none_match.split(","):
        candidate = candidate.strip()
        if candidate == "*" or candidate.removeprefix("W/") == mine:
            return True
    return False


def encode(data: bytes, coding: str, levels: Mapping[str, int]) -> bytes:
    """A body compressed in one coding at the level given for it."""
    if coding == BR:
        return bytes(brotli.compress(data, quality=levels[BR]))
    return gzip.compress(data, compresslevel=levels[GZIP], mtime=0)


FileKey = tuple[str, str, str]  # path, version (the file's ETag), coding


class Compressor:
    """The app's compression: the static files compressed once, and a count of the bodies
    compressed (`compressions`), which tests read to see that a request did none."""

    def __init__(self, capacity: int = FILES_KEPT) -> None:
        self.capacity = capacity
        self.compressions = 0
        self.files: OrderedDict[FileKey, bytes] = OrderedDict()
        self._making: dict[FileKey, asyncio.Task[bytes]] = {}

    def compress(self, data: bytes, coding: str, levels: Mapping[str, int] = FAST) -> bytes:
        """Compress a body now (counted)."""
        self.compressions += 1
        return encode(data, coding, levels)

    def kept_file(self, key: FileKey) -> bytes | None:
        """A static file's compressed body, when it has been made."""
        found = self.files.get(key)
        if found is not None:
            self.files.move_to_end(key)
        return found

    async def file(self, key: FileKey, data: bytes) -> bytes:
        """A static file's compressed body: made once, at the best level, in a worker thread (a
        large script at brotli's best takes tens of milliseconds); requests arriving meanwhile
        wait for the same work."""
        found = self.kept_file(key)
        if found is not None:
            return found
        making = self._making.get(key)
        if making is None:
            self.compressions += 1
            levels = BEST if len(data) <= LARGE_FILE else BEST_LARGE
            making = asyncio.ensure_future(asyncio.to_thread(encode, data, key[2], levels))
            self._making[key] = making
            making.add_done_callback(lambda done: self._made(key, done))
        return await asyncio.shield(making)

    def _made(self, key: FileKey, done: asyncio.Task[bytes]) -> None:
        self._making.pop(key, None)
        if done.cancelled() or done.exception() is not None:
            return
        self.files[key] = done.result()
        while len(self.files) > self.capacity:
            self.files.popitem(last=False)


class KeptBody:
    """A kept page's bytes: `parts`, joined by the visitor's form token. Its digest and its
    compressed forms are made once; a request only joins pieces with its token.

    - gzip: each part is deflated on its own (no reference reaches across a token) and ends on a
      byte boundary; the token goes between them as a stored (uncompressed) block, and the
      trailer's CRC-32 runs over the bytes after the first part only. Nothing is compressed per
      visitor.
    - brotli cannot resume compressing after bytes its compressor did not see (its literals
      depend on the bytes before them), so the first part is compressed and everything from the
      first token on is sent as an uncompressed meta-block. A page without a token is compressed
      whole. For a page with a token gzip is therefore smaller, and preferred when accepted.
    """

    def __init__(self, parts: tuple[bytes, ...], compressor: Compressor | None = None) -> None:
        self.parts = parts
        self.compressor = compressor
        self._digest = hashlib.blake2b(parts[0], digest_size=16)
        self._crc = zlib.crc32(parts[0])
        self._plain_size = sum(len(part) for part in parts)
        self._pieces: dict[str, tuple[bytes, ...]] = {}

    @property
    def size(self) -> int:
        """Bytes of the plain page, but the tokens."""
        return self._plain_size

    def codings(self) -> tuple[str, ...]:
        """Our preference among equally welcome codings: gzip when a token is spliced in."""
        return (GZIP, BR) if len(self.parts) > 1 else (BR, GZIP)

    def plain(self, token: bytes) -> bytes:
        """The page as this visitor gets it, uncompressed."""
        return token.join(self.parts)

    def etag(self, token: bytes) -> str:
        """The ETag of this visitor's page: body_etag of its plain bytes."""
        digest = self._digest.copy()
        for part in self.parts[1:]:
            digest.update(token)
            digest.update(part)
        return _weak(digest.hexdigest())

    def encoded(self, coding: str, token: bytes) -> bytes:
        """This visitor's page in a coding, from pieces compressed once."""
        pieces = self._pieces.get(coding)
        if pieces is None:
            pieces = self._pieces[coding] = self._compress(coding)
        if coding == BR:
            if len(self.parts) == 1:
                return pieces[0]
            rest = b"".join(token + part for part in self.parts[1:])
            return b"".join((pieces[0], _uncompressed_meta_blocks(rest), BROTLI_END))
        crc = self._crc
        joined = [pieces[0]]
        stored = _stored_block(token)
        for part, piece in zip(self.parts[1:], pieces[1:], strict=True):
            crc = zlib.crc32(part, zlib.crc32(token, crc))
            joined += (stored, piece)
        size = self._plain_size + len(token) * (len(self.parts) - 1)
        joined.append(crc.to_bytes(4, "little") + (size & 0xFFFFFFFF).to_bytes(4, "little"))
        return b"".join(joined)

    def _compress(self, coding: str) -> tuple[bytes, ...]:
        if self.compressor is not None:
            self.compressor.compressions += 1
        if coding == BR:
            if len(self.parts) == 1:
                return (bytes(brotli.compress(self.parts[0], quality=KEPT[BR])),)
            compressor = brotli.Compressor(quality=KEPT[BR])
            # flush() ends on a byte boundary without ending the stream
            return (bytes(compressor.process(self.parts[0]) + compressor.flush()),)
        pieces = []
        last = len(self.parts) - 1
        for index, part in enumerate(self.parts):
            deflate = zlib.compressobj(KEPT[GZIP], zlib.DEFLATED, -zlib.MAX_WBITS)
            # a fresh compressor per part: no back-reference reaches past a token
            end = zlib.Z_FINISH if index == last else zlib.Z_SYNC_FLUSH
            pieces.append(deflate.compress(part) + deflate.flush(end))
        pieces[0] = GZIP_HEADER + pieces[0]
        return tuple(pieces)


def _stored_block(data: bytes) -> bytes:
    """A deflate stored block (not the last) holding `data` (at most 65,535 bytes)."""
    size = len(data)
    return b"\x00" + size.to_bytes(2, "little") + (size ^ 0xFFFF).to_bytes(2, "little") + data


def _uncompressed_meta_blocks(data: bytes) -> bytes:
    """`data` as brotli uncompressed meta-blocks of up to 64 KiB (RFC 7932 section 9.2): ISLAST
    0, four nibbles of length, ISUNCOMPRESSED 1, zero bits to the byte boundary, the bytes."""
    blocks = []
    for start in range(0, len(data), 1 << 16):
        chunk = data[start : start + (1 << 16)]
        header = (len(chunk) - 1) << 3 | 1 << 19
        blocks.append(header.to_bytes(3, "little") + chunk)
    return b"".join(blocks)


NO_BODY = frozenset({204, 206, 304})
# The scope key under which a page's view leaves the form token it put in (note_form_token)
SPLICE_AT = "serambi.splice_at"
Send = Callable[[dict[str, Any]], Awaitable[None]]


class Compression:
    """ASGI app in front of the kept pages and Quart: compresses, varies and validates what
    they send (see the module's docstring). Without a compressor it only validates."""

    def __init__(self, app: Any, compressor: Compressor | None) -> None:
        self.app = app
        self.compressor = compressor

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        accept = if_none_match = ""
        for name, value in scope["headers"]:
            if name == b"accept-encoding":
                accept = also(accept, value)
            elif name == b"if-none-match":
                if_none_match = value.decode("latin-1")
        coding = choose(accept) if accept and self.compressor is not None else None
        reply = _Reply(self.compressor, scope, send, coding, if_none_match)
        reply.accept = accept
        await self.app(scope, receive, reply.send)


class _Reply:
    """One response on its way out through Compression."""

    def __init__(
        self,
        compressor: Compressor | None,
        scope: dict[str, Any],
        send: Send,
        coding: str | None,
        if_none_match: str,
    ) -> None:
        self.compressor = compressor
        self.scope = scope
        self.accept = ""
        self.path: str = scope["path"]
        self.method: str = scope["method"]
        self.out = send
        self.coding = coding
        self.if_none_match = if_none_match
        self.start: dict[str, Any] = {}
        self.headers: list[tuple[bytes, bytes]] = []
        self.buffered: list[bytes] = []
        self.size = 0
        # "pass" the body on, "hold" it until complete, or "swap" it for the kept `swapped`
        self.mode = "pass"
        self.swapped: bytes | None = None
        self.make_etag = False
        self.file_key: FileKey | None = None

    async def send(self, message: dict[str, Any]) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            await self._started(message)
        elif kind == "http.response.body" and self.mode == "hold":
            await self._hold(message)
        elif kind == "http.response.body" and self.mode == "swap":
            if not message.get("more_body", False):  # the app is done: the kept bytes go out
                assert self.swapped is not None
                await self._send(self._encoded_headers(len(self.swapped)), self.swapped)
        else:
            await self.out(message)

    async def _started(self, message: dict[str, Any]) -> None:
        status: int = message["status"]
        headers: list[tuple[bytes, bytes]] = list(message.get("headers", ()))
        found: dict[bytes, bytes] = {}
        for name, value in headers:
            found.setdefault(name.lower(), value)
        if not compressible(found.get(b"content-type", b"").decode("latin-1")):
            await self.out(message)
            return
        etag = found.get(b"etag")
        if etag is not None and not etag.startswith(b"W/"):
            headers = _replaced(headers, b"etag", b"W/" + etag)
        if self.compressor is not None:
            headers = _varied(headers)
        self.headers = headers
        self.start = {**message, "headers": headers}
        private = b"no-store" in found.get(b"cache-control", b"")
        encodable = (
            self.coding is not None
            and not private
            and status >= 200
            and status not in NO_BODY
            and b"content-encoding" not in found
            and b"content-range" not in found
            and not found.get(b"content-disposition", b"").lower().startswith(b"attachment")
        )
        self.make_etag = (
            status == 200 and self.method in ("GET", "HEAD") and etag is None and not private
        )
        if encodable and etag is not None and self.path.startswith(STATIC_PREFIXES):
            assert self.compressor is not None and self.coding is not None
            self.file_key = (self.path, etag.decode("latin-1"), self.coding)
            kept = self.compressor.kept_file(self.file_key)
            if kept is not None:
                # The file Quart reads is not needed, but it is let finish: a response ended
                # under it would cancel it halfway through opening the file.
                self.mode, self.swapped = "swap", kept
                return
        if not encodable:
            self.coding = None
        if self.coding is None and not self.make_etag:
            await self.out(self.start)
            return
        self.mode = "hold"

    async def _hold(self, message: dict[str, Any]) -> None:
        chunk: bytes = message.get("body", b"")
        self.buffered.append(chunk)
        self.size += len(chunk)
        if self.size > MAX_BUFFERED:  # too large to hold: it goes out as it is
            self.mode = "pass"
            await self.out(self.start)
            await self.out({**message, "body": b"".join(self.buffered)})
            return
        if message.get("more_body", False):
            return
        body = b"".join(self.buffered)
        headers = self.headers
        if self.make_etag:
            etag = body_etag(body)
            headers = [*headers, (b"etag", etag.encode())]
            if etag_matches(self.if_none_match, etag):
                await self._not_modified(headers)
                return
            self.headers = headers
        if self.coding is None or len(body) < MIN_SIZE:
            start = {**self.start, "headers": headers}
            await self._send(start, body, encoded=False)
            return
        assert self.compressor is not None
        secret: bytes | None = self.scope.get(SPLICE_AT)
        if self.file_key is not None:
            encoded = await self.compressor.file(self.file_key, body)
        elif secret and secret in body:
            # The token never goes into a compressor: the parts around it are compressed apart
            # and it is put between them as it is (KeptBody). Compressed with the page, a page
            # that also shows what the address asked for (a search, the language links'
            # `next`) would let its compressed length tell a guessed token apart (BREACH).
            spliced = KeptBody(tuple(body.split(secret)), self.compressor)
            self.coding = choose(self.accept, spliced.codings()) or self.coding
            encoded = spliced.encoded(self.coding, secret)
        else:
            encoded = self.compressor.compress(body, self.coding)
        await self._send(self._encoded_headers(len(encoded)), encoded)

    def _encoded_headers(self, length: int) -> dict[str, Any]:
        assert self.coding is not None
        headers = [
            (name, value)
            for name, value in self.headers
            if name.lower() not in (b"content-length", b"accept-ranges")
        ]
        headers += [
            (b"content-encoding", self.coding.encode()),
            (b"content-length", str(length).encode()),
        ]
        return {**self.start, "headers": headers}

    async def _send(self, start: dict[str, Any], body: bytes, *, encoded: bool = True) -> None:
        await self.out(start)
        # A HEAD answer says what GET would send (its length too), without the body.
        sent = b"" if self.method == "HEAD" and encoded else body
        await self.out({"type": "http.response.body", "body": sent, "more_body": False})

    async def _not_modified(self, headers: list[tuple[bytes, bytes]]) -> None:
        kept = [(n, v) for n, v in headers if n.lower() not in NOT_IN_304]
        await self.out({**self.start, "status": 304, "headers": kept})
        await self.out({"type": "http.response.body", "body": b"", "more_body": False})


NOT_IN_304 = frozenset({b"content-length", b"content-type", b"content-encoding"})


def _replaced(
    headers: list[tuple[bytes, bytes]], name: bytes, value: bytes
) -> list[tuple[bytes, bytes]]:
    return [(n, value if n.lower() == name else v) for n, v in headers]


def _varied(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The headers with Accept-Encoding in Vary (a Vary line of its own beside any there)."""
    for name, value in headers:
        if name.lower() == b"vary":
            names = {part.strip().lower() for part in value.split(b",")}
            if b"accept-encoding" in names or b"*" in names:
                return headers
    return [*headers, (b"vary", b"Accept-Encoding")]


def init_app(app: Quart) -> Compressor | None:
    """The app's compressor, or None when PORTAL_COMPRESSION is off; and the hook that tells
    it which bytes of a page are its form token."""

    @app.after_request
    async def note_form_token(response: Response) -> Response:
        # Only where the request made its visitor or staff session known: the token a page
        # carries is bound to one of them (content.web.csrf_token).
        if response.mimetype == "text/html" and ("identity" in g or g.get("staff")):
            cast(dict[str, Any], request.scope)[SPLICE_AT] = csrf_token().encode()
        return response

    return Compressor() if app.config["COMPRESSION"] else None


def asgi(app: Any, compressor: Compressor | None) -> Compression:
    """The compression layer in front of `app` (the kept pages and Quart)."""
    return Compression(app, compressor)
