"""The audit log: who changed what, and when; written in the same transaction as the change."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

import aiosqlite

from content.db import Database, utcnow
from content.i18n import N_

if TYPE_CHECKING:
    from content.accounts import User


class Nobody(StrEnum):
    """Who made a change when no staff member did; stored as the entry's user_email."""

    COMMAND_LINE = "(command line)"
    VISITOR = "(visitor)"  # a request from someone not logged in (asking for a reset link)


@dataclass(frozen=True)
class Words:
    """What the audit log page calls the actions and kinds of object a module writes (msgids)."""

    actions: Mapping[str, str] = field(default_factory=dict)
    kinds: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def merged(cls, *tables: Words) -> Words:
        """One table of several modules' words."""
        return cls(
            {key: word for table in tables for key, word in table.actions.items()},
            {key: word for table in tables for key, word in table.kinds.items()},
        )


# Written by save_row and delete_row below, for every Kind.
WORDS = Words(
    actions={
        "create": N_("Created"),
        "update": N_("Changed"),
        "delete": N_("Deleted"),
        "restore": N_("Restored from a revision"),
    },
)
ACTORS = {Nobody.COMMAND_LINE: N_("Command line"), Nobody.VISITOR: N_("A visitor")}


@dataclass(frozen=True)
class Entry:
    """One recorded change."""

    id: int
    at: str
    user_id: int | None
    user_email: str
    action: str
    object_type: str
    object_id: int | None
    detail: str


async def record(
    conn: aiosqlite.Connection,
    user: User | Nobody | None,
    action: str,
    object_type: str,
    object_id: int | None,
    detail: str = "",
) -> None:
    """Add an entry inside the caller's transaction; `user` None means the command line."""
    if user is None or isinstance(user, Nobody):
        user_id, who = None, (user or Nobody.COMMAND_LINE).value
    else:
        user_id, who = user.id, user.email
    await conn.execute(
        "INSERT INTO audit_log (at, user_id, user_email, action, object_type, object_id, detail) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            utcnow(),
            user_id,
            who,
            action,
            object_type,
            object_id,
            detail,
        ),
    )


_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


@dataclass(frozen=True)
class Kind:
    """A kind of row editors create, change and remove: its table, its name in the audit log and
    the column that names one row there."""

    table: str
    object_type: str
    label: str = "title"

    def __post_init__(self) -> None:
        # The names go into SQL text: they are the code's own, never a visitor's.
        assert all(_NAME.match(name) for name in (self.table, self.label)), self


class Expression(str):
    """A column's new value written as SQL over the old row (`version + 1`); a new row keeps
    the column's default instead."""

    __slots__ = ()


def _checked(columns: Mapping[str, object]) -> Mapping[str, object]:
    assert all(_NAME.match(name) for name in columns), columns
    return columns


async def save_row(
    conn: aiosqlite.Connection,
    user: User | None,
    kind: Kind,
    row_id: int | None,
    values: Mapping[str, object],
    *,
    on_insert: Mapping[str, object] | None = None,
    detail: str | None = None,
    action: str = "update",
) -> int:
    """Insert a row (`row_id` None; `on_insert` adds columns only a new row gets) or update it,
    with its audit entry in the same transaction; its id. LookupError when there is no such row.

    The entry's detail is the row's label column unless `detail` says otherwise; an update is
    entered as `action` ("update", or e.g. "restore")."""
    detail = str(values[kind.label]) if detail is None else detail
    if row_id is None:
        kept = {name: value for name, value in values.items() if not isinstance(value, Expression)}
        columns = _checked({**kept, **(on_insert or {})})
        cursor = await conn.execute(
            f"INSERT INTO {kind.table} ({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})",
            tuple(columns.values()),
        )
        assert cursor.lastrowid is not None
        row_id = cursor.lastrowid
        await record(conn, user, "create", kind.object_type, row_id, detail)
        return row_id
    assignments = ", ".join(
        f"{name} = {value}" if isinstance(value, Expression) else f"{name} = ?"
        for name, value in _checked(values).items()
    )
    parameters = [value for value in values.values() if not isinstance(value, Expression)]
    cursor = await conn.execute(
        f"UPDATE {kind.table} SET {assignments} WHERE id = ?", (*parameters, row_id)
    )
    if cursor.rowcount == 0:
        raise LookupError(row_id)
    await record(conn, user, action, kind.object_type, row_id, detail)
    return row_id


async def delete_row(
    conn: aiosqlite.Connection,
    user: User | None,
    kind: Kind,
    row_id: int,
    *,
    keep: Sequence[str] = (),
) -> sqlite3.Row | None:
    """Delete a row, with its audit entry (its label) in the same transaction; the row as it was
    (its label and the `keep` columns, for what must follow), or None when there was none."""
    columns = ", ".join(_checked(dict.fromkeys((kind.label, *keep))))
    async with conn.execute(f"SELECT {columns} FROM {kind.table} WHERE id = ?", (row_id,)) as cur:
        row = await cur.fetchone()
    if row is None:
        return None
    await conn.execute(f"DELETE FROM {kind.table} WHERE id = ?", (row_id,))
    await record(conn, user, "delete", kind.object_type, row_id, row[kind.label])
    return row


async def entries(db: Database, *, limit: int, offset: int = 0) -> tuple[list[Entry], int]:
    """The newest entries first, and how many there are in all."""
    rows = await db.fetchall(
        "SELECT id, at, user_id, user_email, action, object_type, object_id, detail FROM audit_log "
        "ORDER BY id DESC LIMIT ? OFFSET ?",
        (limit, offset),
    )
    total = await db.fetchval("SELECT count(*) FROM audit_log")
    return [Entry(**dict(row)) for row in rows], int(total)
