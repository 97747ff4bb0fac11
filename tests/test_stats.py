"""Visit counting: the rules in memory, the flush into SQLite, the pages and the JSON."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from quart.testing import QuartClient

from content.db import Database
from content.events import PageView
from content.stats import HitCounter, daily_csv, daily_figures, top_articles
from content.web.state import Portal
from tests.clock import ManualClock, until
from tests.conftest import Auth, soup

BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


@pytest.fixture
def counter(clock: ManualClock) -> HitCounter:
    return HitCounter("rahasia", "Asia/Jakarta", window=1800, cap=1000, clock=clock)


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "stats.db") as db:
        await db.migrate()
        await add_articles(db)
        yield db


async def add_articles(db: Database) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "INSERT INTO categories (id, title, alias) VALUES (1, 'Berita', 'berita')"
        )
        for article_id in (1, 2):
            await conn.execute(
                "INSERT INTO articles (id, category_id, title, alias, created, modified, state, "
                "hits) VALUES (?, 1, ?, ?, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1, 10)",
                (article_id, f"Artikel {article_id}", f"artikel-{article_id}"),
            )


def view(counter: HitCounter, article: int, visitor: str, **kwargs: object) -> bool:
    options = {"address": "192.0.2.1", "bot": False, "staff": False, **kwargs}
    return counter.article_view(article, visitor, **options)  # type: ignore[arg-type]


def test_once_per_visitor_per_article_per_window(counter: HitCounter, clock: ManualClock) -> None:
    assert view(counter, 1, "alice")
    assert not view(counter, 1, "alice")  # a reload
    assert view(counter, 2, "alice")  # another article
    assert view(counter, 1, "bob")  # another visitor
    clock.advance(1799)
    assert not view(counter, 1, "alice")
    clock.advance(2)
    assert view(counter, 1, "alice")  # the window has passed
    assert counter.pending.hits == {1: 3, 2: 1}
    assert counter.total == 4


def test_bots_and_staff_never_count(counter: HitCounter) -> None:
    assert not view(counter, 1, "crawler", bot=True)
    assert not view(counter, 1, "editor", staff=True)
    counter.page_view("crawler", bot=True, staff=False)
    counter.page_view("editor", bot=False, staff=True)
    assert counter.total == 0 and not counter.pending.hits
    assert sum(counter.pending.bot_views.values()) == 1
    assert not counter.pending.site_views


def test_one_address_cannot_count_without_end(clock: ManualClock) -> None:
    counter = HitCounter("rahasia", window=1800, address_cap=5, clock=clock)
    counted = [view(counter, 1, f"fresh-cookie-{n}") for n in range(20)]
    assert counted.count(True) == 5
    assert view(counter, 1, "someone-else", address="198.51.100.7")


def test_memory_is_bounded_and_fills_flush_early(clock: ManualClock) -> None:
    counter = HitCounter("rahasia", window=1800, cap=50, address_cap=10**6, clock=clock)
    for n in range(200):
        view(counter, 1, f"v{n}")
    assert counter.full.is_set()
    assert len(counter._seen) <= 50


def test_realtime_windows(counter: HitCounter, clock: ManualClock) -> None:
    for n in range(3):
        counter.page_view(f"v{n}", bot=False, staff=False)
    clock.advance(4 * 60)
    counter.page_view("v9", bot=False, staff=False)
    assert counter.recent_views(5) == 4
    clock.advance(3 * 60)
    assert counter.recent_views(5) == 1
    assert counter.recent_views(60) == 4
    assert len(counter.minutes()) == 60


async def test_flush_writes_everything_in_one_transaction(
    counter: HitCounter, database: Database
) -> None:
    for n in range(7):
        view(counter, 1, f"visitor-{n}")
        counter.page_view(f"visitor-{n}", bot=False, staff=False)
    view(counter, 2, "visitor-0")
    counter.page_view("googlebot", bot=True, staff=False)
    assert await counter.flush(database)
    assert counter.flushes == 1
    assert await database.fetchval("SELECT hits FROM articles WHERE id = 1") == 17
    assert await database.fetchval("SELECT hits FROM articles WHERE id = 2") == 11
    day = counter.day()
    row = await database.fetchone("SELECT * FROM site_daily WHERE day = ?", (day,))
    assert (row["views"], row["visitors"], row["bot_views"]) == (7, 7, 1)
    row = await database.fetchone("SELECT * FROM article_daily WHERE article_id = 1")
    assert (row["views"], row["visitors"]) == (7, 7)
    # the same people again the same day: more views, no more visitors
    for n in range(3):
        counter.page_view(f"visitor-{n}", bot=False, staff=False)
    await counter.flush(database)
    row = await database.fetchone("SELECT * FROM site_daily WHERE day = ?", (day,))
    assert (row["views"], row["visitors"]) == (10, 7)
    assert await counter.flush(database)  # nothing pending: no transaction
    assert counter.flushes == 2
    hashes = [r[0] for r in await database.fetchall("SELECT hash FROM daily_uniques")]
    assert hashes and not any("visitor" in h for h in hashes)  # no ids stored


async def test_failed_flush_keeps_the_counts(counter: HitCounter, database: Database) -> None:
    await database.conn.execute(
        "CREATE TRIGGER full_disk BEFORE UPDATE ON articles BEGIN "
        "SELECT RAISE(ABORT, 'database or disk is full'); END"
    )
    view(counter, 1, "alice")
    counter.page_view("alice", bot=False, staff=False)
    assert not await counter.flush(database)
    assert await database.fetchval("SELECT hits FROM articles WHERE id = 1") == 10
    assert await database.fetchval("SELECT count(*) FROM site_daily") == 0  # nothing half-written
    assert counter.pending.hits == {1: 1}
    await database.conn.execute("DROP TRIGGER full_disk")
    assert await counter.flush(database)
    assert await database.fetchval("SELECT hits FROM articles WHERE id = 1") == 11


async def test_reports(counter: HitCounter, database: Database) -> None:
    for n in range(4):
        view(counter, 2, f"v{n}")
        counter.page_view(f"v{n}", bot=False, staff=False)
    view(counter, 1, "v0")
    await counter.flush(database)
    today = counter.day()
    figures = await daily_figures(database, today, 30)
    assert len(figures) == 30 and figures[-1].views == 4 and figures[0].views == 0
    top = await top_articles(database, today, today)
    assert [(t.id, t.views) for t in top] == [(2, 4), (1, 1)]
    csv_text = await daily_csv(database)
    assert csv_text.splitlines() == ["day,views,visitors,bot_views", f"{today},4,4,0"]


# Through the app


async def article_path(db: Database) -> tuple[int, str]:
    row = await db.fetchone("SELECT id, alias FROM articles WHERE state = 1 ORDER BY id LIMIT 1")
    assert row is not None
    return row["id"], f"/artikel/{row['id']}-{row['alias']}"


def shown_hits(html: bytes) -> int:
    return int(soup(html).select_one('[data-live="article.hits"]')["data-value"])


async def test_reload_does_not_count_but_a_new_visitor_does(
    client: QuartClient, db: Database, app: object
) -> None:
    _, path = await article_path(db)
    headers = {"User-Agent": BROWSER}
    first = shown_hits(await (await client.get(path, headers=headers)).get_data())
    again = shown_hits(await (await client.get(path, headers=headers)).get_data())
    assert again == first
    client.cookie_jar.clear()  # a different visitor: counted, even from the shared page
    await client.get(path, headers=headers)
    article_id = int(path.split("/")[-1].split("-")[0])
    counter = Portal.of(app).hits
    stored = await db.fetchval("SELECT hits FROM articles WHERE id = ?", (article_id,))
    assert stored + counter.unflushed_hits(article_id) == first + 1
    cache = Portal.of(app).page_cache
    assert cache is not None
    cache.clear()
    other = shown_hits(await (await client.get(path, headers=headers)).get_data())
    assert other == first + 1  # a page rendered afresh shows it


async def test_one_page_view_event_counts_the_page_and_the_article_hit_once(
    client: QuartClient, db: Database
) -> None:
    article_id, path = await article_path(db)
    portal = Portal.of(client.app)
    heard: list[PageView] = []
    portal.events.subscribe(PageView, heard.append)
    counter = portal.hits
    headers = {"User-Agent": BROWSER}
    shown = shown_hits(await (await client.get(path, headers=headers)).get_data())
    assert [view.article_id for view in heard] == [article_id]  # one event, with the article
    assert heard[0].path == path and not heard[0].staff
    assert counter.unflushed_hits(article_id) == 1
    assert sum(counter.pending.site_views.values()) == 1
    stored = await db.fetchval("SELECT hits FROM articles WHERE id = ?", (article_id,))
    assert shown == stored + 1  # the page shows its own view
    client.cookie_jar.clear()  # another visitor, answered from the kept page
    await client.get(path, headers=headers)
    assert [view.article_id for view in heard] == [article_id, article_id]
    assert counter.unflushed_hits(article_id) == 2
    assert sum(counter.pending.site_views.values()) == 2
    await client.head(path, headers=headers)  # not a page view: neither door counts it
    await client.get("/", headers=headers)  # a page view that is no article's
    assert [view.article_id for view in heard] == [article_id, article_id, None]
    assert counter.unflushed_hits(article_id) == 2


@pytest.mark.parametrize(
    "headers",
    [
        {"User-Agent": "Googlebot/2.1 (+http://www.google.com/bot.html)"},
        {"User-Agent": BROWSER, "Sec-Purpose": "prefetch"},
        {"User-Agent": BROWSER, "Purpose": "prefetch"},
    ],
)
async def test_bots_and_prefetches_are_not_counted(
    client: QuartClient, db: Database, headers: dict[str, str]
) -> None:
    article_id, path = await article_path(db)
    counter = Portal.of(client.app).hits
    before = counter.total
    await client.get(path, headers=headers)
    assert counter.total == before and counter.unflushed_hits(article_id) == 0


async def test_staff_are_not_counted(client: QuartClient, db: Database, auth: Auth) -> None:
    article_id, path = await article_path(db)
    await auth.login("editor")
    counter = Portal.of(client.app).hits
    await client.get(path, headers={"User-Agent": BROWSER})
    assert counter.unflushed_hits(article_id) == 0


async def test_statistik_module_and_json(client: QuartClient, db: Database) -> None:
    _, path = await article_path(db)
    page = soup(await (await client.get("/", headers={"User-Agent": BROWSER})).get_data())
    total = int(page.select_one('.module-stats [data-live="stats.total"]')["data-value"])
    hits = await db.fetchval("SELECT sum(hits) FROM articles")
    assert total == hits + 1805559
    assert page.select_one(
        '.module-stats [data-live="stats.total"]'
    ).get_text() == f"{total:,}".replace(",", ".")
    await client.get(path, headers={"User-Agent": BROWSER})
    response = await client.get("/api/statistik")
    assert await response.get_json() == {"total": total + 1}


async def test_optional_figures_and_server_information(
    tmp_path: Path, demo_database: object
) -> None:
    import shutil

    from tests.conftest import Auth as AuthHelper
    from tests.conftest import make_app

    shutil.copy(demo_database.path, tmp_path / "portal.db")  # type: ignore[attr-defined]
    app = make_app(tmp_path, STATS_FIGURES=("members", "articles", "links"))
    async with app.test_app() as test_app:
        client = test_app.test_client()
        data = await (await client.get("/api/statistik")).get_json()
        assert set(data) == {"total", "members", "articles", "links"} and data["links"] == 15
        page = soup(await (await client.get("/")).get_data())
        assert len(page.select(".module-stats .stat-more dt")) == 3
        assert page.select_one(".stat-server") is None
        await AuthHelper(client, demo_database.passwords).login("admin")  # type: ignore[attr-defined]
        page = soup(await (await client.get("/")).get_data())
        assert page.select_one(".stat-server dd").get_text()


async def test_moderators_statistics_page_and_csv(client: QuartClient, auth: Auth) -> None:
    assert (await client.get("/moderasi/statistik")).status_code == 302
    await auth.login("editor")
    assert (await client.get("/moderasi/statistik")).status_code == 403
    await auth.logout()
    await auth.login("moderator")
    page = soup(await (await client.get("/moderasi/statistik")).get_data())
    charts = page.select("figure.chart svg[role=img]")
    assert len(charts) == 3
    assert len(charts[0].select("rect[data-live-bar]")) == 60
    assert page.select_one("figure.chart .chart-title").get_text() == "Satu jam terakhir, per menit"
    response = await client.get("/moderasi/statistik.csv")
    assert response.mimetype == "text/csv"
    assert (await response.get_data(as_text=True)).startswith("day,views,visitors,bot_views")


async def test_feeds_and_sitemaps_are_not_page_views(client: QuartClient) -> None:
    counter = Portal.of(client.app).hits
    for path in ("/feed/rss.xml", "/feed/atom.xml", "/sitemap.xml", "/robots.txt", "/api/online"):
        assert (await client.get(path, headers={"User-Agent": BROWSER})).status_code == 200
    assert sum(counter.pending.site_views.values()) == 0
    await client.get("/", headers={"User-Agent": BROWSER})
    assert sum(counter.pending.site_views.values()) == 1
    assert counter.flushes == 0  # so nothing was written and emptied behind the test's back


async def test_the_flusher_writes_once_per_interval_of_the_apps_clock(
    client: QuartClient, db: Database, clock: ManualClock
) -> None:
    counter = Portal.of(client.app).hits
    interval = client.app.config["STATS_FLUSH_INTERVAL"]
    article_id, path = await article_path(db)
    stored = await db.fetchval("SELECT hits FROM articles WHERE id = ?", (article_id,))
    await client.get(path, headers={"User-Agent": BROWSER})
    await until(lambda: clock.sleepers == 1)  # the flusher waits for its interval
    clock.advance(interval * 0.99)
    for _ in range(20):
        await asyncio.sleep(0)
    assert counter.flushes == 0 and counter.unflushed_hits(article_id) == 1
    clock.advance(interval * 0.02)
    await until(lambda: counter.flushes == 1)
    assert counter.unflushed_hits(article_id) == 0
    assert await db.fetchval("SELECT hits FROM articles WHERE id = ?", (article_id,)) == stored + 1
    await until(lambda: clock.sleepers == 1)  # and waits for the next one
