"""Categories listing their subcategories' articles: auto, always or never, per category."""

from __future__ import annotations

from quart import Quart
from quart.testing import QuartClient

from content.db import Database
from tests.conftest import Auth, csrf_from, soup
from tests.test_editor import article_form
from tests.test_page_cache import cache_of, page


async def category_row(db: Database, alias: str) -> dict[str, object]:
    row = await db.fetchone("SELECT * FROM categories WHERE alias = ?", (alias,))
    assert row is not None
    return dict(row)


async def listed_titles(client: QuartClient, category: dict[str, object]) -> list[str]:
    html = await page(client, f"/kategori/{category['id']}-{category['alias']}")
    return [a.get_text() for a in soup(html).select(".blog .teaser-title a")]


async def all_listed(client: QuartClient, category: dict[str, object]) -> set[str]:
    """Every article title the category's list layout shows, over all its pages."""
    path: str | None = f"/kategori/{category['id']}-{category['alias']}?tampilan=list"
    titles: set[str] = set()
    while path:
        html = soup(await page(client, path))
        titles |= {a.get_text() for a in html.select("table.article-list tbody td:first-child a")}
        following = html.select_one(".pagination a[rel=next]")
        path = str(following["href"]) if following else None
    return titles


async def public_titles(db: Database, *aliases: str) -> set[str]:
    marks = ", ".join("?" for _ in aliases)
    rows = await db.fetchall(
        "SELECT a.title FROM articles a JOIN categories c ON c.id = a.category_id "
        f"WHERE c.alias IN ({marks}) AND a.state = 1",
        aliases,
    )
    return {row["title"] for row in rows}


async def test_publikasi_lists_its_subcategories_articles(
    client: QuartClient, db: Database
) -> None:
    publikasi = await category_row(db, "publikasi")
    assert publikasi["include_children"] == "auto"
    assert await public_titles(db, "publikasi") == set()
    expected = await public_titles(db, "hasil-penelitian", "teknologi-budidaya")
    assert expected
    html = soup(await page(client, f"/kategori/{publikasi['id']}-publikasi"))
    titles = {a.get_text() for a in html.select(".blog .teaser-title a")}
    assert titles == expected
    assert html.select_one(".blog .empty") is None
    # each teaser names the subcategory it comes from
    categories = {a.get_text() for a in html.select(".blog .meta-category a")}
    assert categories == {"Hasil Penelitian", "Teknologi Budidaya"}
    listing = soup(await page(client, f"/kategori/{publikasi['id']}-publikasi?tampilan=list"))
    assert len(listing.select("table.article-list tbody tr")) == len(expected)
    assert "Kategori" in [th.get_text() for th in listing.select("table.article-list th")]


async def test_auto_yes_and_no(client: QuartClient, db: Database, app: Quart) -> None:
    berita = await category_row(db, "berita")
    own = await public_titles(db, "berita")
    assert own
    # a subcategory of a category with articles of its own: auto leaves it out
    await db.conn.execute(
        "UPDATE categories SET parent_id = ? WHERE alias = 'kegiatan'", (berita["id"],)
    )
    kegiatan = await public_titles(db, "kegiatan")
    assert kegiatan
    assert await all_listed(client, berita) == own
    cache_of(app).clear()
    await db.conn.execute("UPDATE categories SET include_children = 'yes' WHERE alias = 'berita'")
    assert await all_listed(client, berita) == own | kegiatan
    # an unpublished subcategory hides its articles from the parent too
    cache_of(app).clear()
    await db.conn.execute("UPDATE categories SET published = 0 WHERE alias = 'kegiatan'")
    assert await all_listed(client, berita) == own
    cache_of(app).clear()
    publikasi = await category_row(db, "publikasi")
    await db.conn.execute("UPDATE categories SET include_children = 'no' WHERE alias = 'publikasi'")
    html = soup(await page(client, f"/kategori/{publikasi['id']}-publikasi"))
    assert html.select(".blog .teaser") == []
    assert html.select_one(".blog .empty").get_text() == "Belum ada artikel."


async def test_grandchildren_are_included(client: QuartClient, db: Database) -> None:
    publikasi = await category_row(db, "publikasi")
    hasil = await category_row(db, "hasil-penelitian")
    await db.conn.execute(
        "UPDATE categories SET parent_id = ? WHERE alias = 'teknologi-budidaya'", (hasil["id"],)
    )
    expected = await public_titles(db, "hasil-penelitian", "teknologi-budidaya")
    assert await all_listed(client, publikasi) == expected


async def test_a_new_subcategory_article_clears_the_kept_parent_page(
    app: Quart, client: QuartClient, auth: Auth, db: Database
) -> None:
    publikasi = await category_row(db, "publikasi")
    hasil = await category_row(db, "hasil-penelitian")
    visitor = app.test_client()
    before = await listed_titles(visitor, publikasi)
    assert await listed_titles(visitor, publikasi) == before  # kept
    assert cache_of(app).hits >= 1
    await auth.login("editor")
    form = await article_form(
        client, title="Varietas Kopi Tahan Karat Daun", category_id=str(hasil["id"])
    )
    assert (await client.post("/redaksi/artikel/baru", form=form)).status_code == 302
    after = await listed_titles(visitor, publikasi)
    assert after[0] == "Varietas Kopi Tahan Karat Daun"
    assert after[1:] == before[: len(after) - 1]


async def test_editors_set_it_on_the_category_form(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    publikasi = await category_row(db, "publikasi")
    path = f"/redaksi/kategori/{publikasi['id']}"
    form = soup(await (await client.get(path)).get_data())
    options = form.select("select#include_children option")
    assert [o["value"] for o in options] == ["auto", "yes", "no"]
    assert form.select_one("select#include_children option[selected]")["value"] == "auto"
    assert form.select_one("label[for=include_children]").get_text()
    token = await csrf_from(client, path)
    fields = {
        "csrf_token": token,
        "title": "Publikasi",
        "alias": "publikasi",
        "layout": "blog",
        "published": "1",
        "include_children": "never",
    }
    refused = await client.post(path, form=fields)
    assert refused.status_code == 400
    error = soup(await refused.get_data()).select_one("#include_children-error").get_text()
    assert error == "Pilih dari daftar."
    assert (await category_row(db, "publikasi"))["include_children"] == "auto"
    assert (await client.post(path, form={**fields, "include_children": "no"})).status_code == 302
    assert (await category_row(db, "publikasi"))["include_children"] == "no"
