"""Searching everything: articles, events, downloads, videos and polls in one index, grouped by
kind with the right link, folded for case and accents, and indexed in the save's transaction."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from quart import Quart
from quart.testing import QuartClient

from content import accounts, calendar, polls
from content.accounts import User
from content.calendar.events import EventDraft
from content.db import Database, migration_files
from content.media.downloads import DownloadDraft, delete_download, save_download
from content.media.removal import delete_item
from content.media.uploads import FILE_KINDS, Upload
from content.media.videos import VideoDraft, save_video
from content.polls import PollDraft
from content.search import KINDS, search_kind
from content.web.state import Portal
from tests.conftest import soup


async def search(client: QuartClient, query: str, **more: str) -> Any:
    response = await client.get("/cari", query_string={"q": query, **more})
    assert response.status_code == 200
    return soup(await response.get_data())


def found(page: Any, kind: str) -> list[tuple[str, str]]:
    """(title, link) of each hit in the kind's group."""
    return [
        (a.get_text(), a["href"])
        for a in page.select(f".search-group[data-kind={kind}] .search-result-title a")
    ]


async def editor(db: Database) -> User:
    user = await accounts.get_user_by_email(db, "redaksi@balittri.example")
    assert user is not None
    return user


async def test_the_demo_finds_every_kind_with_its_link(client: QuartClient, db: Database) -> None:
    event = await db.fetchone("SELECT id FROM events WHERE title = 'Klinik Konsultasi Pakar Kopi'")
    page = await search(client, "Klinik Konsultasi")
    assert found(page, "event") == [
        ("Klinik Konsultasi Pakar Kopi", f"/kalender/acara/{event['id']}")
    ]
    download = await db.fetchone("SELECT id FROM downloads WHERE title = 'Laporan Tahunan 2024'")
    page = await search(client, "laporan tahunan")
    assert found(page, "download") == [("Laporan Tahunan 2024", f"/unduh/{download['id']}")]
    assert page.select_one(".search-result-download .search-meta").get_text().startswith("PDF")
    video = await db.fetchone("SELECT id, title FROM videos WHERE video_id = 'CONTOHVID01'")
    page = await search(client, "sambung pucuk")
    assert found(page, "video") == [(video["title"], f"/video#video-{video['id']}")]
    poll = await db.fetchone("SELECT id, question FROM polls")
    page = await search(client, "informatif")
    assert found(page, "poll") == [(poll["question"], f"/polling/{poll['id']}")]
    # the answers are part of the poll's text, and a word there is marked in the snippet
    page = await search(client, "kurang")
    assert found(page, "poll") == [(poll["question"], f"/polling/{poll['id']}")]
    snippet = page.select_one(".search-result-poll .search-snippet mark").get_text()
    assert snippet == "Kurang"
    article = await db.fetchone(
        "SELECT id, alias, title FROM articles WHERE state = 1 AND title LIKE '%Klon Kopi%' "
        "ORDER BY id LIMIT 1"
    )
    page = await search(client, article["title"])
    assert (article["title"], f"/artikel/{article['id']}-{article['alias']}") in found(
        page, "article"
    )
    # every link leads to a page that is there
    for kind in ("event", "download", "video", "poll"):
        for _, link in found(await search(client, "kopi"), kind) or []:
            assert (await client.get(link.split("#")[0])).status_code == 200, link


async def test_groups_come_in_order_with_headings_and_counts(client: QuartClient) -> None:
    page = await search(client, "kopi")
    kinds = [group["data-kind"] for group in page.select(".search-group")]
    assert kinds == [k for k in ("article", "event", "download", "video", "poll") if k in kinds]
    assert {"article", "event", "download", "video"} <= set(kinds)
    headings = {
        group["data-kind"]: group.select_one("h2").get_text(" ", strip=True)
        for group in page.select(".search-group")
    }
    assert headings["event"].startswith("Kegiatan (") and headings["download"].startswith("Unduhan")
    total = sum(
        int(group.select_one(".search-count").get_text().strip("()").replace(".", ""))
        for group in page.select(".search-group")
    )
    summary = page.select_one(".search-summary").get_text()
    assert summary.startswith(f"{total} hasil")
    # each kind shows its best five; the rest are one link away
    articles = page.select(".search-group[data-kind=article] .search-result")
    assert len(articles) == 5
    more = page.select_one(".search-group[data-kind=article] .search-more a")["href"]
    assert "jenis=artikel" in more and "q=kopi" in more
    everything = soup(await (await client.get(more)).get_data())
    assert [g["data-kind"] for g in everything.select(".search-group")] == ["article"]
    assert everything.select_one(".search-all a")["href"] == "/cari?q=kopi"
    await client.get("/bahasa/en")
    english = await search(client, "kopi")
    titles = [h.get_text(" ", strip=True) for h in english.select(".search-group h2")]
    assert titles[0].startswith("Articles (") and any(t.startswith("Events (") for t in titles)


