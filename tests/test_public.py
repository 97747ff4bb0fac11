"""Public pages: home, categories, articles, redirects, bad input, layout."""

from __future__ import annotations

import pytest
from quart.testing import QuartClient

from content.db import Database, utcnow
from tests.conftest import soup


async def first_article(db: Database, **where: object) -> dict[str, object]:
    clause = " AND ".join(f"{key} = :{key}" for key in where) or "1 = 1"
    row = await db.fetchone(f"SELECT * FROM articles WHERE {clause} ORDER BY id LIMIT 1", where)
    assert row is not None
    return dict(row)


async def test_home_lists_featured_articles_with_read_more(
    client: QuartClient, db: Database
) -> None:
    response = await client.get("/")
    assert response.status_code == 200
    page = soup(await response.get_data())
    assert page.select_one("html")["lang"] == "id"
    teasers = page.select("main .teaser")
    featured = await db.fetchval("SELECT count(*) FROM articles WHERE featured = 1 AND state = 1")
    assert 0 < len(teasers) <= 8 < featured  # paginated
    assert all(
        t.select_one(".read-more a").get_text(strip=True).startswith("Selengkapnya")
        for t in teasers
    )
    titles = {t.select_one(".teaser-title a").get_text() for t in teasers}
    rows = await db.fetchall("SELECT title FROM articles WHERE featured = 0")
    assert titles.isdisjoint({r["title"] for r in rows})


async def test_home_second_page_and_past_the_end(client: QuartClient) -> None:
    first = soup(await (await client.get("/")).get_data())
    second_response = await client.get("/?halaman=2")
    assert second_response.status_code == 200
    second = soup(await second_response.get_data())
    titles_1 = {a.get_text() for a in first.select(".teaser-title a")}
    titles_2 = {a.get_text() for a in second.select(".teaser-title a")}
    assert titles_2 and titles_1.isdisjoint(titles_2)
    assert second.select_one(".pagination a[rel=prev]") is not None
    assert (await client.get("/?halaman=99")).status_code == 404


@pytest.mark.parametrize("bad", ["abc", "0", "-1", "1.5", "99999999999999999999"])
async def test_malformed_page_numbers_are_400(client: QuartClient, bad: str) -> None:
    response = await client.get(f"/?halaman={bad}")
    assert response.status_code == 400
    page = soup(await response.get_data())
    assert page.select_one("main h1").get_text() == "Permintaan tidak valid"


async def test_layout_has_banners_modules_and_visit_total(client: QuartClient) -> None:
    page = soup(await (await client.get("/")).get_data())
    banners = [a.get_text() for a in page.select(".banner-row a")]
    assert banners[:3] == ["LPSE", "WBK", "Lapor.go.id"] and len(banners) == 15
    assert page.select_one(".modules-left .module-categories") is not None
    assert page.select_one(".modules-right .module-stats") is not None
    stat = page.select_one('.module-stats [data-live="stats.total"]')
    # changes are read out by the page's one polite region, not by each counter (issue 17)
    assert stat.find_parent(attrs={"aria-live": True}) is None
    assert page.select_one("#live-announcer")["aria-live"] == "polite"
    # the legacy offset plus the demo hits, with Indonesian digit grouping
    value = int(stat.get_text().replace(".", ""))
    assert value > 1805559 and "." in stat.get_text()
    assert page.select_one("meta[name=viewport]") is not None
    assert page.select_one("link[rel=stylesheet][media=print]")["href"].startswith(
        "/static/css/print.css?v="
    )


async def test_article_page_shows_author_date_and_hits(client: QuartClient, db: Database) -> None:
    article = await first_article(db, state=1)
    # a known time: 13 Feb 2020 10:43 in Jakarta is 03:43 UTC
    await db.conn.execute(
        "UPDATE articles SET publish_up = '2020-02-13 03:43:00', created = '2020-02-13 03:43:00', "
        "author_name = 'Lia Anggraini', hits = 1234 WHERE id = ?",
        (article["id"],),
    )
    response = await client.get(f"/artikel/{article['id']}-{article['alias']}")
    assert response.status_code == 200
    page = soup(await response.get_data())
    assert page.select_one("article h1").get_text() == article["title"]
    assert page.select_one(".meta-author").get_text() == "Oleh Lia Anggraini"
    assert page.select_one(".meta-date").get_text() == "Kamis, 13 Februari 2020 10:43"
    assert page.select_one(".article-hits").get_text() == "Dibaca 1.235 kali"  # this view counted
    assert page.select_one(".breadcrumbs a").get_text() == "Beranda"


async def test_article_date_in_english(client: QuartClient, db: Database) -> None:
    article = await first_article(db, state=1)
    await db.conn.execute(
        "UPDATE articles SET publish_up = '2020-02-13 03:43:00' WHERE id = ?", (article["id"],)
    )
    client.set_cookie("localhost", "bahasa", "en")
    page = soup(await (await client.get(f"/artikel/{article['id']}-{article['alias']}")).get_data())
    assert page.select_one(".meta-date").get_text() == "Thursday, 13 February 2020 10:43"
    assert page.select_one("html")["lang"] == "en"


