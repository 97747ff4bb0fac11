"""Module positions from the database, the editors' layout page, and the banner row's links."""

from __future__ import annotations

from typing import Any

import pytest
from bs4 import BeautifulSoup
from quart import Quart
from quart.testing import QuartClient

from content import modules_layout
from content.db import Database
from content.events import CategorySaved, ContentChanged, ModulesChanged
from content.web.sidebar import SHARED_TTL
from content.web.state import Portal
from tests.clock import ManualClock
from tests.conftest import Auth, csrf_from, settled, soup

PERSON = {
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Safari/537.36"
}
BOT = {"User-Agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"}
SEED_RIGHT = [
    "module-calendar",
    "module-video",
    "module-social",
    "module-downloads",
    "module-online",
    "module-poll",
    "module-stats",
    "module-popular",
]


def modules_in(page: BeautifulSoup, selector: str) -> list[str]:
    """The module-* class of every module in a position, in order."""
    found = []
    for element in page.select(f"{selector} > .module, {selector} > .banner-row"):
        classes = element.get("class") or []
        found.append(next(c for c in classes if c.startswith(("module-", "banner-row"))))
    return found


async def home(client: QuartClient) -> BeautifulSoup:
    return soup(await (await client.get("/")).get_data())


async def layout_form(client: QuartClient, **changes: str) -> dict[str, str]:
    """The layout form as it is, with some fields changed (an enabled-<key> of '' unticks it)."""
    page = soup(await (await client.get("/redaksi/modul")).get_data())
    form = {"csrf_token": page.select_one("input[name=csrf_token]")["value"]}
    for select in page.select("select[name^=position-]"):
        form[select["name"]] = select.select_one("option[selected]")["value"]
    for field in page.select("input[name^=ordering-]"):
        form[field["name"]] = field["value"]
    for box in page.select("input[name^=enabled-]"):
        if box.has_attr("checked"):
            form[box["name"]] = "1"
    for name, value in changes.items():
        key = name.replace("_", "-")
        if value == "":
            form.pop(key, None)
        else:
            form[key] = value
    return form


async def test_seeded_layout_is_the_old_sites(client: QuartClient, db: Database) -> None:
    page = await home(client)
    assert modules_in(page, ".modules-top") == ["banner-row"]
    assert modules_in(page, ".modules-left") == ["module-categories", "module-latest"]
    assert modules_in(page, ".modules-right") == SEED_RIGHT
    headings = [h.get_text() for h in page.select(".modules-right > .module h2")]
    assert headings[4:7] == ["Online", "Polling", "Statistik"]
    rows = await db.fetchall("SELECT key FROM modules WHERE position = 'right' ORDER BY ordering")
    assert [r["key"] for r in rows] == [
        "calendar",
        "video",
        "social",
        "downloads",
        "online",
        "poll",
        "stats",
        "popular",
    ]


