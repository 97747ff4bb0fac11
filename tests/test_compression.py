"""Compression, caching headers and validators, through the portal's whole ASGI stack (gate,
Socket.IO's router, compression, the kept pages, Quart) in process: every compressible type in
brotli and in gzip decodes to the plain bytes, Accept-Encoding and its q-values are honoured,
Vary is there, files are compressed once and kept pages never per visitor, hashed static URLs
are immutable for a year, and an ETag gives a 304 only to the visitor whose bytes it names."""

from __future__ import annotations

import asyncio
import gzip
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import brotli
import pytest
from quart import Quart
from quart.testing import QuartClient

from app import asgi
from content.web.caching import PAGE, UNVERSIONED, VERSIONED
from content.web.compression import (
    BR,
    GZIP,
    MIN_SIZE,
    Compression,
    Compressor,
    choose,
    compressible,
    etag_matches,
)
from content.web.state import Portal
from tests.conftest import Auth, DemoDatabase, LiveServer, copy_demo, make_app, settled, soup
from tests.test_editor import article_form

BROWSER_AGENT = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
CHROMIUM_ENCODINGS = "gzip, deflate, br, zstd"


class Reply:
    def __init__(self, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status = status
        self.header_list = headers
        self.headers = {name: value for name, value in headers}
        self.body = body

    def decoded(self) -> bytes:
        coding = self.headers.get("content-encoding")
        if coding == BR:
            return bytes(brotli.decompress(self.body))
        if coding == GZIP:
            return gzip.decompress(self.body)
        assert coding is None, coding
        return self.body


class Visitor:
    """One browser speaking ASGI to the portal's whole stack, keeping its cookies."""

    def __init__(self, app: Quart) -> None:
        self.stack = asgi(app)
        self.cookies: dict[str, str] = {}

    async def request(
        self,
        method: str,
        target: str,
        headers: dict[str, str] | None = None,
        form: dict[str, str] | None = None,
    ) -> Reply:
        path, _, query = target.partition("?")
        sent = {"host": "127.0.0.1", "user-agent": BROWSER_AGENT, **(headers or {})}
        body = urlencode(form).encode() if form is not None else b""
        if form is not None:
            sent["content-type"] = "application/x-www-form-urlencoded"
            sent["content-length"] = str(len(body))
        if self.cookies:
            sent["cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": query.encode(),
            "root_path": "",
            "headers": [(k.lower().encode(), v.encode()) for k, v in sent.items()],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 80),
            "extensions": {},
        }
        messages: list[dict[str, Any]] = []
        inbox = [{"type": "http.request", "body": body, "more_body": False}]
        done = asyncio.Event()

        async def receive() -> dict[str, Any]:
            if inbox:
                return inbox.pop()
            await done.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            messages.append(message)
            if message["type"] == "http.response.body" and not message.get("more_body"):
                done.set()

        await self.stack(scope, receive, send)
        start = messages[0]
        got = [(k.decode().lower(), v.decode()) for k, v in start["headers"]]
        for name, value in got:
            if name == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                        self.cookies.pop(morsel.key, None)
                    else:
                        self.cookies[morsel.key] = morsel.value
        payload = b"".join(m.get("body", b"") for m in messages[1:])
        return Reply(start["status"], got, payload)

    async def get(self, target: str, **headers: str) -> Reply:
        return await self.request(
            "GET", target, {k.replace("_", "-"): v for k, v in headers.items()}
        )


def compressor_of(app: Quart) -> Compressor:
    found = Portal.of(app).compressor
    assert found is not None
    return found


def static(app: Quart, name: str) -> str:
    return f"/static/{name}?v={Portal.of(app).static_hashes[name]}"


def vendor(app: Quart) -> str:
    return f"/vendor/socket.io.min.js?v={Portal.of(app).vendor_hashes['socket.io.min.js']}"


async def article_path(app: Quart) -> str:
    row = await Portal.of(app).database.fetchone(
        "SELECT id, alias FROM articles WHERE state = 1 ORDER BY id LIMIT 1"
    )
    return f"/artikel/{row['id']}-{row['alias']}"


