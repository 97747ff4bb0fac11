"""The editors' dashboard: each panel shows the right items (on the test's clock), says so
helpfully when empty, links to its full list, and writes nothing."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from quart import Quart
from quart.testing import QuartClient

from content import polls
from content.db import Database, format_utc
from realtime import live_of
from tests.clock import ManualClock
from tests.conftest import Auth, soup

HOME = "/redaksi/"


async def dashboard(client: QuartClient) -> Any:
    response = await client.get(HOME)
    assert response.status_code == 200
    return soup(await response.get_data())


def titles(page: Any, panel: str) -> list[str]:
    return [a.get_text() for a in page.select(f'[data-panel="{panel}"] .panel-list li > a')]


async def add_article(
    db: Database, title: str, *, state: int, author_id: int | None, **times: str
) -> int:
    """An article straight into the table (what the dashboard reads), with the given times."""
    columns = {
        "category_id": 1,
        "title": title,
        "alias": title.lower().replace(" ", "-"),
        "intro_html": "<p>x</p>",
        "state": state,
        "author_id": author_id,
        "created": times.pop("created", "2026-01-01 00:00:00"),
        "modified": times.pop("modified", "2026-01-01 00:00:00"),
        **times,
    }
    async with db.transaction() as conn:
        cursor = await conn.execute(
            f"INSERT INTO articles ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            tuple(columns.values()),
        )
    assert cursor.lastrowid is not None
    return cursor.lastrowid


async def test_drafts_are_mine_only_newest_first(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await add_article(db, "Draf Lama Saya", state=0, author_id=2, modified="2026-02-01 08:00:00")
    await add_article(db, "Draf Baru Saya", state=0, author_id=2, modified="2026-03-01 08:00:00")
    await add_article(db, "Draf Admin", state=0, author_id=1, modified="2026-04-01 08:00:00")
    await add_article(db, "Terbit Saya", state=1, author_id=2)
    await auth.login("editor")
    page = await dashboard(client)
    assert titles(page, "drafts") == ["Draf Baru Saya", "Draf Lama Saya"]
    assert page.select_one('[data-panel="drafts"] h2 .count').get_text() == "2"
    await auth.logout()
    await auth.login("admin")
    assert titles(await dashboard(client), "drafts") == ["Draf Admin"]


async def test_scheduled_by_date_until_their_time_comes(
    client: QuartClient, auth: Auth, db: Database, clock: ManualClock
) -> None:
    now = clock.now()
    later = await add_article(
        db, "Dua Jam Lagi", state=1, author_id=1, publish_up=format_utc(now + timedelta(hours=2))
    )
    sooner = await add_article(
        db, "Satu Jam Lagi", state=1, author_id=1, publish_up=format_utc(now + timedelta(hours=1))
    )
    await add_article(
        db, "Draf Terjadwal", state=0, author_id=1, publish_up=format_utc(now + timedelta(hours=1))
    )
    await auth.login("editor")
    page = await dashboard(client)
    assert titles(page, "scheduled") == ["Satu Jam Lagi", "Dua Jam Lagi"]
    assert "Satu Jam Lagi" not in titles(page, "published")
    # its full list: the scheduled ones only, soonest first
    more = page.select_one('[data-panel="scheduled"] .panel-more a')["href"]
    listed = soup(await (await client.get(more)).get_data())
    assert [tr["data-article-id"] for tr in listed.select("tbody tr[data-article-id]")] == [
        str(sooner),
        str(later),
    ]
    clock.advance(90 * 60)  # the first one's time has come
    page = await dashboard(client)
    assert titles(page, "scheduled") == ["Dua Jam Lagi"]
    assert titles(page, "published")[0] == "Satu Jam Lagi"


async def test_recently_published_newest_first_with_reads(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    rows = await db.fetchall(
        "SELECT title, hits FROM articles WHERE state = 1 "
        "ORDER BY coalesce(publish_up, created) DESC, id DESC LIMIT 5"
    )
    await auth.login("editor")
    page = await dashboard(client)
    assert titles(page, "published") == [row["title"] for row in rows]
    first = page.select_one('[data-panel="published"] .panel-list li .meta').get_text()
    assert f"{rows[0]['hits']:,}".replace(",", ".") + " kali dibaca" in first


async def test_open_polls_with_their_voters(
    client: QuartClient, auth: Auth, db: Database, clock: ManualClock
) -> None:
    poll = await polls.get_poll(db, 1)
    assert poll is not None and poll.phase(clock.now()) == "open"
    await auth.login("editor")
    page = await dashboard(client)
    item = page.select_one('[data-panel="polls"] li[data-dashboard-poll="1"]')
    assert item.select_one("a").get_text() == poll.question
    assert item.select_one("[data-voters]").get_text() == str(poll.voters)
    await db.conn.execute("UPDATE polls SET state = 'closed'")
    page = await dashboard(client)
    empty = page.select_one('[data-panel="polls"] .panel-empty')
    assert empty.get_text(" ", strip=True) == "Tidak ada polling yang dibuka. Buat polling"
    assert empty.select_one("a")["href"] == "/redaksi/polling/baru"


async def test_being_read_now_comes_from_the_tracker(
    client: QuartClient, auth: Auth, app: Quart
) -> None:
    tracker = live_of(app).tracker
    tracker.connect("a", "v1", label="a", path="/artikel/2-kopi", title="Kopi – Situs")
    tracker.connect("b", "v2", label="b", path="/artikel/2-kopi")
    tracker.connect("c", "v3", label="c", path="/")
    tracker.connect("d", "v4", label="d", member="Redaksi", role="editor", path="/redaksi/")
    tracker.connect("e", "bot", label="e", bot=True, path="/artikel/3-teh")
    await auth.login("editor")
    page = await dashboard(client)
    items = page.select('[data-panel="reading"] [data-dashboard-reading] li')
    assert [(li.select_one("a")["href"], li.select_one(".figure").get_text()) for li in items] == [
        ("/artikel/2-kopi", "2"),
        ("/", "1"),
    ]
    assert items[0].select_one("a").get_text() == "Kopi – Situs"
    assert page.select_one("[data-dashboard-reading-empty]").has_attr("hidden")


async def test_empty_panels_say_what_to_do(client: QuartClient, auth: Auth, db: Database) -> None:
    await db.conn.execute("UPDATE articles SET publish_up = NULL WHERE state = 1")
    await db.conn.execute("DELETE FROM downloads")
    await auth.login("editor")
    page = await dashboard(client)
    drafts = page.select_one('[data-panel="drafts"] .panel-empty')
    assert drafts.get_text(" ", strip=True) == "Belum ada draf. Tulis artikel"
    assert drafts.select_one("a")["href"] == "/redaksi/artikel/baru"
    assert page.select_one('[data-panel="scheduled"] .panel-empty') is not None
    reading = page.select_one("[data-dashboard-reading-empty]")
    assert (
        not reading.has_attr("hidden")
        and reading.get_text() == "Tidak ada yang sedang membaca situs."
    )
    uploads = page.select_one('[data-panel="uploads"] .panel-empty')
    assert [a["href"] for a in uploads.select("a")] == ["/redaksi/media", "/redaksi/unduhan/baru"]


async def test_recent_uploads_newest_first(client: QuartClient, auth: Auth, db: Database) -> None:
    await db.conn.execute("UPDATE downloads SET published = 0 WHERE id = 1")
    await db.conn.execute("UPDATE downloads SET created = '2030-01-01 00:00:00' WHERE id = 1")
    newest = await db.fetchone("SELECT id, title FROM downloads WHERE id = 1")
    await auth.login("editor")
    page = await dashboard(client)
    first = page.select_one('[data-panel="uploads"] .panel-list li')
    assert first.select_one("a").get_text() == newest["title"]
    assert first.select_one("a")["href"] == f"/redaksi/unduhan/{newest['id']}"
    assert "Tidak terbit" in first.select_one(".meta").get_text()


async def test_dashboard_writes_nothing_and_is_for_editors(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    changes = await db.fetchval("SELECT total_changes()")
    await dashboard(client)
    await dashboard(client)
    assert await db.fetchval("SELECT total_changes()") == changes
    page = await dashboard(client)
    nav = page.select("nav.editor-nav a")
    assert nav[0].get_text() == "Dasbor" and nav[0]["aria-current"] == "page"
    assert len(page.select('nav.editor-nav a[aria-current="page"]')) == 1
    await auth.logout()
    await auth.login("moderator")
    assert (await client.get(HOME)).status_code == 403


async def test_in_english_with_plurals(client: QuartClient, auth: Auth, db: Database) -> None:
    await db.conn.execute("UPDATE polls SET voters = 1 WHERE id = 1")
    await db.conn.execute(
        "UPDATE articles SET hits = 1 WHERE id = (SELECT id FROM articles WHERE state = 1 "
        "ORDER BY coalesce(publish_up, created) DESC, id DESC LIMIT 1)"
    )
    await auth.login("editor")
    await client.get("/bahasa/en?next=/")
    page = await dashboard(client)
    assert page.select_one("main h1").get_text() == "Dashboard"
    assert page.select_one('[data-panel="drafts"] .panel-empty').get_text(" ", strip=True) == (
        "No drafts. Write an article"
    )
    poll = page.select_one('[data-dashboard-poll="1"] .meta').get_text(" ", strip=True)
    assert poll == "1 voter"
    first = page.select_one('[data-panel="published"] .panel-list li .meta').get_text()
    assert first.endswith("· 1 read")
    reading = page.select_one("[data-dashboard-reading]")
    assert (reading["data-one"], reading["data-other"]) == (
        "{n} person is reading this now",
        "{n} people are reading this now",
    )
