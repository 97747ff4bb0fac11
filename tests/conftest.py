"""Fixtures: an app on a temporary database built by the real migrations, clients, logins."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import argon2
import pytest
from bs4 import BeautifulSoup
from quart import Quart
from quart.testing import QuartClient

from app import create_app
from content import accounts, demo
from content.db import Database
from content.web.state import Portal
from tests.clock import ManualClock

# Staff passwords are argon2id at the library's recommended cost, about 0.1 s of CPU per hash
# or check; the tests hash and check hundreds, so this process hashes with the library's
# cheapest profile (test_accounts checks the portal's own parameters). Hashes carry their
# parameters, so the servers the tests start check these cheaply too.
PORTAL_HASHER = accounts._hasher
accounts._hasher = argon2.PasswordHasher.from_parameters(argon2.profiles.CHEAPEST)

# Fixtures that start a real server (Hypercorn in a child process), sockets against it or a
# browser: a test using one is marked slow. A module names its own such fixtures in SLOW_FIXTURES.
SLOW_FIXTURES = frozenset({"live_server", "server_with", "visitors", "browser", "chromium_path"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark slow every test that uses a slow fixture, so `-m "not slow"` is the fast loop; and
    keep the tests sharing a module-scoped fixture (a server, an import) on one xdist worker
    (`--dist loadgroup`), so that the fixture is built once rather than once per worker."""
    for item in items:
        module = getattr(item, "module", None)
        slow = SLOW_FIXTURES | frozenset(getattr(module, "SLOW_FIXTURES", ()))
        if slow.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
        info = getattr(item, "_fixtureinfo", None)
        if module is not None and info is not None:
            scopes = {d.scope for defs in info.name2fixturedefs.values() for d in defs}
            if "module" in scopes:
                item.add_marker(pytest.mark.xdist_group(module.__name__))


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never see the developer's PORTAL_* settings."""
    import os

    for key in list(os.environ):
        if key.startswith("PORTAL_"):
            monkeypatch.delenv(key)


@dataclass(frozen=True)
class DemoDatabase:
    path: Path
    passwords: dict[str, str]  # role -> password


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory) -> DemoDatabase:
    """The demo portal built once per run through the real migrations and seed-demo."""
    import asyncio

    path = tmp_path_factory.mktemp("demo") / "demo.db"

    async def build() -> list[tuple[str, str, str]] | None:
        async with Database(path) as db:
            await db.migrate()
            return await demo.seed_demo(db, "Asia/Jakarta")

    created = asyncio.run(build())
    assert created is not None
    return DemoDatabase(path, {role: password for _, role, password in created})


def make_app(tmp_path: Path, *, clock: ManualClock | None = None, **overrides: Any) -> Quart:
    """An app with its instance folder and database under tmp_path (and the system's clock
    unless one is given)."""
    config = {
        "TESTING": True,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "DATABASE": str(tmp_path / "portal.db"),
    }
    config.update(overrides)
    return create_app(config, clock=clock)


@pytest.fixture
def clock() -> ManualClock:
    """The time of the `app` and `empty_app` fixtures: it stands still until the test calls
    `clock.advance(seconds)`, so no cache expires and no flush runs behind a test's back."""
    return ManualClock()


@pytest.fixture
def empty_app(tmp_path: Path, clock: ManualClock) -> Quart:
    """An app on an empty database (migrations applied at start)."""
    return make_app(tmp_path, clock=clock)


def copy_demo(demo_database: DemoDatabase, target: Path) -> None:
    """A private copy of the demo database and of the files kept beside it (downloads)."""
    shutil.copy(demo_database.path, target)
    files = demo_database.path.parent / "unduhan"
    if files.is_dir():
        shutil.copytree(files, target.parent / "unduhan", dirs_exist_ok=True)


@pytest.fixture
def app(tmp_path: Path, demo_database: DemoDatabase, clock: ManualClock) -> Quart:
    """An app on a private copy of the demo database, on the test's clock."""
    target = tmp_path / "portal.db"
    copy_demo(demo_database, target)
    return make_app(tmp_path, DATABASE=str(target), clock=clock)


@pytest.fixture
async def client(app: Quart) -> AsyncIterator[QuartClient]:
    """A test client of the started app (before_serving and after_serving run)."""
    async with app.test_app() as test_app:
        yield test_app.test_client()  # type: ignore[misc]


@pytest.fixture
async def db(app: Quart, client: QuartClient) -> Database:
    """The started app's database."""
    database: Database = Portal.of(app).database
    return database


async def settled(app: Quart) -> None:
    """Wait for the work a response left to run after it (download and click counts)."""
    import asyncio

    await asyncio.sleep(0)  # let tasks just added start
    while pending := Portal.of(app).pending_counts:
        await asyncio.gather(*pending)


def soup(html: str | bytes) -> BeautifulSoup:
    """Parse a page so tests can use CSS selectors."""
    return BeautifulSoup(html, "html.parser")


async def csrf_from(client: QuartClient, path: str) -> str:
    """The CSRF token of the form on a page."""
    response = await client.get(path)
    token = soup(await response.get_data()).select_one("input[name=csrf_token]")
    assert token is not None, f"no form with a CSRF token on {path}"
    return str(token["value"])


class Auth:
    """Log in and out through the real forms."""

    def __init__(self, client: QuartClient, passwords: dict[str, str]) -> None:
        self.client = client
        self.passwords = passwords

    async def login(self, role: str = "editor", password: str | None = None) -> Any:
        email = {
            "admin": "admin@balittri.example",
            "editor": "redaksi@balittri.example",
            "moderator": "moderator@balittri.example",
        }[role]
        token = await csrf_from(self.client, "/masuk")
        return await self.client.post(
            "/masuk",
            form={
                "email": email,
                "password": password or self.passwords[role],
                "csrf_token": token,
            },
        )

    async def logout(self) -> Any:
        token = await csrf_from(self.client, "/")
        return await self.client.post("/keluar", form={"csrf_token": token})