def targets(app: Quart) -> dict[str, str]:
    """One address of each compressible type the portal serves."""
    return {
        "text/html": "/",  # a kept page
        "text/html; rendered per request": "/kalender",
        "text/css": static(app, "css/site.css"),
        "text/javascript": static(app, "js/live.js"),
        "text/javascript; from npm": vendor(app),
        "application/json": "/api/openapi.json",
        "application/rss+xml": "/feed/rss.xml",
        "application/atom+xml": "/feed/atom.xml",
        "application/xml": "/sitemap.xml",
        "image/svg+xml": static(app, "img/demo/kebun-kopi.svg"),
        "text/calendar": "/kalender.ics",
    }


@pytest.mark.parametrize(
    "kind",
    [
        "text/html",
        "text/html; rendered per request",
        "text/css",
        "text/javascript",
        "text/javascript; from npm",
        "application/json",
        "application/rss+xml",
        "application/atom+xml",
        "application/xml",
        "image/svg+xml",
        "text/calendar",
    ],
)
async def test_each_type_in_brotli_and_gzip_decodes_to_the_plain_bytes(
    app: Quart, client: QuartClient, kind: str
) -> None:
    target = targets(app)[kind]
    visitor = Visitor(app)
    await visitor.get(target)  # a kept page is kept from here on; the cookie is set
    plain = await visitor.get(target)
    assert plain.status == 200 and "content-encoding" not in plain.headers
    assert plain.headers["content-type"].startswith(kind.split(";")[0])
    assert len(plain.body) >= MIN_SIZE
    assert plain.headers["vary"] == "Accept-Encoding"
    for coding in (BR, GZIP, CHROMIUM_ENCODINGS):
        reply = await visitor.get(target, accept_encoding=coding)
        assert reply.status == 200
        assert reply.headers["content-encoding"] in (BR, GZIP)
        if coding in (BR, GZIP):
            assert reply.headers["content-encoding"] == coding
        assert reply.headers["vary"] == "Accept-Encoding"
        assert int(reply.headers["content-length"]) == len(reply.body) < len(plain.body)
        assert reply.decoded() == plain.body, (kind, coding)
        assert reply.headers["etag"] == plain.headers["etag"]  # weak: one page, two encodings
        assert reply.headers["etag"].startswith('W/"')


@pytest.mark.parametrize(
    "accept",
    ["", "identity", "br;q=0, gzip;q=0", "*;q=0", "gzip;q=0, br;q=0, identity", "compress"],
)
async def test_a_plain_body_when_no_coding_is_accepted(
    app: Quart, client: QuartClient, accept: str
) -> None:
    visitor = Visitor(app)
    for target in ("/", static(app, "css/site.css"), "/api/openapi.json"):
        first = await visitor.get(target)
        reply = await visitor.get(target, **({"accept_encoding": accept} if accept else {}))
        assert reply.status == 200 and "content-encoding" not in reply.headers
        assert reply.body == first.body
        assert int(reply.headers["content-length"]) == len(reply.body)
        assert reply.headers["vary"] == "Accept-Encoding"


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("gzip;q=0.5, br;q=0.1", GZIP),
        ("br;q=0, gzip", GZIP),
        ("gzip;q=0, br", BR),
        ("gzip, br", BR),
        ("x-gzip", GZIP),
        ("*", BR),
        ("*;q=0.2, br;q=0", GZIP),
        ("GZIP;Q=1", GZIP),
        ("br;q=0.5, identity;q=1", None),
        ("br;q=abc, gzip;q=2", None),
    ],
)
def test_q_values_are_honoured(accept: str, expected: str | None) -> None:
    assert choose(accept) == expected


async def test_q_values_are_honoured_by_the_stack(app: Quart, client: QuartClient) -> None:
    visitor = Visitor(app)
    css = static(app, "css/site.css")
    reply = await visitor.get(css, accept_encoding="gzip;q=0.5, br;q=0.1")
    assert reply.headers["content-encoding"] == GZIP
    reply = await visitor.get(css, accept_encoding="br;q=0, gzip;q=0")
    assert "content-encoding" not in reply.headers
    await visitor.get("/")
    reply = await visitor.get("/", accept_encoding="gzip;q=0, br")
    assert reply.headers["content-encoding"] == BR
    assert reply.decoded() == (await visitor.get("/")).body


