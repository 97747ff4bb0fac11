"""`make soak`: the demo portal under a steady mixed load for a while, then a graceful stop.

Readers (people with cookies reading the home page and articles, a new person every few pages),
voters (new visitors voting through the widget's form and through the socket) and socket watchers
(raw Engine.IO frames over aiohttp's WebSocket, answering pings) run for SOAK_SECONDS (default 120;
or `--seconds N`). The server runs on core 0, the load on core 1, as in `make bench`. At the end
the load stops, the server is stopped with SIGTERM, and the database is compared with what the
load was given: page views served vs counted, votes acknowledged vs stored. Errors are counted,
the server's memory (RSS) is read at the start and the end. The figures are printed and written
into BENCHMARKS.md between the soak markers. Nothing here fails the build: it measures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import sqlite3
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp

from bench.__main__ import (
    BROWSER,
    LOAD_CORE,
    SERVER_CORE,
    free_port,
    machine,
    portal,
    seed_demo,
    seeded_instance,
    table,
    write_section,
)

START, END = "<!-- soak:start -->", "<!-- soak:end -->"
POLL = 1
READERS = int(os.environ.get("SOAK_READERS", "8"))
FORM_VOTERS = int(os.environ.get("SOAK_FORM_VOTERS", "2"))
SOCKET_VOTERS = int(os.environ.get("SOAK_SOCKET_VOTERS", "2"))
WATCHERS = int(os.environ.get("SOAK_WATCHERS", "100"))
PAGES_PER_READER = 20  # then the reader is a new person (a new visitor cookie)
THINK = (0.05, 0.25)  # seconds a person waits between actions
THANKS = "Terima kasih, suara Anda telah dihitung."
FLASH = re.compile(r'class="[^"]*poll-flash[^"]*"[^>]*>([^<]*)<')
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def query(db: Path, sql: str, *params: object) -> Any:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchone()[0]
    finally:
        conn.close()


@dataclass
class Soak:
    """The load and what it was given."""

    url: str
    articles: list[str]
    options: list[int]
    running: bool = True
    stopping: bool = False
    served: int = 0  # HTML pages answered 200 (each a page view)
    requests: int = 0  # every HTTP request answered, and every socket vote acknowledged
    latencies: list[float] = field(default_factory=list)  # page GETs, seconds
    acked_form: int = 0
    acked_socket: int = 0
    pushes: int = 0  # poll_results events the watchers received
    errors: Counter[str] = field(default_factory=Counter)

    def session(self) -> aiohttp.ClientSession:
        return aiohttp.ClientSession(
            headers={"User-Agent": BROWSER},
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            timeout=aiohttp.ClientTimeout(total=30),
        )

    async def think(self) -> None:
        await asyncio.sleep(random.uniform(*THINK))

    async def page(self, http: aiohttp.ClientSession, path: str) -> str | None:
        started = time.monotonic()
        try:
            async with http.get(self.url + path, allow_redirects=False) as response:
                body = await response.text()
        except (aiohttp.ClientError, TimeoutError) as error:
            self.errors[f"GET: {type(error).__name__}"] += 1
            return None
        self.requests += 1
        if response.status != 200:
            self.errors[f"GET: {response.status}"] += 1
            return None
        self.latencies.append(time.monotonic() - started)
        self.served += 1
        return body

    @staticmethod
    def cookie(http: aiohttp.ClientSession) -> str:
        return "; ".join(f"{c.key}={c.value}" for c in http.cookie_jar)

    async def reader(self) -> None:
        while self.running:
            async with self.session() as http:
                for _ in range(PAGES_PER_READER):
                    if not self.running:
                        return
                    await self.page(http, random.choice(["/", *self.articles]))
                    await self.think()

    async def form_voter(self) -> None:
        while self.running:
            async with self.session() as http:
                home = await self.page(http, "/")
                token = TOKEN.search(home or "")
                if token is None:
                    await self.think()
                    continue
                form = {
                    "csrf_token": token.group(1),
                    "next": "/",
                    "option": str(random.choice(self.options)),
                }
                try:
                    async with http.post(
                        f"{self.url}/polling/{POLL}/pilih", data=form, allow_redirects=False
                    ) as response:
                        await response.read()
                        status = response.status
                except (aiohttp.ClientError, TimeoutError) as error:
                    self.errors[f"form vote: {type(error).__name__}"] += 1
                    continue
                self.requests += 1
                if status != 302:
                    self.errors[f"form vote: {status}"] += 1
                    continue
                shown = await self.page(http, "/")
                flash = FLASH.search(shown or "")
                if flash and flash.group(1).strip() == THANKS:
                    self.acked_form += 1
                else:
                    self.errors["form vote: not thanked"] += 1
            await self.think()

    async def engineio(
        self, http: aiohttp.ClientSession, auth: dict[str, Any]
    ) -> aiohttp.ClientWebSocketResponse:
        """A Socket.IO connection in raw frames: open, connect to "/", wait for the answer."""
        ws = await http.ws_connect(
            self.url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket",
            headers={"Cookie": self.cookie(http)},
        )
        await ws.receive_str()  # 0{"sid": ..., "pingInterval": ...}
        await ws.send_str("40" + json.dumps(auth))
        while True:
            frame = await ws.receive_str()
            if frame.startswith("40"):
                return ws
            if frame.startswith("44"):
                raise ConnectionError(f"socket refused: {frame}")
            if frame == "2":
                await ws.send_str("3")

    async def socket_voter(self) -> None:
        while self.running:
            async with self.session() as http:
                if await self.page(http, "/") is None:
                    await self.think()
                    continue
                try:
                    ws = await self.engineio(http, {"path": "/"})
                    vote = {"poll_id": POLL, "options": [random.choice(self.options)]}
                    await ws.send_str("421" + json.dumps(["vote", vote]))
                    ack = None
                    while ack is None:
                        frame = await ws.receive_str(timeout=30)
                        if frame == "2":
                            await ws.send_str("3")
                        elif frame.startswith("431"):
                            ack = json.loads(frame[3:])[0]
                    await ws.close()
                except (aiohttp.ClientError, TimeoutError, ConnectionError, TypeError) as error:
                    self.errors[f"socket vote: {type(error).__name__}"] += 1
                    continue
                self.requests += 1
                if ack.get("ok"):
                    self.acked_socket += 1
                else:
                    self.errors[f"socket vote: {ack.get('reason')}"] += 1
            await self.think()

    async def watcher(self, ready: asyncio.Event, connected: list[int]) -> None:
        async with self.session() as http:
            if await self.page(http, "/") is None:
                return
            try:
                ws = await self.engineio(http, {"path": "/", "polls": [POLL]})
            except (aiohttp.ClientError, TimeoutError, ConnectionError, TypeError) as error:
                self.errors[f"watcher connect: {type(error).__name__}"] += 1
                return
            connected[0] += 1
            if connected[0] == WATCHERS:
                ready.set()
            while self.running:
                try:
                    message = await ws.receive(timeout=1.0)
                except TimeoutError:
                    continue
                if message.type != aiohttp.WSMsgType.TEXT:
                    if not self.stopping:
                        self.errors["watcher: closed by the server"] += 1
                    return
                if message.data == "2":
                    await ws.send_str("3")
                elif message.data.startswith('42["poll_results"'):
                    self.pushes += 1
            await ws.close()

    def p(self, quantile: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(quantile * len(ordered)))] * 1000


async def run_load(soak: Soak, seconds: float, server: Any) -> dict[str, float]:
    """Watchers first, then the rest; memory read once everything runs and at the end."""
    ready, connected = asyncio.Event(), [0]
    watchers = [asyncio.create_task(soak.watcher(ready, connected)) for _ in range(WATCHERS)]
    if WATCHERS:
        await asyncio.wait_for(ready.wait(), 120)
    jobs = [soak.reader] * READERS + [soak.form_voter] * FORM_VOTERS
    jobs += [soak.socket_voter] * SOCKET_VOTERS
    started = time.monotonic()
    tasks = [asyncio.create_task(job()) for job in jobs]
    await asyncio.sleep(min(10.0, seconds / 10))  # warm: caches filled, every kind of client in
    memory = {"rss_start": server.rss_mib(), "cpu_start": server.cpu_seconds()}
    await asyncio.sleep(max(0.0, seconds - (time.monotonic() - started)))
    memory["rss_end"] = server.rss_mib()
    memory["cpu_end"] = server.cpu_seconds()
    memory["elapsed"] = time.monotonic() - started
    soak.running = False
    soak.stopping = True
    await asyncio.gather(*tasks, *watchers)
    return memory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--seconds",
        type=float,
        default=float(os.environ.get("SOAK_SECONDS", "120")),
        help="how long the load runs (default: SOAK_SECONDS or 120)",
    )
    seconds = parser.parse_args().seconds
    os.sched_setaffinity(0, {int(LOAD_CORE)})
    with tempfile.TemporaryDirectory(prefix="serambi-soak-") as folder:
        base = Path(folder)
        instance = seeded_instance(base, "soak", seed_demo(base))
        db = instance / "serambi.db"
        conn = sqlite3.connect(db)
        try:
            rows = conn.execute(
                "SELECT id, alias FROM articles WHERE state = 1 ORDER BY id LIMIT 10"
            ).fetchall()
            options = [
                r[0] for r in conn.execute("SELECT id FROM poll_options WHERE poll_id = ?", (POLL,))
            ]
        finally:
            conn.close()
        views_before = query(db, "SELECT coalesce(sum(views), 0) FROM site_daily")
        ballots_before = query(db, "SELECT count(*) FROM poll_ballots WHERE poll_id = ?", POLL)
        server = portal(
            instance,
            free_port(),
            STATS_ADDRESS_CAP="1000000000",
            POLL_VOTES_PER_MINUTE="1000000",
            SOCKETS_PER_ADDRESS="1000000",
            SOCKET_EVENT_BURST="1000",
        )
        idle = server.rss_mib()
        soak = Soak(server.url, [f"/artikel/{i}-{alias}" for i, alias in rows], options)
        print(
            f"Soak: {seconds:.0f} s, {READERS} readers, {FORM_VOTERS} form voters, "
            f"{SOCKET_VOTERS} socket voters, {WATCHERS} watchers on {server.url}",
            flush=True,
        )
        figures = asyncio.run(run_load(soak, seconds, server))
        stop_started = time.monotonic()
        server.stop()
        stop_seconds = time.monotonic() - stop_started
        counted = query(db, "SELECT coalesce(sum(views), 0) FROM site_daily") - views_before
        stored = query(db, "SELECT count(*) FROM poll_ballots WHERE poll_id = ?", POLL)
        stored -= ballots_before
        integrity = query(db, "PRAGMA integrity_check")
        log = server.log.read_text(errors="replace")
    acked = soak.acked_form + soak.acked_socket
    errors = sum(soak.errors.values())
    server_errors = len(re.findall(r"^\S+ \S+ ERROR ", log, re.M))
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    report = "\n\n".join(
        [
            f"Soaked {when} on {machine()}; server on core {SERVER_CORE}, load on core "
            f"{LOAD_CORE}. {figures['elapsed']:.0f} s of mixed load: {READERS} readers (a new "
            f"person every {PAGES_PER_READER} pages), {FORM_VOTERS} form voters and "
            f"{SOCKET_VOTERS} socket voters (each vote a new visitor), {WATCHERS} sockets "
            f"watching the poll; {THINK[0]}-{THINK[1]} s between a person's actions. Then the "
            "load stopped and the server got SIGTERM.",
            "**Load**\n\n"
            + table(
                [
                    "requests",
                    "pages/s",
                    "p50 ms",
                    "p99 ms",
                    "poll pushes",
                    "errors",
                    "server ERRORs",
                ],
                [
                    [
                        f"{soak.requests:,}",
                        f"{soak.served / figures['elapsed']:.1f}",
                        f"{soak.p(0.5):.0f}",
                        f"{soak.p(0.99):.0f}",
                        f"{soak.pushes:,}",
                        f"{errors:,}",
                        f"{server_errors:,}",
                    ]
                ],
            ),
            "**Memory** (resident set of the server; start is after the first "
            f"{min(10.0, seconds / 10):.0f} s of load)\n\n"
            + table(
                ["idle MiB", "start MiB", "end MiB", "growth MiB", "CPU s", "stop s"],
                [
                    [
                        f"{idle:.1f}",
                        f"{figures['rss_start']:.1f}",
                        f"{figures['rss_end']:.1f}",
                        f"{figures['rss_end'] - figures['rss_start']:+.1f}",
                        f"{figures['cpu_end'] - figures['cpu_start']:.1f}",
                        f"{stop_seconds:.1f}",
                    ]
                ],
            ),
            "**Counts after the graceful stop** (target: nothing lost)\n\n"
            + table(
                [
                    "views served",
                    "views counted",
                    "lost",
                    "votes acknowledged (form + socket)",
                    "votes stored",
                    "lost",
                    "integrity",
                ],
                [
                    [
                        f"{soak.served:,}",
                        f"{counted:,}",
                        f"{soak.served - counted:,}",
                        f"{acked:,} ({soak.acked_form:,} + {soak.acked_socket:,})",
                        f"{stored:,}",
                        f"{acked - stored:,}",
                        str(integrity),
                    ]
                ],
            ),
        ]
        + (
            ["Errors: " + ", ".join(f"{k} ({n})" for k, n in soak.errors.most_common())]
            if soak.errors
            else []
        )
    )
    print(report)
    write_section(report, START, END, heading="Soak")


if __name__ == "__main__":
    main()
