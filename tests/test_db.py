"""The database layer: connection set-up, migrations, transactions."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from content.db import (
    Database,
    Unavailable,
    format_utc,
    migration_files,
    parse_utc,
    parse_utc_or_none,
    unless_unavailable,
    utcnow,
)
from content.site import get_setting, put_setting


async def test_connection_setup(tmp_path: Path) -> None:
    async with Database(tmp_path / "a.db") as db:
        assert await db.fetchval("PRAGMA journal_mode") == "wal"
        assert await db.fetchval("PRAGMA foreign_keys") == 1
        assert await db.fetchval("PRAGMA busy_timeout") == 5000


async def test_migrations_apply_once_and_are_recorded(tmp_path: Path) -> None:
    names = [name for name, _ in migration_files()]
    assert names and names[0] == "0001_initial.sql"
    async with Database(tmp_path / "a.db") as db:
        assert await db.migrate() == names
        assert await db.migrate() == []
        assert await db.applied_migrations() == names
        tables = {
            r[0] for r in await db.fetchall("SELECT name FROM sqlite_master WHERE type='table'")
        }
        assert {"articles", "categories", "users", "audit_log", "banners"} <= tables


async def test_failed_migration_leaves_nothing(tmp_path: Path) -> None:
    broken = [
        ("0001_ok.sql", "CREATE TABLE one (x);"),
        ("0002_bad.sql", "CREATE TABLE two (y); NOT SQL;"),
    ]
    async with Database(tmp_path / "a.db") as db:
        with pytest.raises(RuntimeError, match=r"0002_bad\.sql"):
            await db.migrate(broken)
        assert await db.applied_migrations() == ["0001_ok.sql"]
        tables = {
            r[0] for r in await db.fetchall("SELECT name FROM sqlite_master WHERE type='table'")
        }
        assert "one" in tables and "two" not in tables


async def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    async with Database(tmp_path / "a.db") as db:
        await db.migrate()
        with pytest.raises(ZeroDivisionError):
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO settings (key, value) VALUES ('a', '1')")
                _ = 1 / 0
        assert await db.fetchval("SELECT count(*) FROM settings") == 0
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO settings (key, value) VALUES ('a', '1')")
        assert await db.fetchval("SELECT value FROM settings WHERE key = 'a'") == "1"


async def test_foreign_keys_enforced(tmp_path: Path) -> None:
    async with Database(tmp_path / "a.db") as db:
        await db.migrate()
        with pytest.raises(sqlite3.IntegrityError):
            async with db.transaction() as conn:
                await conn.execute(
                    "INSERT INTO articles (category_id, title, alias, created, modified) "
                    "VALUES (999, 't', 't', '2020-01-01 00:00:00', '2020-01-01 00:00:00')"
                )


async def test_a_write_the_database_cannot_take_is_unavailable_not_sqlite(tmp_path: Path) -> None:
    async with Database(tmp_path / "a.db") as db:
        await db.migrate()
        await db.fetchval("PRAGMA query_only = ON")  # SQLITE_READONLY, as for a read-only file
        with pytest.raises(Unavailable) as failed:
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO settings (key, value) VALUES ('a', '1')")
        assert failed.value.why == "storage"
        assert isinstance(failed.value.error, sqlite3.OperationalError)
        assert not db.conn.in_transaction
        await db.fetchval("PRAGMA query_only = OFF")
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO settings (key, value) VALUES ('a', '1')")
        assert await db.fetchval("SELECT value FROM settings WHERE key = 'a'") == "1"


async def test_a_mistake_in_sql_stays_sqlites_own_error(tmp_path: Path) -> None:
    async with Database(tmp_path / "a.db") as db:
        with pytest.raises(sqlite3.OperationalError):
            await db.fetchall("SELECT nothing FROM nowhere")
        with pytest.raises(sqlite3.OperationalError):
            async with db.transaction() as conn:
                await conn.execute("INSERT INTO nowhere VALUES (1)")
        assert not db.conn.in_transaction


def test_unless_unavailable_logs_one_line_and_lets_bugs_rise(
    caplog: pytest.LogCaptureFixture,
) -> None:
    logger = logging.getLogger("tests.db")
    locked = sqlite3.OperationalError("database is locked")
    with caplog.at_level(logging.ERROR, logger="tests.db"), unless_unavailable(logger, "A count"):
        raise Unavailable("busy", locked)
    assert [r.getMessage() for r in caplog.records] == [
        "A count not written (busy: database is locked)"
    ]
    with pytest.raises(sqlite3.OperationalError), unless_unavailable(logger, "A count"):
        raise sqlite3.OperationalError("no such table: nowhere")


def test_timestamps_are_stored_in_utc_and_read_back_aware() -> None:
    jakarta = timezone(timedelta(hours=7))
    moment = datetime(2025, 8, 17, 10, 0, 5, 999_000, tzinfo=jakarta)
    assert format_utc(moment) == "2025-08-17 03:00:05"
    assert parse_utc("2025-08-17 03:00:05") == moment.replace(microsecond=0)
    assert parse_utc("2025-08-17 03:00:05").tzinfo is UTC
    assert parse_utc_or_none(None) is None
    assert parse_utc_or_none("") is None
    assert parse_utc_or_none("2025-08-17 03:00:05") == parse_utc("2025-08-17 03:00:05")
    assert abs(parse_utc(utcnow()) - datetime.now(UTC)) < timedelta(minutes=1)


async def test_put_setting_stores_then_replaces_a_value(tmp_path: Path) -> None:
    async with Database(tmp_path / "a.db") as db:
        await db.migrate()
        for value in ("1", "2"):
            async with db.transaction() as conn:
                await put_setting(conn, "a_key", value)
        assert await get_setting(db, "a_key") == "2"
        assert await db.fetchval("SELECT count(*) FROM settings WHERE key = 'a_key'") == 1
