"""Faults on the real server (Hypercorn on loopback, in a child process), each bounded in time.

- SIGTERM under load: readers, voters (socket and form) and socket watchers are busy; the server
  stops accepting at once, lets what is in flight finish, closes the sockets, writes the counts and
  exits within the grace time plus a small margin; every acknowledged vote and every page view
  served is stored, and it serves the same figures after a restart.
- SIGKILL under load: the database opens intact, every acknowledged vote is there, the counts lose
  at most the last flush interval.
- Another process holds the write lock, or the disk is full (a real SQLITE_FULL on a small tmpfs):
  writes answer 503 with a message in the visitor's language (a socket vote's acknowledgement
  too), reads go on, nothing half-written is left, and the next write succeeds once the cause is
  gone, without a restart; the counts kept meanwhile are written then.
- The database layer alone: a failed or cancelled transaction leaves the one shared connection
  usable, and a write waiting for another process's lock does not hold up reads.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import socketio

from content import db as db_module
from content.db import WRITE_WAIT_SECONDS, Database, Unavailable
from content.i18n import load_catalogs, translate
from content.polls import Guard
from content.visitors import VISITOR_COOKIE, VisitorSigner
from content.web.unavailable import UNAVAILABLE_MESSAGE, UNAVAILABLE_TITLE
from tests.conftest import DemoDatabase, LiveServer, copy_demo, soup
from tests.sockets import BROWSER, Tab

pytestmark = pytest.mark.timeout(60)
SLOW_FIXTURES = {"server"}  # the portal under load in a child process

DEMO_POLL = 1
GRACE = 2.0  # PORTAL_SHUTDOWN_GRACE for these servers
EXIT_MARGIN = 3.0  # after the grace time: the last flush, closing the database, the interpreter
FLUSH_INTERVAL = 1.0  # PORTAL_STATS_FLUSH_INTERVAL (the default)
SCHEDULING_SLACK = 0.5  # a flush's own transaction and the event loop's lag on a busy machine
SETTINGS = {
    "LIVE_TICK": "0.2",
    "SHUTDOWN_GRACE": str(GRACE),
    "STATS_FLUSH_INTERVAL": str(FLUSH_INTERVAL),
    # Every client here comes from 127.0.0.1: lift the per-address caps meant for floods.
    "STATS_ADDRESS_CAP": "1000000",
    "POLL_VOTES_PER_MINUTE": "1000000",
    "SOCKETS_PER_ADDRESS": "1000",
    "ACCESS_LOG": "false",
}
THANKS = "Terima kasih, suara Anda telah dihitung."
CATALOGS = load_catalogs()


def indonesian(message: str) -> str:
    """A message as an Indonesian visitor sees it."""
    return translate(CATALOGS, "id", message)


def query(path: Path | str, sql: str, *params: object) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(path, timeout=5)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


@dataclass(frozen=True)
class Figures:
    """What the database holds of the counts and the demo poll's votes."""

    hits: dict[int, int]
    views: int
    voters: int
    ballots: int
    choices: int
    option_votes: int

    @classmethod
    def read(cls, path: Path | str) -> Figures:
        hits = dict(query(path, "SELECT id, hits FROM articles"))
        views = query(path, "SELECT coalesce(sum(views), 0) FROM site_daily")[0][0]
        ballots = query(path, "SELECT count(*) FROM poll_ballots WHERE poll_id = ?", DEMO_POLL)
        choices = query(
            path,
            "SELECT count(*) FROM poll_choices c JOIN poll_ballots b ON b.id = c.ballot_id "
            "WHERE b.poll_id = ?",
            DEMO_POLL,
        )
        votes = query(path, "SELECT sum(votes) FROM poll_options WHERE poll_id = ?", DEMO_POLL)
        voters = query(path, "SELECT voters FROM polls WHERE id = ?", DEMO_POLL)
        return cls(hits, views, voters[0][0], ballots[0][0], choices[0][0], votes[0][0])

    def hits_since(self, before: Figures) -> Counter[int]:
        return Counter({a: n - before.hits.get(a, 0) for a, n in self.hits.items()}) + Counter()


def article_paths(path: Path | str) -> dict[str, int]:
    """Canonical addresses of published articles (a bare id would redirect)."""
    rows = query(path, "SELECT id, alias FROM articles WHERE state = 1 ORDER BY id LIMIT 8")
    return {f"/artikel/{i}-{alias}": i for i, alias in rows}


