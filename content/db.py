"""The one way into SQLite: connection set-up, the transaction helper and migrations."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
import time
from collections.abc import AsyncGenerator, AsyncIterator, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime, tzinfo
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite
from quart import Quart

from content.events import Event, Events
from content.runtime import Runtime

Params = Sequence[Any] | dict[str, Any]

MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
BUSY_TIMEOUT_MS = 5000
# How long a write waits for another process's write lock (the Joomla import, a backup, sqlite3 in
# a shell) before it gives up with SQLITE_BUSY; while it waits, reads go on.
WRITE_WAIT_SECONDS = BUSY_TIMEOUT_MS / 1000
# BEGIN IMMEDIATE without SQLite's busy handler: it would sleep in aiosqlite's one thread and so
# stall every read of the process. When the lock is taken elsewhere, transaction() waits instead.
_BEGIN = f"PRAGMA busy_timeout = 0; BEGIN IMMEDIATE; PRAGMA busy_timeout = {BUSY_TIMEOUT_MS};"
_RESTORE_TIMEOUT = f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}"

log = logging.getLogger(__name__)
SQLITE_VERSION = sqlite3.sqlite_version  # shown to moderators with the server's other versions

# SQLite's primary result codes that mean "cannot write now" rather than a mistake in the code.
_BUSY_CODES = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
_STORAGE_CODES = frozenset(
    {sqlite3.SQLITE_FULL, sqlite3.SQLITE_IOERR, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN}
)


# How every timestamp column holds a moment: UTC, to the second, sorting as text.
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S"


def format_utc(value: datetime) -> str:
    """An aware datetime in the stored UTC format."""
    return value.astimezone(UTC).strftime(TIMESTAMP_FORMAT)


def parse_utc(value: str) -> datetime:
    """A stored UTC timestamp as an aware datetime."""
    return datetime.strptime(value, TIMESTAMP_FORMAT).replace(tzinfo=UTC)


def parse_utc_or_none(value: str | None) -> datetime | None:
    """A stored UTC timestamp as an aware datetime; None for a column left empty."""
    return parse_utc(value) if value else None


def utcnow() -> str:
    """Current UTC time in the format every timestamp column uses."""
    return format_utc(datetime.now(UTC))


# How a datetime-local form field writes a moment: in the site's zone, to the minute.
LOCAL_INPUT_FORMAT = "%Y-%m-%dT%H:%M"


def parse_local_input(value: str, tz: tzinfo) -> datetime:
    """A datetime-local form value ('2020-02-13T10:43', or with a space) in the zone `tz`, as
    UTC; ValueError or OverflowError (year 1 or 9999 in UTC) when it is not one."""
    local = datetime.strptime(value.strip().replace(" ", "T")[:16], LOCAL_INPUT_FORMAT)
    return local.replace(tzinfo=tz).astimezone(UTC)


class Unavailable(Exception):
    """The database cannot do this now, for a cause outside the code: `why` is "busy" (another
    process holds the write lock) or "storage" (disk full, I/O error, read-only file); `error`
    is what SQLite said. Raised by transaction() and the fetch methods in place of SQLite's own
    error, so callers need not know SQLite; nothing of a failed transaction was kept."""

    def __init__(self, why: str, error: Exception) -> None:
        super().__init__(f"{why}: {error}")
        self.why = why
        self.error = error


def _why_unavailable(error: sqlite3.OperationalError) -> str | None:
    """Whether SQLite's error means "cannot now": "busy" or "storage" as in Unavailable; None for
    any other error, which is a bug."""
    code = getattr(error, "sqlite_errorcode", None)
    if not isinstance(code, int):
        return None
    primary = code & 0xFF  # extended codes (SQLITE_IOERR_WRITE, ...) keep the primary one below
    if primary in _BUSY_CODES:
        return "busy"
    if primary in _STORAGE_CODES:
        return "storage"
    return None


@contextmanager
def _raising_unavailable() -> Iterator[None]:
    """SQLite's "cannot now" errors leave as Unavailable; any other error as it is."""
    try:
        yield
    except sqlite3.OperationalError as error:
        why = _why_unavailable(error)
        if why is None:
            raise
        raise Unavailable(why, error) from error


@contextmanager
def unless_unavailable(logger: logging.Logger, what: str) -> Iterator[None]:
    """Around a write nobody waits for (a count, a record): when the database cannot write
    (locked, disk full), log one line saying what was not written and why, and go on. Any other
    error still rises."""
    try:
        yield
    except Unavailable as error:
        logger.error("%s not written (%s: %s)", what, error.why, error.error)


