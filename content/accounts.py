"""Staff accounts: argon2id passwords, roles, and slowing down repeated failed logins."""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache

import aiosqlite
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from content import audit
from content.clock import SYSTEM, Clock
from content.db import Database, format_utc, parse_utc, utcnow
from content.i18n import N_

ROLES = ("admin", "editor", "moderator")
ROLE_NAMES = {"admin": N_("Administrator"), "editor": N_("Editor"), "moderator": N_("Moderator")}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 10

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


@cache
def _dummy_hash() -> str:
    """Verified when the account does not exist, so both answers take the same time; made on
    first use, since hashing costs a quarter of a second that importing should not."""
    return _hasher.hash("serambi-no-such-account")


class AccountError(Exception):
    """An account operation that cannot be done; the message says why."""


@dataclass(frozen=True)
class User:
    """A staff member who can log in."""

    id: int
    email: str
    name: str
    role: str
    active: bool
    password_hash: str = field(repr=False)

    @property
    def role_name(self) -> str:
        return ROLE_NAMES[self.role]

    @property
    def can_edit(self) -> bool:
        return self.role in ("admin", "editor")

    @property
    def can_moderate(self) -> bool:
        return self.role in ("admin", "moderator")

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"


@dataclass(frozen=True)
class LoginResult:
    """A user on success; otherwise how long to wait (0 when the password was simply wrong)."""

    user: User | None
    retry_after: int = 0


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher.hash(password)


def has_password(user: User) -> bool:
    """Whether the account has a password of its own: imported accounts have none (their hash is
    a placeholder no password matches) until an administrator's reset link sets one."""
    return user.password_hash.startswith("$argon2")


def password_problem(password: str) -> str | None:
    """Why a new password is not acceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return N_("The password needs at least 10 characters.")
    return None


def user_from_row(r: sqlite3.Row) -> User:
    """The account in a users row."""
    return User(
        id=r["id"],
        email=r["email"],
        name=r["name"],
        role=r["role"],
        active=bool(r["active"]),
        password_hash=r["password_hash"],
    )


async def get_user(db: Database, user_id: int) -> User | None:
    """The active or inactive account with this id."""
    row = await db.fetchone("SELECT * FROM users WHERE id = ?", (user_id,))
    return None if row is None else user_from_row(row)


async def get_user_by_email(db: Database, email: str) -> User | None:
    """The account with this e-mail address (case does not matter)."""
    row = await db.fetchone("SELECT * FROM users WHERE email = ?", (email.strip(),))
    return None if row is None else user_from_row(row)


async def create_user(
    db: Database, email: str, name: str, role: str, password: str, *, by: User | None = None
) -> User:
    """Create an account with an argon2id password hash; `by` the admin (None: command line)."""
    email = email.strip()
    if not EMAIL.match(email):
        raise AccountError(f"{email!r} is not an e-mail address.")
    if role not in ROLES:
        raise AccountError(f"Role must be one of {', '.join(ROLES)}.")
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    if await get_user_by_email(db, email):
        raise AccountError(f"An account for {email} exists already.")
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "INSERT INTO users (email, name, role, password_hash, created) VALUES (?, ?, ?, ?, ?)",
            (email, name.strip() or email, role, _hasher.hash(password), utcnow()),
        )
        user_id = cursor.lastrowid
        assert user_id is not None
        await audit.record(conn, by, "create", "user", user_id, f"{email} ({role})")
    user = await get_user(db, user_id)
    assert user is not None
    return user


async def set_password(db: Database, email: str, password: str) -> None:
    """Replace an account's password; its open sessions end."""
    problem = password_problem(password)
    if problem:
        raise AccountError(problem)
    user = await get_user_by_email(db, email)
    if user is None:
        raise AccountError(f"There is no account for {email}.")
    new_hash = _hasher.hash(password)
    async with db.transaction() as conn:
        await store_password(conn, user.id, new_hash)
        await audit.record(conn, None, "set-password", "user", user.id, user.email)


async def store_password(conn: aiosqlite.Connection, user_id: int, new_hash: str) -> None:
    """Write a new password hash in the caller's transaction: every session of the account
    ends and its failed logins are forgotten (set-password, one's own change, a reset link)."""
    await conn.execute("UPDATE users SET password_hash = ? WHERE id = ?", (new_hash, user_id))
    await end_sessions(conn, user_id)
    await forget_failures(conn, user_id)


async def end_sessions(conn: aiosqlite.Connection, user_id: int) -> None:
    """End every open session of an account, inside the caller's transaction."""
    await conn.execute("DELETE FROM staff_sessions WHERE user_id = ?", (user_id,))


async def forget_failures(conn: aiosqlite.Connection, user_id: int) -> None:
    """Clear the account's failed-login count (after a new password was set)."""
    await conn.execute(
        "DELETE FROM login_failures WHERE key = 'account:' || "
        "(SELECT lower(email) FROM users WHERE id = ?)",
        (user_id,),
    )