def stored_voters(path: Path | str) -> set[str]:
    rows = query(path, "SELECT voter_hash FROM poll_ballots WHERE poll_id = ?", DEMO_POLL)
    return {row[0] for row in rows}


def options_of(path: Path | str) -> list[int]:
    rows = query(path, "SELECT id FROM poll_options WHERE poll_id = ? ORDER BY ordering", DEMO_POLL)
    return [row[0] for row in rows]


def refuses_connections(port: int, within: float) -> bool:
    """Whether a new TCP connection is refused within `within` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                pass
        except ConnectionRefusedError:
            return True
        except OSError:
            pass
        time.sleep(0.05)
    return False


@dataclass
class Watcher:
    """A socket watching the demo poll, and how it ended."""

    http: aiohttp.ClientSession
    tab: Tab
    gone_at: float | None = None
    reason: str | None = None


@dataclass
class Load:
    """Readers, voters (form and socket) and socket watchers against one server, and what each
    was acknowledged."""

    server: LiveServer
    articles: dict[str, int]
    options: list[int]
    running: bool = True
    pages: list[float] = field(default_factory=list)  # when each HTML page was served (200)
    hits: list[tuple[float, int]] = field(default_factory=list)  # first view per visitor, article
    acked: list[str] = field(default_factory=list)  # visitor ids whose vote was acknowledged
    acked_form: int = 0
    acked_socket: int = 0
    failures: list[tuple[float, str]] = field(default_factory=list)
    # GETs that failed, which the server may still have handled (and counted): the connection
    # broke after the request went out, as when a stop closes it. Even a refused connection may
    # be one: aiohttp retries a GET once when a kept-alive connection breaks.
    cut: list[str] = field(default_factory=list)
    watchers: list[Watcher] = field(default_factory=list)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def session(self) -> aiohttp.ClientSession:
        return aiohttp.ClientSession(
            headers={"User-Agent": BROWSER},
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            timeout=aiohttp.ClientTimeout(total=15),
        )

    def fail(self, what: str) -> None:
        self.failures.append((time.monotonic(), what))

    def failures_before(self, moment: float) -> list[str]:
        return [what for at, what in self.failures if at < moment]

    @staticmethod
    def cookies(http: aiohttp.ClientSession) -> dict[str, str]:
        return {c.key: c.value for c in http.cookie_jar}

    async def page(self, http: aiohttp.ClientSession, path: str) -> str | None:
        """GET a page; None (and the load stops) once the server no longer answers."""
        try:
            async with http.get(self.server.url + path, allow_redirects=False) as response:
                body = await response.text()
                status, kind = response.status, response.content_type
        except (aiohttp.ClientError, TimeoutError) as error:
            self.fail(f"GET {path}: {error!r}")
            self.cut.append(path)
            return None
        if status != 200 or kind != "text/html":
            self.fail(f"GET {path}: {status} {kind}")
            return None
        self.pages.append(time.monotonic())
        return body

    async def reader(self) -> None:
        """One person reading: the home page and articles, each article counted once."""
        async with self.session() as http:
            seen: set[str] = set()
            while self.running:
                path = random.choice(["/", *self.articles])
                if await self.page(http, path) is None:
                    return
                if path in self.articles and path not in seen:
                    seen.add(path)
                    self.hits.append((self.pages[-1], self.articles[path]))

    async def form_voter(self) -> None:
        """New visitors voting with the widget's form (no JavaScript), one after another."""
        while self.running:
            async with self.session() as http:
                home = await self.page(http, "/")
                if home is None:
                    return
                form = soup(home).select_one(f"#polling-{DEMO_POLL} form.poll-form")
                assert form is not None, "the poll form is missing on the home page"
                data = {
                    "csrf_token": form.select_one("input[name=csrf_token]")["value"],
                    "next": "/",
                    "option": str(random.choice(self.options)),
                }
                try:
                    async with http.post(
                        self.server.url + form["action"], data=data, allow_redirects=False
                    ) as response:
                        await response.read()
                        status, location = response.status, response.headers.get("Location", "")
                except (aiohttp.ClientError, TimeoutError) as error:
                    self.fail(f"form vote: {error!r}")
                    return
                if status != 302:
                    self.fail(f"form vote: {status}")
                    return
                shown = await self.page(http, location.split("#")[0])
                if shown is None:
                    return
                flash = soup(shown).select_one(".poll-flash")
                if flash is None or flash.get_text() != THANKS:
                    self.fail(f"form vote refused: {flash}")
                    continue
                self.acked.append(self.cookies(http)[VISITOR_COOKIE])
                self.acked_form += 1

    async def socket_voter(self) -> None:
        """New visitors voting over the socket, each vote acknowledged by the server."""
        while self.running:
            async with self.session() as http:
                if await self.page(http, "/") is None:
                    return
                tab = Tab()
                try:
                    await tab.connect(
                        self.server.url,
                        headers={"User-Agent": BROWSER, "Cookie": self.cookie_header(http)},
                        path="/",
                    )
                    ack = await tab.client.call(
                        "vote",
                        {"poll_id": DEMO_POLL, "options": [random.choice(self.options)]},
                        timeout=10,
                    )
                except socketio.exceptions.SocketIOError as error:
                    self.fail(f"socket vote: {error!r}")
                    return
                finally:
                    await tab.close()
                if not ack["ok"]:
                    self.fail(f"socket vote refused: {ack}")
                    continue
                self.acked.append(self.cookies(http)[VISITOR_COOKIE])
                self.acked_socket += 1

    def cookie_header(self, http: aiohttp.ClientSession) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies(http).items())

    async def watch(self) -> Watcher:
        """A visitor with the home page open, its socket watching the poll."""
        http = self.session()
        assert await self.page(http, "/") is not None
        watcher = Watcher(http, Tab())

        async def gone(namespace: str, reason: str = "") -> None:
            watcher.gone_at, watcher.reason = time.monotonic(), reason

        # on the catch-all namespace, beside Tab's catch-all event handler
        watcher.tab.client.on("disconnect", gone, namespace="*")
        await watcher.tab.connect(
            self.server.url,
            headers={"User-Agent": BROWSER, "Cookie": self.cookie_header(http)},
            path="/",
            auth={"polls": [DEMO_POLL]},
        )
        await watcher.tab.wait_for("poll_results")
        self.watchers.append(watcher)
        return watcher

    def start(self, readers: int = 4, form_voters: int = 2, socket_voters: int = 2) -> None:
        jobs = [self.reader] * readers + [self.form_voter] * form_voters
        jobs += [self.socket_voter] * socket_voters
        self.tasks = [asyncio.create_task(job()) for job in jobs]

    async def stop(self) -> None:
        """Stop the load once the server is gone: what still waits for it (a vote's
        acknowledgement that will never come) is cancelled."""
        self.running = False
        _, waiting = await asyncio.wait(self.tasks, timeout=2)
        for task in waiting:
            task.cancel()
        for result in await asyncio.gather(*self.tasks, return_exceptions=True):
            if isinstance(result, Exception):
                raise result
        for watcher in self.watchers:
            await watcher.tab.close()
            await watcher.http.close()

    def voter_hashes(self, secret: str) -> set[str]:
        """The stored form of each acknowledged voter (poll_ballots.voter_hash)."""
        signer, guard = VisitorSigner(secret), Guard(secret)
        found = set()
        for cookie in self.acked:
            visitor = signer.read(cookie)
            assert visitor is not None
            found.add(guard.voter(DEMO_POLL, visitor))
        return found


