"""What the running portal holds: the content parts (content/runtime.py) and what pages need.

One object, stored once in the app (`install`) and read back typed: `Portal.of(app)`, or
`portal()` while handling a request. There are no string keys to mistype and no casts.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from content.runtime import Runtime

if TYPE_CHECKING:
    import hmac

    from itsdangerous import URLSafeSerializer

    from content.media.images import ImageProcessor
    from content.polls import Guard, VoteThrottle
    from content.visitors import VisitorSigner
    from content.web.compression import Compressor
    from content.web.mail import FormStamp
    from content.web.mail import RateLimiter as MailLimiter
    from content.web.page_cache import PageCache
    from content.web.pdf import PdfCache
    from content.web.sidebar import SharedModules


@dataclass(frozen=True)
class SecurityHeaders:
    """The headers every response carries; `hsts` (Strict-Transport-Security) over HTTPS only."""

    headers: dict[str, str]
    hsts: str


@dataclass(kw_only=True, eq=False)
class Portal(Runtime):
    """The running portal: content's parts and those of its pages."""

    visitor_signer: VisitorSigner
    device_signer: URLSafeSerializer
    csrf_mac: hmac.HMAC  # keyed once, copied per form token
    static_hashes: dict[str, str]
    vendor_hashes: dict[str, str]
    security_headers: SecurityHeaders
    compressor: Compressor | None  # None: PORTAL_COMPRESSION is off
    page_cache: PageCache | None  # None: PAGE_CACHE_SECONDS is 0
    poll_guard: Guard
    vote_throttle: VoteThrottle
    shared_modules: SharedModules
    mail_stamp: FormStamp
    mail_limiter: MailLimiter
    reset_limiter: MailLimiter  # "forgot password" requests per typed address and per network
    pdf_cache: PdfCache
    images: ImageProcessor | None = None  # the media library's, set by views.init_app
    # Counts of downloads and clicks still being written after their response
    pending_counts: set[asyncio.Task[Any]] = field(default_factory=set)
    # Password reset mails promised to visitors and not yet sent (each done when it is)
    pending_mails: set[asyncio.Future[None]] = field(default_factory=set)


def portal() -> Portal:
    """The portal handling this request."""
    return Portal.current()
