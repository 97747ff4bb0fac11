"""Who a socket belongs to, read from the cookies of its handshake, never from what it sends."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quart import Quart
from werkzeug.http import parse_cookie

from content import accounts, sessions
from content.db import Database
from content.i18n import LANGUAGE_COOKIE, LANGUAGES
from content.visitors import (
    VISITOR_COOKIE,
    VisitorSigner,
    device_class,
    is_bot,
    new_visitor_id,
    short_id,
)


@dataclass(frozen=True)
class Identity:
    """A socket's visitor, and the staff member behind it if logged in."""

    visitor_id: str
    known: bool  # False: no valid visitor cookie, so a new guest for this connection only
    label: str
    member: str | None
    role: str | None
    bot: bool
    device: str
    member_id: int | None = None
    address: str = ""
    language: str = "id"

    @property
    def can_moderate(self) -> bool:
        return self.role in ("admin", "moderator")


def client_address(environ: dict[str, Any]) -> str:
    """The peer address of the handshake (the ASGI scope's client)."""
    scope = environ.get("asgi.scope") or {}
    client = scope.get("client") if isinstance(scope, dict) else None
    if client:
        return str(client[0])
    return str(environ.get("REMOTE_ADDR", ""))


def _staff_cookie_name(environ: dict[str, Any]) -> str:
    """The staff cookie's name for the handshake's scheme."""
    scope = environ.get("asgi.scope") or {}
    scheme = scope.get("scheme") if isinstance(scope, dict) else None
    return sessions.cookie_name(secure=scheme in ("https", "wss"))


class IdentityReader:
    """Reads the signed visitor cookie and the login session cookie of a handshake."""

    def __init__(self, app: Quart, db: Database) -> None:
        self.app = app
        self.db = db
        self.secret = app.config["SECRET_KEY"]
        self.visitors = VisitorSigner(self.secret)
        self.default_language: str = app.config["DEFAULT_LANGUAGE"]

    async def read(self, environ: dict[str, Any]) -> Identity:
        """The identity of a connecting socket."""
        cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
        user_agent = environ.get("HTTP_USER_AGENT", "")
        visitor = self.visitors.read(cookies.get(VISITOR_COOKIE))
        known = visitor is not None
        visitor = visitor or new_visitor_id()
        user = await self._user(cookies.get(_staff_cookie_name(environ)))
        language = cookies.get(LANGUAGE_COOKIE, "")
        return Identity(
            visitor_id=visitor,
            known=known,
            label=short_id(visitor, self.secret),
            member=user.name if user else None,
            role=user.role if user else None,
            bot=is_bot(user_agent),
            device=device_class(user_agent),
            member_id=user.id if user else None,
            address=client_address(environ),
            language=language if language in LANGUAGES else self.default_language,
        )

    async def _user(self, cookie: str | None) -> accounts.User | None:
        found = await sessions.load(self.db, cookie)
        return found.user if found else None