async def test_moving_and_switching_off_changes_the_page(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    form = await layout_form(
        client,
        position_calendar="left",
        ordering_calendar="5",
        enabled_video="",
        position_banners="right",
        ordering_banners="99",
    )
    response = await client.post("/redaksi/modul", form=form)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/redaksi/modul")
    await auth.logout()
    page = await home(client)
    assert modules_in(page, ".modules-left") == [
        "module-categories",
        "module-latest",
        "module-calendar",
    ]
    right = modules_in(page, ".modules-right")
    assert "module-calendar" not in right and "module-video" not in right
    assert right[-1] == "banner-row" and page.select_one(".modules-top") is None
    assert page.select_one(".module-video") is None  # switched off: nowhere
    assert len(page.select(".banner-row a")) == 15
    # other pages follow the same layout
    article = soup(await (await client.get("/kategori/1-berita")).get_data())
    assert article.select_one(".modules-left .module-calendar") is not None
    assert article.select_one(".module-video") is None
    entries = await db.fetchall("SELECT detail FROM audit_log WHERE object_type = 'module'")
    details = sorted(entry["detail"] for entry in entries)
    assert details == [
        "banners: top 0 on -> right 99 on",
        "calendar: right 0 on -> left 5 on",
        "video: right 1 on -> right 1 off",
    ]


async def test_an_empty_column_leaves_room_for_the_content(client: QuartClient, auth: Auth) -> None:
    await auth.login("editor")
    form = await layout_form(
        client,
        position_categories="right",
        ordering_categories="0",
        position_latest="right",
        ordering_latest="1",
    )
    assert (await client.post("/redaksi/modul", form=form)).status_code == 302
    page = await home(client)
    assert page.select_one(".modules-left") is None
    assert "layout-no-left" in page.select_one(".layout")["class"]
    assert modules_in(page, ".modules-right")[:3] == [
        "module-calendar",
        "module-categories",
        "module-latest",
    ]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"position_calendar": "footer"}, "position-calendar"),
        ({"ordering_stats": "-1"}, "ordering-stats"),
        ({"ordering_stats": "dua"}, "ordering-stats"),
        ({"ordering_poll": "1000"}, "ordering-poll"),
    ],
)
async def test_bad_positions_are_refused_next_to_the_field(
    client: QuartClient, auth: Auth, db: Database, changes: dict[str, str], field: str
) -> None:
    await auth.login("editor")
    before = [tuple(r) for r in await db.fetchall("SELECT * FROM modules ORDER BY key")]
    response = await client.post("/redaksi/modul", form=await layout_form(client, **changes))
    assert response.status_code == 400
    page = soup(await response.get_data())
    assert page.select_one(f"#{field}")["aria-invalid"] == "true"
    assert page.select_one(f"#{field}-error").get_text().strip()
    assert [tuple(r) for r in await db.fetchall("SELECT * FROM modules ORDER BY key")] == before


