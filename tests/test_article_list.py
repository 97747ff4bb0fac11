"""The editors' article list: sorting, filters kept in the address, the featured toggle and the
bulk actions (all or nothing, one audit entry per article, the page cache cleared)."""

from __future__ import annotations

import sqlite3
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from quart import Quart
from quart.testing import QuartClient

from content.db import Database
from tests.conftest import Auth, csrf_from, soup

LIST = "/redaksi/artikel"
BULK = "/redaksi/artikel/massal"
ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def row_ids(page: Any) -> list[int]:
    return [int(tr["data-article-id"]) for tr in page.select("tbody tr[data-article-id]")]


async def spread_out(db: Database) -> None:
    """Give the demo's articles different states, hits, bylines and times, with ties, so every
    column's order says something (the demo's are all published, by nobody in particular)."""
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE articles SET state = CASE id % 3 WHEN 0 THEN 0 WHEN 1 THEN 1 ELSE 2 END, "
            "hits = (id * 37) % 11, author_name = CASE id % 4 WHEN 0 THEN 'budi' "
            "WHEN 1 THEN 'Ani' ELSE '' END, author_id = CASE WHEN id % 2 = 0 THEN 2 END, "
            "modified = printf('2026-01-%02d 08:00:00', (id * 7) % 28 + 1)"
        )


async def expected_order(db: Database, column: str, descending: bool) -> list[int]:
    """The order the list must show, worked out here in Python from the stored rows."""
    rows = await db.fetchall(
        "SELECT a.id, a.title, c.title AS category, a.state, a.modified, a.hits, "
        "coalesce(nullif(a.author_name, ''), u.name, '') AS byline FROM articles a "
        "JOIN categories c ON c.id = a.category_id LEFT JOIN users u ON u.id = a.author_id "
        "WHERE a.state != -2"
    )
    field = {
        "judul": "title",
        "kategori": "category",
        "penulis": "byline",
        "status": "state",
        "tanggal": "modified",
        "dibaca": "hits",
    }[column]

    def key(row: Any) -> tuple[Any, int]:
        value = row[field]
        return (value.translate(ASCII_LOWER) if isinstance(value, str) else value, row["id"])

    return [row["id"] for row in sorted(rows, key=key, reverse=descending)]


@pytest.mark.parametrize("column", ["judul", "kategori", "penulis", "status", "tanggal", "dibaca"])
async def test_each_column_sorts_both_ways(
    client: QuartClient, auth: Auth, db: Database, column: str
) -> None:
    await auth.login("editor")
    await spread_out(db)
    for direction, descending in (("naik", False), ("turun", True)):
        page = soup(
            await (await client.get(LIST, query_string={"urut": column, "arah": direction})).data
        )
        expected = await expected_order(db, column, descending)
        assert row_ids(page) == expected[:20], (column, direction)
        heading = page.select_one(f'th[aria-sort] a[href*="urut={column}"]')
        assert heading is not None, "the sorted column says so"
        assert heading.parent["aria-sort"] == ("descending" if descending else "ascending")
        assert len(page.select("th[aria-sort]")) == 1
        # its link turns the order round; the others keep the direction that suits them
        toggle = parse_qs(urlsplit(heading["href"]).query)
        assert toggle["arah"] == ["naik" if descending else "turun"]
        second = soup(
            await (
                await client.get(
                    LIST, query_string={"urut": column, "arah": direction, "halaman": "2"}
                )
            ).data
        )
        assert row_ids(second) == expected[20:40]