def check_password(user: User, password: str) -> bool:
    """Whether the password is the account's (for confirming it again)."""
    try:
        return bool(_hasher.verify(user.password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


async def change_password(db: Database, user: User, current: str, new: str) -> None:
    """A staff member's own new password; every session of the account ends."""
    if not check_password(user, current):
        raise AccountError(N_("The current password is not right."))
    problem = password_problem(new)
    if problem:
        raise AccountError(problem)
    new_hash = _hasher.hash(new)
    async with db.transaction() as conn:
        await store_password(conn, user.id, new_hash)
        await audit.record(conn, user, "change-password", "user", user.id, user.email)


AUDIT_WORDS = audit.Words(
    actions={
        "set-password": N_("Password set"),
        "change-password": N_("Own password changed"),
        "change": N_("Role or access changed"),
    },
    kinds={"user": N_("Account")},
)


async def all_users(db: Database) -> list[User]:
    """Every account, admins first."""
    rows = await db.fetchall(
        "SELECT * FROM users ORDER BY CASE role WHEN 'admin' THEN 0 WHEN 'editor' THEN 1 "
        "ELSE 2 END, email"
    )
    return [user_from_row(r) for r in rows]


async def last_logins(db: Database) -> dict[int, str | None]:
    """Each account's last login (UTC timestamp text), None if it never logged in."""
    rows = await db.fetchall("SELECT id, last_login FROM users")
    return {row["id"]: row["last_login"] for row in rows}


async def change_account(
    db: Database, actor: User, user_id: int, *, role: str, active: bool
) -> User:
    """An admin sets an account's role and whether it may log in; its sessions end on a change.

    The last active admin can be neither demoted nor switched off, so the site always has one.
    """
    if not actor.is_admin:
        raise AccountError(N_("Only an administrator can change accounts."))
    if role not in ROLES:
        raise AccountError(N_("Choose one of the roles."))
    async with db.transaction() as conn:
        cursor = await conn.execute("SELECT * FROM users WHERE id = ?", (user_id,))
        row = await cursor.fetchone()
        if row is None:
            raise AccountError(N_("There is no such account."))
        user = user_from_row(row)
        if user.role == role and user.active == active:
            return user
        if user.is_admin and user.active and (role != "admin" or not active):
            cursor = await conn.execute(
                "SELECT COUNT(*) FROM users WHERE role = 'admin' AND active = 1 AND id != ?",
                (user_id,),
            )
            others = await cursor.fetchone()
            if not others or others[0] == 0:
                raise AccountError(N_("The site needs at least one active administrator."))
        await conn.execute(
            "UPDATE users SET role = ?, active = ? WHERE id = ?", (role, int(active), user_id)
        )
        await end_sessions(conn, user_id)
        state = "active" if active else "inactive"
        await audit.record(
            conn, actor, "change", "user", user_id, f"{user.email} ({role}, {state})"
        )
    return User(user.id, user.email, user.name, role, active, user.password_hash)


def _retry_after(failures: int, last_at: str, now: datetime, free: int, max_delay: int) -> int:
    """Seconds still to wait: none for the first `free` failures, then doubling up to a cap."""
    if failures < free:
        return 0
    delay = min(max_delay, 2 ** min(failures - free + 1, 20))
    last = parse_utc(last_at)
    remaining = (last + timedelta(seconds=delay) - now).total_seconds()
    return max(0, int(remaining + 0.999))


async def authenticate(
    db: Database,
    email: str,
    password: str,
    address: str,
    *,
    free_failures: int = 5,
    max_delay: int = 900,
    known_device: bool = False,
    clock: Clock = SYSTEM,
) -> LoginResult:
    """Check a login; failures slow down both the account name and the address tried from.

    A browser that logged in to this account before (`known_device`, from a signed cookie) is
    not slowed by the account's failures, so nobody can lock a staff member out by failing on
    purpose with their e-mail address; the address they try from is still slowed.
    """
    email = email.strip().lower()
    keys = (f"account:{email}", f"address:{address}")
    now = clock.now()
    checked = keys[1:] if known_device else keys
    marks = ", ".join("?" * len(checked))
    rows = await db.fetchall(
        f"SELECT failures, last_at FROM login_failures WHERE key IN ({marks})", checked
    )
    wait = max(
        (_retry_after(r["failures"], r["last_at"], now, free_failures, max_delay) for r in rows),
        default=0,
    )
    if wait:
        return LoginResult(None, wait)
    user = await get_user_by_email(db, email)
    try:
        _hasher.verify(user.password_hash if user else _dummy_hash(), password)
        ok = user is not None and user.active
    except (VerificationError, InvalidHashError):
        ok = False
    stamp = format_utc(clock.now())
    async with db.transaction() as conn:
        if ok and user is not None:
            # A known browser's success does not reset someone else's failures on the account.
            await conn.execute(
                f"DELETE FROM login_failures WHERE key IN ({marks})",
                checked,
            )
            await conn.execute("UPDATE users SET last_login = ? WHERE id = ?", (stamp, user.id))
            if _hasher.check_needs_rehash(user.password_hash):
                await conn.execute(
                    "UPDATE users SET password_hash = ? WHERE id = ?",
                    (_hasher.hash(password), user.id),
                )
            return LoginResult(user)
        for key in keys:
            await conn.execute(
                "INSERT INTO login_failures (key, failures, last_at) VALUES (?, 1, ?) "
                "ON CONFLICT (key) DO UPDATE "
                "SET failures = failures + 1, last_at = excluded.last_at",
                (key, stamp),
            )
    return LoginResult(None)
