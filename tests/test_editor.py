"""Editors' pages: list, search, create with preview, edit, state, feature, categories, audit."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from quart.testing import QuartClient

from content import articles, polls
from content.db import Database
from content.forms import BAD_MOMENT
from tests.conftest import Auth, csrf_from, soup


async def article_form(client: QuartClient, **fields: str) -> dict[str, str]:
    token = await csrf_from(client, "/redaksi/artikel/baru")
    form = {
        "csrf_token": token,
        "title": "Panen Raya Kopi di Kebun Percobaan",
        "alias": "",
        "category_id": "1",
        "intro_html": "<p>Panen raya kopi <strong>robusta</strong>.</p>",
        "full_html": '<p>Isi lengkap.</p><script>alert(1)</script><img src="x" onerror="alert(1)">',
        "state": "1",
        "featured": "1",
        "publish_up": "",
        "publish_down": "",
        "meta_description": "",
        "intro_image": "",
        "author_name": "",
        "action": "save",
    }
    form.update(fields)
    return form


async def test_visitors_are_sent_to_login(client: QuartClient) -> None:
    response = await client.get("/redaksi/artikel/baru")
    assert response.status_code == 302
    assert "/masuk?next=/redaksi/artikel/baru" in response.headers["Location"]


async def test_moderator_may_not_edit(client: QuartClient, auth: Auth) -> None:
    await auth.login("moderator")
    response = await client.get("/redaksi/")
    assert response.status_code == 403
    assert soup(await response.get_data()).select_one("main h1").get_text() == "Tidak diizinkan"


async def test_list_search_and_filter(client: QuartClient, auth: Auth, db: Database) -> None:
    await auth.login("editor")
    page = soup(await (await client.get("/redaksi/artikel")).get_data())
    assert len(page.select("table.editor-table tbody tr[data-article-id]")) == 20
    title = await db.fetchval("SELECT title FROM articles ORDER BY id LIMIT 1")
    word = title.split()[0]
    found = soup(await (await client.get("/redaksi/artikel", query_string={"q": word})).get_data())
    rows = found.select("tbody tr[data-article-id] td.title-cell > a.article-title")
    assert rows and all(word.lower() in r.get_text().lower() for r in rows)
    await db.conn.execute("UPDATE articles SET state = 0 WHERE id = 1")
    unpublished = soup(await (await client.get("/redaksi/artikel?status=0")).get_data())
    assert [tr["data-article-id"] for tr in unpublished.select("tbody tr[data-article-id]")] == [
        "1"
    ]
    assert (await client.get("/redaksi/artikel?status=7")).status_code == 400
    assert (await client.get("/redaksi/artikel?kategori=abc")).status_code == 400


async def test_preview_shows_cleaned_html_without_saving(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    before = await db.fetchval("SELECT count(*) FROM articles")
    response = await client.post(
        "/redaksi/artikel/baru", form=await article_form(client, action="preview")
    )
    assert response.status_code == 200
    page = soup(await response.get_data())
    preview = page.select_one(".preview .article-body")
    assert preview.select_one("strong").get_text() == "robusta"
    assert preview.select_one("script") is None
    assert not preview.select_one("img").has_attr("onerror")
    assert page.select_one("textarea#full_html").get_text().count("<script>") == 1  # kept as typed
    assert await db.fetchval("SELECT count(*) FROM articles") == before


async def test_create_publishes_cleaned_article_and_audits(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    response = await client.post("/redaksi/artikel/baru", form=await article_form(client))
    assert response.status_code == 302
    row = await db.fetchone("SELECT * FROM articles ORDER BY id DESC LIMIT 1")
    assert row["alias"] == "panen-raya-kopi-di-kebun-percobaan"
    assert "<script" not in row["full_html"] and "onerror" not in row["full_html"]
    assert row["state"] == 1 and row["featured"] == 1
    home = soup(await (await client.get("/")).get_data())
    assert "Panen Raya Kopi di Kebun Percobaan" in [
        a.get_text() for a in home.select(".teaser-title a")
    ]
    article_page = soup(await (await client.get(f"/artikel/{row['id']}-{row['alias']}")).get_data())
    assert article_page.select_one(".meta-author").get_text() == "Oleh Redaksi Balittri"
    entry = await db.fetchone("SELECT * FROM audit_log ORDER BY id DESC LIMIT 1")
    assert (entry["user_email"], entry["action"], entry["object_id"]) == (
        "redaksi@balittri.example",
        "create",
        row["id"],
    )


async def test_bad_form_keeps_input_and_marks_fields(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    before = await db.fetchval("SELECT count(*) FROM articles")
    form = await article_form(
        client,
        title="",
        alias="Bukan Alias!",
        intro_html="<p>Tetap ada</p>",
        publish_up="besok",
        category_id="x",
    )
    response = await client.post("/redaksi/artikel/baru", form=form)
    assert response.status_code == 400
    page = soup(await response.get_data())
    for field in ("title", "alias", "publish_up", "category_id"):
        assert page.select_one(f"#{field}")["aria-invalid"] == "true"
        assert page.select_one(f"#{field}-error").get_text()
    assert page.select_one("#title-error").get_text() == "Beri judul pada artikel."
    assert page.select_one("textarea#intro_html").get_text() == "<p>Tetap ada</p>"
    assert page.select_one("input#alias")["value"] == "Bukan Alias!"
    assert page.select_one("input#publish_up")["value"] == "besok"
    assert await db.fetchval("SELECT count(*) FROM articles") == before


async def test_edit_changes_alias_and_old_one_redirects(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    row = await db.fetchone("SELECT * FROM articles WHERE state = 1 ORDER BY id LIMIT 1")
    edit = soup(await (await client.get(f"/redaksi/artikel/{row['id']}")).get_data())
    assert edit.select_one("input#title")["value"] == row["title"]
    form = await article_form(
        client, title="Judul Baru", alias="judul-baru", category_id=str(row["category_id"])
    )
    response = await client.post(f"/redaksi/artikel/{row['id']}", form=form)
    assert response.status_code == 302
    moved = await client.get(f"/artikel/{row['id']}-{row['alias']}")
    assert moved.status_code == 301 and moved.headers["Location"].endswith(
        f"/artikel/{row['id']}-judul-baru"
    )
    assert await db.fetchval("SELECT version FROM articles WHERE id = ?", (row["id"],)) == 2


async def test_state_feature_trash_and_preview(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    row = await db.fetchone(
        "SELECT * FROM articles WHERE state = 1 AND featured = 0 ORDER BY id LIMIT 1"
    )
    token = await csrf_from(client, "/redaksi/")
    await client.post(
        f"/redaksi/artikel/{row['id']}/unggulan", form={"csrf_token": token, "featured": "1"}
    )
    assert await db.fetchval("SELECT featured FROM articles WHERE id = ?", (row["id"],)) == 1
    await client.post(
        f"/redaksi/artikel/{row['id']}/status", form={"csrf_token": token, "state": "-2"}
    )
    assert await db.fetchval("SELECT state FROM articles WHERE id = ?", (row["id"],)) == -2
    listing = soup(await (await client.get("/redaksi/artikel")).get_data())
    assert str(row["id"]) not in [
        tr["data-article-id"] for tr in listing.select("tbody tr[data-article-id]")
    ]
    # editors preview what visitors cannot see
    response = await client.get(f"/artikel/{row['id']}-{row['alias']}")
    assert response.status_code == 200
    page = soup(await response.get_data())
    assert page.select_one(".notice-preview") is not None
    assert page.select_one("meta[name=robots]")["content"] == "noindex"
    await auth.logout()
    assert (await client.get(f"/artikel/{row['id']}-{row['alias']}")).status_code == 404
    actions = [
        r[0]
        for r in await db.fetchall(
            "SELECT action FROM audit_log WHERE object_id = ? ORDER BY id", (row["id"],)
        )
    ]
    assert actions == ["feature", "state:trashed"]


async def test_unknown_article_and_bad_state_values(client: QuartClient, auth: Auth) -> None:
    await auth.login("editor")
    token = await csrf_from(client, "/redaksi/")
    assert (await client.get("/redaksi/artikel/99999")).status_code == 404
    assert (
        await client.post("/redaksi/artikel/99999/status", form={"csrf_token": token, "state": "1"})
    ).status_code == 404
    assert (
        await client.post("/redaksi/artikel/1/status", form={"csrf_token": token, "state": "5"})
    ).status_code == 400
    assert (
        await client.post(
            "/redaksi/artikel/1/unggulan", form={"csrf_token": token, "featured": "ya"}
        )
    ).status_code == 400


async def test_categories_nested_and_guarded(client: QuartClient, auth: Auth, db: Database) -> None:
    await auth.login("editor")
    token = await csrf_from(client, "/redaksi/kategori/baru")
    parent = await db.fetchone("SELECT * FROM categories WHERE alias = 'berita'")
    response = await client.post(
        "/redaksi/kategori/baru",
        form={
            "csrf_token": token,
            "title": "Berita Daerah",
            "parent_id": str(parent["id"]),
            "layout": "list",
            "ordering": "3",
            "published": "1",
            "description": "Kabar dari daerah.",
        },
    )
    assert response.status_code == 302
    child = await db.fetchone("SELECT * FROM categories WHERE alias = 'berita-daerah'")
    assert child["parent_id"] == parent["id"] and child["layout"] == "list"
    # a category cannot be moved inside its own child
    response = await client.post(
        f"/redaksi/kategori/{parent['id']}",
        form={
            "csrf_token": token,
            "title": "Berita",
            "alias": "berita",
            "parent_id": str(child["id"]),
            "layout": "blog",
        },
    )
    assert response.status_code == 400
    assert soup(await response.get_data()).select_one("#parent_id-error").get_text()
    # duplicate alias
    response = await client.post(
        "/redaksi/kategori/baru",
        form={"csrf_token": token, "title": "Lagi", "alias": "berita", "layout": "blog"},
    )
    assert response.status_code == 400
    assert soup(await response.get_data()).select_one("#alias-error").get_text()
    tree = soup(await (await client.get("/redaksi/kategori")).get_data())
    assert "Berita Daerah" in [a.get_text() for a in tree.select("td.depth-1 a")]


async def test_audit_log_is_for_admins(client: QuartClient, auth: Auth) -> None:
    await auth.login("editor")
    assert (await client.get("/redaksi/audit")).status_code == 403
    await auth.logout()
    await auth.login("admin")
    page = soup(await (await client.get("/redaksi/audit")).get_data())
    actions = [td.get_text() for td in page.select("tbody tr td.audit-action")]
    assert "Konten demo dimuat" in actions


def test_a_moment_out_of_range_is_a_field_error_in_both_forms() -> None:
    jakarta = ZoneInfo("Asia/Jakarta")  # year 1 at 00:00 here is before year 1 in UTC
    _, errors = articles.parse_article_form(
        {"title": "Judul", "publish_up": "0001-01-01T00:00", "publish_down": "kemarin"}, jakarta
    )
    assert errors["publish_up"] == errors["publish_down"] == BAD_MOMENT
    _, errors = polls.parse_poll_form(
        {"question": "Tanya?", "options": "Ya\nTidak", "opens_at": "0001-01-01T00:00"}, jakarta
    )
    assert errors["opens_at"] == BAD_MOMENT
