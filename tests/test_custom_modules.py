"""Custom HTML modules and the pages every module shows on: the editors' forms, what visitors
see where, cleaning at save, the audit log, and bad input that writes nothing."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from quart import Quart
from quart.testing import QuartClient

from content import accounts, revisions
from content.custom_modules import REVISION_KIND, CustomDraft, save_custom
from content.db import Database
from content.web.state import Portal
from tests.conftest import Auth, csrf_from, soup
from tests.test_sanitize import assert_inert
from tests.xss_payloads import load_payload_file

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
PUBLIKASI, HASIL_PENELITIAN, BERITA = 4, 5, 1  # the demo's: 5 and 6 are Publikasi's children
TABLES = ("custom_modules", "modules", "module_categories", "audit_log")


async def post(client: QuartClient, path: str, fields: Iterable[tuple[str, str]]) -> Any:
    """Send a form whose fields may repeat (the ticked categories)."""
    return await client.post(path, data=urlencode(list(fields)), headers=FORM)


def custom_fields(
    token: str, categories: Iterable[int] = (), **changes: str
) -> list[tuple[str, str]]:
    """A custom module's form, filled in; a change to '' leaves the field out."""
    fields = {
        "csrf_token": token,
        "title": "Layanan Informasi Publik",
        "show_title": "1",
        "body_html": "<p>Hubungi <strong>PPID</strong> di nomor 0266-6542181.</p>",
        "position": "right",
        "ordering": "0",
        "enabled": "1",
        "pages": "all",
    }
    fields.update(changes)
    pairs = [(name, value) for name, value in fields.items() if value != ""]
    return pairs + [("categories", str(category)) for category in categories]


async def create(
    client: QuartClient, categories: Iterable[int] = (), **changes: str
) -> tuple[Any, int | None]:
    """Create a custom module through the form: the response and the new module's id."""
    token = await csrf_from(client, "/redaksi/modul/html/baru")
    fields = custom_fields(token, categories, **changes)
    response = await post(client, "/redaksi/modul/html/baru", fields)
    location = response.headers.get("Location", "")
    module_id = int(location.split("/html/")[1].split("?")[0]) if "/html/" in location else None
    return response, module_id


async def page(client: QuartClient, path: str) -> BeautifulSoup:
    response = await client.get(path)
    assert response.status_code == 200, path
    return soup(await response.get_data())


async def article_path(db: Database, category_id: int) -> str:
    row = await db.fetchone(
        "SELECT id, alias FROM articles WHERE category_id = ? AND state = 1 ORDER BY id LIMIT 1",
        (category_id,),
    )
    return f"/artikel/{row['id']}-{row['alias']}"


async def category_path(db: Database, category_id: int) -> str:
    alias = await db.fetchval("SELECT alias FROM categories WHERE id = ?", (category_id,))
    return f"/kategori/{category_id}-{alias}"


def custom_on(html: BeautifulSoup, module_id: int) -> Any:
    return html.select_one(f"aside.modules #module-custom-{module_id}")


async def snapshot(db: Database) -> dict[str, list[tuple[Any, ...]]]:
    return {
        table: [tuple(row) for row in await db.fetchall(f"SELECT * FROM {table}")]
        for table in TABLES
    }


