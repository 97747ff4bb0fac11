"""Who a socket belongs to, read from the cookies of its handshake, never from what it sends."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from quart import Quart
from werkzeug.http import parse_cookie

from content import accounts, sessions
from content.db import Database
from content.visitors import VisitorSigner, device_class, is_bot, read_identity, short_id


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

    @property
    def can_edit(self) -> bool:
        return self.role in ("admin", "editor") and self.member_id is not None


def client_address(environ: dict[str, Any]) -> str:
    """The peer address of the handshake (the ASGI scope's client)."""
    scope = environ.get("asgi.scope") or {}
    client = scope.get("client") if isinstance(scope, dict) else None
    if client:
        return str(client[0])
    return str(environ.get("REMOTE_ADDR", ""))


def _is_https(environ: dict[str, Any]) -> bool:
    """Whether the handshake came over HTTPS (its scope's scheme)."""
    scope = environ.get("asgi.scope") or {}
    scheme = scope.get("scheme") if isinstance(scope, dict) else None
    return scheme in ("https", "wss")


class IdentityReader:
    """Reads the signed visitor cookie and the login session cookie of a handshake."""

    def __init__(self, app: Quart, db: Database, signer: VisitorSigner) -> None:
        self.app = app
        self.db = db
        self.secret = app.config["SECRET_KEY"]
        self.visitors = signer
        self.default_language: str = app.config["DEFAULT_LANGUAGE"]

    async def read(self, environ: dict[str, Any]) -> Identity:
        """The identity of a connecting socket."""
        user_agent = environ.get("HTTP_USER_AGENT", "")
        found = read_identity(
            parse_cookie(environ.get("HTTP_COOKIE", "")),
            https=_is_https(environ),
            signer=self.visitors,
            default_language=self.default_language,
        )
        user = await self._user(found.staff_token)
        return Identity(
            visitor_id=found.visitor_id,
            known=found.known,
            label=short_id(found.visitor_id, self.secret),
            member=user.name if user else None,
            role=user.role if user else None,
            bot=is_bot(user_agent),
            device=device_class(user_agent),
            member_id=user.id if user else None,
            address=client_address(environ),
            language=found.language,
        )

    async def _user(self, cookie: str | None) -> accounts.User | None:
        found = await sessions.load(self.db, cookie)
        return found.user if found else None