def api_voters(server: LiveServer) -> int:
    """The demo poll's voters as the running portal reports them."""
    with urllib.request.urlopen(f"{server.url}/api/polls/{DEMO_POLL}", timeout=5) as response:
        return int(json.load(response)["results"]["voters"])


def secret_of(server: LiveServer) -> str:
    return (server.tmp_path / "instance" / "secret_key").read_text().strip()


@pytest.fixture
def server(tmp_path: Path, demo_database: DemoDatabase) -> Iterator[LiveServer]:
    """The portal on a copy of the demo database, with a short grace time and no address caps."""
    target = tmp_path / "live.db"
    copy_demo(demo_database, target)
    live = LiveServer(tmp_path, target)
    live.start(**SETTINGS)
    yield live
    live.stop()


async def run_load(server: LiveServer, seconds: float = 3.0) -> Load:
    """Watchers connected and readers and voters busy for `seconds` (and still busy after)."""
    load = Load(server, article_paths(server.database), options_of(server.database))
    for _ in range(6):
        await load.watch()
    load.start()
    await asyncio.sleep(seconds)
    assert load.acked_form and load.acked_socket and len(load.pages) > 20, (
        f"too little load: {len(load.pages)} pages, {load.acked_form} form and "
        f"{load.acked_socket} socket votes; {load.failures[:3]}"
    )
    assert load.failures == [], load.failures[:5]
    return load


