"""Visit statistics: counted honestly in memory, written in one transaction per interval.

A view of a published article counts once per visitor per article per window; bots, logged-in
staff and prefetches never count. Page views feed the site's daily figures and the realtime
windows. Nothing here writes the database on the request path: `flush()` does, once per interval,
at shutdown, and early when the in-memory aggregates reach their cap. A failed flush keeps the
counts for the next try.
"""

from __future__ import annotations

import asyncio
import csv
import hashlib
import hmac
import io
import logging
from collections import Counter, OrderedDict, deque
from collections.abc import AsyncGenerator, Collection
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from quart import Quart

from content import articles, site
from content.clock import SYSTEM, Clock
from content.db import Database, Unavailable
from content.events import Events, PageView
from content.runtime import Runtime

log = logging.getLogger(__name__)

SITE_SCOPE = "site"


def article_scope(article_id: int) -> str:
    """The unique-visitor scope of one article."""
    return f"article:{article_id}"


@dataclass
class Pending:
    """Counts not yet in the database."""

    hits: Counter[int] = field(default_factory=Counter)  # article -> counted views
    article_views: Counter[tuple[str, int]] = field(default_factory=Counter)  # (day, article)
    site_views: Counter[str] = field(default_factory=Counter)  # day -> people's page views
    bot_views: Counter[str] = field(default_factory=Counter)  # day -> bots' page views
    uniques: set[tuple[str, str, str]] = field(default_factory=set)  # (day, scope, hash)

    def size(self) -> int:
        """How many entries are held (what the cap limits)."""
        return (
            len(self.hits)
            + len(self.article_views)
            + len(self.site_views)
            + len(self.bot_views)
            + len(self.uniques)
        )

    def merge(self, other: Pending) -> None:
        """Add another batch back (after a failed flush)."""
        self.hits.update(other.hits)
        self.article_views.update(other.article_views)
        self.site_views.update(other.site_views)
        self.bot_views.update(other.bot_views)
        self.uniques |= other.uniques


