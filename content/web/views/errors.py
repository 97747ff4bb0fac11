"""Error pages in the visitor's language, for every HTTP error and for crashes."""

from __future__ import annotations

from quart import Quart, current_app, render_template, request
from quart.typing import ResponseReturnValue
from quart_rate_limiter import RateLimitExceeded
from werkzeug.exceptions import HTTPException, InternalServerError, NotFound

from content.articles import Category
from content.db import Unavailable
from content.i18n import N_
from content.importers.joomla.addresses import words_of
from content.web.state import portal
from content.web.unavailable import UNAVAILABLE_MESSAGE, UNAVAILABLE_TITLE
from content.web.views.legacy import old_address

MESSAGES = {
    400: (N_("Bad request"), N_("The address or the form sent was not understood.")),
    403: (N_("Not allowed"), N_("Your account may not open this page.")),
    404: (N_("Page not found"), N_("The page you asked for does not exist or was moved.")),
    405: (N_("Method not allowed"), N_("This page cannot be used that way.")),
    413: (N_("Too large"), N_("What you sent is larger than this site accepts.")),
    429: (N_("Too many requests"), N_("Please wait a moment and try again.")),
    500: (N_("Something went wrong"), N_("The error was logged. Please try again later.")),
    503: (N_("Temporarily unavailable"), N_("Please try again in a moment.")),
}
CSRF_MESSAGE = N_("The form had expired. Go back, reload the page and send it again.")
COOKIES_MESSAGE = N_(
    "This form needs cookies. Allow cookies for this site, reload the page and send it again."
)
# Seconds a client is asked to wait after the database could not write (Retry-After).
RETRY_AFTER = 5


async def site_menu() -> list[Category]:
    """The main menu's categories for an error page, from the shared module lists; none when
    they cannot be read (the page that says something failed must not fail itself)."""
    try:
        shared = await portal().shared_modules.get()
    except Exception:  # the database may be why this page is shown
        current_app.logger.warning("error page without its menu", exc_info=True)
        return []
    categories: list[Category] = shared["menu_categories"]
    return categories


async def render_error(error: HTTPException, search: str = "") -> tuple[str, int]:
    """An error page with a title and an explanation in the visitor's language, inside the
    site's header and menu so the visitor can go on from there (and, for a 404, a search for
    `search`, the words of the address)."""
    code = error.code or 500
    title, message = MESSAGES.get(code, (error.name, error.description or ""))
    if code == 400 and error.description == "csrf":
        message = CSRF_MESSAGE
    elif code == 400 and error.description == "cookies":
        message = COOKIES_MESSAGE
    page = await render_template(
        "error.html",
        code=code,
        title=title,
        message=message,
        menu_categories=await site_menu(),
        search=search,
    )
    return page, code


async def not_found(error: NotFound) -> ResponseReturnValue:
    """An address no route knows may be one of an imported Joomla site's (301 to its page
    here); otherwise the 404 page offers a search for the address's words."""
    words = getattr(error, "words", None)
    if request.url_rule is None and request.method in ("GET", "HEAD"):
        try:
            moved = await old_address()
        except Unavailable:
            moved = None
        if moved is not None:
            return moved
        words = words_of(request.path)
    return await render_error(error, search=words or "")


def init_app(app: Quart) -> None:
    """Render every HTTP error and every unexpected exception as a page."""
    app.register_error_handler(HTTPException, render_error)
    app.register_error_handler(NotFound, not_found)

    @app.errorhandler(Exception)
    async def crashed(error: Exception) -> tuple[str, int]:
        app.logger.exception("Unhandled error", exc_info=error)
        return await render_error(InternalServerError())

    @app.errorhandler(RateLimitExceeded)
    async def too_many(error: RateLimitExceeded) -> tuple[str, int, dict[str, str]]:
        """A rate limit (content.web.limits) was reached: 429, and when to try again."""
        page, code = await render_error(error)
        wait = error.retry_after if isinstance(error.retry_after, int) else 1
        return page, code, {"Retry-After": str(max(1, wait))}

    @app.errorhandler(Unavailable)
    async def cannot_write(error: Unavailable) -> tuple[str, int, dict[str, str]]:
        """The database is locked by another process, or the disk is full or failing: 503 with
        Retry-After, one log line (no traceback: the cause is outside the code), nothing kept of
        the half-done change (the transaction rolled back). Reads go on, and the next write
        succeeds once the cause is gone."""
        app.logger.error(
            "%s %s not done: the database cannot write (%s: %s)",
            request.method,
            request.path,
            error.why,
            error.error,
        )
        if request.method in ("GET", "HEAD"):
            title, message = MESSAGES[503]
        else:
            title, message = UNAVAILABLE_TITLE, UNAVAILABLE_MESSAGE
        page = await render_template(
            "error.html", code=503, title=title, message=message, menu_categories=[]
        )
        return page, 503, {"Retry-After": str(RETRY_AFTER)}