async def test_sigterm_under_load_stores_every_acknowledged_vote_and_view(
    server: LiveServer,
) -> None:
    before = Figures.read(server.database)
    load = await run_load(server)
    signalled = time.monotonic()
    server.process.send_signal(signal.SIGTERM)
    assert await asyncio.to_thread(refuses_connections, server.port, 1.0), "still accepting"
    code = await asyncio.to_thread(server.process.wait, GRACE + EXIT_MARGIN + 5)
    took = time.monotonic() - signalled
    await load.stop()
    log = server.log()
    assert code == 0, log
    assert took < GRACE + EXIT_MARGIN, f"exit took {took:.1f} s with a grace of {GRACE} s"
    # Every socket saw the server close it, before the process ended.
    assert all(w.gone_at is not None and w.gone_at - signalled < took for w in load.watchers)
    # ... and said so as the stop began, rather than being cut when the grace time ran out.
    reasons = {w.reason for w in load.watchers}
    assert reasons == {socketio.AsyncClient.reason.SERVER_DISCONNECT}, reasons
    assert load.failures_before(signalled) == []
    after = Figures.read(server.database)
    # Every view served was counted, and counted once. A view may count that never arrived:
    # a request the server answered while the stop closed its connection.
    counted, served = after.views - before.views, len(load.pages)
    assert served <= counted <= served + len(load.cut), (counted, served, load.cut)
    hits, read = after.hits_since(before), Counter(article for _, article in load.hits)
    assert read <= hits, (hits, read)
    assert (hits - read).total() <= sum(path in load.articles for path in load.cut)
    # Every acknowledged vote is stored, whole.
    assert load.voter_hashes(secret_of(server)) <= stored_voters(server.database)
    assert after.ballots - before.ballots >= len(load.acked)
    assert after.choices - before.choices == after.option_votes - before.option_votes
    assert after.ballots - before.ballots == after.choices - before.choices
    assert "Traceback" not in log, log
    # And it serves again, with the same figures.
    server.start(**SETTINGS)
    assert api_voters(server) == after.voters == before.voters + after.ballots - before.ballots


async def test_sigkill_under_load_keeps_the_database_whole(server: LiveServer) -> None:
    before = Figures.read(server.database)
    load = await run_load(server)
    killed = time.monotonic()
    os.kill(server.process.pid, signal.SIGKILL)
    await asyncio.to_thread(server.process.wait, 10)
    await load.stop()
    assert query(server.database, "PRAGMA integrity_check") == [("ok",)]
    after = Figures.read(server.database)
    # Every acknowledged vote survived: each was committed before it was acknowledged.
    assert load.voter_hashes(secret_of(server)) <= stored_voters(server.database)
    assert after.ballots - before.ballots == after.choices - before.choices
    assert after.choices - before.choices == after.option_votes - before.option_votes
    # The counts lose at most what came in since the last flush.
    recent = killed - FLUSH_INTERVAL - SCHEDULING_SLACK
    lost_views = len(load.pages) - (after.views - before.views)
    assert -len(load.cut) <= lost_views <= sum(1 for at in load.pages if at > recent)
    lost_hits = len(load.hits) - after.hits_since(before).total()
    assert -len(load.cut) <= lost_hits <= sum(1 for at, _ in load.hits if at > recent)
    # The portal starts again on it.
    server.start(**SETTINGS)
    assert api_voters(server) == after.voters == before.voters + after.ballots - before.ballots


async def test_a_tab_closed_while_its_vote_is_stored(server: LiveServer) -> None:
    """A vote whose tab closes while it is being stored: no error on the server, which goes on."""
    load = Load(server, article_paths(server.database), options_of(server.database))
    before = Figures.read(server.database)
    for attempt in range(20):
        async with load.session() as http:
            assert await load.page(http, "/") is not None
            tab = Tab()
            await tab.connect(
                server.url,
                headers={"User-Agent": BROWSER, "Cookie": load.cookie_header(http)},
                path="/",
            )
            await tab.client.emit("vote", {"poll_id": DEMO_POLL, "options": load.options[:1]})
            await asyncio.sleep(attempt * 0.002)  # closes at different points of the vote
            await tab.close()
    await asyncio.sleep(0.5)
    stored = Figures.read(server.database).ballots - before.ballots
    assert 0 < stored <= 20
    assert "Traceback" not in server.log()


# A database that cannot write: locked by another process, or a full disk


EDITED_ARTICLE = 3
EDITOR = "redaksi@balittri.example"


