"""Statistics on the real server: live pushes, nothing lost on a graceful stop, a hard kill."""

from __future__ import annotations

import asyncio
import os
import signal
import sqlite3
import time
from typing import Any

from tests.conftest import LiveServer
from tests.sockets import Tab


def read(path: Any, sql: str, *params: object) -> Any:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


async def test_a_view_ticks_the_total_and_the_article(visitors: Any) -> None:
    watcher = await visitors()
    on_article = await watcher.open_tab("/artikel/3")
    # the page tells the socket which article it shows
    on_article_auth = Tab()
    watcher.tabs.append(on_article_auth)
    await on_article_auth.client.connect(
        watcher.server.url,
        headers={"User-Agent": watcher.user_agent, "Cookie": watcher.cookie_header()},
        auth={"path": "/artikel/3", "article": 3},
        transports=["websocket"],
        wait_timeout=5,
    )
    start = await on_article.wait_for("visit_total")
    hits = await on_article_auth.wait_for("article_hits")
    assert hits["id"] == 3
    reader = await visitors()
    await reader.get("/artikel/3")
    await on_article.wait_for("visit_total", lambda d: d["total"] == start["total"] + 1)
    await on_article_auth.wait_for("article_hits", lambda d: d["hits"] == hits["hits"] + 1)
    await reader.get("/artikel/3")  # a reload within the window: no tick
    await asyncio.sleep(0.6)
    assert on_article.last("visit_total")["total"] == start["total"] + 1


async def test_graceful_stop_writes_every_counted_view(
    visitors: Any, live_server: LiveServer
) -> None:
    before = read(live_server.database, "SELECT hits FROM articles WHERE id = 4")
    people = [await visitors() for _ in range(12)]
    for person in people:
        await person.get("/artikel/4")
    assert live_server.stop() == 0  # SIGTERM: the last flush runs before the process ends
    assert read(live_server.database, "SELECT hits FROM articles WHERE id = 4") == before + 12
    assert (
        read(live_server.database, "SELECT sum(views) FROM article_daily WHERE article_id = 4")
        == 12
    )


async def test_hard_kill_loses_at_most_one_interval(visitors: Any, live_server: LiveServer) -> None:
    before = read(live_server.database, "SELECT hits FROM articles WHERE id = 5")
    people = [await visitors() for _ in range(8)]
    for person in people[:5]:
        await person.get("/artikel/5")
    # The next flush (within one interval, 1 s, on a machine that keeps up) writes them: wait
    # until it has, rather than for a fixed time a busy machine may overrun.
    deadline = time.monotonic() + 15
    while read(live_server.database, "SELECT hits FROM articles WHERE id = 5") < before + 5:
        assert time.monotonic() < deadline, "the first five views were never flushed"
        await asyncio.sleep(0.1)
    for person in people[5:]:
        await person.get("/artikel/5")
    os.kill(live_server.process.pid, signal.SIGKILL)
    live_server.process.wait(10)
    assert read(live_server.database, "PRAGMA integrity_check") == "ok"
    after = read(live_server.database, "SELECT hits FROM articles WHERE id = 5")
    assert before + 5 <= after <= before + 8  # what was flushed before the kill survived


async def test_garbage_agents_and_huge_headers_do_not_break_counting(
    visitors: Any, live_server: LiveServer
) -> None:
    import http.client

    garbage = "".join(chr(c) for c in range(0x21, 0x7F)) * 60  # 5,640 bytes of odd characters
    conn = http.client.HTTPConnection("127.0.0.1", live_server.port, timeout=10)
    conn.request("GET", "/artikel/7", headers={"User-Agent": garbage})
    response = conn.getresponse()
    response.read()
    assert response.status in (200, 301)
    conn.close()
    conn = http.client.HTTPConnection("127.0.0.1", live_server.port, timeout=10)
    conn.request("GET", "/", headers={"User-Agent": "x" * 200_000})  # far over any header limit
    try:
        refused = conn.getresponse()
        refused.read()
        assert refused.status >= 400
    except (ConnectionError, http.client.RemoteDisconnected):
        pass  # dropping the connection is a refusal too
    finally:
        conn.close()
    person = await visitors()
    assert "<html" in await person.get("/artikel/7")  # still serving, still counting
    assert "Traceback" not in live_server.log()
