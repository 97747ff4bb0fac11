"""The audit helpers every editor's save and delete go through: the row and its entry together."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from content import audit
from content.db import Database

THINGS = audit.Kind("things", "thing")


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "audit.db") as database:
        await database.migrate()
        async with database.transaction() as conn:
            await conn.execute(
                "CREATE TABLE things (id INTEGER PRIMARY KEY, title TEXT NOT NULL, "
                "note TEXT NOT NULL DEFAULT '', sha256 TEXT, "
                "version INTEGER NOT NULL DEFAULT 1, created TEXT)"
            )
        yield database


async def log(db: Database) -> list[tuple[str, str, int | None, str]]:
    entries, _ = await audit.entries(db, limit=50)
    return [(e.action, e.object_type, e.object_id, e.detail) for e in reversed(entries)]


async def test_save_row_inserts_then_updates_with_an_entry_each(db: Database) -> None:
    async with db.transaction() as conn:
        thing_id = await audit.save_row(
            conn, None, THINGS, None, {"title": "Satu"}, on_insert={"created": "2025-01-01"}
        )
    async with db.transaction() as conn:
        again = await audit.save_row(
            conn, None, THINGS, thing_id, {"title": "Dua", "sha256": "ab"}, detail="renamed"
        )
    assert again == thing_id
    row = await db.fetchone("SELECT title, sha256, created FROM things WHERE id = ?", (thing_id,))
    assert row is not None and tuple(row) == ("Dua", "ab", "2025-01-01")
    assert await log(db) == [
        ("create", "thing", thing_id, "Satu"),
        ("update", "thing", thing_id, "renamed"),
    ]


async def test_an_expression_applies_to_updates_and_new_rows_keep_the_default(
    db: Database,
) -> None:
    values = {"title": "Satu", "version": audit.Expression("version + 1")}
    async with db.transaction() as conn:
        thing_id = await audit.save_row(conn, None, THINGS, None, values)
    assert await db.fetchval("SELECT version FROM things WHERE id = ?", (thing_id,)) == 1
    for _ in range(2):
        async with db.transaction() as conn:
            await audit.save_row(conn, None, THINGS, thing_id, values)
    assert await db.fetchval("SELECT version FROM things WHERE id = ?", (thing_id,)) == 3


async def test_updating_a_missing_row_is_a_lookup_error_and_writes_nothing(db: Database) -> None:
    with pytest.raises(LookupError):
        async with db.transaction() as conn:
            await audit.save_row(conn, None, THINGS, 404, {"title": "Hilang"})
    assert await log(db) == []


async def test_delete_row_returns_what_was_there_and_records_it(db: Database) -> None:
    async with db.transaction() as conn:
        thing_id = await audit.save_row(conn, None, THINGS, None, {"title": "Satu", "note": "x"})
    async with db.transaction() as conn:
        row = await audit.delete_row(conn, None, THINGS, thing_id, keep=("note",))
    assert row is not None and (row["title"], row["note"]) == ("Satu", "x")
    assert await db.fetchval("SELECT count(*) FROM things") == 0
    async with db.transaction() as conn:
        assert await audit.delete_row(conn, None, THINGS, thing_id) is None
    assert (await log(db))[-1] == ("delete", "thing", thing_id, "Satu")
    assert len(await log(db)) == 2


def test_names_that_are_not_plain_identifiers_are_refused() -> None:
    with pytest.raises(AssertionError):
        audit.Kind("things; DROP TABLE users", "thing")
