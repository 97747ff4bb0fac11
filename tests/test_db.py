"""The database layer: connection set-up, migrations, transactions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from content.db import Database, migration_files


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
