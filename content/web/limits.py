"""Request rate limits per client address, with quart-rate-limiter.

The key is the real peer's address: the gate (content/gate.py) has already replaced it with a
trusted proxy's X-Forwarded-For when there is one, and removed forwarding headers from anyone
else, so a forged header cannot give a client a fresh allowance.

Each limit is a setting; 0 switches it off. Limits are attached to the app's own copies of the
views, so several apps in one process (tests) do not add up each other's limits.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import datetime, timedelta
from functools import wraps
from typing import Any

from quart import Quart, request
from quart_rate_limiter import RateLimiter, rate_limit
from quart_rate_limiter.store import RateLimiterStoreABC

# endpoint -> (setting with the limit per minute, methods it applies to)
LIMITS: dict[str, tuple[str, tuple[str, ...]]] = {
    "auth.login": ("LOGIN_PER_MINUTE", ("POST",)),
    "accounts.confirm_password": ("LOGIN_PER_MINUTE", ("POST",)),
    "accounts.reset_password": ("LOGIN_PER_MINUTE", ("GET", "POST")),
    "auth.forgot_password": ("LOGIN_PER_MINUTE", ("POST",)),
    "tools.search": ("SEARCH_PER_MINUTE", ("GET",)),
    "tools.article_pdf": ("PDF_PER_MINUTE", ("GET",)),
    "tools.email_article": ("MAIL_FORM_PER_MINUTE", ("POST",)),
}


class BoundedStore(RateLimiterStoreABC):
    """The limiter's memory: forgets entries once they no longer limit, and holds at most `cap`."""

    def __init__(self, cap: int = 100_000) -> None:
        self.cap = cap
        self._tats: OrderedDict[str, datetime] = OrderedDict()

    async def get(self, key: str, default: datetime) -> datetime:
        tat = self._tats.get(key)
        return default if tat is None or tat <= default else tat

    async def set(self, key: str, tat: datetime) -> None:
        self._tats[key] = tat
        self._tats.move_to_end(key)
        now = datetime.now(tat.tzinfo)
        while self._tats:  # the oldest entries first: drop the ones that have run out
            oldest_key, oldest = next(iter(self._tats.items()))
            if oldest > now and len(self._tats) <= self.cap:
                break
            del self._tats[oldest_key]

    async def before_serving(self) -> None:
        return None

    async def after_serving(self) -> None:
        self._tats.clear()

    def __len__(self) -> int:
        return len(self._tats)


async def peer_address() -> str:
    """The client's address as the gate established it."""
    return request.remote_addr or "unknown"


def _limited(view: Any, per_minute: int, methods: tuple[str, ...]) -> Any:
    @wraps(view)
    async def limited_view(*args: Any, **kwargs: Any) -> Any:
        return await view(*args, **kwargs)

    for name in list(vars(limited_view)):  # wraps() copied the original's attributes: drop them
        if name.startswith("_quart_rate_limiter"):
            delattr(limited_view, name)

    async def other_method() -> bool:
        return request.method not in methods

    decorate = rate_limit(
        per_minute, timedelta(minutes=1), key_function=peer_address, skip_function=other_method
    )
    return decorate(limited_view)


def init_app(app: Quart) -> RateLimiter:
    """Put the configured limits on their views (after every blueprint is registered)."""
    limiter = RateLimiter(app, key_function=peer_address, store=BoundedStore())
    for endpoint, (setting, methods) in LIMITS.items():
        per_minute = int(app.config[setting])
        if per_minute > 0 and endpoint in app.view_functions:
            app.view_functions[endpoint] = _limited(
                app.view_functions[endpoint], per_minute, methods
            )
    return limiter