@pytest.fixture
def auth(client: QuartClient, demo_database: DemoDatabase) -> Auth:
    """Log in as a demo account."""
    return Auth(client, demo_database.passwords)


def shared_folder(*parts: str) -> Path:
    """A path in ../shared, the read-only folder beside the repository (here and in CI) with
    what tests take from outside it: `shared_folder("joomla-fixtures", "joomla-1.5", "x.sql")`.
    When it is missing the test is skipped naming the path, or fails where
    SERAMBI_REQUIRE_FIXTURES=1 (CI, where it is always there)."""
    import os

    path = Path(__file__).resolve().parent.parent.parent / "shared" / Path(*parts)
    if not path.exists():
        message = (
            f"{path} is missing: these tests take it from ../shared beside the repository "
            "(../shared/joomla-fixtures/SOURCES.md says where each dump comes from)"
        )
        if os.environ.get("SERAMBI_REQUIRE_FIXTURES") == "1":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def artifacts() -> Iterator[Path]:
    """Where tests save screenshots and other files to look at."""
    folder = Path(__file__).resolve().parent.parent / "test-artifacts"
    folder.mkdir(exist_ok=True)
    yield folder


def free_port() -> int:
    """A TCP port on loopback that nothing listens on right now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class PortTaken(RuntimeError):
    """The free port was taken between choosing it and the server binding it."""


class LiveServer:
    """The real portal served by Hypercorn (`python app.py`) in a child process."""

    def __init__(self, tmp_path: Path, database: Path) -> None:
        self.tmp_path = tmp_path
        self.database = database
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: Any = None
        self.log_path = tmp_path / "server.log"

    def start(self, timeout: float = 20.0, **settings: str) -> None:
        """Start the server and wait until it answers; on a port taken meanwhile (another
        xdist worker, another test run) try again on a new one."""
        for _ in range(3):
            try:
                self._start(timeout, **settings)
                return
            except PortTaken:
                self.port = free_port()
                self.url = f"http://127.0.0.1:{self.port}"
        self._start(timeout, **settings)

    def _start(self, timeout: float, **settings: str) -> None:
        import os
        import subprocess
        import sys
        import time
        import urllib.request

        env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
        env.update(
            PORTAL_HOST="127.0.0.1",
            PORTAL_PORT=str(self.port),
            PORTAL_DATABASE=str(self.database),
            PORTAL_INSTANCE_PATH=str(self.tmp_path / "instance"),
            **{f"PORTAL_{key}": value for key, value in settings.items()},
        )
        root = Path(__file__).resolve().parent.parent
        logged = self.log_path.stat().st_size if self.log_path.exists() else 0
        with self.log_path.open("ab") as log:  # the child keeps its own copy
            self.process = subprocess.Popen(
                [sys.executable, str(root / "app.py")], cwd=root, env=env, stdout=log, stderr=log
            )
        # Hypercorn says so once it has bound the port: until then an answer on the port could
        # come from someone else's server.
        listening = f"Running on http://127.0.0.1:{self.port} "
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                output = self.log_path.read_bytes()[logged:].decode(errors="replace")
                if "Address already in use" in output:
                    with self.log_path.open("r+b") as log:
                        log.truncate(logged)  # the next try's log reads as if this never was
                    raise PortTaken(output)
                raise RuntimeError(f"server exited: {output}")
            if listening not in self.log_path.read_bytes()[logged:].decode(errors="replace"):
                time.sleep(0.05)
                continue
            try:
                with urllib.request.urlopen(self.url + "/", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.1)
        raise TimeoutError(f"server did not answer within {timeout}s: {self.log_path.read_text()}")

    def stop(self, timeout: float = 10.0) -> int:
        import signal
        import subprocess

        if self.process is None or self.process.poll() is not None:
            return int(self.process.returncode) if self.process else 0
        self.process.send_signal(signal.SIGTERM)
        try:
            return int(self.process.wait(timeout))
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)
            raise

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@pytest.fixture
def live_server(tmp_path: Path, demo_database: DemoDatabase) -> Iterator[LiveServer]:
    """A running portal on a copy of the demo database, on a free loopback port."""
    target = tmp_path / "live.db"
    copy_demo(demo_database, target)
    server = LiveServer(tmp_path, target)
    server.start(LIVE_TICK="0.2")
    yield server
    server.stop()


@pytest.fixture
def server_with(tmp_path: Path, demo_database: DemoDatabase) -> Any:
    """Start portals with their own settings: `server_with(TRUSTED_PROXIES="127.0.0.1")`;
    each on its own copy of the demo database, stopped at the end of the test."""
    started: list[LiveServer] = []

    def start(**settings: str) -> LiveServer:
        folder = tmp_path / f"server{len(started)}"
        folder.mkdir()
        copy_demo(demo_database, folder / "live.db")
        server = LiveServer(folder, folder / "live.db")
        server.start(**{"LIVE_TICK": "0.2", **settings})
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
async def visitors(live_server: LiveServer) -> AsyncIterator[Any]:
    """Make people for the live server: `await visitors()` has the visitor cookie already."""
    from tests.sockets import BROWSER, Visitor

    made: list[Visitor] = []

    async def make(user_agent: str = BROWSER) -> Visitor:
        visitor = Visitor(live_server, user_agent)
        await visitor.get("/")  # the first response sets the signed visitor cookie
        made.append(visitor)
        return visitor

    yield make
    for visitor in made:
        await visitor.close()