async def test_every_kind_folds_case_and_accents(
    app: Quart, client: QuartClient, db: Database, tmp_path: Path
) -> None:
    user = await editor(db)
    cleaner = Portal.of(app).cleaner
    event_id = await calendar.save_event(
        db,
        EventDraft(
            title="Temu Kafé Ëxcelsa",
            description_html="<p>Cicip kopi <em>liberika</em></p>",
            starts="2030-01-05",
            ends="2030-01-05",
            all_day=True,
        ),
        user,
        cleaner,
    )
    upload = Upload("kafe.txt", b"isi", FILE_KINDS["txt"])
    download_id = await save_download(
        db, DownloadDraft(title="Daftar Kafé Ëxcelsa"), upload, user, tmp_path
    )
    video_id = await save_video(
        db,
        VideoDraft(
            title="Menyeduh di Kafé Ëxcelsa",
            url="https://www.youtube.com/watch?v=abcdefghijk",
            provider="youtube",
            video_id="abcdefghijk",
        ),
        user,
    )
    poll_id, errors = await polls.save_poll(
        db, PollDraft(question="Suka kafé?", options=["Ya, Ëxcelsa", "Tidak"]), user
    )
    assert poll_id is not None and not errors
    assert await polls.set_state(db, poll_id, polls.State.OPEN, user)
    expected = {
        "event": [f"/kalender/acara/{event_id}"],
        "download": [f"/unduh/{download_id}"],
        "video": [f"/video#video-{video_id}"],
        "poll": [f"/polling/{poll_id}"],
    }
    for query in ("kafe excelsa", "KAFÉ ËXCELSA", "Kafe Excel"):
        page = await search(client, query)
        links = {kind: [link for _, link in found(page, kind)] for kind in expected}
        assert links == expected, query
        marks = page.select(".search-group[data-kind=event] .search-result-title mark")
        assert [m.get_text() for m in marks] == ["Kafé", "Ëxcelsa"]
    assert found(await search(client, "LIBERIKA"), "event")


async def test_saves_edits_and_deletes_keep_the_index(
    app: Quart, client: QuartClient, db: Database, tmp_path: Path
) -> None:
    user = await editor(db)
    cleaner = Portal.of(app).cleaner
    draft = EventDraft(
        title="Lokakarya Cendana", starts="2030-02-01", ends="2030-02-01", all_day=True
    )
    event_id = await calendar.save_event(db, draft, user, cleaner)
    assert found(await search(client, "cendana"), "event")
    await calendar.save_event(
        db, EventDraft(**{**draft.__dict__, "title": "Lokakarya Gaharu"}), user, cleaner, event_id
    )
    assert found(await search(client, "cendana"), "event") == []
    assert found(await search(client, "gaharu"), "event")
    # unpublished: in the index, hidden from visitors
    await calendar.save_event(
        db,
        EventDraft(**{**draft.__dict__, "title": "Lokakarya Gaharu", "published": False}),
        user,
        cleaner,
        event_id,
    )
    assert found(await search(client, "gaharu"), "event") == []
    await calendar.delete_event(db, event_id, user)
    assert (
        await db.fetchval("SELECT count(*) FROM search_index WHERE rowid = ?", (event_id * 8 + 2,))
        == 0
    )
    # downloads
    upload = Upload("a.txt", b"isi", FILE_KINDS["txt"])
    download_id = await save_download(
        db, DownloadDraft(title="Berkas Meranti"), upload, user, tmp_path
    )
    assert found(await search(client, "meranti"), "download")
    await db.conn.execute("UPDATE downloads SET hits = hits + 5")  # counters leave it be
    assert await delete_download(db, download_id, user, tmp_path)
    assert found(await search(client, "meranti"), "download") == []
    # videos
    video = VideoDraft(
        title="Video Kenari",
        url="https://www.youtube.com/watch?v=abcdefghijk",
        provider="youtube",
        video_id="abcdefghijk",
    )
    video_id = await save_video(db, video, user)
    assert found(await search(client, "kenari"), "video")
    assert await delete_item(db, "video", video_id, user)
    assert found(await search(client, "kenari"), "video") == []
    # polls: hidden while a draft, answers follow their edits
    poll_id, _ = await polls.save_poll(
        db, PollDraft(question="Pilihan bibit?", options=["Jati", "Mahoni"]), user
    )
    assert poll_id is not None
    assert found(await search(client, "mahoni"), "poll") == []
    await polls.set_state(db, poll_id, polls.State.OPEN, user)
    assert found(await search(client, "mahoni"), "poll") == [
        ("Pilihan bibit?", f"/polling/{poll_id}")
    ]
    await polls.save_poll(
        db, PollDraft(question="Pilihan bibit?", options=["Jati", "Sengon"]), user, poll_id
    )
    assert found(await search(client, "mahoni"), "poll") == []
    assert found(await search(client, "sengon"), "poll")
    indexed = await db.fetchval("SELECT count(*) FROM search_index")
    rows = sum(
        [
            await db.fetchval(f"SELECT count(*) FROM {table}")
            for table in ("articles", "events", "downloads", "videos", "polls")
        ]
    )
    assert indexed == rows