async def test_a_module_for_a_category_shows_on_it_its_subcategories_and_their_articles(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    response, module_id = await create(client, [PUBLIKASI], pages="categories")
    assert response.status_code == 302 and module_id is not None
    await auth.logout()
    shown_on = [
        await category_path(db, PUBLIKASI),
        await category_path(db, HASIL_PENELITIAN),  # a subcategory
        await article_path(db, HASIL_PENELITIAN),  # an article of the subcategory
        await article_path(db, 6),
    ]
    for path in shown_on:
        module = custom_on(await page(client, path), module_id)
        assert module is not None, path
        assert module.select_one("h2").get_text() == "Layanan Informasi Publik"
        assert module.select_one(".module-custom-body strong").get_text() == "PPID"
        assert module.find_parent("aside")["class"] == ["modules", "modules-right"]
    hidden_on = [
        "/",
        "/?halaman=2",
        await category_path(db, BERITA),
        await article_path(db, BERITA),
        "/kalender",
        "/cari?q=kopi",
    ]
    for path in hidden_on:
        html = await page(client, path)
        assert html.select_one(".module-custom") is None, path
        assert html.select_one(".module-latest") is not None, path  # the rest still shows


async def test_a_subcategory_chosen_alone_leaves_its_parent_and_siblings_out(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    _, module_id = await create(client, [HASIL_PENELITIAN], pages="categories")
    assert module_id is not None
    assert custom_on(await page(client, await category_path(db, HASIL_PENELITIAN)), module_id)
    assert custom_on(await page(client, await article_path(db, HASIL_PENELITIAN)), module_id)
    for path in (await category_path(db, PUBLIKASI), await category_path(db, 6)):
        assert custom_on(await page(client, path), module_id) is None, path


async def test_a_module_for_the_home_page_shows_there_only(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    _, module_id = await create(client, pages="home", position="left", ordering="9")
    assert module_id is not None
    await auth.logout()
    for path in ("/", "/?halaman=2"):
        home = await page(client, path)
        assert home.select(".modules-left > .module")[-1]["id"] == f"module-custom-{module_id}"
    for path in (
        await category_path(db, BERITA),
        await article_path(db, BERITA),
        await category_path(db, PUBLIKASI),
        "/kalender",
    ):
        assert (await page(client, path)).select_one(".module-custom") is None, path


async def test_a_module_for_every_page_shows_everywhere_and_can_hide_its_title(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    _, module_id = await create(client, show_title="", title="Kontak", position="top")
    assert module_id is not None
    await auth.logout()
    for path in (
        "/",
        await category_path(db, BERITA),
        await article_path(db, PUBLIKASI + 1),
        "/kalender",
        "/video",
        "/arsip",
    ):
        module = (await page(client, path)).select_one(f".modules-top #module-custom-{module_id}")
        assert module is not None, path
        assert module.select_one("h2") is None  # the title is not shown ...
        assert module["aria-label"] == "Kontak"  # ... but names the region


async def test_the_pages_of_a_built_in_module_change_too(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    token = await csrf_from(client, "/redaksi/modul/popular/halaman")
    response = await post(
        client,
        "/redaksi/modul/popular/halaman",
        [("csrf_token", token), ("pages", "categories"), ("categories", str(BERITA))],
    )
    assert response.status_code == 302
    listing = await page(client, "/redaksi/modul")
    cell = listing.select_one("tr[data-module=popular] .module-pages-summary")
    assert cell.get_text() == "Berita"
    await auth.logout()
    assert (await page(client, await category_path(db, BERITA))).select_one(".module-popular")
    assert (await page(client, await article_path(db, BERITA))).select_one(".module-popular")
    assert (await page(client, "/")).select_one(".module-popular") is None
    assert (await page(client, await category_path(db, 2))).select_one(".module-popular") is None
    # the live modules too: Statistik on the home page only takes its strip figure along
    await auth.login("editor")
    token = await csrf_from(client, "/redaksi/modul/stats/halaman")
    fields = [("csrf_token", token), ("pages", "home")]
    assert (await post(client, "/redaksi/modul/stats/halaman", fields)).status_code == 302
    await auth.logout()
    home = await page(client, "/")
    assert home.select_one(".module-stats") and home.select_one(
        ".live-strip a[href='#module-stats']"
    )
    other = await page(client, await category_path(db, BERITA))
    assert other.select_one(".module-stats") is None
    assert other.select_one(".live-strip a[href='#module-stats']") is None
    entries = await db.fetchall(
        "SELECT detail FROM audit_log WHERE object_type = 'module' ORDER BY id"
    )
    assert [e["detail"] for e in entries] == [
        f"popular: pages all -> categories {BERITA}",
        "stats: pages all -> home",
    ]


async def test_kept_pages_follow_a_change_of_pages(
    app: Quart, client: QuartClient, auth: Auth, db: Database
) -> None:
    path = await category_path(db, BERITA)
    assert (await page(client, path)).select_one(".module-popular") is not None
    assert (await page(client, path)).select_one(".module-popular") is not None  # kept now
    cache = Portal.of(app).page_cache
    assert cache is not None and cache.hits >= 1
    await auth.login("editor")
    token = await csrf_from(client, "/redaksi/modul/popular/halaman")
    fields = [("csrf_token", token), ("pages", "home")]
    assert (await post(client, "/redaksi/modul/popular/halaman", fields)).status_code == 302
    await auth.logout()
    assert (await page(client, path)).select_one(".module-popular") is None
    assert (await page(client, "/")).select_one(".module-popular") is not None


async def test_editing_moves_and_changes_a_module_and_the_log_says_so(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    _, module_id = await create(client, pages="home")
    assert module_id is not None
    form = await page(client, f"/redaksi/modul/html/{module_id}")
    assert form.select_one("#title")["value"] == "Layanan Informasi Publik"
    assert form.select_one("#pages-home").has_attr("checked")
    assert form.select_one("textarea#body_html[data-rich-text]").get_text().startswith("<p>")
    token = form.select_one("input[name=csrf_token]")["value"]
    fields = custom_fields(
        token,
        [BERITA],
        title="Kontak PPID",
        body_html="<p>Surel: ppid@balittri.example</p>",
        position="left",
        ordering="3",
        pages="categories",
    )
    response = await post(client, f"/redaksi/modul/html/{module_id}", fields)
    assert response.status_code == 302
    row = await db.fetchone(
        "SELECT c.title, c.body_html, m.position, m.ordering, m.pages FROM custom_modules c "
        "JOIN modules m ON m.custom_id = c.id WHERE c.id = ?",
        (module_id,),
    )
    assert tuple(row) == (
        "Kontak PPID",
        "<p>Surel: ppid@balittri.example</p>",
        "left",
        3,
        "categories",
    )
    # the positions page lists it with its pages, and moves it like any other module
    listing = await page(client, "/redaksi/modul")
    key = f"custom-{module_id}"
    row_html = listing.select_one(f"tr[data-module={key}]")
    assert row_html.select_one("th a")["href"] == f"/redaksi/modul/html/{module_id}"
    assert row_html.select_one(".module-pages-summary").get_text() == "Berita"
    token = listing.select_one("input[name=csrf_token]")["value"]
    fields = [("csrf_token", token)]
    for select in listing.select("select[name^=position-]"):
        fields.append((select["name"], select.select_one("option[selected]")["value"]))
    for field in listing.select("input[name^=ordering-]"):
        fields.append((field["name"], field["value"]))
    for box in listing.select("input[name^=enabled-]"):
        if box.has_attr("checked") and box["name"] != f"enabled-{key}":
            fields.append((box["name"], "1"))
    assert (await post(client, "/redaksi/modul", fields)).status_code == 302
    assert await db.fetchval("SELECT enabled FROM modules WHERE key = ?", (key,)) == 0
    assert await db.fetchval("SELECT pages FROM modules WHERE key = ?", (key,)) == "categories"
    await auth.logout()
    assert (await page(client, await category_path(db, BERITA))).select_one(
        ".module-custom"
    ) is None
    entries = await db.fetchall(
        "SELECT action, object_type, object_id, detail FROM audit_log "
        "WHERE object_type IN ('custom_module', 'module') ORDER BY id"
    )
    assert [tuple(e) for e in entries] == [
        ("create", "custom_module", module_id, "Layanan Informasi Publik: right 0 on, pages home"),
        (
            "update",
            "custom_module",
            module_id,
            f"Kontak PPID: left 3 on, pages categories {BERITA}",
        ),
        ("update", "module", None, f"{key}: left 3 on -> left 3 off"),
    ]


async def test_a_script_in_the_body_never_reaches_the_page(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    _, module_id = await create(client)
    assert module_id is not None
    token = await csrf_from(client, f"/redaksi/modul/html/{module_id}")
    payloads = load_payload_file()
    assert len(payloads) > 100
    for payload in payloads:
        fields = custom_fields(token, body_html=f"<p>aman</p>{payload}")
        response = await post(client, f"/redaksi/modul/html/{module_id}", fields)
        assert response.status_code == 302, payload
        stored = await db.fetchval(
            "SELECT body_html FROM custom_modules WHERE id = ?", (module_id,)
        )
        assert_inert(stored)
        html = await page(client, "/")  # an editor's page: rendered afresh each time
        body = html.select_one(f"#module-custom-{module_id} .module-custom-body")
        assert body is not None and body.select_one("p").get_text() == "aman", payload
        assert_inert(body.decode_contents())
    # the editor is told what the cleaner removed
    fields = custom_fields(token, body_html='<p onclick="xss()">klik</p><script>xss()</script>')
    response = await post(client, f"/redaksi/modul/html/{module_id}", fields)
    form = await page(client, response.headers["Location"])
    assert "<script>" in form.select_one(".notice-removed").get_text()


async def test_deleting_asks_first_and_takes_its_place_and_pages_along(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    _, module_id = await create(client, [BERITA, PUBLIKASI], pages="categories")
    assert module_id is not None
    key = f"custom-{module_id}"
    assert (
        await db.fetchval("SELECT count(*) FROM module_categories WHERE module_key = ?", (key,))
        == 2
    )
    confirm = await page(client, f"/redaksi/modul/html/{module_id}/hapus")
    assert "Layanan Informasi Publik" in confirm.select_one(".notice-error").get_text()
    assert await db.fetchval("SELECT count(*) FROM custom_modules WHERE id = ?", (module_id,)) == 1
    token = confirm.select_one("input[name=csrf_token]")["value"]
    response = await post(client, f"/redaksi/modul/html/{module_id}/hapus", [("csrf_token", token)])
    assert response.status_code == 302 and "dihapus=1" in response.headers["Location"]
    for table, column, value in (
        ("custom_modules", "id", module_id),
        ("modules", "key", key),
        ("module_categories", "module_key", key),
    ):
        assert await db.fetchval(f"SELECT count(*) FROM {table} WHERE {column} = ?", (value,)) == 0
    assert (await page(client, await category_path(db, BERITA))).select_one(
        ".module-custom"
    ) is None
    assert (await client.get(f"/redaksi/modul/html/{module_id}")).status_code == 404
    assert (await client.get(f"/redaksi/modul/html/{module_id}/hapus")).status_code == 404
    entry = await db.fetchone(
        "SELECT action, object_id, detail FROM audit_log WHERE object_type = 'custom_module' "
        "ORDER BY id DESC LIMIT 1"
    )
    assert tuple(entry) == ("delete", module_id, "Layanan Informasi Publik")


async def test_every_form_needs_its_token(client: QuartClient, auth: Auth, db: Database) -> None:
    await auth.login("editor")
    _, module_id = await create(client)
    assert module_id is not None
    before = await snapshot(db)
    for path, fields in (
        ("/redaksi/modul/html/baru", custom_fields("palsu")),
        (f"/redaksi/modul/html/{module_id}", custom_fields("palsu", title="Diubah")),
        (f"/redaksi/modul/html/{module_id}/hapus", [("csrf_token", "palsu")]),
        ("/redaksi/modul/latest/halaman", [("csrf_token", "palsu"), ("pages", "home")]),
    ):
        assert (await post(client, path, fields)).status_code == 400, path
        without = [(name, value) for name, value in fields if name != "csrf_token"]
        assert (await post(client, path, without)).status_code == 400, path
    assert await snapshot(db) == before


async def test_the_forms_are_for_editors(client: QuartClient, auth: Auth) -> None:
    for path in ("/redaksi/modul/html/baru", "/redaksi/modul/latest/halaman"):
        response = await client.get(path)
        assert response.status_code == 302 and "/masuk" in response.headers["Location"]
    await auth.login("moderator")
    for path in ("/redaksi/modul/html/baru", "/redaksi/modul/latest/halaman"):
        assert (await client.get(path)).status_code == 403
    await auth.logout()
    await auth.login("editor")
    assert (await client.get("/redaksi/modul/nothing/halaman")).status_code == 404
    assert (await client.get("/redaksi/modul/html/999")).status_code == 404
    assert (await client.get("/redaksi/modul/html/abc")).status_code == 404


@pytest.mark.parametrize(
    ("changes", "categories", "field"),
    [
        ({"title": "   "}, (), "title"),
        ({"title": "x" * 201}, (), "title"),
        ({"body_html": "  "}, (), "body_html"),
        ({"position": "footer"}, (), "position"),
        ({"position": ""}, (), "position"),
        ({"ordering": "-1"}, (), "ordering"),
        ({"ordering": "1000"}, (), "ordering"),
        ({"pages": "somewhere"}, (), "pages"),
        ({"pages": "categories"}, (), "categories"),
        ({"pages": "categories"}, (999,), "categories"),
        ({"pages": "categories"}, (BERITA, "1; DROP TABLE modules"), "categories"),
    ],
)
async def test_bad_input_says_what_to_fix_and_writes_nothing(
    client: QuartClient,
    auth: Auth,
    db: Database,
    changes: dict[str, str],
    categories: tuple[Any, ...],
    field: str,
) -> None:
    await auth.login("editor")
    before = await snapshot(db)
    token = await csrf_from(client, "/redaksi/modul/html/baru")
    fields = custom_fields(token, **changes) + [("categories", str(c)) for c in categories]
    response = await post(client, "/redaksi/modul/html/baru", fields)
    assert response.status_code == 400
    html = soup(await response.get_data())
    if field == "categories":  # a group of checkboxes: each box is marked
        assert all(box["aria-invalid"] == "true" for box in html.select("#categories input"))
        assert "categories-error" in html.select_one("#categories")["aria-describedby"]
    else:
        assert html.select_one(f"#{field}")["aria-invalid"] == "true"
    error = html.select_one(f"#{field}-error").get_text().strip()
    assert error
    assert html.select_one(".notice-error[role=alert]").get_text() == (
        "Tidak ada yang tersimpan. Perbaiki isian yang ditandai di bawah ini."
    )
    if field != "body_html":  # what was typed comes back
        assert html.select_one("textarea#body_html").get_text() == fields[3][1]
    assert await snapshot(db) == before
    # the pages form of a built-in module refuses the same way
    if field in ("pages", "categories"):
        token = await csrf_from(client, "/redaksi/modul/latest/halaman")
        page_fields = [("csrf_token", token), ("pages", changes["pages"])]
        page_fields += [("categories", str(c)) for c in categories]
        response = await post(client, "/redaksi/modul/latest/halaman", page_fields)
        assert response.status_code == 400
        html = soup(await response.get_data())
        assert html.select_one(f"#{field}-error").get_text().strip() == error
        assert await snapshot(db) == before


async def test_an_empty_title_is_allowed_when_it_is_not_shown(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    response, module_id = await create(client, title="", show_title="")
    assert response.status_code == 302 and module_id is not None
    listing = await page(client, "/redaksi/modul")
    assert (
        listing.select_one(f"tr[data-module=custom-{module_id}] th a").get_text() == f"#{module_id}"
    )
    module = (await page(client, "/")).select_one(f"#module-custom-{module_id}")
    assert module.select_one("h2") is None and not module.has_attr("aria-label")
    token = await csrf_from(client, f"/redaksi/modul/html/{module_id}/hapus")
    await post(client, f"/redaksi/modul/html/{module_id}/hapus", [("csrf_token", token)])
    details = await db.fetchall(
        "SELECT action, detail FROM audit_log WHERE object_type = 'custom_module' ORDER BY id"
    )
    assert [tuple(d) for d in details] == [
        ("create", "- (title hidden): right 0 on, pages all"),
        ("delete", f"#{module_id}"),
    ]


async def test_the_english_form_speaks_english(client: QuartClient, auth: Auth) -> None:
    await auth.login("editor")
    await client.get("/bahasa/en")
    token = await csrf_from(client, "/redaksi/modul/html/baru")
    response = await post(
        client, "/redaksi/modul/html/baru", custom_fields(token, position="footer", title="")
    )
    html = soup(await response.get_data())
    assert html.select_one("#position-error").get_text() == "Choose a position from the list."
    assert html.select_one("#title-error").get_text() == (
        "Give the module a title, or choose not to show one."
    )


async def test_every_save_keeps_a_revision_and_a_delete_forgets_them(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    _, module_id = await create(client, [BERITA], pages="categories")
    assert module_id is not None
    first = await revisions.latest(db, REVISION_KIND, module_id)
    assert first is not None and first.number == 1 and first.user_name
    assert first.fields == {
        "title": "Layanan Informasi Publik",
        "show_title": True,
        "body_html": "<p>Hubungi <strong>PPID</strong> di nomor 0266-6542181.</p>",
        "position": "right",
        "ordering": 0,
        "enabled": True,
        "pages": "categories",
        "categories": [BERITA],
    }
    form = await page(client, f"/redaksi/modul/html/{module_id}")
    assert form.select_one("input[name=base_revision]")["value"] == "1"
    token = form.select_one("input[name=csrf_token]")["value"]
    fields = custom_fields(token, body_html="<p onclick='xss()'>Baru</p>", pages="home")
    fields.append(("base_revision", "1"))
    assert (await post(client, f"/redaksi/modul/html/{module_id}", fields)).status_code == 302
    second = await revisions.latest(db, REVISION_KIND, module_id)
    assert second is not None and second.number == 2
    assert second.fields["body_html"] == "<p>Baru</p>"  # as cleaned and stored
    assert (second.fields["pages"], second.fields["categories"]) == ("home", [])
    assert [r.number for r in await revisions.list_for(db, REVISION_KIND, module_id)] == [2, 1]
    token = await csrf_from(client, f"/redaksi/modul/html/{module_id}/hapus")
    await post(client, f"/redaksi/modul/html/{module_id}/hapus", [("csrf_token", token)])
    assert await revisions.list_for(db, REVISION_KIND, module_id) == []


async def test_a_save_over_someone_elses_is_refused_until_the_editor_chooses(
    app: Quart, client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    _, module_id = await create(client)
    assert module_id is not None
    form = await page(client, f"/redaksi/modul/html/{module_id}")  # opened at revision 1
    token = form.select_one("input[name=csrf_token]")["value"]
    # meanwhile a colleague saves it
    admin = await accounts.get_user_by_email(db, "admin@balittri.example")
    assert admin is not None
    theirs = CustomDraft(title="Versi Rekan", body_html="<p>Punya rekan.</p>")
    await save_custom(db, theirs, admin, Portal.of(app).cleaner, module_id, based_on=1)
    before = await snapshot(db)
    mine = [*custom_fields(token, title="Versi Saya"), ("base_revision", "1")]
    mine.append(("revision_note", "judul baru"))
    response = await post(client, f"/redaksi/modul/html/{module_id}?disimpan=1", mine)
    assert response.status_code == 409
    html = soup(await response.get_data())
    assert html.select_one(".notice-ok") is None  # sent from the "saved" address, not saved
    notice = html.select_one(".conflict [role=alert]")
    assert admin.name in notice.get_text()
    changed = html.select_one(".conflict").get_text()
    assert "Versi Rekan" in changed and "Punya rekan." in changed  # what they changed
    assert html.select_one("#title")["value"] == "Versi Saya"  # nothing typed is lost
    assert html.select_one("input[name=base_revision]")["value"] == "1"
    anyway = html.select_one("form button[name=save_anyway]")
    assert anyway["value"] == "2"
    assert await snapshot(db) == before
    response = await post(client, f"/redaksi/modul/html/{module_id}", [*mine, ("save_anyway", "2")])
    assert response.status_code == 302
    latest = await revisions.latest(db, REVISION_KIND, module_id)
    assert latest is not None and latest.number == 3 and latest.fields["title"] == "Versi Saya"
    assert latest.note == "judul baru"


async def test_history_compares_and_restores_a_module(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    _, module_id = await create(client, [BERITA], pages="categories")
    assert module_id is not None
    token = await csrf_from(client, f"/redaksi/modul/html/{module_id}")
    fields = custom_fields(token, title="Kontak", body_html="<p>Surel saja.</p>", pages="home")
    await post(client, f"/redaksi/modul/html/{module_id}", [*fields, ("base_revision", "1")])
    form = await page(client, f"/redaksi/modul/html/{module_id}")
    history = form.select_one(".revision-links a")["href"]
    assert history == f"/redaksi/modul-html/{module_id}/revisi"
    listing = await page(client, history)
    assert [li["data-revision"] for li in listing.select("li.revision")] == ["2", "1"]
    compared = await page(client, f"{history}/banding?dari=1&ke=2")
    text = compared.get_text(" ")
    assert "Layanan Informasi Publik" in text and "Kontak" in text
    assert "Kategori terpilih beserta artikelnya: Berita" in text and "Hanya beranda" in text
    token = listing.select_one("input[name=csrf_token]")["value"]
    response = await post(client, f"{history}/1/pulihkan", [("csrf_token", token)])
    assert response.status_code == 302
    row = await db.fetchone(
        "SELECT c.title, m.pages FROM custom_modules c JOIN modules m ON m.custom_id = c.id "
        "WHERE c.id = ?",
        (module_id,),
    )
    assert tuple(row) == ("Layanan Informasi Publik", "categories")
    await auth.logout()
    berita = await page(client, await category_path(db, BERITA))
    assert custom_on(berita, module_id) is not None
    restored = await db.fetchone(
        "SELECT action, detail FROM audit_log WHERE object_type = 'custom_module' "
        "ORDER BY id DESC LIMIT 1"
    )
    assert restored["action"] == "restore" and restored["detail"].endswith("(revision 1)")


async def test_a_category_moved_under_a_chosen_one_brings_the_module_along(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    _, module_id = await create(client, [PUBLIKASI], pages="categories")
    assert module_id is not None
    await auth.logout()
    berita = await category_path(db, BERITA)
    assert custom_on(await page(client, berita), module_id) is None  # read and kept now
    await auth.login("editor")
    token = await csrf_from(client, f"/redaksi/kategori/{BERITA}")
    fields = {
        "csrf_token": token,
        "title": "Berita",
        "alias": "berita",
        "parent_id": str(PUBLIKASI),
        "layout": "blog",
        "published": "1",
        "include_children": "auto",
    }
    assert (await client.post(f"/redaksi/kategori/{BERITA}", form=fields)).status_code == 302
    await auth.logout()
    assert custom_on(await page(client, berita), module_id) is not None
    assert custom_on(await page(client, await article_path(db, BERITA)), module_id) is not None
