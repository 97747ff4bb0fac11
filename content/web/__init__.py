"""What every request shares: the logged-in user, the visitor, CSRF, security headers, static
URLs. The blueprints are in content.web.views."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar, cast
from urllib.parse import parse_qs
from zoneinfo import ZoneInfo

from itsdangerous import BadSignature
from quart import Quart, Request, Response, abort, current_app, g, redirect, request, url_for
from quart.sessions import SecureCookieSessionInterface
from werkzeug.datastructures import Headers
from werkzeug.http import dump_cookie, parse_cookie
from werkzeug.sansio.response import Response as SansIOResponse

from content import accounts, sessions
from content.accounts import LoginResult, User
from content.db import LOCAL_INPUT_FORMAT, get_db
from content.events import PageView
from content.visitors import (
    VISITOR_COOKIE,
    CookieIdentity,
    Visit,
    is_prefetch_purpose,
    read_identity,
)
from content.web.i18n import ngettext
from content.web.state import Portal, SecurityHeaders, portal

CSRF_FIELD = "csrf_token"
DEVICE_COOKIE = "serambi_perangkat"
VISITOR_COOKIE_AGE = 2 * 365 * 24 * 3600
ROOT = Path(__file__).resolve().parent.parent.parent
STATIC_FOLDER = ROOT / "static"
# Front-end packages installed from npm (package-lock.json), served from node_modules as they are.
VENDOR_FILES = {
    "socket.io.min.js": ROOT / "node_modules" / "socket.io-client" / "dist" / "socket.io.min.js",
    # The rich-text editor (MIT): the build with every interface language, Indonesian included.
    "jodit.min.js": ROOT / "node_modules" / "jodit" / "es2021" / "jodit.min.js",
    "jodit.min.css": ROOT / "node_modules" / "jodit" / "es2021" / "jodit.min.css",
}
# Files, not pages: no visitor cookie is set on them (it would keep them out of shared caches).
UNCOUNTED_ENDPOINTS = frozenset({"static", "images.variant"})
F = TypeVar("F", bound=Callable[..., Awaitable[Any]])


class SessionInterface(SecureCookieSessionInterface):
    """The signed cookie that carries only flash messages, Secure whenever over HTTPS."""

    def get_cookie_secure(self, app: Quart) -> bool:
        return is_https() or bool(app.config["SESSION_COOKIE_SECURE"])


def site_timezone() -> ZoneInfo:
    """The zone the site shows and takes dates in (PORTAL_TIMEZONE)."""
    return ZoneInfo(current_app.config["TIMEZONE"])


def local_input(value: datetime | None) -> str:
    """A moment as a datetime-local form value in the site's zone; "" for none."""
    return value.astimezone(site_timezone()).strftime(LOCAL_INPUT_FORMAT) if value else ""


MAX_PASSWORD = 1024  # characters of a typed password that are looked at


async def check_password_attempt(email: str, password: str, *, known: bool) -> LoginResult:
    """Try an e-mail address and password from this request's address, slowed down after
    repeated failures (PORTAL_LOGIN_FREE_FAILURES, PORTAL_LOGIN_MAX_DELAY); `known` when this
    browser logged in to the account before."""
    return await accounts.authenticate(
        get_db(),
        email,
        password[:MAX_PASSWORD],
        request.remote_addr or "unknown",
        free_failures=current_app.config["LOGIN_FREE_FAILURES"],
        max_delay=current_app.config["LOGIN_MAX_DELAY"],
        known_device=known,
        clock=portal().clock,
    )


def password_refusal(result: LoginResult, wrong: str) -> tuple[str, int]:
    """What a refused attempt is told, and its status: how long to wait (429) after too many
    failures, else `wrong` (401)."""
    if result.retry_after:
        message = ngettext(
            "Too many failed attempts. Please wait %(num)d second and try again.",
            "Too many failed attempts. Please wait %(num)d seconds and try again.",
            result.retry_after,
        )
        return message, 429
    return wrong, 401


def is_https() -> bool:
    """Whether this request came over HTTPS (directly or through a trusted proxy)."""
    return request.scheme in ("https", "wss")