class HitCounter:
    """In-memory aggregation of views, with the once-per-window rule and the realtime windows."""

    def __init__(
        self,
        secret: str,
        timezone: str = "Asia/Jakarta",
        *,
        window: float = 1800.0,
        cap: int = 50_000,
        address_cap: int = 60,
        clock: Clock = SYSTEM,
    ) -> None:
        self._secret = secret.encode()
        self.tz = ZoneInfo(timezone)
        self.window = window
        self.cap = cap
        self.clock = clock
        self._clock = clock.time
        self.total = 0  # sum of all hits plus the legacy offset, kept current in memory
        self.pending = Pending()
        self.inflight = Pending()  # taken by a flush that has not committed yet
        self.address_cap = address_cap
        self._seen: OrderedDict[tuple[str, int], float] = OrderedDict()
        # address hash -> [window start, views counted]: one address cannot count without end
        self._addresses: OrderedDict[str, list[float]] = OrderedDict()
        self._minutes: deque[list[int]] = deque(maxlen=61)  # [minute, people's views]
        self.changed_articles: set[int] = set()
        self.total_changed = False
        self.full = asyncio.Event()
        self._day_keys: dict[str, bytes] = {}
        self._pruned_before: str | None = None
        self.flushes = 0  # committed flush transactions (for tests and benchmarks)

    # Recording

    def day(self, at: float | None = None) -> str:
        """The site-local date of a moment."""
        moment = datetime.fromtimestamp(self._clock() if at is None else at, self.tz)
        return moment.date().isoformat()

    def _hash(self, day: str, visitor_key: str) -> str:
        """A visitor's hash for one day; the key changes daily, so days cannot be linked."""
        key = self._day_keys.get(day)
        if key is None:
            if len(self._day_keys) > 3:
                self._day_keys.clear()
            key = hmac.new(self._secret, f"uniques:{day}".encode(), hashlib.sha256).digest()
            self._day_keys[day] = key
        return hashlib.blake2b(visitor_key.encode(), key=key, digest_size=12).hexdigest()

    def page_view(self, visitor_key: str, *, bot: bool, staff: bool) -> None:
        """Any page served to a visitor: the site's daily views and visitors, the live windows."""
        if staff:
            return
        now = self._clock()
        day = self.day(now)
        if bot:
            self.pending.bot_views[day] += 1
        else:
            self.pending.site_views[day] += 1
            self.pending.uniques.add((day, SITE_SCOPE, self._hash(day, visitor_key)))
            minute = int(now // 60)
            if self._minutes and self._minutes[-1][0] == minute:
                self._minutes[-1][1] += 1
            else:
                self._minutes.append([minute, 1])
        self._check_size()

    def count(self, view: PageView) -> None:
        """A page served to a visitor (the event hub's `PageView`): the site's figures, and the
        article's hit when the page was an article's."""
        self.page_view(view.visitor_id, bot=view.bot, staff=view.staff)
        if view.article_id is not None:
            self.article_view(
                view.article_id,
                view.visitor_id,
                address=view.address,
                bot=view.bot,
                staff=view.staff,
            )

    def article_view(
        self, article_id: int, visitor_key: str, *, address: str, bot: bool, staff: bool
    ) -> bool:
        """A view of a published article; True when it counted."""
        if bot or staff:
            return False
        now = self._clock()
        seen_key = (visitor_key, article_id)
        last = self._seen.get(seen_key)
        if last is not None and now - last < self.window:
            return False
        if not self._address_allows(address, now):
            return False
        self._seen[seen_key] = now
        self._seen.move_to_end(seen_key)
        self._forget_old_views(now)
        day = self.day(now)
        self.pending.hits[article_id] += 1
        self.pending.article_views[(day, article_id)] += 1
        self.pending.uniques.add((day, article_scope(article_id), self._hash(day, visitor_key)))
        self.total += 1
        self.total_changed = True
        self.changed_articles.add(article_id)
        self._check_size()
        return True

    def _address_allows(self, address: str, now: float) -> bool:
        """At most `address_cap` counted views per address per window (cookie-less floods)."""
        key = hashlib.blake2b(address.encode(), key=self._secret[:64], digest_size=8).hexdigest()
        entry = self._addresses.get(key)
        if entry is None or now - entry[0] >= self.window:
            entry = [now, 0]
        if entry[1] >= self.address_cap:
            return False
        entry[1] += 1
        self._addresses[key] = entry
        self._addresses.move_to_end(key)
        while len(self._addresses) > self.cap:
            self._addresses.popitem(last=False)
        return True

    def _forget_old_views(self, now: float) -> None:
        while self._seen:
            oldest = next(iter(self._seen.values()))
            if now - oldest < self.window and len(self._seen) <= self.cap:
                break
            self._seen.popitem(last=False)

    def _check_size(self) -> None:
        if self.pending.size() >= self.cap:
            self.full.set()

    # Reading

    def unflushed_hits(self, article_id: int) -> int:
        """Counted views of an article not yet in articles.hits."""
        return self.pending.hits[article_id] + self.inflight.hits[article_id]

    def minutes(self) -> list[int]:
        """People's page views in each of the last 60 minutes, oldest first."""
        current = int(self._clock() // 60)
        by_minute = dict((m, n) for m, n in self._minutes)
        return [by_minute.get(minute, 0) for minute in range(current - 59, current + 1)]

    def recent_views(self, minutes: int) -> int:
        """People's page views in the last `minutes` minutes (the 5-minute and 1-hour windows)."""
        return sum(self.minutes()[-minutes:])

    # Writing

    async def load(self, db: Database) -> None:
        """Start the live total from the database: all hits plus the legacy offset."""
        self.total = await articles.total_hits(db) + await site.visit_offset(db)
        self.total_changed = True

    async def flush(self, db: Database) -> bool:
        """Write everything pending in one transaction; on failure keep it for the next try."""
        if self.pending.size() == 0:
            return True
        batch, self.pending = self.pending, Pending()
        self.inflight = batch
        self.full.clear()
        try:
            await self._write(db, batch)
        except Exception as error:
            if isinstance(error, Unavailable):  # the cause is outside the code: one line
                log.error(
                    "Flushing %d statistics entries failed (%s: %s); kept for the next try",
                    batch.size(),
                    error.why,
                    error.error,
                )
            else:
                log.exception(
                    "Flushing %d statistics entries failed; kept for the next try", batch.size()
                )
            self.pending.merge(batch)
            return False
        finally:
            self.inflight = Pending()
        self.flushes += 1
        return True

    async def _write(self, db: Database, batch: Pending) -> None:
        today = self.day()
        async with db.transaction() as conn:
            await conn.executemany(
                "UPDATE articles SET hits = hits + ? WHERE id = ?",
                [(count, article_id) for article_id, count in batch.hits.items()],
            )
            await conn.executemany(
                "INSERT INTO article_daily (article_id, day, views) "
                "SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM articles WHERE id = ?) "
                "ON CONFLICT (article_id, day) DO UPDATE SET views = views + excluded.views",
                [(a, d, n, a) for (d, a), n in batch.article_views.items()],
            )
            days = set(batch.site_views) | set(batch.bot_views)
            await conn.executemany(
                "INSERT INTO site_daily (day, views, bot_views) VALUES (?, ?, ?) "
                "ON CONFLICT (day) DO UPDATE SET views = views + excluded.views, "
                "bot_views = bot_views + excluded.bot_views",
                [(d, batch.site_views[d], batch.bot_views[d]) for d in days],
            )
            groups: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
            for unique in sorted(batch.uniques):
                groups.setdefault(unique[:2], []).append(unique)
            for (day, scope), rows in groups.items():
                # The people not seen before today are the rows that were new: add them, rather
                # than counting the day's rows again (a day holds tens of thousands).
                cursor = await conn.executemany(
                    "INSERT OR IGNORE INTO daily_uniques (day, scope, hash) VALUES (?, ?, ?)", rows
                )
                new = cursor.rowcount
                if new <= 0:
                    continue
                if scope == SITE_SCOPE:
                    await conn.execute(
                        "INSERT INTO site_daily (day, visitors) VALUES (?, ?) "
                        "ON CONFLICT (day) DO UPDATE SET visitors = visitors + excluded.visitors",
                        (day, new),
                    )
                else:
                    article_id = int(scope.removeprefix("article:"))
                    await conn.execute(
                        "UPDATE article_daily SET visitors = visitors + ? "
                        "WHERE article_id = ? AND day = ?",
                        (new, article_id, day),
                    )
            if self._pruned_before != today:
                # Uniques only tell people apart within a day; yesterday's are kept for late
                # flushes around midnight, older ones are dropped.
                yesterday = (date.fromisoformat(today) - timedelta(days=1)).isoformat()
                await conn.execute("DELETE FROM daily_uniques WHERE day < ?", (yesterday,))
                self._pruned_before = today

    async def run(self, db: Database, stop: asyncio.Event, interval: float) -> None:
        """Flush every `interval` seconds (sooner when full) until `stop`, then once more."""
        started = self.clock.monotonic()
        while not stop.is_set():
            stop_wait = asyncio.ensure_future(stop.wait())
            full_wait = asyncio.ensure_future(self.full.wait())
            interval_wait = asyncio.ensure_future(self.clock.sleep(interval))
            _, waiting = await asyncio.wait(
                {stop_wait, full_wait, interval_wait}, return_when=asyncio.FIRST_COMPLETED
            )
            for task in waiting:
                task.cancel()
            await self.flush(db)
        await self.flush(db)
        log.info(
            "Statistics: %d flush transactions in %.1f s; %d views pending",
            self.flushes,
            self.clock.monotonic() - started,
            self.pending.size(),
        )


# Reports


@dataclass(frozen=True)
class DayFigures:
    """One day of the site's figures."""

    day: str
    views: int
    visitors: int
    bot_views: int


async def daily_figures(db: Database, last_day: str, days: int) -> list[DayFigures]:
    """The site's figures for `days` days up to `last_day`, with zeros for quiet days."""
    end = date.fromisoformat(last_day)
    start = end - timedelta(days=days - 1)
    rows = await db.fetchall(
        "SELECT day, views, visitors, bot_views FROM site_daily WHERE day BETWEEN ? AND ?",
        (start.isoformat(), end.isoformat()),
    )
    found = {row["day"]: row for row in rows}
    figures = []
    for offset in range(days):
        day = (start + timedelta(days=offset)).isoformat()
        row = found.get(day)
        figures.append(
            DayFigures(day, row["views"], row["visitors"], row["bot_views"])
            if row
            else DayFigures(day, 0, 0, 0)
        )
    return figures


@dataclass(frozen=True)
class TopArticle:
    """An article's counted views over a period."""

    id: int
    alias: str
    title: str
    views: int
    visitors: int

    @property
    def slug(self) -> str:
        return f"{self.id}-{self.alias}"


async def top_articles(db: Database, since: str, until: str, limit: int = 10) -> list[TopArticle]:
    """The most viewed articles between two days (inclusive)."""
    rows = await db.fetchall(
        "SELECT a.id, a.alias, a.title, sum(d.views) AS views, sum(d.visitors) AS visitors "
        "FROM article_daily d JOIN articles a ON a.id = d.article_id "
        "WHERE d.day BETWEEN ? AND ? GROUP BY a.id ORDER BY views DESC, a.id LIMIT ?",
        (since, until, limit),
    )
    return [TopArticle(**dict(row)) for row in rows]


async def stored_hits(db: Database, article_id: int) -> int | None:
    """An article's hits as flushed to the database (None: no such article)."""
    hits = await db.fetchval("SELECT hits FROM articles WHERE id = ?", (article_id,))
    return None if hits is None else int(hits)


async def site_figures(db: Database, chosen: Collection[str]) -> dict[str, int]:
    """The Statistik module's extra figures, those of `chosen` ("members", "articles", "links"):
    active accounts, readable articles, published link banners."""
    figures: dict[str, int] = {}
    if "members" in chosen:
        figures["members"] = int(await db.fetchval("SELECT count(*) FROM users WHERE active = 1"))
    if "articles" in chosen:
        figures["articles"] = await articles.count_public(db)
    if "links" in chosen:
        figures["links"] = int(
            await db.fetchval("SELECT count(*) FROM banners WHERE published = 1")
        )
    return figures


async def daily_csv(db: Database) -> str:
    """The whole daily table as CSV (day, views, visitors, bot views)."""
    rows = await db.fetchall("SELECT day, views, visitors, bot_views FROM site_daily ORDER BY day")
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["day", "views", "visitors", "bot_views"])
    for row in rows:
        writer.writerow([row["day"], row["views"], row["visitors"], row["bot_views"]])
    return out.getvalue()


def init_app(app: Quart, database: Database, events: Events, clock: Clock = SYSTEM) -> HitCounter:
    """Count page views from the event hub; flush while serving (every interval of `clock`)
    and once more at shutdown."""
    counter = HitCounter(
        app.config["SECRET_KEY"],
        app.config["TIMEZONE"],
        window=app.config["VISIT_WINDOW"],
        cap=app.config["STATS_MEMORY_CAP"],
        address_cap=app.config["STATS_ADDRESS_CAP"],
        clock=clock,
    )
    if app.config["COUNT_VISITS"]:
        events.subscribe(PageView, counter.count)

    @app.while_serving
    async def count_while_serving() -> AsyncGenerator[None, None]:
        await counter.load(database)
        app.add_background_task(
            counter.run, database, app.shutdown_event, app.config["STATS_FLUSH_INTERVAL"]
        )
        yield

    return counter


def get_counter() -> HitCounter:
    """The app's hit counter."""
    return Runtime.current().hits