async def test_default_order_and_bad_sort_values(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    await spread_out(db)
    page = soup(await (await client.get(LIST)).data)
    assert row_ids(page) == (await expected_order(db, "tanggal", True))[:20]
    assert page.select_one("th[aria-sort=descending] a")["href"].endswith("urut=tanggal&arah=naik")
    for bad in ({"urut": "id; DROP TABLE"}, {"urut": "judul", "arah": "kiri"}):
        assert (await client.get(LIST, query_string=bad)).status_code == 400


async def test_filters_and_sort_survive_pagination(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    await db.conn.execute("UPDATE articles SET category_id = 2 WHERE id <= 26")
    wanted = {"kategori": "2", "urut": "judul", "arah": "naik", "status": "1", "q": "a"}
    first = soup(await (await client.get(LIST, query_string=wanted)).data)
    link = first.select_one("nav.pagination a[rel=next]")
    assert link is not None
    kept = {key: value[0] for key, value in parse_qs(urlsplit(link["href"]).query).items()}
    assert kept == {**wanted, "halaman": "2"}
    second = soup(await (await client.get(link["href"])).data)
    rows = await db.fetchall(
        "SELECT id FROM articles WHERE category_id = 2 AND state = 1 AND title LIKE '%a%' "
        "ORDER BY title COLLATE NOCASE, id"
    )
    assert row_ids(first) + row_ids(second) == [row["id"] for row in rows]
    back = second.select_one("nav.pagination a[rel=prev]")
    assert {k: v[0] for k, v in parse_qs(urlsplit(back["href"]).query).items()} == wanted
    # the form that filters again keeps the sort, and the sort links keep the filters
    assert first.select_one("form.filter-form input[name=urut]")["value"] == "judul"
    title_link = parse_qs(urlsplit(first.select_one('th a[href*="urut=kategori"]')["href"]).query)
    assert title_link["kategori"] == ["2"] and title_link["q"] == ["a"]
    # the bulk form returns to this very page
    assert first.select_one("#bulk-form input[name=kembali]")["value"].endswith(
        "urut=judul&arah=naik"
    )


async def test_scheduled_and_mine_filters(
    client: QuartClient, auth: Auth, db: Database, app: Quart
) -> None:
    await auth.login("editor")
    await db.conn.execute(
        "UPDATE articles SET publish_up = '2999-01-01 00:00:00' WHERE id IN (3, 4)"
    )
    await db.conn.execute("UPDATE articles SET author_id = 2 WHERE id IN (4, 5)")
    await db.conn.execute("UPDATE articles SET author_id = 1 WHERE id = 6")
    scheduled = soup(await (await client.get(LIST, query_string={"status": "jadwal"})).data)
    assert sorted(row_ids(scheduled)) == [3, 4]
    mine = soup(await (await client.get(LIST, query_string={"saya": "1"})).data)
    assert sorted(row_ids(mine)) == [4, 5]
    assert mine.select_one("input[name=saya]").has_attr("checked")


async def test_featured_star_is_a_toggle_apart_from_the_state(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    page = soup(await (await client.get(LIST, query_string={"urut": "judul"})).data)
    featured = {r["id"] for r in await db.fetchall("SELECT id FROM articles WHERE featured = 1")}
    for tr in page.select("tbody tr[data-article-id]"):
        button = tr.select_one(".featured-cell button")
        is_featured = int(tr["data-article-id"]) in featured
        assert button["aria-pressed"] == ("true" if is_featured else "false")
        assert button["title"] == ("Batalkan unggulan" if is_featured else "Jadikan unggulan")
        assert button.select_one(".visually-hidden").get_text().startswith(button["title"])
        assert tr.select_one(".state .state-badge").get_text() == "Terbit"


async def test_select_all_without_javascript(client: QuartClient, auth: Auth) -> None:
    await auth.login("editor")
    page = soup(await (await client.get(LIST)).data)
    link = page.select_one("[data-select-all-link]")
    assert all(not box.has_attr("checked") for box in page.select("input[data-pick]"))
    ticked = soup(await (await client.get(link["href"])).data)
    boxes = ticked.select("input[data-pick]")
    assert len(boxes) == 20 and all(box.has_attr("checked") for box in boxes)
    assert all(box["form"] == "bulk-form" for box in boxes)


async def bulk(client: QuartClient, ids: list[int], action: str, **more: str) -> Any:
    token = await csrf_from(client, LIST)
    form: list[tuple[str, str]] = [("csrf_token", token), ("aksi", action)]
    form += [("artikel", str(i)) for i in ids]
    form += [("kembali", more.pop("kembali", LIST + "?urut=judul"))]
    form += list(more.items())
    body = urlencode(form)
    return await client.post(
        BULK,
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )


async def snapshot(db: Database) -> dict[int, tuple[int, int, int]]:
    rows = await db.fetchall("SELECT id, state, featured, category_id FROM articles")
    return {r["id"]: (r["state"], r["featured"], r["category_id"]) for r in rows}


async def flashed(client: QuartClient, location: str) -> list[tuple[str, str]]:
    page = soup(await (await client.get(location)).data)
    return [(p["class"][1], p.get_text()) for p in page.select("main p.notice")]


BULK_CASES = [
    ("publish", {}, 0, 1, "3 artikel diterbitkan."),
    ("unpublish", {}, 0, 0, "3 artikel tidak diterbitkan lagi."),
    ("trash", {}, 0, -2, "3 artikel dipindahkan ke tempat sampah."),
    ("feature", {}, 1, 1, "3 artikel dijadikan unggulan."),
    ("unfeature", {}, 1, 0, "3 artikel tidak lagi unggulan."),
    ("move", {"kategori_tujuan": "7"}, 2, 7, "3 artikel dipindahkan ke Kegiatan."),
]


@pytest.mark.parametrize(("action", "more", "column", "value", "message"), BULK_CASES)
async def test_bulk_action_changes_exactly_the_selected_rows(
    client: QuartClient,
    auth: Auth,
    db: Database,
    action: str,
    more: dict[str, str],
    column: int,
    value: int,
    message: str,
) -> None:
    await auth.login("editor")
    # start each chosen article away from the target, so all three change
    opposite = {
        "publish": "state = 0",
        "feature": "featured = 0",
        "unfeature": "featured = 1",
        "move": "category_id = 1",
    }
    chosen = [4, 9, 17]
    await db.conn.execute(
        f"UPDATE articles SET {opposite.get(action, 'state = 1')} WHERE id IN (4, 9, 17)"
    )
    before = await snapshot(db)
    audit_before = await db.fetchval("SELECT max(id) FROM audit_log")
    revisions_before = await db.fetchval("SELECT max(id) FROM revisions")
    response = await bulk(client, chosen, action, **more)
    assert response.status_code == 302
    assert response.headers["Location"] == LIST + "?urut=judul"
    after = await snapshot(db)
    for article_id, values in after.items():
        if article_id in chosen:
            assert values[column] == value, (article_id, values)
            expected = list(before[article_id])
            expected[column] = value
            assert values == tuple(expected)
        else:
            assert values == before[article_id], article_id
    entries = await db.fetchall(
        "SELECT user_email, action, object_type, object_id FROM audit_log WHERE id > ? "
        "ORDER BY object_id",
        (audit_before,),
    )
    action_name = {
        "publish": "state:published",
        "unpublish": "state:unpublished",
        "trash": "state:trashed",
    }.get(action, action)
    assert [tuple(e) for e in entries] == [
        ("redaksi@balittri.example", action_name, "article", i) for i in chosen
    ]
    # each is a revision too, so a save based on the article as it was is refused
    kept = await db.fetchall(
        "SELECT item_id FROM revisions WHERE id > ? AND kind = 'article' ORDER BY item_id",
        (revisions_before,),
    )
    assert [row["item_id"] for row in kept] == chosen
    assert await flashed(client, response.headers["Location"]) == [("notice-ok", message)]


async def test_bulk_counts_only_what_changed(client: QuartClient, auth: Auth, db: Database) -> None:
    await auth.login("editor")
    await db.conn.execute("UPDATE articles SET state = 0 WHERE id = 5")
    audit_before = await db.fetchval("SELECT max(id) FROM audit_log")
    response = await bulk(client, [4, 5], "publish")
    assert await db.fetchval("SELECT count(*) FROM audit_log WHERE id > ?", (audit_before,)) == 1
    assert await flashed(client, response.headers["Location"]) == [
        ("notice-ok", "1 artikel diterbitkan. 1 sudah demikian dan dibiarkan.")
    ]


@pytest.mark.parametrize(
    ("ids", "action", "more", "message"),
    [
        ([], "publish", {}, "Pilih minimal satu artikel terlebih dahulu."),
        ([3, 4], "", {}, "Pilih tindakan dari daftar."),
        ([3, 4], "hapus-semua", {}, "Pilih tindakan dari daftar."),
        ([3, 4], "move", {}, "Pilih kategori tujuan untuk memindahkan artikel."),
        ([3, 4], "move", {"kategori_tujuan": "999"}, "Kategori itu tidak ada. Pilih dari daftar."),
        ([3, 4], "move", {"kategori_tujuan": "x1"}, "Kategori itu tidak ada. Pilih dari daftar."),
        (
            [3, 99999],
            "trash",
            {},
            "Sebagian artikel yang dipilih sudah tidak ada. Muat ulang daftar dan coba lagi.",
        ),
    ],
)
async def test_bad_bulk_requests_change_nothing(
    client: QuartClient,
    auth: Auth,
    db: Database,
    ids: list[int],
    action: str,
    more: dict[str, str],
    message: str,
) -> None:
    await auth.login("editor")
    before = await snapshot(db)
    audit_before = await db.fetchval("SELECT max(id) FROM audit_log")
    response = await bulk(client, ids, action, kembali=LIST + "?status=1", **more)
    assert response.status_code == 302 and response.headers["Location"] == LIST + "?status=1"
    assert await snapshot(db) == before
    assert await db.fetchval("SELECT max(id) FROM audit_log") == audit_before
    assert await flashed(client, response.headers["Location"]) == [("notice-error", message)]


async def test_bulk_needs_the_form_token_and_returns_only_to_the_list(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    before = await snapshot(db)
    response = await client.post(
        BULK,
        data="aksi=trash&artikel=3&artikel=4",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 400
    assert await snapshot(db) == before
    response = await bulk(client, [3], "unpublish", kembali="https://elsewhere.example/")
    assert response.headers["Location"] == LIST
    await auth.logout()
    token = await csrf_from(client, "/masuk")
    response = await client.post(
        BULK,
        data=urlencode({"csrf_token": token, "aksi": "trash", "artikel": "4"}),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]
    assert (await snapshot(db))[4] == before[4]


async def test_bulk_clears_the_shared_pages(
    client: QuartClient, auth: Auth, db: Database, app: Quart
) -> None:
    visitor = app.test_client()
    featured = await db.fetchval(
        "SELECT title FROM articles WHERE featured = 1 ORDER BY publish_up DESC LIMIT 1"
    )
    article_id = await db.fetchval("SELECT id FROM articles WHERE title = ?", (featured,))
    home = soup(await (await visitor.get("/")).data)
    assert featured in [a.get_text() for a in home.select(".teaser-title a")]
    await auth.login("editor")
    await bulk(client, [article_id], "unfeature")
    # the clock stands still: only the clearing can make the kept home page go
    home = soup(await (await visitor.get("/")).data)
    assert featured not in [a.get_text() for a in home.select(".teaser-title a")]


async def test_list_is_in_the_menu_and_logins_land_on_the_dashboard(
    client: QuartClient, auth: Auth
) -> None:
    response = await auth.login("editor")
    assert response.headers["Location"].endswith("/redaksi/")
    page = soup(await (await client.get(LIST)).data)
    links = page.select("nav.editor-nav a")
    assert [a.get_text() for a in links[:2]] == ["Dasbor", "Artikel"]
    assert [a.get_text() for a in page.select('nav.editor-nav a[aria-current="page"]')] == [
        "Artikel"
    ]


async def test_a_bulk_action_failing_halfway_leaves_nothing_done(db: Database) -> None:
    from content import accounts, bulk

    editor = await accounts.get_user_by_email(db, "redaksi@balittri.example")
    assert editor is not None
    # the third article cannot be written: the first two were already changed by then
    await db.conn.execute(
        "CREATE TEMP TRIGGER refuse_five BEFORE UPDATE ON articles WHEN old.id = 5 "
        "BEGIN SELECT RAISE(ABORT, 'refused'); END"
    )
    before = await snapshot(db)
    audit_before = await db.fetchval("SELECT max(id) FROM audit_log")
    revisions_before = await db.fetchval("SELECT max(id) FROM revisions")
    with pytest.raises(sqlite3.IntegrityError):
        await bulk.apply(db, "trash", [3, 4, 5], editor)
    assert await snapshot(db) == before
    assert await db.fetchval("SELECT max(id) FROM audit_log") == audit_before
    assert await db.fetchval("SELECT max(id) FROM revisions") == revisions_before


async def test_a_page_emptied_by_a_bulk_action_leads_to_the_last_page(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    second = LIST + "?urut=judul&arah=naik&halaman=2"
    on_second = row_ids(soup(await (await client.get(second)).data))
    assert len(on_second) == 13
    response = await bulk(client, on_second, "trash", kembali=second)
    assert response.headers["Location"] == second
    moved = await client.get(second)
    assert moved.status_code == 302
    assert moved.headers["Location"] == LIST + "?urut=judul&arah=naik"
    page = soup(await (await client.get(moved.headers["Location"])).data)
    assert (
        page.select_one("main p.notice-ok").get_text() == "13 artikel dipindahkan ke tempat sampah."
    )
