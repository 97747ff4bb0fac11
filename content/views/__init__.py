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
from content.events import get_events
from content.visitors import VISITOR_COOKIE, VisitorSigner, is_bot, new_visitor_id

CSRF_FIELD = "csrf_token"
VISITOR_COOKIE_AGE = 2 * 365 * 24 * 3600
ROOT = Path(__file__).resolve().parent.parent.parent
STATIC_FOLDER = ROOT / "static"
# Front-end packages installed from npm (package-lock.json), served from node_modules as they are.
VENDOR_FILES = {
    "socket.io.min.js": ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js",
}
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


def visitor_id() -> str:
    """The visitor's id from the signed cookie; a new one (set on this response) if missing."""
    known: str | None = g.get("visitor_id")
    if known is None:
        signer: VisitorSigner = current_app.extensions["visitor_signer"]
        known = signer.read(request.cookies.get(VISITOR_COOKIE))
        if known is None:
            known = new_visitor_id()
            g.new_visitor = True
        g.visitor_id = known
    return known


def is_prefetch() -> bool:
    """Whether the browser is only prefetching (such requests are not visits)."""
    purpose = request.headers.get("Sec-Purpose", "") or request.headers.get("Purpose", "")
    return "prefetch" in purpose.lower()


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


def vendor_hashes() -> dict[str, str]:
    """Content hashes of the installed front-end packages' files (missing ones are left out)."""
    return {
        name: hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        for name, path in VENDOR_FILES.items()
        if path.is_file()
    }


def vendor_url(name: str) -> str | None:
    """The URL of an installed front-end file, or None when `npm ci` has not installed it."""
    version = current_app.extensions["vendor_hashes"].get(name)
    if version is None:
        return None
    return f"{url_for('public.vendor', name=name)}?v={version}"


def safe_next(target: str | None, default: str = "/") -> str:
    """A redirect target only when it stays on this site."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def init_app(app: Quart) -> None:
    """Register the blueprints and the hooks every request goes through."""
    from content.views import (
        auth,
        calendar,
        editor,
        errors,
        legacy,
        live,
        media,
        modules,
        modules_admin,
        polls,
        public,
        statistics,
        tools,
    )

    app.session_interface = SessionInterface()
    app.extensions["visitor_signer"] = VisitorSigner(app.config["SECRET_KEY"])
    app.extensions["static_hashes"] = static_hashes()
    app.extensions["vendor_hashes"] = vendor_hashes()
    app.jinja_env.globals.update(
        csrf_token=csrf_token, static_url=static_url, vendor_url=vendor_url
    )

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
    async def count_visitor(response: Response) -> Response:
        """Give every visitor an id on the first response and announce each page view."""
        if request.endpoint == "static" or request.path.startswith("/api/"):
            return response
        visitor = visitor_id()
        if g.get("new_visitor"):
            signer: VisitorSigner = app.extensions["visitor_signer"]
            response.set_cookie(
                VISITOR_COOKIE,
                signer.sign(visitor),
                max_age=VISITOR_COOKIE_AGE,
                httponly=True,
                samesite="Lax",
                secure=request.scheme == "https",
            )
        is_page = response.mimetype == "text/html"  # feeds, files and JSON are not page views
        if (
            request.method == "GET"
            and response.status_code == 200
            and is_page
            and not is_prefetch()
        ):
            user = await current_user()
            get_events().publish(
                "page_view",
                visitor_id=visitor,
                path=request.path,
                address=request.remote_addr or "",
                bot=is_bot(request.headers.get("User-Agent", "")),
                staff=user is not None,
            )
        return response

    @app.after_request
    async def security_headers(response: Response) -> Response:
        frames = " ".join(f"https://{host}" for host in app.config["VIDEO_HOSTS"])
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' https: data:; media-src 'self' https:; "
            f"frame-src {frames}; object-src 'none'; base-uri 'self'; form-action 'self'; "
            # Poll bars are sized by a style attribute; no <style> element or script is inline.
            "style-src 'self'; style-src-attr 'unsafe-inline'; "
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
    app.register_blueprint(live.blueprint)
    app.register_blueprint(statistics.blueprint)
    app.register_blueprint(polls.blueprint)
    app.register_blueprint(legacy.blueprint)
    app.register_blueprint(tools.blueprint)
    app.register_blueprint(calendar.blueprint)
    app.register_blueprint(media.blueprint)
    app.register_blueprint(modules_admin.blueprint)
    polls.init_app(app)
    errors.init_app(app)
    modules.init_app(app)