async def test_the_index_is_written_in_the_saves_transaction(
    db: Database, client: QuartClient
) -> None:
    before = await db.fetchval("SELECT count(*) FROM search_index")
    with pytest.raises(RuntimeError):
        async with db.transaction() as conn:
            await conn.execute(
                "INSERT INTO videos (title, url, provider, video_id, created, modified) "
                "VALUES ('Video Ulin', 'https://youtu.be/abcdefghijk', 'youtube', "
                "'abcdefghijk', '2025-01-01 00:00:00', '2025-01-01 00:00:00')"
            )
            inside = await (await conn.execute("SELECT count(*) FROM search_index")).fetchone()
            assert inside is not None and inside[0] == before + 1
            raise RuntimeError("the save fails after the row was written")
    assert await db.fetchval("SELECT count(*) FROM search_index") == before
    assert found(await search(client, "ulin"), "video") == []


async def test_the_migration_indexes_what_is_already_there(tmp_path: Path) -> None:
    migrations = migration_files()
    names = [name for name, _ in migrations]
    at = names.index("0009_search_everything.sql")
    async with Database(tmp_path / "old.db") as db:
        await db.migrate(migrations[:at])
        now = "2025-01-01 00:00:00"
        await db.conn.executescript(
            f"""
            INSERT INTO categories (id, title, alias) VALUES (1, 'Berita', 'berita');
            INSERT INTO articles (id, category_id, title, alias, full_html, created, modified,
                                  state)
            VALUES (3, 1, 'Tentang Kayu Manis', 'kayu', '<p>Rempah <b>pilihan</b></p>', '{now}',
                    '{now}', 1);
            INSERT INTO events (id, uid, title, description_html, starts, ends, created, modified)
            VALUES (4, 'u@x', 'Klinik Konsultasi', '<p>Tanya pakar</p>', '2030-01-01',
                    '2030-01-01', '{now}', '{now}');
            INSERT INTO downloads (id, title, filename, stored_name, kind, size, sha256, created,
                                   modified)
            VALUES (5, 'Laporan Tahunan', 'l.pdf', 'abc', 'pdf', 1, 'x', '{now}', '{now}');
            INSERT INTO videos (id, title, url, provider, video_id, created, modified)
            VALUES (6, 'Video Pala', 'https://youtu.be/abcdefghijk', 'youtube', 'abcdefghijk',
                    '{now}', '{now}');
            INSERT INTO polls (id, question, state, created, modified)
            VALUES (7, 'Suka cengkih?', 'open', '{now}', '{now}');
            INSERT INTO poll_options (poll_id, label, ordering) VALUES (7, 'Sangat suka', 0);
            """
        )
        await db.migrate(migrations[at:])
        for kind, query, item_id in (
            ("article", "kayu manis", 3),
            ("article", "PILIHAN", 3),
            ("event", "klinik konsultasi", 4),
            ("event", "pakar", 4),
            ("download", "laporan tahunan", 5),
            ("video", "pala", 6),
            ("poll", "cengkih", 7),
            ("poll", "sangat", 7),
        ):
            page = await search_kind(db, KINDS[kind], query, 1, 10)
            assert [hit.item.id for hit in page.items] == [item_id], (kind, query)
        assert "articles_fts" not in {
            row["name"] for row in await db.fetchall("SELECT name FROM sqlite_master")
        }