def test_if_none_match_is_compared_weakly() -> None:
    assert etag_matches('W/"abc"', 'W/"abc"')
    assert etag_matches('"abc"', 'W/"abc"')
    assert etag_matches('W/"x", W/"abc"', 'W/"abc"')
    assert etag_matches("*", 'W/"abc"')
    assert not etag_matches('W/"abd"', 'W/"abc"')
    assert not etag_matches("", 'W/"abc"')


def test_what_is_compressible() -> None:
    for kind in (
        "text/html; charset=utf-8",
        "text/css",
        "text/javascript",
        "application/json",
        "application/rss+xml; charset=utf-8",
        "application/atom+xml",
        "application/xml",
        "image/svg+xml",
        "application/vnd.oai.openapi+json",
    ):
        assert compressible(kind), kind
    for kind in ("image/png", "image/jpeg", "image/webp", "application/pdf", "application/zip", ""):
        assert not compressible(kind), kind


async def test_images_and_other_compressed_types_pass_as_they_are() -> None:
    """The compression layer alone, in front of an app answering each type with the same body:
    the portal serves no raster image of its own to ask for."""
    body = b"<svg>" + b"x" * 4000
    kinds = {
        "/a.png": b"image/png",
        "/a.jpg": b"image/jpeg",
        "/a.webp": b"image/webp",
        "/a.pdf": b"application/pdf",
        "/a.zip": b"application/zip",
        "/a.html": b"text/html; charset=utf-8",
    }

    async def files(scope: dict[str, Any], receive: Any, send: Any) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", kinds[scope["path"]]),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    compressor = Compressor()
    layer = Compression(files, compressor)
    for path, kind in kinds.items():
        sent: list[dict[str, Any]] = []

        async def send(message: dict[str, Any], into: list[dict[str, Any]] = sent) -> None:
            into.append(message)

        scope = {
            "type": "http",
            "method": "GET",
            "path": path,
            "headers": [(b"accept-encoding", b"br, gzip")],
        }
        await layer(scope, None, send)
        headers = dict(sent[0]["headers"])
        if kind.startswith(b"text/html"):
            assert headers[b"content-encoding"] == b"br"
            assert brotli.decompress(sent[1]["body"]) == body
        else:
            assert b"content-encoding" not in headers and b"vary" not in headers, path
            assert sent[1]["body"] == body
    assert compressor.compressions == 1


async def test_a_static_file_is_compressed_once(app: Quart, client: QuartClient) -> None:
    compressor = compressor_of(app)
    target = static(app, "css/site.css")
    for coding in (BR, GZIP):
        before = compressor.compressions
        first = await Visitor(app).get(target, accept_encoding=coding)
        assert compressor.compressions == before + 1
        (key,) = [key for key in compressor.files if key[0] == "/static/css/site.css"][-1:]
        assert key[2] == coding and compressor.files[key] == first.body
        second = await Visitor(app).get(target, accept_encoding=coding)
        assert compressor.compressions == before + 1, "the second request compressed again"
        assert second.body == first.body
        assert without_date(second.header_list) == without_date(first.header_list)
        # the same file by its bare URL: the same bytes, already made
        bare = await Visitor(app).get("/static/css/site.css", accept_encoding=coding)
        assert compressor.compressions == before + 1 and bare.body == first.body


async def test_a_kept_page_is_compressed_once_not_per_visitor(
    app: Quart, client: QuartClient
) -> None:
    compressor = compressor_of(app)
    await Visitor(app).get("/")  # rendered and kept
    for coding in (GZIP, BR):
        before = compressor.compressions
        visitors = [Visitor(app) for _ in range(4)]
        pages = [await visitor.get("/", accept_encoding=coding) for visitor in visitors]
        assert compressor.compressions == before + 1, "a visitor's page was compressed for them"
        tokens = set()
        for visitor, page in zip(visitors, pages, strict=True):
            assert page.headers["content-encoding"] == coding
            plain = await visitor.get("/")
            assert page.decoded() == plain.body  # with this visitor's own token in it
            tokens.add(
                str(soup(plain.body).select_one(".poll-form input[name=csrf_token]")["value"])
            )
        assert len(tokens) == 4