class TmpfsServer(LiveServer):
    """The portal with its database alone on a small tmpfs, mounted in a user and mount namespace
    of its own (no privileges needed), so that a test can fill the disk for real. Each start
    mounts a fresh disk with a copy of the demo database."""

    SIZE = "8m"

    def __init__(self, tmp_path: Path, demo_database: DemoDatabase) -> None:
        self.staging = tmp_path / "staging"
        self.staging.mkdir()
        copy_demo(demo_database, self.staging / "live.db")
        self.mount = tmp_path / "disk"
        self.mount.mkdir()
        super().__init__(tmp_path, self.mount / "live.db")

    @property
    def disk(self) -> Path:
        """The server's tmpfs, as this process reaches it: through the server's own root."""
        return Path(f"/proc/{self.process.pid}/root{self.mount}")

    def start(self, timeout: float = 20.0, **settings: str) -> None:
        # LiveServer starts `sys.executable app.py`; here the interpreter runs behind unshare.
        script = (
            'mount -t tmpfs -o size="$1" tmpfs "$2" && cp -R "$3"/. "$2"/ && shift 3 && exec "$@"'
        )
        launcher = self.tmp_path / "python-on-tmpfs"
        launcher.write_text(
            "#!/bin/sh\nexec unshare --user --map-root-user --mount sh -c "
            f"'{script}' sh {self.SIZE} '{self.mount}' '{self.staging}' '{sys.executable}' \"$@\"\n"
        )
        launcher.chmod(0o755)
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(sys, "executable", str(launcher))
            super().start(timeout, **settings)


def namespaces_work() -> bool:
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "true"], capture_output=True
    )
    return probe.returncode == 0


class Fault:
    """Something outside the portal that keeps it from writing, for a while."""

    why = ""  # the cause as the portal logs it: "busy" or "storage"
    sqlite_says = ""  # SQLite's own words for it

    def __init__(self, server: LiveServer) -> None:
        self.server = server

    def readable(self) -> Path:
        """The database as the test can read it now."""
        return self.server.database

    def begin(self) -> None:
        raise NotImplementedError

    def end(self) -> None:
        raise NotImplementedError


class Locked(Fault):
    """Another process (sqlite3 in a shell, a backup, an import) holds the write lock."""

    why, sqlite_says = "busy", "database is locked"

    def begin(self) -> None:
        self.holder = sqlite3.connect(self.server.database, isolation_level=None, timeout=5)
        self.holder.execute("BEGIN EXCLUSIVE")

    def end(self) -> None:
        self.holder.execute("ROLLBACK")
        self.holder.close()


class DiskFull(Fault):
    """The disk is full: SQLite's writes fail with ENOSPC, which it reports as SQLITE_FULL."""

    why, sqlite_says = "storage", "database or disk is full"
    server: TmpfsServer
    copies = 0

    def readable(self) -> Path:
        """A copy of the database and its write-ahead log, taken out of the server's namespace
        (SQLite itself would resolve /proc/<pid>/root/... to the path outside it)."""
        self.copies += 1
        folder = self.server.tmp_path / f"copy-{self.copies}"
        folder.mkdir()
        name = self.server.database.name
        for suffix in ("", "-wal"):
            shutil.copyfile(self.server.disk / (name + suffix), folder / (name + suffix))
        return folder / name

    def begin(self) -> None:
        # The write-ahead log only grows between checkpoints (one per 1000 pages), so every
        # write from now on needs new blocks of the disk.
        wal = self.server.disk / (self.server.database.name + "-wal")
        assert 0 < wal.stat().st_size < 500 * 4096
        self.filler = self.server.disk / "filler"
        chunk = b"\0" * 65536
        # ENOSPC ends the loop: the disk is full
        with self.filler.open("wb", buffering=0) as out, contextlib.suppress(OSError):
            while True:
                out.write(chunk)
        with pytest.raises(OSError, match="No space left"):
            (self.server.disk / "probe").write_bytes(b"x" * 8192)

    def end(self) -> None:
        self.filler.unlink()


async def log_in(load: Load, http: aiohttp.ClientSession, password: str) -> None:
    page = await load.page(http, "/masuk")
    assert page is not None
    token = soup(page).select_one("input[name=csrf_token]")["value"]
    form = {"email": EDITOR, "password": password, "csrf_token": token}
    async with http.post(load.server.url + "/masuk", data=form, allow_redirects=False) as response:
        assert response.status == 302, await response.text()


