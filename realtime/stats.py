"""The statistics channels: the site's visit total, each article's hits, the moderators' minutes."""

from __future__ import annotations

import time
from collections.abc import Collection
from typing import Any

from content import stats
from content.db import Database
from content.stats import HitCounter, stored_hits
from realtime.broadcaster import Broadcaster, room_name
from realtime.namespaces import MODERATION

STATS_ROOM = "stats"
STATISTICS_ROOM = "statistics"  # in the moderators' namespace


def article_room(article_id: int) -> str:
    """The room of the people on one article's page."""
    return room_name("article", article_id)


class StatsChannel:
    """Publishes `visit_total`, `article_hits` and `stats_live` snapshots once per tick."""

    def __init__(
        self,
        counter: HitCounter,
        broadcaster: Broadcaster,
        db: Database,
        figures: Collection[str] = (),
    ) -> None:
        self.counter = counter
        self.broadcaster = broadcaster
        self.db = db
        self.figures = frozenset(figures)  # the extra figures chosen (PORTAL_STATS_FIGURES)
        # (when read, the figures): kept until content changes, and one tick at most, since
        # an article's publishing window opens and closes with the clock and accounts
        # announce nothing
        self._figures: tuple[float, dict[str, int]] | None = None

    def content_changed(self, _: object = None) -> None:
        """An editor's change: the extra figures are read again when next asked for."""
        self._figures = None

    async def public_figures(self) -> dict[str, Any]:
        """GET /api/statistik: {"total": int} and the chosen figures; the total from the counter
        (as `visit_total`), the others read at most once per tick, however many ask."""
        if not self.figures:
            return self.total_snapshot()
        now = time.monotonic()
        kept = self._figures
        if kept is None or now - kept[0] >= self.broadcaster.tick_seconds:
            kept = (now, await stats.site_figures(self.db, self.figures))
            self._figures = kept
        return {**self.total_snapshot(), **kept[1]}

    def total_snapshot(self) -> dict[str, Any]:
        """The `visit_total` payload: {"total": int}."""
        return {"total": self.counter.total}

    async def article_snapshot(self, article_id: int) -> dict[str, Any] | None:
        """The `article_hits` payload: {"id": int, "hits": int}, or None for no such article."""
        hits = await stored_hits(self.db, article_id)
        if hits is None:
            return None
        return {"id": article_id, "hits": hits + self.counter.unflushed_hits(article_id)}

    def live_snapshot(self) -> dict[str, Any]:
        """The moderators' `stats_live` payload: views per minute for the last hour."""
        minutes = self.counter.minutes()
        return {"minutes": minutes, "last_5": sum(minutes[-5:]), "last_60": sum(minutes)}

    async def before_tick(self) -> None:
        """Recompute what changed: the total, the articles viewed, the minute chart."""
        if self.counter.total_changed:
            self.counter.total_changed = False
            self.broadcaster.publish(STATS_ROOM, "visit_total", self.total_snapshot())
        changed, self.counter.changed_articles = self.counter.changed_articles, set()
        for article_id in changed:
            snapshot = await self.article_snapshot(article_id)
            if snapshot is not None:
                self.broadcaster.publish(article_room(article_id), "article_hits", snapshot)
        self.broadcaster.publish(STATISTICS_ROOM, "stats_live", self.live_snapshot(), MODERATION)

    async def watch_article(self, sid: str, article_id: int) -> None:
        """Subscribe a socket to an article's hit count (sent at once)."""
        room = article_room(article_id)
        if self.broadcaster.snapshot(room) is None:
            snapshot = await self.article_snapshot(article_id)
            if snapshot is None:
                return
            self.broadcaster.publish(room, "article_hits", snapshot)
        await self.broadcaster.subscribe(sid, room)
