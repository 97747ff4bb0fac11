"""The one way into SQLite: connection set-up, the transaction helper and migrations."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from collections.abc import AsyncGenerator, AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite
from quart import Quart, current_app

Params = Sequence[Any] | dict[str, Any]

MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
BUSY_TIMEOUT_MS = 5000


def utcnow() -> str:
    """Current UTC time in the format every timestamp column uses."""
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")


def migration_files() -> list[tuple[str, str]]:
    """The (name, sql) of every migration, in the order they apply."""
    folder = resources.files("content.migrations")
    found = []
    for entry in folder.iterdir():
        if MIGRATION_NAME.match(entry.name):
            found.append((entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


class Database:
    """One aiosqlite connection with a lock, so a transaction is never interleaved with reads."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
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
        async with self._lock, self.conn.execute(sql, params) as cursor:
            return list(await cursor.fetchall())

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        """The first row of a read query, or None."""
        async with self._lock, self.conn.execute(sql, params) as cursor:
            row: sqlite3.Row | None = await cursor.fetchone()
            return row

    async def fetchval(self, sql: str, params: Params = ()) -> Any:
        """The first column of the first row, or None."""
        row = await self.fetchone(sql, params)
        return None if row is None else row[0]

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK when the block raises."""
        async with self._lock:
            conn = self.conn
            await conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
            else:
                await conn.execute("COMMIT")

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


def init_app(app: Quart) -> None:
    """Open the database and apply migrations before serving; close it last, after serving."""
    database = Database(app.config["DATABASE"])
    app.extensions["database"] = database

    # while_serving: packages registered later are torn down first, so they can still write.
    @app.while_serving
    async def open_database() -> AsyncGenerator[None, None]:
        await database.connect()
        try:
            await database.migrate()
            yield
        finally:
            await database.close()


def get_db() -> Database:
    """The app's database, for views and hooks."""
    database: Database = current_app.extensions["database"]
    return database