def form_fields(form: Any) -> dict[str, str]:
    """What a browser would send for a form as it stands."""
    data = {}
    for element in form.select("input[name], textarea[name], select[name]"):
        kind = element.get("type", "")
        if (
            element.name == "input"
            and kind in ("checkbox", "radio")
            and not element.has_attr("checked")
        ):
            continue
        if element.name == "textarea":
            value = element.get_text()
        elif element.name == "select":
            option = element.select_one("option[selected]") or element.select_one("option")
            value = option.get("value", option.get_text()) if option else ""
        else:
            value = element.get("value", "")
        data[element["name"]] = value
    return data


@dataclass
class Attempts:
    """One of each write a person can make, from one browser each, and what each got."""

    load: Load
    editor: aiohttp.ClientSession
    voter: aiohttp.ClientSession
    tab: Tab
    vote_form: dict[str, str]
    article_form: dict[str, str]
    article_action: str

    @classmethod
    async def prepare(cls, load: Load, password: str) -> Attempts:
        editor, voter = load.session(), load.session()
        await log_in(load, editor, password)
        page = await load.page(editor, f"/redaksi/artikel/{EDITED_ARTICLE}")
        assert page is not None
        form = soup(page).select_one("input[name=title]").find_parent("form")
        home = await load.page(voter, "/")
        assert home is not None
        vote = soup(home).select_one(f"#polling-{DEMO_POLL} form.poll-form")
        tab = Tab()
        await tab.connect(
            load.server.url,
            headers={"User-Agent": BROWSER, "Cookie": load.cookie_header(voter)},
            path="/",
        )
        fields = {**form_fields(form), "action": "save"}
        vote_fields = {**form_fields(vote), "option": str(load.options[0])}
        return cls(load, editor, voter, tab, vote_fields, fields, form.get("action") or "")

    async def close(self) -> None:
        await self.tab.close()
        await self.editor.close()
        await self.voter.close()

    async def form_vote(self) -> tuple[int, str, dict[str, str]]:
        url = self.load.server.url + f"/polling/{DEMO_POLL}/pilih"
        async with self.voter.post(url, data=self.vote_form, allow_redirects=False) as response:
            return response.status, await response.text(), dict(response.headers)

    async def socket_vote(self) -> dict[str, Any]:
        ack: dict[str, Any] = await self.tab.client.call(
            "vote", {"poll_id": DEMO_POLL, "options": [self.load.options[1]]}, timeout=20
        )
        return ack

    async def save_article(self, title: str) -> tuple[int, str, dict[str, str]]:
        url = self.load.server.url + (self.article_action or f"/redaksi/artikel/{EDITED_ARTICLE}")
        data = {**self.article_form, "title": title}
        async with self.editor.post(url, data=data, allow_redirects=False) as response:
            return response.status, await response.text(), dict(response.headers)


async def read_while(load: Load, busy: asyncio.Future[Any]) -> tuple[int, float, Counter[int]]:
    """New readers load the home page and articles until `busy` is done: (pages, slowest, hits)."""
    served, slowest, hits = 0, 0.0, Counter[int]()
    while not busy.done():
        async with load.session() as http:
            for path in ["/", *list(load.articles)[:3]]:
                started = time.monotonic()
                assert await load.page(http, path) is not None, load.failures[-1:]
                slowest = max(slowest, time.monotonic() - started)
                served += 1
                if path in load.articles:
                    hits[load.articles[path]] += 1
    return served, slowest, hits


def row(path: Path, sql: str, *params: object) -> tuple[Any, ...]:
    return query(path, sql, *params)[0]


