"""Who a socket belongs to, read from the cookies of its handshake, never from what it sends."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature
from quart import Quart
from werkzeug.http import parse_cookie

from content import accounts
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


def _client_address(environ: dict[str, Any]) -> str:
    """The peer address of the handshake (the ASGI scope's client)."""
    scope = environ.get("asgi.scope") or {}
    client = scope.get("client") if isinstance(scope, dict) else None
    if client:
        return str(client[0])
    return str(environ.get("REMOTE_ADDR", ""))


class IdentityReader:
    """Reads the signed visitor cookie and the login session cookie of a handshake."""

    def __init__(self, app: Quart, db: Database) -> None:
        self.app = app
        self.db = db
        self.secret = app.config["SECRET_KEY"]
        self.visitors = VisitorSigner(self.secret)
        self.session_cookie = app.config["SESSION_COOKIE_NAME"]
        self.session_max_age = int(app.permanent_session_lifetime.total_seconds())
        self.default_language: str = app.config["DEFAULT_LANGUAGE"]

    async def read(self, environ: dict[str, Any]) -> Identity:
        """The identity of a connecting socket."""
        cookies = parse_cookie(environ.get("HTTP_COOKIE", ""))
        user_agent = environ.get("HTTP_USER_AGENT", "")
        visitor = self.visitors.read(cookies.get(VISITOR_COOKIE))
        known = visitor is not None
        visitor = visitor or new_visitor_id()
        user = await self._user(cookies.get(self.session_cookie))
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
            address=_client_address(environ),
            language=language if language in LANGUAGES else self.default_language,
        )

    async def _user(self, cookie: str | None) -> accounts.User | None:
        if not cookie or len(cookie) > 4096:
            return None
        serializer = self.app.session_interface.get_signing_serializer(self.app)
        if serializer is None:
            return None
        try:
            data = serializer.loads(cookie, max_age=self.session_max_age)
        except BadSignature:
            return None
        user_id = data.get("user_id") if isinstance(data, dict) else None
        if not isinstance(user_id, int):
            return None
        user = await accounts.get_user(self.db, user_id)
        if user is None or not user.active or data.get("stamp") != user.session_stamp:
            return None
        return user