def staff_cookie_name() -> str:
    """The staff cookie's name for this request (`__Host-` prefixed over HTTPS)."""
    return sessions.cookie_name(secure=is_https())


def private_cookie(name: str, value: str, max_age: int, *, secure: bool) -> str:
    """The Set-Cookie value of a cookie only this site's pages send back: HttpOnly,
    SameSite=Lax, Secure over HTTPS."""
    return dump_cookie(
        name, value, max_age=max_age, path="/", httponly=True, samesite="Lax", secure=secure
    )


def set_private_cookie(response: SansIOResponse, name: str, value: str, max_age: int) -> None:
    """Set a private cookie (see private_cookie) on a response."""
    response.headers.add("Set-Cookie", private_cookie(name, value, max_age, secure=is_https()))


async def staff_session() -> sessions.StaffSession | None:
    """The request's staff session (from its cookie and the database), cached for the request."""
    if "staff" in g:
        cached: sessions.StaffSession | None = g.staff
        return cached
    token = request_identity().staff_token
    g.staff = await sessions.load(get_db(), token) if token else None
    return cast(sessions.StaffSession | None, g.staff)


async def current_user() -> User | None:
    """The logged-in staff member, or None; cached for the request."""
    found = await staff_session()
    return found.user if found else None


async def login_user(user: User) -> None:
    """Start a new server-side session for the user (its cookie is set on this response)."""
    hours = current_app.config["STAFF_SESSION_HOURS"]
    token = await sessions.start(get_db(), user, hours)
    g.staff = sessions.StaffSession(token, user, datetime.now(UTC))
    g.staff_cookie = token


async def logout_user() -> None:
    """End this session on the server and remove its cookie."""
    found = await staff_session()
    if found:
        await sessions.end(get_db(), found.token)
    g.staff = None
    g.staff_cookie = ""


def csrf_token() -> str:
    """The form token: bound to the staff session when logged in, else to the visitor cookie.

    Nothing is stored: the token is an HMAC of the session token or the visitor id, so a token
    works only with the cookie it was made for, and a staff token dies with its session.
    """
    placeholder: str | None = g.get("csrf_placeholder")
    if placeholder:
        return placeholder  # a shared page: each request puts its own token in (page_cache.py)
    staff: sessions.StaffSession | None = g.get("staff")
    subject = f"staff:{staff.token}" if staff else f"visitor:{visitor_id()}"
    return form_token(portal().csrf_mac, subject)


def form_token(key: hmac.HMAC, subject: str) -> str:
    """The form token of a subject ("visitor:<id>" or "staff:<session token>")."""
    mac = key.copy()
    mac.update(subject.encode())
    return mac.hexdigest()[:43]


def known_device(email: str) -> bool:
    """Whether this browser has logged in to the account before (the device cookie says so)."""
    serializer = portal().device_signer
    raw = request.cookies.get(DEVICE_COOKIE, "")
    if not raw or len(raw) > 200:
        return False
    try:
        value = serializer.loads(raw)
    except BadSignature:
        return False
    return bool(value == _device_value(email))


def remember_device(response: SansIOResponse, email: str) -> None:
    """Mark this browser as one the account has logged in from."""
    serializer = portal().device_signer
    value = str(serializer.dumps(_device_value(email)))
    set_private_cookie(response, DEVICE_COOKIE, value, VISITOR_COOKIE_AGE)


def _device_value(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:24]


def request_identity() -> CookieIdentity:
    """This request's visitor, read from its cookies once per request (see read_identity)."""
    known: CookieIdentity | None = g.get("identity")
    if known is None:
        known = read_identity(
            request.cookies,
            https=is_https(),
            signer=portal().visitor_signer,
            default_language=current_app.config["DEFAULT_LANGUAGE"],
        )
        g.identity = known
    return known


def visitor_id() -> str:
    """The visitor's id from the signed cookie; a new one (set on this response) if missing."""
    identity = request_identity()
    if not identity.known:
        g.new_visitor = True
    return identity.visitor_id