async def check_writes_fail_cleanly_and_recover(
    server: LiveServer, fault: Fault, password: str
) -> None:
    database = fault.readable()
    load = Load(server, article_paths(database), options_of(database))
    attempts = await Attempts.prepare(load, password)
    try:
        await asyncio.sleep(FLUSH_INTERVAL + 0.5)  # the views so far are written
        database = fault.readable()
        before = Figures.read(database)
        title = row(database, "SELECT title FROM articles WHERE id = ?", EDITED_ARTICLE)[0]
        audit = row(database, "SELECT count(*) FROM audit_log")[0]
        fault.begin()
        try:
            started = time.monotonic()
            writes = asyncio.gather(
                attempts.form_vote(), attempts.socket_vote(), attempts.save_article("Diubah")
            )
            served, slowest, hits = await read_while(load, writes)
            (vote_status, vote_page, vote_headers), ack, (save_status, save_page, _) = await writes
            took = time.monotonic() - started
            # Nothing half-written: the rows are as they were.
            database = fault.readable()
            during = Figures.read(database)
            assert (during.voters, during.ballots, during.choices, during.option_votes) == (
                before.voters,
                before.ballots,
                before.choices,
                before.option_votes,
            )
            assert row(database, "SELECT title FROM articles WHERE id = ?", 3)[0] == title
            assert row(database, "SELECT count(*) FROM audit_log")[0] == audit
            await asyncio.sleep(FLUSH_INTERVAL + 0.5)  # a flush fails meanwhile
        finally:
            fault.end()
        # The person is told, in their language, that nothing was saved and to try again soon.
        for status, page in ((vote_status, vote_page), (save_status, save_page)):
            assert status == 503
            shown = soup(page)
            assert shown.select_one("html")["lang"] == "id"
            assert shown.select_one("main h1").get_text() == indonesian(UNAVAILABLE_TITLE)
            assert indonesian(UNAVAILABLE_MESSAGE) in shown.select_one("main").get_text()
        assert vote_headers["Retry-After"] == "5"
        assert ack == {
            "ok": False,
            "reason": "unavailable",
            "message": indonesian(UNAVAILABLE_MESSAGE),
            "results": None,
        }
        # Reads went on, and were not held up by the writes waiting.
        assert served >= 4 and slowest < 2.0, (served, slowest)
        if fault.why == "busy":
            assert WRITE_WAIT_SECONDS - 0.5 < took < WRITE_WAIT_SECONDS + 4
        else:
            assert took < 3
        # One line in the log per failed write, naming the cause, without a traceback.
        log = server.log()
        cause = f"the database cannot write ({fault.why}: {fault.sqlite_says})"
        lines = log.splitlines()
        failed = [i for i, line in enumerate(lines) if cause in line]
        assert len(failed) >= 3, log
        assert sum(f"POST /polling/{DEMO_POLL}/pilih not done" in lines[i] for i in failed) == 1
        assert sum(f"/redaksi/artikel/{EDITED_ARTICLE} not done" in lines[i] for i in failed) == 1
        assert sum(f"Socket vote on poll {DEMO_POLL} not saved" in lines[i] for i in failed) == 1
        assert all(not lines[i + 1].startswith("Traceback") for i in failed if i + 1 < len(lines))
        assert "Unhandled error" not in log
        # The cause is gone: the next writes succeed without a restart ...
        status, page, headers = await attempts.form_vote()
        assert status == 302, page
        shown = await load.page(attempts.voter, headers["Location"].split("#")[0])
        assert shown is not None and soup(shown).select_one(".poll-flash").get_text() == THANKS
        again = await attempts.socket_vote()
        assert again["ok"] is False and again["reason"] == "already_voted"  # counted just now
        second = Tab()
        async with load.session() as http:
            assert await load.page(http, "/") is not None
            await second.connect(
                server.url,
                headers={"User-Agent": BROWSER, "Cookie": load.cookie_header(http)},
                path="/",
            )
            try:
                ack = await second.client.call(
                    "vote", {"poll_id": DEMO_POLL, "options": [load.options[1]]}, timeout=10
                )
            finally:
                await second.close()
        assert ack["ok"] is True, ack
        status, page, _ = await attempts.save_article("Diubah setelah pulih")
        assert status == 302, page
        database = fault.readable()
        after = Figures.read(database)
        assert after.ballots == before.ballots + 2 and after.voters == before.voters + 2
        edited = row(database, "SELECT title FROM articles WHERE id = ?", EDITED_ARTICLE)
        assert edited[0] == "Diubah setelah pulih"
        # ... and the views counted while nothing could be written are written now.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            if Figures.read(fault.readable()).hits_since(before) == hits:
                break
            await asyncio.sleep(0.2)
        assert Figures.read(fault.readable()).hits_since(before) == hits
    finally:
        await attempts.close()


async def test_a_locked_database_refuses_writes_clearly_and_recovers(
    server: LiveServer, demo_database: DemoDatabase
) -> None:
    await check_writes_fail_cleanly_and_recover(
        server, Locked(server), demo_database.passwords["editor"]
    )


@pytest.mark.slow
@pytest.mark.skipif(not namespaces_work(), reason="unprivileged user namespaces are not allowed")
async def test_a_full_disk_refuses_writes_clearly_and_recovers(
    tmp_path: Path, demo_database: DemoDatabase
) -> None:
    server = TmpfsServer(tmp_path, demo_database)
    server.start(**SETTINGS)
    try:
        await check_writes_fail_cleanly_and_recover(
            server, DiskFull(server), demo_database.passwords["editor"]
        )
    finally:
        assert server.stop() == 0