def migration_files() -> list[tuple[str, str]]:
    """The (name, sql) of every migration, in the order they apply."""
    folder = resources.files("content.migrations")
    found = []
    for entry in folder.iterdir():
        if MIGRATION_NAME.match(entry.name):
            found.append((entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


# The events announced inside the transaction the current task has open, with its database:
# published after its COMMIT, dropped on ROLLBACK.
_announced: ContextVar[tuple[Database, list[Event]] | None] = ContextVar("announced", default=None)


class Database:
    """One aiosqlite connection with a lock, so a transaction is never interleaved with reads.

    `events` hears what content announces about its changes (`announce()`), once committed.
    """

    def __init__(self, path: str | Path, events: Events | None = None) -> None:
        self.path = str(path)
        self.events = events
        self._conn: aiosqlite.Connection | None = None
        self._lock = asyncio.Lock()

    async def connect(self) -> None:
        """Open the connection and set it up: rows by name, WAL, foreign keys, busy timeout."""
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        conn = await aiosqlite.connect(self.path, isolation_level=None)
        conn.row_factory = sqlite3.Row
        await conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        await conn.execute("PRAGMA journal_mode = WAL")
        await conn.execute("PRAGMA synchronous = NORMAL")
        await conn.execute("PRAGMA foreign_keys = ON")
        self._conn = conn

    async def close(self) -> None:
        """Close the connection; safe to call twice."""
        if self._conn is not None:
            conn, self._conn = self._conn, None
            await conn.close()

    async def __aenter__(self) -> Database:
        await self.connect()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @property
    def conn(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise RuntimeError("The database is not connected; call connect() first.")
        return self._conn

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """All rows of a read query."""
        with _raising_unavailable():
            async with self._lock, self.conn.execute(sql, params) as cursor:
                return list(await cursor.fetchall())

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """The first row of a read query, or None."""
        with _raising_unavailable():
            async with self._lock, self.conn.execute(sql, params) as cursor:
                row: sqlite3.Row | None = await cursor.fetchone()
                return row

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row, or None."""
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    def announce(self, event: Event) -> None:
        """Tell the listeners about a change: after the COMMIT of the transaction this task has
        open (never, if it rolls back), or at once outside a transaction."""
        pending = _announced.get()
        if pending is not None and pending[0] is self:
            pending[1].append(event)
        elif self.events is not None:
            self.events.publish(event)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK when the block or the COMMIT fails.

        Whatever fails (a full disk, an I/O error, a cancelled request), the connection leaves
        here outside any transaction, so the next one starts clean without a restart. When the
        cause is outside the code (locked by another process, disk full), Unavailable rises.
        What the block announced is published once the COMMIT succeeded, after the lock is let
        go.
        """
        with _raising_unavailable():
            conn = await self._begin()
        announced: list[Event] = []
        token = _announced.set((self, announced))
        try:
            try:
                with _raising_unavailable():
                    yield conn
                    await conn.execute("COMMIT")
            except BaseException:
                await self._rollback(conn)
                raise
        finally:
            _announced.reset(token)
            self._lock.release()
        if self.events is not None:
            for event in announced:
                self.events.publish(event)

    async def _begin(self) -> aiosqlite.Connection:
        """Take the connection's lock and SQLite's write lock. While another process holds the
        write lock, wait with the connection's lock released (reads go on), for at most
        WRITE_WAIT_SECONDS; then raise SQLite's "database is locked"."""
        deadline = time.monotonic() + WRITE_WAIT_SECONDS
        pause = 0.005
        while True:
            await self._lock.acquire()
            try:
                conn = self.conn
                await self._rollback(conn)  # left open by a cancelled BEGIN or a failed ROLLBACK
                await conn.executescript(_BEGIN)
                return conn
            except sqlite3.OperationalError as error:
                if _why_unavailable(error) != "busy":
                    self._lock.release()
                    raise
                try:
                    await conn.execute(_RESTORE_TIMEOUT)
                finally:
                    self._lock.release()
                if time.monotonic() + pause > deadline:
                    raise
            except BaseException:
                self._lock.release()
                raise
            await asyncio.sleep(pause)
            pause = min(pause * 2, 0.1)

    async def _rollback(self, conn: aiosqlite.Connection) -> None:
        """End an open transaction; SQLite may have rolled it back already (SQLITE_FULL does)."""
        if not conn.in_transaction:
            return
        try:
            await conn.execute("ROLLBACK")
        except sqlite3.Error as error:  # the original error matters more; the next BEGIN retries
            log.error("ROLLBACK failed: %s", error)

    async def applied_migrations(self) -> list[str]:
        """Names of the migrations recorded as applied."""
        async with self._lock:
            await self.conn.execute(
                "CREATE TABLE IF NOT EXISTS migrations "
                "(name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)"
            )
            async with self.conn.execute("SELECT name FROM migrations ORDER BY name") as cursor:
                return [row[0] for row in await cursor.fetchall()]

    async def migrate(self, migrations: Iterable[tuple[str, str]] | None = None) -> list[str]:
        """Apply the migrations not yet recorded, each in one transaction; return their names."""
        done = set(await self.applied_migrations())
        applied = []
        for name, sql in migrations if migrations is not None else migration_files():
            if name in done:
                continue
            if not MIGRATION_NAME.match(name):
                raise RuntimeError(f"Migration file name {name!r} is not like 0002_add_polls.sql.")
            script = (
                "BEGIN IMMEDIATE;\n"
                f"{sql}\n;"
                f"INSERT INTO migrations (name, applied_at) VALUES ('{name}', '{utcnow()}');\n"
                "COMMIT;"
            )
            async with self._lock:
                try:
                    await self.conn.executescript(script)
                except sqlite3.Error as error:
                    if self.conn.in_transaction:
                        await self.conn.execute("ROLLBACK")
                    raise RuntimeError(f"Migration {name} failed: {error}") from error
            applied.append(name)
        return applied


def init_app(app: Quart, events: Events | None = None) -> Database:
    """Open the database and apply migrations before serving; close it last, after serving.
    What content announces goes to `events` once committed."""
    database = Database(app.config["DATABASE"], events=events)

    # while_serving: packages registered later are torn down first, so they can still write.
    @app.while_serving
    async def open_database() -> AsyncGenerator[None, None]:
        await database.connect()
        try:
            await database.migrate()
            yield
        finally:
            await database.close()

    return database


def get_db() -> Database:
    """The app's database, for views and hooks."""
    return Runtime.current().database