def is_prefetch() -> bool:
    """Whether the browser is only prefetching (such requests are not visits)."""
    return is_prefetch_purpose(
        request.headers.get("Sec-Purpose", "") or request.headers.get("Purpose", "")
    )


def request_visit() -> Visit:
    """Who asked for this request's page, as counting needs it."""
    agent = request.headers.get("User-Agent", "")
    return Visit(visitor_id(), request.remote_addr or "", agent, is_prefetch())


def announce_page_view(
    app: Quart, visit: Visit, path: str, *, staff: bool, article_id: int | None = None
) -> None:
    """A page was served to a visitor (whether rendered or shared): tell the counters, with the
    article when it was an article's page (its hit is counted from this one event)."""
    if visit.prefetch:
        return
    view = PageView(visit.visitor_id, path, visit.address, visit.bot, staff, article_id)
    Portal.of(app).events.publish(view)


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
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 6 or int(raw) < 1:
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
    version = portal().static_hashes.get(filename, "0")
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
    version = portal().vendor_hashes.get(name)
    if version is None:
        return None
    return f"{url_for('public.vendor', name=name)}?v={version}"


def safe_next(target: str | None, default: str = "/") -> str:
    """A redirect target only when it stays on this site."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and "\\" not in target
        and target.isprintable()  # browsers drop tabs and newlines: "/\t/host" is "//host"
    ):
        return target
    return default


def allow_large_body(app: Quart, path: str, limit: int) -> None:
    """Let staff POST a body up to `limit` bytes to one path (for the whole request, the form
    parser included) instead of MAX_CONTENT_LENGTH: an upload form that takes large files.

    The larger limit is decided as the request arrives, before its body is read, so it goes only
    to a request carrying a staff cookie and that cookie's form token (the `X-CSRF-Token` header
    of a script, or `csrf_token` in the form's address): the token is an HMAC only the server can
    make, given only to staff pages, so nobody else can make the server hold a large body. Every
    other request, and every other path, keeps the small limit."""
    base = app.request_class
    limits: dict[str, int] = dict(getattr(base, "large_bodies", {}))
    limits[path] = limit

    class LargeBodyRequest(base):  # type: ignore[valid-type,misc]
        large_bodies = limits

        def __init__(
            self,
            method: str,
            scheme: str,
            path: str,
            query_string: bytes,
            headers: Headers,
            *args: Any,
            **kwargs: Any,
        ) -> None:
            larger = self.large_bodies.get(path) if method == "POST" else None
            if larger is not None and not holds_staff_token(app, query_string, headers):
                larger = None
            if larger is not None:
                kwargs["max_content_length"] = larger
            super().__init__(method, scheme, path, query_string, headers, *args, **kwargs)
            if larger is not None:
                self.max_content_length = larger

    app.request_class = cast(type[Request], LargeBodyRequest)


def holds_staff_token(app: Quart, query_string: bytes, headers: Headers) -> bool:
    """Whether a request carries a staff cookie together with that cookie's form token."""
    sent = headers.get("X-CSRF-Token", "")
    if not sent:
        sent = parse_qs(query_string.decode("latin-1")).get(CSRF_FIELD, [""])[0]
    if not sent or len(sent) > 100:
        return False
    cookies = parse_cookie("; ".join(headers.getlist("Cookie")))  # HTTP/2 may send several
    key = Portal.of(app).csrf_mac
    for secure in (True, False):
        token = cookies.get(sessions.cookie_name(secure=secure), "")
        if token and len(token) < 200:
            expected = form_token(key, f"staff:{token}")
            if secrets.compare_digest(sent.encode(), expected.encode()):
                return True
    return False