async def test_socket_io_traffic_does_not_go_through_this_layer(
    app: Quart, client: QuartClient
) -> None:
    compressor = compressor_of(app)
    before = compressor.compressions
    reply = await Visitor(app).get(
        "/socket.io/?EIO=4&transport=polling", accept_encoding=CHROMIUM_ENCODINGS
    )
    # Engine.IO answered it (this portal's sockets are WebSocket only), and this layer, which
    # adds Vary to every text it passes, never saw it
    assert reply.status == 400 and reply.headers["content-type"].startswith("text/plain")
    assert "vary" not in reply.headers and "content-encoding" not in reply.headers
    assert compressor.compressions == before


async def test_hashed_static_urls_are_immutable_for_a_year(app: Quart, client: QuartClient) -> None:
    visitor = Visitor(app)
    for target in (static(app, "css/site.css"), static(app, "js/live.js"), vendor(app)):
        for coding in ("", CHROMIUM_ENCODINGS):
            reply = await visitor.get(target, **({"accept_encoding": coding} if coding else {}))
            assert reply.status == 200
            assert reply.headers["cache-control"] == VERSIONED
            assert VERSIONED == "public, max-age=31536000, immutable"
            assert "expires" not in reply.headers
    # the page links them by those very URLs
    page = soup((await visitor.get("/")).body)
    links = [str(tag.get("href") or tag.get("src")) for tag in page.select("link[href], script")]
    assert static(app, "css/site.css") in links and vendor(app) in links
    for target in (
        "/static/css/site.css",
        "/static/css/site.css?v=0123456789",  # an old version's hash
        "/vendor/socket.io.min.js",
    ):
        reply = await visitor.get(target)
        assert reply.status == 200 and reply.headers["cache-control"] == UNVERSIONED
        assert "expires" not in reply.headers


async def test_an_unversioned_file_revalidates_to_a_304(app: Quart, client: QuartClient) -> None:
    visitor = Visitor(app)
    for coding in ("", BR):
        extra = {"accept_encoding": coding} if coding else {}
        first = await visitor.get("/static/css/site.css", **extra)
        again = await visitor.get(
            "/static/css/site.css", if_none_match=first.headers["etag"], **extra
        )
        assert again.status == 304 and again.body == b""
        assert again.headers["etag"] == first.headers["etag"]
        assert again.headers["vary"] == "Accept-Encoding"


async def test_head_says_what_get_would_send(app: Quart, client: QuartClient) -> None:
    visitor = Visitor(app)
    await visitor.get("/")  # kept
    for target in ("/", static(app, "css/site.css"), vendor(app), "/kalender"):
        for coding in ("", BR, GZIP, CHROMIUM_ENCODINGS):
            extra = {"accept-encoding": coding} if coding else {}
            got = await visitor.request("GET", target, extra)
            head = await visitor.request("HEAD", target, extra)
            assert head.status == got.status == 200  # (the server leaves out a HEAD's body)
            assert without_date(head.header_list) == without_date(got.header_list), (target, coding)