async def test_bare_id_and_old_alias_redirect_permanently(
    client: QuartClient, db: Database
) -> None:
    article = await first_article(db, state=1)
    current = f"/artikel/{article['id']}-{article['alias']}"
    response = await client.get(f"/artikel/{article['id']}")
    assert response.status_code == 301 and response.headers["Location"].endswith(current)
    await db.conn.execute(
        "INSERT INTO article_aliases (article_id, alias) VALUES (?, 'nama-lama')", (article["id"],)
    )
    response = await client.get(f"/artikel/{article['id']}-nama-lama")
    assert response.status_code == 301 and response.headers["Location"].endswith(current)
    assert (await client.get(f"/artikel/{article['id']}-bukan-alias-nya")).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/artikel/abc",
        "/artikel/-1",
        "/artikel/999999",
        "/artikel/99999999999999999999999",
        "/artikel/1-Huruf-Besar",
        "/artikel/1-%3Cscript%3E",
        "/kategori/xyz",
        "/kategori/9999",
        "/tidak-ada",
    ],
)
async def test_malformed_or_unknown_addresses_are_404_in_indonesian(
    client: QuartClient, path: str
) -> None:
    response = await client.get(path)
    assert response.status_code == 404
    page = soup(await response.get_data())
    assert page.select_one("main h1").get_text() == "Halaman tidak ditemukan"


@pytest.mark.parametrize("state", [0, -2, 2])
async def test_hidden_states_are_invisible_to_visitors(
    client: QuartClient, db: Database, state: int
) -> None:
    article = await first_article(db, state=1)
    await db.conn.execute("UPDATE articles SET state = ? WHERE id = ?", (state, article["id"]))
    response = await client.get(f"/artikel/{article['id']}-{article['alias']}")
    # an archived article stays readable at its address, as in Joomla; the others are gone
    assert response.status_code == (200 if state == 2 else 404)
    home = soup(await (await client.get("/")).get_data())
    assert article["title"] not in {a.get_text() for a in home.select("a")}


async def test_future_and_expired_articles_are_invisible(client: QuartClient, db: Database) -> None:
    article = await first_article(db, state=1)
    path = f"/artikel/{article['id']}-{article['alias']}"
    await db.conn.execute(
        "UPDATE articles SET publish_up = '2999-01-01 00:00:00' WHERE id = ?", (article["id"],)
    )
    assert (await client.get(path)).status_code == 404
    now = utcnow()
    await db.conn.execute(
        "UPDATE articles SET publish_up = NULL, publish_down = ? WHERE id = ?", (now, article["id"])
    )
    assert (await client.get(path)).status_code == 404


async def test_category_blog_and_list_layouts(client: QuartClient, db: Database) -> None:
    category = await db.fetchone("SELECT * FROM categories WHERE alias = 'berita'")
    assert category is not None
    slug = f"{category['id']}-berita"
    blog = soup(await (await client.get(f"/kategori/{slug}")).get_data())
    assert blog.select_one("main h1").get_text() == category["title"]
    assert blog.select(".blog .teaser")
    listing = soup(await (await client.get(f"/kategori/{slug}?tampilan=list")).get_data())
    rows = listing.select("table.article-list tbody tr")
    count = await db.fetchval(
        "SELECT count(*) FROM articles WHERE category_id = ? AND state = 1", (category["id"],)
    )
    assert len(rows) == min(count, 8)
    assert (await client.get(f"/kategori/{slug}?tampilan=aneh")).status_code == 400
    moved = await client.get(f"/kategori/{category['id']}")
    assert moved.status_code == 301 and moved.headers["Location"].endswith(f"/kategori/{slug}")


async def test_nested_category_breadcrumbs(client: QuartClient, db: Database) -> None:
    child = await db.fetchone("SELECT * FROM categories WHERE parent_id IS NOT NULL LIMIT 1")
    assert child is not None
    parent = await db.fetchone("SELECT * FROM categories WHERE id = ?", (child["parent_id"],))
    page = soup(await (await client.get(f"/kategori/{child['id']}-{child['alias']}")).get_data())
    crumbs = [a.get_text() for a in page.select(".breadcrumbs a")]
    assert crumbs == ["Beranda", parent["title"], child["title"]]


async def test_oversized_body_is_413(client: QuartClient) -> None:
    response = await client.post(
        "/masuk",
        data=b"x" * (3 * 1024 * 1024),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413
    assert soup(await response.get_data()).select_one("main h1").get_text() == "Terlalu besar"


async def test_security_headers(client: QuartClient) -> None:
    response = await client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "object-src 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