def init_app(app: Quart, state: Portal) -> None:
    """The hooks every request goes through (content.web.views.init_app assembles the portal
    and registers the blueprints)."""
    app.session_interface = SessionInterface()
    app.jinja_env.globals.update(
        csrf_token=csrf_token, static_url=static_url, vendor_url=vendor_url, style_nonce=style_nonce
    )

    @app.before_request
    async def check_csrf() -> None:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return
        form = await request.form
        sent = form.get(CSRF_FIELD) or request.headers.get("X-CSRF-Token", "")
        if await staff_session() is None and not request.cookies.get(VISITOR_COOKIE):
            abort(400, description="cookies")  # no cookie the token could belong to
        if not secrets.compare_digest(sent.encode(), csrf_token().encode()):
            abort(400, description="csrf")

    @app.context_processor
    async def user_context() -> dict[str, object]:
        return {"user": await current_user()}

    @app.after_request
    async def staff_cookie(response: Response) -> Response:
        """Set or remove the staff session cookie when this request logged in or out."""
        token = g.get("staff_cookie")
        if token is not None:
            if token:
                hours = app.config["STAFF_SESSION_HOURS"]
                set_private_cookie(response, staff_cookie_name(), token, int(hours * 3600))
            else:
                response.delete_cookie(
                    staff_cookie_name(), path="/", httponly=True, samesite="Lax", secure=is_https()
                )
        return response

    @app.after_request
    async def count_visitor(response: Response) -> Response:
        """Give every visitor an id on the first response and announce each page view."""
        if request.endpoint in UNCOUNTED_ENDPOINTS or request.path.startswith("/api/"):
            return response
        visitor = visitor_id()
        if g.get("new_visitor"):
            signed = state.visitor_signer.sign(visitor)
            set_private_cookie(response, VISITOR_COOKIE, signed, VISITOR_COOKIE_AGE)
        is_page = response.mimetype == "text/html"  # feeds, files and JSON are not page views
        announced = g.get("page_view_announced", False)  # by the view, before it rendered
        if request.method == "GET" and response.status_code == 200 and is_page and not announced:
            staff = await current_user() is not None
            article_id = g.get("counted_article")  # a kept article page: its hit counts too
            announce_page_view(
                app, request_visit(), request.path, staff=staff, article_id=article_id
            )
        return response

    headers, hsts = state.security_headers.headers, state.security_headers.hsts

    @app.after_request
    async def security_headers(response: Response) -> Response:
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        nonce = g.get("style_nonce")
        if nonce and response.headers.get("Content-Security-Policy") == headers.get(
            "Content-Security-Policy"
        ):
            response.headers["Content-Security-Policy"] = with_style_nonce(
                headers["Content-Security-Policy"], nonce
            )
        if hsts and is_https():
            response.headers.setdefault("Strict-Transport-Security", hsts)
        immutable = "immutable" in response.headers.get("Cache-Control", "")
        if not immutable and await current_user() is not None:
            response.headers["Cache-Control"] = "private, no-store"
        return response


def style_nonce() -> str:
    """A nonce for this response's own <style> elements, made on first use: only the rich-text
    editor's pages ask for one (its table module styles the selected cells through a <style>
    element), and only their CSP then names it (SECURITY.md)."""
    nonce: str | None = g.get("style_nonce")
    if nonce is None:
        nonce = g.style_nonce = secrets.token_urlsafe(18)
    return nonce


def with_style_nonce(policy: str, nonce: str) -> str:
    """The site's policy with style elements carrying `nonce` allowed too."""
    return policy.replace("style-src 'self';", f"style-src 'self' 'nonce-{nonce}';", 1)


def response_headers(config: Mapping[str, Any]) -> SecurityHeaders:
    """Every response's headers (Strict-Transport-Security over HTTPS only), shared with the
    pages served before Quart's dispatch (page_cache.SharedPages)."""
    frames = " ".join(f"https://{host}" for host in config["VIDEO_HOSTS"])
    policy = (
        "default-src 'self'; img-src 'self' https: data:; media-src 'self' https:; "
        f"frame-src {frames}; object-src 'none'; base-uri 'self'; form-action 'self'; "
        # Poll bars are sized by a style attribute; no <style> element or script is inline.
        "style-src 'self'; style-src-attr 'unsafe-inline'; "
        "frame-ancestors 'self'"
    )
    hsts = f"max-age={config['HSTS_SECONDS']}" if config["HSTS_SECONDS"] > 0 else ""
    headers = {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
    }
    return SecurityHeaders(headers, hsts)
