"""The run-time object: one typed Portal per app, complete after create_app, read back typed."""

from __future__ import annotations

import hmac
import re
from dataclasses import fields
from pathlib import Path

import pytest
from babel.support import NullTranslations
from itsdangerous import URLSafeSerializer
from quart import Quart

from content.clock import SYSTEM, Clock
from content.db import Database, get_db
from content.events import Events, get_events
from content.live import LiveLayer, get_presence, poll_alerts
from content.media.images import ImageProcessor
from content.polls import Guard, VoteThrottle
from content.revisions import Retention
from content.runtime import Runtime
from content.sanitize import HtmlCleaner
from content.stats import HitCounter, get_counter
from content.visitors import VisitorSigner
from content.web import mail
from content.web.compression import Compressor
from content.web.page_cache import PageCache
from content.web.pdf import PdfCache, get_pdf_cache
from content.web.sidebar import SharedModules, guard
from content.web.state import Portal, SecurityHeaders, portal
from realtime.presence import PresenceTracker
from realtime.server import Live
from tests.clock import ManualClock
from tests.conftest import make_app

ROOT = Path(__file__).resolve().parent.parent

# Every part of the Portal and the type it must have once create_app has run.
PARTS: dict[str, type | tuple[type, ...]] = {
    "events": Events,
    "database": Database,
    "cleaner": HtmlCleaner,
    "hits": HitCounter,
    "catalogs": dict,
    "clock": Clock,
    "live": Live,
    "retention": Retention,
    "visitor_signer": VisitorSigner,
    "device_signer": URLSafeSerializer,
    "csrf_mac": hmac.HMAC,
    "static_hashes": dict,
    "vendor_hashes": dict,
    "security_headers": SecurityHeaders,
    "compressor": Compressor,
    "page_cache": PageCache,
    "poll_guard": Guard,
    "vote_throttle": VoteThrottle,
    "shared_modules": SharedModules,
    "mail_stamp": mail.FormStamp,
    "mail_limiter": mail.RateLimiter,
    "reset_limiter": mail.RateLimiter,
    "pdf_cache": PdfCache,
    "images": ImageProcessor,
    "pending_counts": set,
    "pending_mails": set,
}


def test_the_portal_is_complete_after_create_app(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    held = Portal.of(app)
    assert {part.name for part in fields(Portal)} == set(PARTS), "a part without a test here"
    for name, kind in PARTS.items():
        assert isinstance(getattr(held, name), kind), name
    assert set(held.catalogs) == {"id", "en"}
    assert all(isinstance(c, NullTranslations) for c in held.catalogs.values())
    assert isinstance(held.live, Live) and isinstance(held.live.presence, PresenceTracker)


def test_the_clock_given_to_create_app_is_the_one_every_part_reads(tmp_path: Path) -> None:
    assert Portal.of(make_app(tmp_path)).clock is SYSTEM
    clock = ManualClock()
    held = Portal.of(make_app(tmp_path, clock=clock))
    assert held.clock is clock
    assert held.hits.clock is clock
    assert held.page_cache is not None and held.page_cache.clock is clock
    assert held.page_cache.compressor is held.compressor  # kept pages are compressed once


def test_the_app_holds_one_object_under_one_key(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    assert list(app.extensions) == ["serambi"]
    assert Runtime.of(app) is Portal.of(app)  # content reads its own parts of the same object


def test_content_parts_are_shared_with_the_live_layer(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    held = Portal.of(app)
    assert isinstance(held.live, Live)
    live: LiveLayer = held.live
    assert live.poll_alerts is held.live.polls
    assert held.live.polls.db is held.database
    assert held.live.polls.guard is held.poll_guard
    assert held.live.polls.throttle is held.vote_throttle
    assert held.live.stats.counter is held.hits


def test_no_page_cache_when_pages_are_not_shared(tmp_path: Path) -> None:
    app = make_app(tmp_path, PAGE_CACHE_SECONDS=0)
    assert Portal.of(app).page_cache is None


async def test_accessors_read_the_portal_of_the_current_app(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    held = Portal.of(app)
    async with app.app_context():
        assert portal() is held
        assert Runtime.current() is held
        assert get_db() is held.database
        assert get_events() is held.events
        assert get_counter() is held.hits
        assert get_pdf_cache() is held.pdf_cache
        assert guard() is held.poll_guard
        assert get_presence() is held.live.presence  # type: ignore[union-attr]
        assert poll_alerts() == []


async def test_pages_render_without_the_live_layer(tmp_path: Path) -> None:
    """Content reads presence through LiveLayer; an app without one has no live figures."""
    app = make_app(tmp_path)
    Portal.of(app).live = None
    async with app.app_context():
        assert get_presence() is None
        assert poll_alerts() == []


def test_an_app_without_a_portal_says_so() -> None:
    bare = Quart(__name__)
    with pytest.raises(LookupError, match="Portal"):
        Portal.of(bare)
    bare.extensions["serambi"] = Runtime.__new__(Runtime)  # content's parts only
    with pytest.raises(LookupError, match="Portal"):
        Portal.of(bare)


def test_no_string_keys_are_read_from_app_extensions() -> None:
    """Only content/runtime.py touches app.extensions; everything else goes through it."""
    found = []
    for folder in ("content", "realtime"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            if path == ROOT / "content" / "runtime.py":
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if re.search(r"\bapp\.extensions\b|current_app\.extensions\b", line):
                    found.append(f"{path.relative_to(ROOT)}:{number}")
    app_py = (ROOT / "app.py").read_text(encoding="utf-8")
    assert "extensions" not in app_py
    assert found == []
