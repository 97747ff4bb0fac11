"""Attacks on the running portal over loopback: smuggling, forged proxy headers, cross-site
votes, socket hoarding, slow and silent clients, oversized headers. Each is refused, the
figures stay as they were, and other visitors are still served."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from typing import Any

import aiohttp
import pytest
import socketio

from tests.conftest import LiveServer, soup
from tests.sockets import BROWSER, Visitor, connected

DEMO_POLL = 1
CLOSED = {aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSING, aiohttp.WSMsgType.CLOSED}
ROBOTS = b"GET /robots.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"


def _votes(server: LiveServer) -> int:
    conn = sqlite3.connect(server.database)
    try:
        return int(conn.execute("SELECT count(*) FROM poll_ballots").fetchone()[0])
    finally:
        conn.close()


async def _raw(server: LiveServer, request: bytes, wait: float = 5.0) -> bytes:
    """Send bytes on a fresh connection; everything the server answers until it closes."""
    reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(request)
    await writer.drain()
    received = b""
    try:
        while chunk := await asyncio.wait_for(reader.read(65536), wait):
            received += chunk
    finally:
        writer.close()
    return received


async def test_content_length_with_transfer_encoding_is_refused_before_the_app(
    live_server: LiveServer,
) -> None:
    before = _votes(live_server)
    body = b"5\r\noption=1\r\n0\r\n\r\n"
    answer = await _raw(
        live_server,
        b"POST /polling/1/pilih HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n" + body,
    )
    head = answer.split(b"\r\n\r\n", 1)[0].lower()
    assert head.startswith(b"http/1.1 400") and b"connection: close" in head
    assert answer.count(b"HTTP/1.1") == 1  # the connection closed: nothing smuggled after it
    # two different lengths are just as ambiguous
    answer = await _raw(
        live_server,
        b"POST /polling/1/pilih HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Length: 4\r\nContent-Length: 9\r\n\r\nabcdefghi",
    )
    assert answer.startswith(b"HTTP/1.1 400")
    assert _votes(live_server) == before
    ok = await _raw(
        live_server, b"GET /robots.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    assert ok.startswith(b"HTTP/1.1 200")


async def test_forged_forwarding_headers_change_nothing(live_server: LiveServer) -> None:
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    async with (
        aiohttp.ClientSession() as session,
        session.get(live_server.url + "/", headers=headers) as response,
    ):
        assert response.status == 200
        assert "Strict-Transport-Security" not in response.headers
        cookie = response.headers["Set-Cookie"]
        assert "serambi_pengunjung=" in cookie and "Secure" not in cookie


async def test_a_trusted_proxy_is_believed_about_https(server_with: Any) -> None:
    server = server_with(TRUSTED_PROXIES="127.0.0.1")
    headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    async with (
        aiohttp.ClientSession() as session,
        session.get(server.url + "/", headers=headers) as response,
    ):
        assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
        assert "Secure" in response.headers["Set-Cookie"]


async def test_cross_site_votes_are_refused_and_count_nothing(live_server: LiveServer) -> None:
    before = _votes(live_server)
    victim = Visitor(live_server)
    attacker = Visitor(live_server)
    try:
        home = soup(await victim.get("/"))
        option = home.select_one(f"#polling-{DEMO_POLL} input[name=option]")["value"]
        stolen = home.select_one(f"#polling-{DEMO_POLL} input[name=csrf_token]")["value"]
        url = f"{live_server.url}/polling/{DEMO_POLL}/pilih"
        # a page elsewhere posts with the victim's cookies but cannot know the token
        async with victim.http.post(
            url, data={"option": option}, headers={"Origin": "https://evil.example"}
        ) as response:
            assert response.status == 400
        # a token is bound to its own visitor cookie: replayed by someone else it is refused
        await attacker.get("/")
        async with attacker.http.post(
            url, data={"option": option, "csrf_token": stolen}, allow_redirects=False
        ) as response:
            assert response.status == 400
        assert _votes(live_server) == before
        # the victim's own form post counts
        async with victim.http.post(
            url, data={"option": option, "csrf_token": stolen}, allow_redirects=False
        ) as response:
            assert response.status == 302
        assert _votes(live_server) == before + 1
    finally:
        await victim.close()
        await attacker.close()


async def test_one_address_cannot_hoard_sockets(server_with: Any) -> None:
    server = server_with(SOCKETS_PER_ADDRESS="3")
    person = Visitor(server)
    try:
        await person.get("/")
        tabs = [await person.open_tab("/") for _ in range(3)]
        with pytest.raises(socketio.exceptions.ConnectionError):
            await person.open_tab("/")
        await tabs[0].close()
        # A closed socket frees its place once the server has seen it go, which a busy machine
        # may take longer than any fixed pause to do: try again until then.
        deadline = time.monotonic() + 10
        while True:
            try:
                again = await person.open_tab("/")
                break
            except socketio.exceptions.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.1)
        await again.wait_for("online_count", connected(1))
        assert "too many open sockets" in server.log()
    finally:
        await person.close()


async def _page_time(url: str) -> float:
    start = time.monotonic()
    async with (
        aiohttp.ClientSession(headers={"User-Agent": BROWSER}) as session,
        session.get(url) as response,
    ):
        assert response.status == 200
        await response.read()
    return time.monotonic() - start


async def test_slow_and_silent_clients_do_not_keep_others_waiting(server_with: Any) -> None:
    server = server_with(READ_TIMEOUT="2")
    baseline = max([await _page_time(server.url + "/") for _ in range(3)])
    slow: list[asyncio.StreamWriter] = []
    readers: list[asyncio.StreamReader] = []
    for _ in range(150):  # slowloris: open, start a request, never finish it
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-a: ")
        readers.append(reader)
        slow.append(writer)
    try:
        await asyncio.sleep(0.3)
        during = [await _page_time(server.url + "/") for _ in range(5)]
        assert max(during) < max(2.0, 10 * baseline), (baseline, during)
        # silent for longer than READ_TIMEOUT: the server hangs up on every one of them
        await asyncio.sleep(3.0)
        closed = 0
        # One deadline for all: a busy machine may take a while to hang up on 150 of them.
        deadline = time.monotonic() + 15
        for reader in readers:
            try:
                left = max(0.1, deadline - time.monotonic())
                closed += await asyncio.wait_for(reader.read(1), left) == b""
            except ConnectionError:
                closed += 1  # reset by the server: closed as well
        assert closed == len(readers)
    finally:
        for writer in slow:
            writer.close()


async def test_oversized_headers_are_refused(live_server: LiveServer) -> None:
    huge = b"X-Big: " + b"a" * 20_000 + b"\r\n"
    answer = await _raw(live_server, b"GET / HTTP/1.1\r\nHost: x\r\n" + huge + b"\r\n")
    assert answer.startswith(b"HTTP/1.1 431")
    ok = await _raw(
        live_server, b"GET /robots.txt HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    assert ok.startswith(b"HTTP/1.1 200")


async def test_oversized_websocket_frames_close_that_socket_only(
    visitors: Any, live_server: LiveServer
) -> None:
    alice = await visitors()
    watcher = await alice.open_tab("/")
    url = live_server.url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket"
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(url, headers={"User-Agent": BROWSER}) as ws,
    ):
        opened = await ws.receive(timeout=5)
        assert opened.data.startswith("0{")
        await ws.send_str("40")
        await ws.receive(timeout=5)  # the namespace is connected
        await ws.send_str('42["watch_page",{"path":"/' + "x" * 64_000 + '"}]')
        kinds = set()
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline and not kinds & CLOSED:
            kinds.add((await ws.receive(timeout=5)).type)
        assert kinds & CLOSED
    await watcher.wait_for("online_count", connected(1))
    assert watcher.client.connected


async def test_long_polling_is_refused_so_its_traps_cannot_happen(server_with: Any) -> None:
    """python-engineio never answers a long-polling POST over its buffer size, and one such
    request keeps Hypercorn from stopping. The portal serves the WebSocket transport only."""
    server = server_with()
    async with aiohttp.ClientSession() as session:
        url = f"{server.url}/socket.io/?EIO=4&transport=polling"
        async with session.get(url) as response:
            assert response.status == 400
    started = time.monotonic()
    answer = await _raw(
        server,
        b"POST /socket.io/?EIO=4&transport=polling&sid=x HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: text/plain\r\nContent-Length: 50000000\r\n\r\n" + b"4" * 65536,
    )
    assert answer.startswith(b"HTTP/1.1 4")  # refused at once, the body never read in full
    assert time.monotonic() - started < 5
    # an unfinished one is open while the server stops: it stops all the same
    _, writer = await asyncio.open_connection("127.0.0.1", server.port)
    writer.write(
        b"POST /socket.io/?EIO=4&transport=polling&sid=x HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Length: 50000000\r\n\r\n" + b"4" * 1024
    )
    await writer.drain()
    stopping = time.monotonic()
    assert server.stop() == 0
    assert time.monotonic() - stopping < 10
    writer.close()
