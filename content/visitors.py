"""Who a visitor is: a random id in a signed cookie, whether they are a bot, their device class.

`read_identity` turns cookies into the visitor's identity, the same way for a request handled by
Quart, a page answered before Quart (web/page_cache.SharedPages) and a socket's handshake.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from crawlerdetect import CrawlerDetect
from itsdangerous import BadSignature, URLSafeSerializer

from content.i18n import LANGUAGE_COOKIE, pick_language
from content.sessions import cookie_name as staff_cookie_name

VISITOR_COOKIE = "serambi_pengunjung"
VISITOR_SALT = "serambi-visitor"
VISITOR_ID = re.compile(r"^[A-Za-z0-9_-]{22}$")
# Headless and automation browsers that the crawler list may not name.
HEADLESS = re.compile(r"HeadlessChrome|PhantomJS|Puppeteer|Playwright|Selenium|Electron", re.I)
TABLET = re.compile(r"iPad|Tablet|Nexus (7|9|10)|SM-T\d|Kindle|Silk", re.I)
MOBILE = re.compile(r"Mobi|iPhone|iPod|Android.*Mobile|Windows Phone|Opera Mini", re.I)

_crawlers = CrawlerDetect()


@dataclass(frozen=True)
class Visit:
    """Who asked for a page, as counting needs it (from Quart's request or the ASGI scope)."""

    visitor_id: str
    address: str
    user_agent: str
    prefetch: bool  # the browser only prefetches: not a visit

    @property
    def bot(self) -> bool:
        return is_bot(self.user_agent)


def is_prefetch_purpose(purpose: str) -> bool:
    """Whether a Sec-Purpose or Purpose header says the browser is only prefetching."""
    return "prefetch" in purpose.lower()


def new_visitor_id() -> str:
    """A fresh random visitor id (128 bits)."""
    return secrets.token_urlsafe(16)


class VisitorSigner:
    """Signs visitor ids for the cookie and reads them back; forged values read as None."""

    def __init__(self, secret_key: str) -> None:
        self._serializer = URLSafeSerializer(secret_key, salt=VISITOR_SALT)
        # The same cookie comes back on every page: check its signature once (bounded).
        self.read = lru_cache(maxsize=8192)(self._read)  # type: ignore[method-assign]

    def sign(self, visitor_id: str) -> str:
        """The cookie value for a visitor id."""
        return str(self._serializer.dumps(visitor_id))

    def read(self, cookie: str | None) -> str | None:
        """The visitor id in a cookie value, or None when missing, malformed or forged."""
        return self._read(cookie)

    def _read(self, cookie: str | None) -> str | None:
        if not cookie or len(cookie) > 200:
            return None
        try:
            value = self._serializer.loads(cookie)
        except BadSignature:
            return None
        if isinstance(value, str) and VISITOR_ID.match(value):
            return value
        return None


@dataclass(frozen=True)
class CookieIdentity:
    """Who sent a request or opened a socket, as their cookies say (never what they state)."""

    visitor_id: str
    known: bool  # False: no valid visitor cookie, so `visitor_id` is new (the response sets it)
    language: str  # the remembered choice, else the site's default
    staff_token: str | None  # the staff session cookie for the scheme, checked by sessions.load


def read_identity(
    cookies: Mapping[str, str], *, https: bool, signer: VisitorSigner, default_language: str
) -> CookieIdentity:
    """The visitor behind a request's or a handshake's cookies: the signed visitor id (a new one
    when it is missing or forged), the language and the staff cookie of the scheme."""
    visitor = signer.read(cookies.get(VISITOR_COOKIE))
    return CookieIdentity(
        visitor_id=visitor or new_visitor_id(),
        known=visitor is not None,
        language=pick_language(cookies.get(LANGUAGE_COOKIE, ""), default_language),
        staff_token=cookies.get(staff_cookie_name(secure=https)) or None,
    )


@lru_cache(maxsize=4096)
def is_bot(user_agent: str) -> bool:
    """Whether a user agent is a crawler, a script or a headless browser (never a person)."""
    if not user_agent.strip():
        return True
    return bool(HEADLESS.search(user_agent)) or bool(_crawlers.is_crawler(user_agent))


@lru_cache(maxsize=4096)
def device_class(user_agent: str) -> str:
    """'bot', 'tablet', 'mobile' or 'desktop'."""
    if is_bot(user_agent):
        return "bot"
    if TABLET.search(user_agent):
        return "tablet"
    if MOBILE.search(user_agent):
        return "mobile"
    return "desktop"


def short_id(visitor_id: str, secret_key: str) -> str:
    """A short, non-reversible label for a visitor, for moderators' eyes."""
    digest = hashlib.blake2b(visitor_id.encode(), key=secret_key.encode()[:64], digest_size=5)
    return digest.hexdigest()
