"""The real server: `python app.py` serves through Hypercorn and stops cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import sqlite3
import time
import urllib.error
import urllib.request
from collections import Counter
from typing import Any

import aiohttp

from tests.conftest import LiveServer, soup
from tests.sockets import BROWSER, WAIT, Visitor

DEMO_POLL = 1


def test_serves_pages_and_static_files(live_server: LiveServer) -> None:
    with urllib.request.urlopen(live_server.url + "/", timeout=5) as response:
        page = soup(response.read())
        assert response.headers["Content-Type"].startswith("text/html")
    css = page.select_one("link[rel=stylesheet]")["href"]
    with urllib.request.urlopen(live_server.url + css, timeout=5) as response:
        assert b"--green" in response.read()
    try:
        urllib.request.urlopen(live_server.url + "/artikel/xyz", timeout=5)
        raise AssertionError("expected 404")
    except urllib.error.HTTPError as error:
        assert error.code == 404


def test_stops_cleanly_on_sigterm(live_server: LiveServer) -> None:
    assert live_server.stop() == 0
    assert "Traceback" not in live_server.log()


def test_bad_setting_stops_start_with_a_sentence(live_server: LiveServer) -> None:
    live_server.stop()
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, str(root / "app.py")],
        env={"PORTAL_PORT": "lapan-ribu", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode != 0
    assert "PORTAL_PORT must be a whole number" in result.stderr
    assert "Traceback" not in result.stderr


async def test_what_start_made_is_left_out_of_full_collections() -> None:
    import gc

    from app import freeze_start_objects

    try:
        await freeze_start_objects()
        assert gc.get_freeze_count() > 10_000  # this process's modules at least
    finally:
        gc.unfreeze()


RAW_SOCKETS = 300  # raw WebSockets held open through a stop (loopback only)
STOP_GRACE = 10.0  # PORTAL_SHUTDOWN_GRACE of the stop test: generous, the stop must beat it


async def _raw_socket(http: Any, url: str) -> Any:
    """A raw Engine.IO WebSocket joined to the public namespace, as a page's socket is."""
    ws = await http.ws_connect(url.replace("http", "ws") + "/socket.io/?EIO=4&transport=websocket")
    opening = await ws.receive_str(timeout=WAIT)
    assert opening.startswith("0"), opening
    await ws.send_str('40{"path":"/"}')
    while not (frame := await ws.receive_str(timeout=WAIT)).startswith("40"):
        pass  # snapshots may come before the connect's answer
    assert "sid" in frame, frame
    return ws


async def _until_closed(ws: Any) -> tuple[str, int | None]:
    """Read a socket until the server ends it: how it ended (a close frame, or cut) and the
    close code."""
    while True:
        message = await ws.receive()
        if message.type == aiohttp.WSMsgType.TEXT:
            if message.data == "2":
                await ws.send_str("3")  # answer Engine.IO's ping
            continue
        if message.type == aiohttp.WSMsgType.CLOSE:
            return "close frame", ws.close_code
        return message.type.name, ws.close_code


async def test_a_stop_closes_every_socket_with_a_close_frame_and_keeps_votes_and_views(
    server_with: Any,
) -> None:
    """Hundreds of sockets open, a vote acknowledged and a page viewed just before SIGTERM: the
    server closes each WebSocket itself and exits well within the grace, and the vote and the
    view (counted in memory, written only at the stop here) are in the database after it."""
    server = server_with(
        SHUTDOWN_GRACE=str(STOP_GRACE), SOCKETS_PER_ADDRESS="0", STATS_FLUSH_INTERVAL="3600"
    )
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector, headers={"User-Agent": BROWSER}) as raw:
        opening = asyncio.Semaphore(25)  # a few handshakes at a time: no timeout on a busy box

        async def one_socket() -> Any:
            async with opening:
                return await _raw_socket(raw, server.url)

        opened = await asyncio.gather(*(one_socket() for _ in range(RAW_SOCKETS)))
        endings = [asyncio.create_task(_until_closed(ws)) for ws in opened]
        voter = Visitor(server)
        home = await voter.get("/")
        article = soup(home).select_one("a[href^='/artikel/']")["href"].split("#")[0]
        poll = soup(home).select_one("input[name=option]")
        assert poll is not None, "the demo's home page shows its poll"
        tab = await voter.open_tab("/", auth={"polls": [DEMO_POLL]})
        ack = await tab.client.call(
            "vote", {"poll_id": DEMO_POLL, "options": [int(poll["value"])]}, timeout=WAIT
        )
        assert ack["ok"] is True, ack
        reader = Visitor(server)
        await reader.get(article)  # a new visitor's view: counted, waiting for the flush
        article_id = int(article.removeprefix("/artikel/").split("-")[0])
        hits_before = _fetch(server, "SELECT hits FROM articles WHERE id = ?", article_id)

        signalled = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(server.process.wait, STOP_GRACE + 30)
        took = time.monotonic() - signalled
        ended = await asyncio.gather(*endings)
        await voter.close()
        await reader.close()
    log = server.log()
    assert code == 0, log
    assert took < STOP_GRACE, (took, log[-2000:])
    assert Counter(ended) == {("close frame", 1000): RAW_SOCKETS}, Counter(ended)
    assert "was cut" not in log, log[-2000:]
    assert "Traceback" not in log, log[-2000:]
    voters = ack["results"]["voters"]  # the demo's 37 and this one
    assert _fetch(server, "SELECT count(*) FROM poll_ballots WHERE poll_id = 1") == voters == 38
    assert _fetch(server, "SELECT hits FROM articles WHERE id = ?", article_id) == hits_before + 1


def _fetch(server: LiveServer, sql: str, *params: object) -> int:
    conn = sqlite3.connect(server.database)
    try:
        return int(conn.execute(sql, params).fetchone()[0])
    finally:
        conn.close()
