"""How long browsers may keep what the portal sends.

- A static file or front-end package asked for by the URL the templates build (`?v=` and the
  file's content hash, see static_url) is the same bytes forever: kept a year, `immutable`, so
  not even a reload asks again. A new version has a new URL.
- The same file without its hash (or with an old one) may change under that URL: kept briefly
  (UNVERSIONED_SECONDS), then asked again with its validators (a 304 when unchanged).
- Pages: `private, no-cache`. A page carries its visitor's form token and "voted" answers, so no
  shared cache may hand it to someone else, and a browser asks again each time; the ETag (a
  digest of exactly this visitor's bytes, content/web/compression.py) makes that ask a 304 when
  nothing in the page changed. Staff pages stay `private, no-store` (content/web/__init__.py).
"""

from __future__ import annotations

from quart import Quart, Response, request

from content.web.state import portal

ONE_YEAR = 365 * 24 * 3600
UNVERSIONED_SECONDS = 300
VERSIONED = f"public, max-age={ONE_YEAR}, immutable"
UNVERSIONED = f"public, max-age={UNVERSIONED_SECONDS}"
PAGE = "private, no-cache"


def file_version(endpoint: str | None, view_args: dict[str, object] | None) -> str | None:
    """The content hash a static or front-end file's URL should carry, or None (not a file)."""
    args = view_args or {}
    if endpoint == "static":
        return portal().static_hashes.get(str(args.get("filename", "")), "")
    if endpoint == "public.vendor":
        return portal().vendor_hashes.get(str(args.get("name", "")), "")
    return None


def init_app(app: Quart) -> None:
    """Register the hook that sets Cache-Control on files and pages."""

    @app.after_request
    async def cache_control(response: Response) -> Response:
        version = file_version(request.endpoint, request.view_args)
        if version is None:
            if response.status_code == 200 and response.mimetype == "text/html":
                response.headers.setdefault("Cache-Control", PAGE)
            return response
        if response.status_code in (200, 206, 304):
            pinned = bool(version) and request.args.get("v") == version
            response.headers["Cache-Control"] = VERSIONED if pinned else UNVERSIONED
            response.headers.pop("Expires", None)  # Cache-Control says it; no second clock
        return response
