"""Quart blueprints and what every page shares: the logged-in user, CSRF, errors, static URLs."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Awaitable, Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar, cast

from quart import Quart, Response, abort, current_app, g, redirect, request, session, url_for
from quart.sessions import SecureCookieSessionInterface

from content import accounts
from content.accounts import User
from content.db import get_db

CSRF_FIELD = "csrf_token"
STATIC_FOLDER = Path(__file__).resolve().parent.parent.parent / "static"
F = TypeVar("F", bound=Callable[..., Awaitable[Any]])


class SessionInterface(SecureCookieSessionInterface):
    """The signed session cookie, marked Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Quart) -> bool:
        return request.scheme in ("https", "wss") or bool(app.config["SESSION_COOKIE_SECURE"])


async def current_user() -> User | None:
    """The logged-in staff member, or None; cached for the request."""
    if "user" in g:
        cached: User | None = g.user
        return cached
    user = None
    user_id = session.get("user_id")
    if isinstance(user_id, int):
        found = await accounts.get_user(get_db(), user_id)
        if found and found.active and session.get("stamp") == found.session_stamp:
            user = found
    g.user = user
    return user


def login_user(user: User) -> None:
    """Start a fresh session for the user (a new CSRF token too)."""
    session.clear()
    session["user_id"] = user.id
    session["stamp"] = user.session_stamp
    session[CSRF_FIELD] = secrets.token_urlsafe(32)
    g.user = user


def logout_user() -> None:
    """End the session."""
    session.clear()
    g.user = None


def csrf_token() -> str:
    """The session's CSRF token, made on first use."""
    token = session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[CSRF_FIELD] = token
    return token


def require(check: Callable[[User], bool]) -> Callable[[F], F]:
    """Let only logged-in staff for whom `check` holds see the view; others log in or get 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        async def wrapper(*args: Any, **kwargs: Any) -> Any:
            user = await current_user()
            if user is None:
                return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
            if not check(user):
                abort(403)
            return await view(*args, **kwargs)

        return cast(F, wrapper)

    return decorator


def parse_page_number(raw: str | None) -> int:
    """The ?halaman= value: absent means 1; anything but a sensible whole number is a 400."""
    if raw is None or raw == "":
        return 1
    if not raw.isdigit() or len(raw) > 6 or int(raw) < 1:
        abort(400)
    return int(raw)


def static_hashes(folder: Path = STATIC_FOLDER) -> dict[str, str]:
    """A short content hash of every static file, computed once at start."""
    hashes = {}
    for path in folder.rglob("*"):
        if path.is_file():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
            hashes[path.relative_to(folder).as_posix()] = digest
    return hashes


def static_url(filename: str) -> str:
    """A static file's URL carrying its content hash, so it can be cached for a long time."""
    version = current_app.extensions["static_hashes"].get(filename, "0")
    return f"{url_for('static', filename=filename)}?v={version}"


def safe_next(target: str | None, default: str = "/") -> str:
    """A redirect target only when it stays on this site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def init_app(app: Quart) -> None:
    """Register the blueprints and the hooks every request goes through."""
    from content.views import auth, editor, errors, public

    app.session_interface = SessionInterface()
    app.extensions["static_hashes"] = static_hashes()
    app.jinja_env.globals.update(csrf_token=csrf_token, static_url=static_url)

    @app.before_request
    async def check_csrf() -> None:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return
        form = await request.form
        sent = form.get(CSRF_FIELD) or request.headers.get("X-CSRF-Token", "")
        expected = session.get(CSRF_FIELD)
        if not isinstance(expected, str) or not secrets.compare_digest(sent, expected):
            abort(400, description="csrf")

    @app.context_processor
    async def user_context() -> dict[str, object]:
        return {"user": await current_user()}

    @app.after_request
    async def security_headers(response: Response) -> Response:
        frames = " ".join(f"https://{host}" for host in app.config["VIDEO_HOSTS"])
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' https: data:; media-src 'self' https:; "
            f"frame-src {frames}; object-src 'none'; base-uri 'self'; form-action 'self'; "
            "frame-ancestors 'self'",
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        if await current_user() is not None:
            response.headers["Cache-Control"] = "private, no-store"
        return response

    app.register_blueprint(public.blueprint)
    app.register_blueprint(auth.blueprint)
    app.register_blueprint(editor.blueprint)
    errors.init_app(app)
