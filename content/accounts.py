"""Staff accounts: argon2id passwords, roles, and slowing down repeated failed logins."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from content import audit
from content.db import Database, utcnow
from content.i18n import N_

ROLES = ("admin", "editor", "moderator")
ROLE_NAMES = {"admin": N_("Administrator"), "editor": N_("Editor"), "moderator": N_("Moderator")}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD_LENGTH = 10

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified when the account does not exist, so both answers take the same time.
_DUMMY_HASH = _hasher.hash("serambi-no-such-account")


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

    @property
    def session_stamp(self) -> str:
        """Changes when the password changes, so old sessions end."""
        return hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class LoginResult:
    """A user on success; otherwise how long to wait (0 when the password was simply wrong)."""

    user: User | None
    retry_after: int = 0


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _hasher.hash(password)


def password_problem(password: str) -> str | None:
    """Why a new password is not acceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"The password needs at least {MIN_PASSWORD_LENGTH} characters."
    return None


def _user(r: sqlite3.Row) -> User:
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
    return None if row is None else _user(row)


async def get_user_by_email(db: Database, email: str) -> User | None:
    """The account with this e-mail address (case does not matter)."""
    row = await db.fetchone("SELECT * FROM users WHERE email = ?", (email.strip(),))
    return None if row is None else _user(row)


async def create_user(db: Database, email: str, name: str, role: str, password: str) -> User:
    """Create an account with an argon2id password hash."""
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
        await audit.record(conn, None, "create", "user", user_id, f"{email} ({role})")
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
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE users SET password_hash = ? WHERE id = ?", (_hasher.hash(password), user.id)
        )
        await conn.execute("DELETE FROM login_failures WHERE key = ?", (f"account:{user.email}",))
        await audit.record(conn, None, "set-password", "user", user.id, user.email)


def _retry_after(failures: int, last_at: str, now: datetime, free: int, max_delay: int) -> int:
    """Seconds still to wait: none for the first `free` failures, then doubling up to a cap."""
    if failures < free:
        return 0
    delay = min(max_delay, 2 ** min(failures - free + 1, 20))
    last = datetime.strptime(last_at, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
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
) -> LoginResult:
    """Check a login; failures slow down both the account name and the address tried from."""
    email = email.strip().lower()
    keys = (f"account:{email}", f"address:{address}")
    now = datetime.now(UTC)
    rows = await db.fetchall(
        "SELECT failures, last_at FROM login_failures WHERE key IN (?, ?)", keys
    )
    wait = max(
        (_retry_after(r["failures"], r["last_at"], now, free_failures, max_delay) for r in rows),
        default=0,
    )
    if wait:
        return LoginResult(None, wait)
    user = await get_user_by_email(db, email)
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password)
        ok = user is not None and user.active
    except (VerificationError, InvalidHashError):
        ok = False
    stamp = utcnow()
    async with db.transaction() as conn:
        if ok and user is not None:
            await conn.execute("DELETE FROM login_failures WHERE key IN (?, ?)", keys)
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
