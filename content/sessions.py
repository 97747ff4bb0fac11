"""Staff sessions and password reset links, kept on the server.

A session cookie holds only a random token; the database keeps its SHA-256, the account and the
expiry. Ending a session deletes its row, so a copied cookie stops working at once; a password or
role change deletes every row of the account. Reset links work the same way: one use, short life.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from content import accounts, audit
from content.accounts import User
from content.clock import SYSTEM, Clock
from content.db import Database, format_utc, parse_utc, utcnow
from content.i18n import N_

STAFF_COOKIE = "serambi_staf"  # "__Host-serambi_staf" over HTTPS
TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 128


def cookie_name(*, secure: bool) -> str:
    """The staff cookie's name: `__Host-` prefixed over HTTPS, so the browser keeps it to this
    host, Secure, with path /."""
    return f"__Host-{STAFF_COOKIE}" if secure else STAFF_COOKIE


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


@dataclass(frozen=True)
class StaffSession:
    """A logged-in staff member, and when they last entered their password in this session."""

    token: str
    user: User
    confirmed: datetime

    def confirmed_within(self, seconds: float, now: datetime | None = None) -> bool:
        now = now or datetime.now(UTC)
        return (now - self.confirmed).total_seconds() <= seconds


async def start(db: Database, user: User, hours: float) -> str:
    """A new session for the user (its token goes in the cookie); expired rows are swept."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = datetime.now(UTC)
    async with db.transaction() as conn:
        stamp = format_utc(now)
        await conn.execute("DELETE FROM staff_sessions WHERE expires <= ?", (stamp,))
        await conn.execute(
            "INSERT INTO staff_sessions (token_hash, user_id, created, expires, confirmed) "
            "VALUES (?, ?, ?, ?, ?)",
            (_hash(token), user.id, stamp, format_utc(now + timedelta(hours=hours)), stamp),
        )
    return token


async def load(db: Database, token: str | None) -> StaffSession | None:
    """The live session with this token whose account is active, or None."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    row = await db.fetchone(
        "SELECT s.confirmed, u.* FROM staff_sessions s JOIN users u ON u.id = s.user_id "
        "WHERE s.token_hash = ? AND s.expires > ? AND u.active = 1",
        (_hash(token), utcnow()),
    )
    if row is None:
        return None
    return StaffSession(token, accounts.user_from_row(row), parse_utc(row["confirmed"]))


async def confirm(db: Database, token: str) -> None:
    """Note that the password was entered again in this session just now."""
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE staff_sessions SET confirmed = ? WHERE token_hash = ?", (utcnow(), _hash(token))
        )


async def end(db: Database, token: str) -> None:
    """End one session (logging out)."""
    async with db.transaction() as conn:
        await conn.execute("DELETE FROM staff_sessions WHERE token_hash = ?", (_hash(token),))


async def count(db: Database, user_id: int) -> int:
    """Open sessions of an account."""
    row = await db.fetchone(
        "SELECT COUNT(*) FROM staff_sessions WHERE user_id = ? AND expires > ?",
        (user_id, utcnow()),
    )
    return int(row[0]) if row else 0


AUDIT_WORDS = audit.Words(
    actions={
        "reset-link": N_("Reset link made"),
        "reset-mail": N_("Reset link asked for by mail"),
        "reset-password": N_("Password set through a reset link"),
    }
)


async def new_reset(
    db: Database, user: User, minutes: float, *, by: User | None, clock: Clock = SYSTEM
) -> str:
    """A password reset token for the account, valid once within `minutes`, made by an admin
    (`by`) or asked for by mail (None: a visitor); the account's older unused tokens stop
    working, so only the newest link (by mail or from an admin) counts."""
    user_id = user.id
    token = secrets.token_urlsafe(TOKEN_BYTES)
    now = clock.now()
    async with db.transaction() as conn:
        if by is None:
            await audit.record(
                conn, audit.Nobody.VISITOR, "reset-mail", "user", user_id, user.email
            )
        else:
            await audit.record(conn, by, "reset-link", "user", user_id, user.email)
        await conn.execute(
            "DELETE FROM password_resets WHERE expires <= ? OR used IS NOT NULL OR user_id = ?",
            (format_utc(now), user_id),
        )
        await conn.execute(
            "INSERT INTO password_resets (token_hash, user_id, created, expires) "
            "VALUES (?, ?, ?, ?)",
            (_hash(token), user_id, format_utc(now), format_utc(now + timedelta(minutes=minutes))),
        )
    return token


async def reset_user(db: Database, token: str | None, *, clock: Clock = SYSTEM) -> User | None:
    """The active account a reset token (unused, unexpired) belongs to, or None."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    row = await db.fetchone(
        "SELECT u.* FROM password_resets r JOIN users u ON u.id = r.user_id "
        "WHERE r.token_hash = ? AND r.used IS NULL AND r.expires > ? AND u.active = 1",
        (_hash(token), format_utc(clock.now())),
    )
    return None if row is None else accounts.user_from_row(row)


async def use_reset(
    db: Database, token: str, password: str, *, clock: Clock = SYSTEM
) -> User | None:
    """Set the new password if the token is still good; the token, and every session, end.
    The change is in the audit log under the account itself: whoever held the link chose it."""
    new_hash = accounts.hash_password(password)  # slow: outside the transaction
    stamp = format_utc(clock.now())
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE password_resets SET used = ? "
            "WHERE token_hash = ? AND used IS NULL AND expires > ? "
            "AND user_id IN (SELECT id FROM users WHERE active = 1) RETURNING user_id",
            (stamp, _hash(token), stamp),
        )
        row = await cursor.fetchone()
        if row is None:
            return None
        user_id = int(row[0])
        await conn.execute(
            "DELETE FROM password_resets WHERE user_id = ? AND used IS NULL", (user_id,)
        )
        await accounts.store_password(conn, user_id, new_hash)
        cursor = await conn.execute("SELECT * FROM users WHERE id = ?", (user_id,))
        found = await cursor.fetchone()
        assert found is not None  # the UPDATE above matched an active account
        user = accounts.user_from_row(found)
        await audit.record(conn, user, "reset-password", "user", user_id, user.email)
    return user