# The database layer alone: the one shared connection after a failed write


async def test_a_full_database_rolls_back_and_the_connection_goes_on(
    tmp_path: Path, demo_database: DemoDatabase
) -> None:
    copy_demo(demo_database, tmp_path / "a.db")
    async with Database(tmp_path / "a.db") as db:
        pages = await db.fetchval("PRAGMA page_count")
        await db.fetchval(f"PRAGMA max_page_count = {pages + 2}")  # SQLITE_FULL, for real
        with pytest.raises(Unavailable) as failed:
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO settings (key, value) VALUES ('a', '1')")
                await conn.execute(
                    "INSERT INTO settings (key, value) VALUES ('b', ?)", ("x" * 100_000,)
                )
        assert isinstance(failed.value.error, sqlite3.OperationalError)
        assert failed.value.error.sqlite_errorname == "SQLITE_FULL"
        assert failed.value.why == "storage"
        assert not db.conn.in_transaction
        assert await db.fetchval("SELECT count(*) FROM settings WHERE key IN ('a', 'b')") == 0
        await db.fetchval(f"PRAGMA max_page_count = {pages + 1000}")  # space again
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO settings (key, value) VALUES ('a', '1')")
        assert await db.fetchval("SELECT value FROM settings WHERE key = 'a'") == "1"


async def test_a_write_waits_for_another_process_while_reads_go_on(
    tmp_path: Path, demo_database: DemoDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db_module, "WRITE_WAIT_SECONDS", 1.0)
    copy_demo(demo_database, tmp_path / "a.db")
    async with Database(tmp_path / "a.db") as db:
        holder = sqlite3.connect(tmp_path / "a.db", isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")

        async def write() -> None:
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO settings (key, value) VALUES ('a', '1')")

        started = time.monotonic()
        writing = asyncio.create_task(write())
        reads = 0
        while not writing.done():
            assert await db.fetchval("SELECT count(*) FROM articles") > 0
            reads += 1
            await asyncio.sleep(0.01)
        with pytest.raises(Unavailable) as failed:
            await writing
        assert 0.9 < time.monotonic() - started < 3
        assert reads > 20  # the wait did not hold the connection
        assert failed.value.why == "busy"
        assert await db.fetchval("PRAGMA busy_timeout") == db_module.BUSY_TIMEOUT_MS
        # Released a little later: the waiting write gets through.
        writing = asyncio.create_task(write())
        await asyncio.sleep(0.3)
        holder.execute("ROLLBACK")
        holder.close()
        await writing
        assert await db.fetchval("SELECT value FROM settings WHERE key = 'a'") == "1"


async def test_a_cancelled_write_leaves_the_connection_usable(
    tmp_path: Path, demo_database: DemoDatabase
) -> None:
    copy_demo(demo_database, tmp_path / "a.db")
    async with Database(tmp_path / "a.db") as db:
        entered = asyncio.Event()

        async def write_forever() -> None:
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO settings (key, value) VALUES ('a', '1')")
                entered.set()
                await asyncio.sleep(60)

        task = asyncio.create_task(write_forever())
        await entered.wait()
        task.cancel()  # a visitor went away in the middle of a save
        with pytest.raises(asyncio.CancelledError):
            await task
        assert not db.conn.in_transaction
        assert await db.fetchval("SELECT count(*) FROM settings WHERE key = 'a'") == 0
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO settings (key, value) VALUES ('a', '2')")
        assert await db.fetchval("SELECT value FROM settings WHERE key = 'a'") == "2"


def test_a_request_still_running_when_the_grace_ends_is_cut_with_one_log_line(
    server_with: Any,
) -> None:
    """A client sending its form slowly holds its request past the grace: the stop cuts it on
    time and says so in one line, with no traceback."""
    server = server_with(SHUTDOWN_GRACE="1")
    with socket.create_connection(("127.0.0.1", server.port)) as slow:
        slow.sendall(
            b"POST /polling/1/pilih HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n"
            b"option="
        )
        time.sleep(0.3)  # the request is in the app, waiting for the rest of its body
        signalled = time.monotonic()
        server.process.send_signal(signal.SIGTERM)
        code = server.process.wait(1 + EXIT_MARGIN + 5)
        took = time.monotonic() - signalled
    log = server.log()
    assert code == 0, log
    assert 1.0 <= took < 1 + EXIT_MARGIN, took
    assert "A connection still open at the end of the grace was cut" in log, log
    assert "Traceback" not in log, log