async def test_change_beside_a_modules_pages_saves_what_was_typed_first(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    page = soup(await (await client.get("/redaksi/modul")).get_data())
    form = page.select_one("form:has(.modules-table)")
    # Enter in a field presses the first submit button: a plain Save, not a module's Change
    first = form.select("button[type=submit]")[0]
    assert first.get("name") is None and first.get_text(strip=True) == "Simpan"
    change = form.select_one("tr[data-module=calendar] .module-pages-cell button[type=submit]")
    assert (change["name"], change["value"]) == ("halaman", "calendar")
    assert change.get_text(" ", strip=True) == "Ubah : Halaman, Kalender Kegiatan"

    typed = await layout_form(client, ordering_calendar="7", halaman="calendar")
    response = await client.post("/redaksi/modul", form=typed)
    assert response.status_code == 302
    assert response.headers["Location"] == "/redaksi/modul/calendar/halaman?posisi=1"
    ordering = "SELECT ordering FROM modules WHERE key = 'calendar'"
    assert await db.fetchval(ordering) == 7
    pages = soup(await (await client.get(response.headers["Location"])).get_data())
    assert pages.select_one(".notice-ok").get_text(strip=True) == "Posisi modul disimpan."
    # nothing changed: straight to the pages, without saying something was saved
    again = await client.post("/redaksi/modul", form=typed)
    assert again.headers["Location"] == "/redaksi/modul/calendar/halaman"
    # a mistake keeps the form and what was typed, and goes nowhere
    wrong = await layout_form(client, ordering_calendar="9", ordering_poll="satu", halaman="poll")
    refused = await client.post("/redaksi/modul", form=wrong)
    assert refused.status_code == 400
    shown = soup(await refused.get_data())
    assert shown.select_one("#ordering-poll")["value"] == "satu"
    assert shown.select_one("#ordering-calendar")["value"] == "9"
    assert await db.fetchval(ordering) == 7
    # an unknown module's name is only a Save
    odd = await client.post("/redaksi/modul", form={**typed, "halaman": "../akun"})
    assert odd.headers["Location"] == "/redaksi/modul?disimpan=1"


async def test_layout_page_is_for_editors_with_a_token(client: QuartClient, auth: Auth) -> None:
    response = await client.get("/redaksi/modul")
    assert response.status_code == 302 and "/masuk" in response.headers["Location"]
    await auth.login("moderator")
    assert (await client.get("/redaksi/modul")).status_code == 403
    await auth.logout()
    await auth.login("admin")
    form = await layout_form(client, enabled_stats="")
    form["csrf_token"] = "palsu"
    assert (await client.post("/redaksi/modul", form=form)).status_code == 400
    assert (await home(client)).select_one(".module-stats") is not None


async def test_layout_is_read_once_for_many_pages(
    app: Quart,
    client: QuartClient,
    db: Database,
    monkeypatch: pytest.MonkeyPatch,
    clock: ManualClock,
) -> None:
    reads: list[str] = []
    original = db.fetchall

    async def counting(sql: str, params: Any = ()) -> Any:
        if "FROM modules" in sql or "FROM module_categories" in sql:
            reads.append(sql)
        return await original(sql, params)

    monkeypatch.setattr(db, "fetchall", counting)
    for path in ("/", "/kategori/1-berita", "/kalender", "/video", "/unduhan", "/"):
        assert (await client.get(path)).status_code == 200
    assert len(reads) == 2  # the placements and the pages of each, once
    clock.advance(SHARED_TTL * 10)
    await client.get("/video")  # a page no page cache keeps
    await client.get("/artikel/1")
    assert len(reads) == 2  # kept however long, until modules or categories change
    Portal.of(app).events.publish(ContentChanged())  # an article, say: the modules stay
    await client.get("/video")
    assert len(reads) == 2
    Portal.of(app).events.publish(ModulesChanged())  # an editor's change: read again
    await client.get("/")
    assert len(reads) == 4
    Portal.of(app).events.publish(CategorySaved(1, created=False))  # a category moved
    await client.get("/video")
    assert len(reads) == 6


async def test_unknown_rows_are_ignored_and_missing_modules_show_last(db: Database) -> None:
    await db.conn.execute("DELETE FROM modules WHERE key = 'popular'")
    await db.conn.execute(
        "INSERT INTO modules (key, position, ordering, enabled) VALUES ('gone', 'left', 0, 1)"
    )
    placed = modules_layout.layout(await modules_layout.placements(db))
    assert [m.key for m in placed["right"]][-1] == "popular"
    assert "gone" not in [m.key for modules in placed.values() for m in modules]


# The banner row


async def test_banner_row_links_through_the_click_counter(
    client: QuartClient, db: Database
) -> None:
    page = await home(client)
    links = page.select(".banner-row a")
    rows = await db.fetchall("SELECT id, title FROM banners WHERE published = 1 ORDER BY ordering")
    assert [a["href"] for a in links] == [f"/tautan/{r['id']}" for r in rows]
    assert [a.get_text() for a in links] == [r["title"] for r in rows]


async def test_banner_redirects_only_to_its_stored_address(
    app: Quart, client: QuartClient, db: Database
) -> None:
    row = await db.fetchone("SELECT id, url, clicks FROM banners ORDER BY ordering LIMIT 1")
    for path in (
        f"/tautan/{row['id']}",
        f"/tautan/{row['id']}?next=https://evil.example/",
        f"/tautan/{row['id']}?url=//evil.example",
    ):
        response = await client.get(path, headers=PERSON)
        assert response.status_code == 302
        assert response.headers["Location"] == row["url"]
        assert response.headers["Cache-Control"] == "no-store"
    await settled(app)
    clicks = await db.fetchval("SELECT clicks FROM banners WHERE id = ?", (row["id"],))
    assert clicks == row["clicks"] + 3


@pytest.mark.parametrize(
    "path", ["/tautan/99999", "/tautan/abc", "/tautan/1.5", "/tautan/-1", "/tautan/9" * 12]
)
async def test_unknown_banners_are_404(client: QuartClient, path: str) -> None:
    assert (await client.get(path, headers=PERSON)).status_code == 404


async def test_bots_and_staff_are_redirected_but_not_counted(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    row = await db.fetchone("SELECT id, url, clicks FROM banners ORDER BY ordering LIMIT 1")
    for headers in (BOT, {"User-Agent": ""}, {**PERSON, "Sec-Purpose": "prefetch"}):
        response = await client.get(f"/tautan/{row['id']}", headers=headers)
        assert response.headers["Location"] == row["url"]
    await auth.login("editor")
    await client.get(f"/tautan/{row['id']}", headers=PERSON)
    assert (
        await db.fetchval("SELECT clicks FROM banners WHERE id = ?", (row["id"],)) == row["clicks"]
    )


async def test_switched_off_and_unsafe_banners_lead_nowhere(
    client: QuartClient, db: Database
) -> None:
    await db.conn.execute("UPDATE banners SET published = 0 WHERE ordering = 0")
    hidden = await db.fetchval("SELECT id FROM banners WHERE ordering = 0")
    assert (await client.get(f"/tautan/{hidden}", headers=PERSON)).status_code == 404
    # an address that would never pass the form (say, from an old import) is not followed
    await db.conn.execute("UPDATE banners SET url = 'javascript:alert(1)' WHERE ordering = 1")
    unsafe = await db.fetchval("SELECT id FROM banners WHERE ordering = 1")
    assert (await client.get(f"/tautan/{unsafe}", headers=PERSON)).status_code == 404
    await db.conn.execute("UPDATE banners SET url = '//evil.example/' WHERE ordering = 2")
    other = await db.fetchval("SELECT id FROM banners WHERE ordering = 2")
    assert (await client.get(f"/tautan/{other}", headers=PERSON)).status_code == 404


def banner_form(token: str, **fields: str) -> dict[str, str]:
    form = {
        "csrf_token": token,
        "title": "Sigap UPG",
        "url": "https://sigap.example.go.id/",
        "description": "Layanan pengendalian gratifikasi.",
        "image": "",
        "ordering": "20",
        "published": "1",
    }
    form.update(fields)
    return form


async def test_editor_manages_banners(client: QuartClient, auth: Auth, db: Database) -> None:
    await auth.login("editor")
    token = await csrf_from(client, "/redaksi/tautan/baru")
    form = banner_form(token, title="Portal Data", image="/static/img/logo.svg")
    assert (await client.post("/redaksi/tautan/baru", form=form)).status_code == 302
    row = await db.fetchone("SELECT * FROM banners ORDER BY id DESC LIMIT 1")
    assert (row["title"], row["image"], row["ordering"]) == (
        "Portal Data",
        "/static/img/logo.svg",
        20,
    )
    page = await home(client)
    last = page.select(".banner-row a")[-1]
    assert last["href"] == f"/tautan/{row['id']}"
    assert last.select_one("img")["alt"] == "Portal Data"
    # switched off: gone from the row
    form = banner_form(token, title="Portal Data", published="")
    form.pop("published")
    assert (await client.post(f"/redaksi/tautan/{row['id']}", form=form)).status_code == 302
    assert f"/tautan/{row['id']}" not in [
        a["href"] for a in (await home(client)).select(".banner-row a")
    ]
    actions = await db.fetchall(
        "SELECT action FROM audit_log WHERE object_type = 'banner' AND object_id = ?", (row["id"],)
    )
    assert [a[0] for a in actions] == ["create", "update"]
    listing = soup(await (await client.get("/redaksi/tautan")).get_data())
    assert len(listing.select("tbody tr[data-banner-id]")) == 16


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "//evil.example/", "data:text/html,x", "ftp://x.example/", "", "/\\x"],
)
async def test_banner_addresses_must_be_web_or_site_paths(
    client: QuartClient, auth: Auth, db: Database, url: str
) -> None:
    await auth.login("editor")
    before = await db.fetchval("SELECT count(*) FROM banners")
    token = await csrf_from(client, "/redaksi/tautan/baru")
    response = await client.post("/redaksi/tautan/baru", form=banner_form(token, url=url))
    assert response.status_code == 400
    page = soup(await response.get_data())
    assert page.select_one("#url")["aria-invalid"] == "true"
    assert page.select_one("#url-error").get_text()
    assert await db.fetchval("SELECT count(*) FROM banners") == before