def without_date(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted((k, v) for k, v in headers if k not in ("date", "expires"))


async def test_range_requests_and_downloads_are_sent_as_they_are(
    app: Quart, client: QuartClient
) -> None:
    visitor = Visitor(app)
    plain = await visitor.get("/static/css/site.css")
    part = await visitor.get("/static/css/site.css", range="bytes=10-99", accept_encoding=BR)
    assert part.status == 206 and "content-encoding" not in part.headers
    assert part.body == plain.body[10:100]
    assert part.headers["content-range"] == f"bytes 10-99/{len(plain.body)}"
    rows = await Portal.of(app).database.fetchall("SELECT id FROM downloads WHERE published = 1")
    assert rows, "the demo has downloads"
    for row in rows:
        whole = await visitor.get(f"/unduh/{row['id']}", accept_encoding=CHROMIUM_ENCODINGS)
        assert whole.status == 200 and "content-encoding" not in whole.headers
        assert int(whole.headers["content-length"]) == len(whole.body)
        piece = await visitor.get(
            f"/unduh/{row['id']}", range="bytes=0-9", accept_encoding=CHROMIUM_ENCODINGS
        )
        assert "content-encoding" not in piece.headers
        assert piece.body == whole.body[: len(piece.body)]
    await settled(app)


async def test_a_kept_page_gives_a_304_until_an_editor_changes_it(
    app: Quart, client: QuartClient, auth: Auth
) -> None:
    reader = Visitor(app)
    await reader.get("/")
    kept = await reader.get("/", accept_encoding=CHROMIUM_ENCODINGS)
    etag = kept.headers["etag"]
    assert kept.headers["cache-control"] == PAGE == "private, no-cache"
    counter = Portal.of(app).hits
    views = counter.pending.site_views[counter.day()]
    for coding in ("", CHROMIUM_ENCODINGS):
        extra = {"accept_encoding": coding} if coding else {}
        again = await reader.get("/", if_none_match=etag, **extra)
        assert again.status == 304 and again.body == b""
        assert again.headers["etag"] == etag and again.headers["vary"] == "Accept-Encoding"
    assert counter.pending.site_views[counter.day()] == views + 2  # a reload is a page view
    # an editor publishes a new article: the page changes, and so does its ETag
    await auth.login("editor")
    response = await client.post(
        "/redaksi/artikel/baru", form=await article_form(client, title="Kabar Paling Baru")
    )
    assert response.status_code == 302
    changed = await reader.get("/", if_none_match=etag, accept_encoding=CHROMIUM_ENCODINGS)
    assert changed.status == 200 and changed.headers["etag"] != etag
    titles = [a.get_text() for a in soup(changed.decoded()).select(".teaser-title a")]
    assert "Kabar Paling Baru" in titles


async def test_a_visitor_never_gets_a_304_for_someone_elses_page(
    app: Quart, client: QuartClient, demo_database: DemoDatabase
) -> None:
    first, second = Visitor(app), Visitor(app)
    await first.get("/")
    mine = await first.get("/")
    etag = mine.headers["etag"]
    assert (await first.get("/", if_none_match=etag)).status == 304
    # another visitor's page carries their own form token: never this ETag
    theirs = await second.get("/", if_none_match=etag)
    assert theirs.status == 200 and theirs.headers["etag"] != etag
    # once they have voted, the voter's page says so: their old ETag no longer matches
    form = soup(mine.body).select_one(".poll-form")
    token = str(form.select_one("input[name=csrf_token]")["value"])
    option = str(form.select_one("input[name=option]")["value"])
    voted = await first.request(
        "POST", str(form["action"]), form={"csrf_token": token, "option": option}
    )
    assert voted.status == 302
    flashed = await first.get("/", if_none_match=etag)  # with the "thank you" message
    assert flashed.status == 200 and soup(flashed.body).select_one(".poll-flash") is not None
    after = await first.get("/", if_none_match=etag)
    assert after.status == 200 and after.headers["etag"] != etag
    assert soup(after.body).select_one(".poll-form") is None
    assert (await first.get("/", if_none_match=after.headers["etag"])).status == 304
    assert (await second.get("/", if_none_match=after.headers["etag"])).status == 200
    # a page rendered per request (the poll's own page) likewise
    poll = f"/polling/{form.find_parent(class_='poll')['data-poll-id']}"
    page = await second.get(poll)
    assert (await second.get(poll, if_none_match=page.headers["etag"])).status == 304
    assert (await first.get(poll, if_none_match=page.headers["etag"])).status == 200
    # staff pages carry no validator: never stored, never a 304, whatever is asked
    staff = Visitor(app)
    login = soup((await staff.get("/masuk")).body)
    reply = await staff.request(
        "POST",
        "/masuk",
        form={
            "email": "redaksi@balittri.example",
            "password": demo_database.passwords["editor"],
            "csrf_token": str(login.select_one("input[name=csrf_token]")["value"]),
        },
    )
    assert reply.status == 302
    for target in ("/", poll):
        anonymous = (await second.get(target)).headers["etag"]
        page = await staff.get(target, if_none_match=anonymous)
        assert page.status == 200 and soup(page.body).select_one(".staff-bar") is not None
        assert "etag" not in page.headers
        assert page.headers["cache-control"] == "private, no-store"
        # nor compressed: few, private, and some carry one-time secrets (reset links)
        compressed = await staff.get(target, accept_encoding=CHROMIUM_ENCODINGS)
        assert "content-encoding" not in compressed.headers
        assert soup(compressed.body).select_one(".staff-bar") is not None


async def test_library_images_pass_as_they_are(
    tmp_path: Path, demo_database: DemoDatabase, clock: Any
) -> None:
    from tests.test_images import png_bytes, upload

    target = tmp_path / "portal.db"
    copy_demo(demo_database, target)
    app = make_app(tmp_path, DATABASE=str(target), clock=clock, IMAGE_WORKERS=0)
    async with app.test_app() as running:
        editor = running.test_client()
        await Auth(editor, demo_database.passwords).login("editor")
        answer = await (await upload(editor, png_bytes((1000, 500)))).get_json()
        compressor = compressor_of(app)
        before = compressor.compressions
        visitor = Visitor(app)
        for url in (answer["url"], answer["url"].replace(".webp", ".png")):
            plain = await visitor.get(url)
            assert plain.status == 200 and plain.headers["content-type"].startswith("image/")
            assert len(plain.body) > MIN_SIZE
            for coding in (BR, GZIP, CHROMIUM_ENCODINGS):
                reply = await visitor.get(url, accept_encoding=coding)
                assert "content-encoding" not in reply.headers and "vary" not in reply.headers
                assert reply.body == plain.body
        assert compressor.compressions == before


async def test_over_http_the_server_sends_what_the_stack_makes(live_server: LiveServer) -> None:
    """Through Hypercorn on a real socket: lengths, HEAD without a body, a 304 on the wire."""
    import http.client

    host, port = "127.0.0.1", live_server.port

    def ask(method: str, path: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
        connection = http.client.HTTPConnection(host, port, timeout=10)
        try:
            connection.request(method, path, headers={"User-Agent": BROWSER_AGENT, **headers})
            response = connection.getresponse()
            return (
                response.status,
                {k.lower(): v for k, v in response.getheaders()},
                response.read(),
            )
        finally:
            connection.close()

    loop = asyncio.get_running_loop()
    for path in ("/", "/static/css/site.css", "/feed/atom.xml"):
        for coding in (BR, GZIP):
            status, headers, body = await loop.run_in_executor(
                None, lambda p=path, c=coding: ask("GET", p, **{"Accept-Encoding": c})
            )
            assert status == 200 and headers["content-encoding"] == coding
            assert int(headers["content-length"]) == len(body)
            _, plain_headers, plain = await loop.run_in_executor(None, lambda p=path: ask("GET", p))
            assert "content-encoding" not in plain_headers
            decoded = brotli.decompress(body) if coding == BR else gzip.decompress(body)
            if path == "/":  # each request here is a new visitor: tokens differ
                assert len(decoded) == len(plain)
            else:
                assert decoded == plain
            status, head_headers, head_body = await loop.run_in_executor(
                None, lambda p=path, c=coding: ask("HEAD", p, **{"Accept-Encoding": c})
            )
            assert status == 200 and head_body == b""
            assert head_headers["content-encoding"] == coding
            if path != "/":
                assert head_headers["content-length"] == headers["content-length"]
    _, headers, _ = await loop.run_in_executor(None, lambda: ask("GET", "/static/css/site.css"))
    status, _, body = await loop.run_in_executor(
        None,
        lambda: ask("GET", "/static/css/site.css", **{"If-None-Match": headers["etag"]}),
    )
    assert status == 304 and body == b""


@pytest.mark.parametrize("target", ["/cari?q=serambi", "/?halaman=1&x=guess", "/kalender"])
async def test_the_form_token_never_goes_into_a_compressor(
    app: Quart, client: QuartClient, target: str
) -> None:
    """A page showing what its address asked for (the search, the language links' `next`) and
    the visitor's token: compressed with the page, the token's bytes could be guessed from the
    compressed length (BREACH). They are sent as they are, between pieces compressed apart."""
    visitor = Visitor(app)
    await visitor.get(target)  # the visitor's first view moves the page's "active" figure
    for round_ in range(2):  # (the home page: kept from here on, and answered from memory)
        plain = await visitor.get(target)
        token = str(soup(plain.body).select_one(".poll-form input[name=csrf_token]")["value"])
        for coding in (BR, GZIP, CHROMIUM_ENCODINGS):
            reply = await visitor.get(target, accept_encoding=coding)
            assert reply.headers["content-encoding"] in (BR, GZIP), (round_, coding)
            assert token.encode() in reply.body, (round_, coding)
            assert reply.decoded() == plain.body
        assert (await visitor.get(target, accept_encoding=CHROMIUM_ENCODINGS)).headers[
            "content-encoding"
        ] == GZIP  # the smaller around a token: gzip's pieces keep compressing after it


async def test_a_kept_page_rendered_for_its_first_visitor_keeps_the_token_out_too(
    app: Quart, client: QuartClient
) -> None:
    visitor = Visitor(app)
    await visitor.get("/")
    cache = Portal.of(app).page_cache
    assert cache is not None
    for number, coding in enumerate((BR, GZIP, CHROMIUM_ENCODINGS)):
        target = f"/?x={number}"  # an address not rendered yet: Quart renders it
        misses = cache.misses
        reply = await visitor.get(target, accept_encoding=coding)
        assert cache.misses == misses + 1
        plain = await visitor.get(target)  # now from memory: the same bytes
        assert cache.misses == misses + 1
        token = str(soup(plain.body).select_one(".poll-form input[name=csrf_token]")["value"])
        assert token.encode() in reply.body
        assert reply.decoded() == plain.body


async def test_vary_keeps_what_the_app_said() -> None:
    """The compression layer alone, in front of an app that varies its page itself."""
    body = b"<p>" + b"kopi " * 400

    def app_varying(*vary: bytes) -> Any:
        async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
            headers = [(b"content-type", b"text/html; charset=utf-8")]
            headers += [(b"vary", value) for value in vary]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        return app

    async def vary_of(app: Any) -> list[bytes]:
        sent: list[dict[str, Any]] = []

        async def send(message: dict[str, Any]) -> None:
            sent.append(message)

        scope = {
            "type": "http",
            "method": "GET",
            "path": "/",
            "headers": [(b"accept-encoding", b"gzip")],
        }
        await Compression(app, Compressor())(scope, None, send)
        assert gzip.decompress(sent[1]["body"]) == body
        return [value for name, value in sent[0]["headers"] if name == b"vary"]

    assert await vary_of(app_varying()) == [b"Accept-Encoding"]
    assert await vary_of(app_varying(b"Cookie", b"Accept-Language")) == [
        b"Cookie",
        b"Accept-Language",
        b"Accept-Encoding",
    ]
    assert await vary_of(app_varying(b"Cookie, accept-encoding")) == [b"Cookie, accept-encoding"]


@pytest.mark.parametrize(
    ("settings", "compressed"),
    [({"COMPRESSION": False}, False), ({"PAGE_CACHE_SECONDS": 0}, True)],
)
async def test_compression_off_and_pages_not_kept(
    tmp_path: Path,
    demo_database: DemoDatabase,
    clock: Any,
    settings: dict[str, Any],
    compressed: bool,
) -> None:
    """PORTAL_COMPRESSION=false sends everything as it is, without Vary, and still validates;
    without kept pages every page is rendered and compressed on its way out."""
    target = tmp_path / "portal.db"
    copy_demo(demo_database, target)
    app = make_app(tmp_path, DATABASE=str(target), clock=clock, **settings)
    async with app.test_app():
        visitor = Visitor(app)
        await visitor.get("/")
        for path in ("/", static(app, "css/site.css"), "/feed/atom.xml"):
            plain = await visitor.get(path)
            reply = await visitor.get(path, accept_encoding=CHROMIUM_ENCODINGS)
            assert ("content-encoding" in reply.headers) is compressed, path
            assert ("vary" in reply.headers) is compressed, path
            assert reply.decoded() == plain.body
            again = await visitor.get(path, if_none_match=reply.headers["etag"])
            assert again.status == 304, path
