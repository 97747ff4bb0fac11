"""A Joomla site moved in completely: every old address of every menu item and article answers
301 to its page here (or the 404 page with a search for its words), archived articles stay
readable, and the site total is the old site's."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Sequence
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from quart.testing import QuartClient

from content.importers.joomla.dump import Row, read_dump
from tests.conftest import make_app, soup
from tests.test_joomla import (
    article_3,
    invoke,
    query,
    rows_sql,
    snapshot,
    stock_3_blog,
    stock_15,
    table_sql,
    value,
    write,
)

MENU_15 = ["id", "menutype", "name", "alias", "link", "type", "published", "parent",
           "componentid", "sublevel", "ordering", "checked_out", "checked_out_time", "pollid",
           "browserNav", "access", "utaccess", "params", "lft", "rgt", "home"]  # fmt: skip


async def served(client: QuartClient, address: str) -> tuple[int, str]:
    """The status of an address and where it leads (the path and query of Location)."""
    response = await client.get(address)
    location = response.headers.get("Location", "")
    parts = urlsplit(location)
    return response.status_code, parts.path + (f"?{parts.query}" if parts.query else "")


def new_article(path: Path, joomla_id: int) -> str:
    row = query(
        path,
        "SELECT a.id, a.alias FROM articles a JOIN joomla_map m ON m.new_id = a.id "
        "WHERE m.kind = 'article' AND m.old_id = ?",
        (joomla_id,),
    )[0]
    return f"/artikel/{row['id']}-{row['alias']}"


def new_category(path: Path, kind: str, joomla_id: int) -> str:
    row = query(
        path,
        "SELECT c.id, c.alias FROM categories c JOIN joomla_map m ON m.new_id = c.id "
        "WHERE m.kind = ? AND m.old_id = ?",
        (kind, joomla_id),
    )[0]
    return f"/kategori/{row['id']}-{row['alias']}"


def text(row: Row, column: str) -> str:
    return str(row.values.get(column) or "")


def number(row: Row, column: str) -> int:
    return int(row.values.get(column) or 0)


def expected_page(path: Path, link: str, version: str) -> str | None:
    """The page a menu item's link showed, worked out here from the link alone."""
    args = dict(parse_qsl(urlsplit(link).query))
    if args.get("option") != "com_content" or args.get("layout") == "form":
        return None
    view, joomla_id = args.get("view", ""), int(args.get("id", "0").split(":")[0] or 0)
    if view == "article":
        return new_article(path, joomla_id)
    if view == "category":
        return new_category(path, "category", joomla_id)
    if view == "section":
        return new_category(path, "section", joomla_id)
    if view in ("frontpage", "featured"):
        return "/"
    return None


def routes_15(rows: Sequence[Row]) -> dict[int, str]:
    """1.5 has no paths in its menu table: each is its parents' aliases and its own."""
    by_id = {number(r, "id"): r for r in rows}

    def route(row: Row) -> str:
        parent = by_id.get(number(row, "parent"))
        own = text(row, "alias")
        return f"{route(parent)}/{own}" if parent is not None else own

    return {number(r, "id"): route(r) for r in rows}


# Joomla 1.5's sample site, with a menu alias, a separator and a trashed item added


EXTRA_15 = table_sql(
    "#__extra", ["id"], []
) + (  # rows in the sample's own menu table (its CREATE TABLE gives the columns)
    "INSERT INTO `#__menu` VALUES "
    "(60, 'mainmenu', 'Lisensi', 'lisensi', '', 'menulink', 1, 0, 0, 0, 20, 0, "
    "'0000-00-00 00:00:00', 0, 0, 0, 0, 'menu_item=2\\nmenu_image=-1\\n', 0, 0, 0),"
    "(61, 'mainmenu', '- - -', 'pemisah', '', 'separator', 1, 0, 0, 0, 21, 0, "
    "'0000-00-00 00:00:00', 0, 0, 0, 0, '', 0, 0, 0),"
    "(62, 'mainmenu', 'Dibuang', 'dibuang', 'index.php?option=com_content&view=article&id=5', "
    "'component', -2, 0, 20, 0, 22, 0, '0000-00-00 00:00:00', 0, 0, 0, 0, '', 0, 0, 0),"
    "(63, 'mainmenu', 'Arsip', 'arsip-lama', 'index.php?option=com_content&view=archive', "
    "'component', 1, 0, 20, 0, 23, 0, '0000-00-00 00:00:00', 0, 0, 0, 0, '', 0, 0, 0);\n"
)


@pytest.fixture(scope="module")
def site_15(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("addresses15")
    app = make_app(folder)
    extra = write(folder, "extra.sql", EXTRA_15)
    code, output = invoke(app, "import-joomla", *stock_15(), extra)
    assert code == 0, output
    return Path(app.config["DATABASE"]), output


@pytest.fixture
async def client_15(tmp_path: Path, site_15: tuple[Path, str]) -> AsyncIterator[QuartClient]:
    target = tmp_path / "portal.db"
    shutil.copy(site_15[0], target)
    app = make_app(tmp_path, DATABASE=str(target))
    async with app.test_app() as test_app:
        yield test_app.test_client()  # type: ignore[misc]


def dump_15() -> tuple[list[Row], list[Row]]:
    dump = read_dump(stock_15())
    return dump.rows("content"), dump.rows("menu")


async def test_every_article_of_the_15_sample_at_every_old_address(
    client_15: QuartClient, site_15: tuple[Path, str]
) -> None:
    path = site_15[0]
    articles, _ = dump_15()
    assert len(articles) == 43
    for row in articles:
        joomla_id, alias, catid = number(row, "id"), text(row, "alias"), number(row, "catid")
        page = new_article(path, joomla_id)
        for address in (
            f"/index.php?option=com_content&task=view&id={joomla_id}&Itemid=1",
            f"/index.php?option=com_content&view=article&id={joomla_id}:{alias}&catid={catid}",
            f"/index.php?Itemid=41&option=com_content&view=article&id={joomla_id}",
            f"/component/content/article/{catid}-x/{joomla_id}-{alias}.html",
            f"/index.php/component/content/article/{joomla_id}-{alias}",
            f"/{joomla_id}-{alias}.html",  # under the home item (the front page)
            f"/index.php/{joomla_id}-{alias}.html",
            f"/section-blog/{catid}-x/{joomla_id}-{alias}.html",  # under a section's item
            f"/index.php/the-news/{joomla_id}-{alias}",  # under a category's item, no suffix
            f"/berita/terbaru/{joomla_id}-{alias}",  # no menu item: Joomla took the home item's
            f"/content/view/{joomla_id}/1/",  # Joomla 1.0's, served by 1.5's legacy mode
            # a site installed in a folder of its own
            f"/joomla/index.php?option=com_content&task=view&id={joomla_id}",
            f"/portal/lama/index.php/{joomla_id}-{alias}.html",
        ):
            assert await served(client_15, address) == (301, page), address
        assert await served(client_15, f"/{joomla_id}-{alias}.pdf") == (301, f"{page}.pdf")
        printed = f"/index.php?option=com_content&view=article&id={joomla_id}&print=1"
        assert await served(client_15, printed) == (301, f"{page}/cetak")


async def test_every_menu_item_of_the_15_sample_at_every_old_address(
    client_15: QuartClient, site_15: tuple[Path, str]
) -> None:
    path, output = site_15
    _, menu = dump_15()
    routes = routes_15(menu)
    assert routes[34] == "joomla-overview/what-is-new-in-1-5"  # a nested item
    mapped = 0
    for row in menu:
        item = number(row, "id")
        page = expected_page(path, text(row, "link"), "1.5")
        route = routes[item]
        addresses = [
            f"/{route}",
            f"/{route}.html",
            f"/index.php/{route}",
            f"/index.php/{route}.html",
        ]
        by_id = [f"/index.php?Itemid={item}", f"/index.php?option=com_content&Itemid={item}"]
        for address in addresses + by_id:
            status, location = await served(client_15, address)
            if page is None:
                assert status == 404, address
            else:
                assert (status, location) == (301, page), address
        if page is None:
            # the 404 page offers a search for the words of the address
            response = await client_15.get(f"/index.php/{route}")
            box = soup(await response.get_data()).select_one(".error-search input[name=q]")
            assert box is not None and box["value"] == route.replace("-", " ").replace("/", " ")
            assert f'{item} "{text(row, "name")}" (/{route})' in output
        else:
            mapped += 1
        if page is not None and page.startswith("/kategori/"):
            feed = await served(client_15, f"/{route}?format=feed&type=rss")
            assert feed == (301, f"{page}/rss.xml")
            assert await served(client_15, f"/{route}.feed?type=atom") == (301, f"{page}/atom.xml")
    assert mapped == 17
    # one segment under a section's item is a category in 1.5 (under a category's, an article)
    assert await served(client_15, "/faq/31-general.html") == (
        301,
        new_category(path, "category", 31),
    )
    assert await served(client_15, "/index.php/faq/31-general.feed?type=rss") == (
        301,
        f"{new_category(path, 'category', 31)}/rss.xml",
    )
    # the added menu alias shows item 2's page; the separator and the trashed item have none
    assert await served(client_15, "/lisensi") == (301, new_article(path, 5))
    assert (await client_15.get("/pemisah")).status_code == 404
    assert (await client_15.get("/index.php?Itemid=62")).status_code == 404
    assert await served(client_15, "/arsip-lama") == (301, "/arsip")
    assert await served(client_15, "/index.php?Itemid=63&year=2008&month=2") == (
        301,
        "/arsip",
    )  # the item, not the parameters of another page
    assert await served(
        client_15, "/index.php?option=com_content&view=archive&year=2008&month=2"
    ) == (
        301,
        "/arsip/2008?bulan=2",
    )
    assert "Menu items: 19 mapped to pages here" in output
    assert '61 "- - -" (/pemisah): a separator (no page of its own)' in output
    assert await served(client_15, "/index.php?Itemid=1&format=feed&type=rss") == (
        301,
        "/feed/rss.xml",
    )


async def test_polls_and_banners_of_the_15_sample_keep_their_addresses(
    client_15: QuartClient, site_15: tuple[Path, str]
) -> None:
    path = site_15[0]
    poll = value(path, "SELECT new_id FROM joomla_map WHERE kind = 'poll' AND old_id = 14")
    for address in ("/index.php?option=com_poll&id=14:joomla-is-used-for", "/component/poll/14"):
        assert await served(client_15, address) == (301, f"/polling/{poll}")
    banner = value(path, "SELECT new_id FROM joomla_map WHERE kind = 'banner' AND old_id = 2")
    old = "/index.php?option=com_banners&task=click&bid=2"
    assert await served(client_15, old) == (301, f"/tautan/{banner}")
    assert await served(client_15, "/index.php?option=com_search&searchword=kopi") == (
        301,
        "/cari?q=kopi",
    )


async def test_what_no_route_knows_is_a_404_with_a_search(client_15: QuartClient) -> None:
    response = await client_15.get("/profil-balai/sejarah-kebun.html")
    assert response.status_code == 404
    page = soup(await response.get_data())
    assert page.select_one(".error-search input[name=q]")["value"] == "profil balai sejarah kebun"
    assert page.select_one(".error-search")["action"] == "/cari"
    # the portal's own routes come first, and keep their own errors
    assert (await client_15.get("/redaksi/media/gambar")).status_code == 405
    assert (await client_15.get("/artikel/999999-hilang")).status_code == 404


# Joomla 3.10's blog sample


@pytest.fixture(scope="module")
def site_3_blog(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("addresses3blog")
    app = make_app(folder)
    code, output = invoke(app, "import-joomla", *stock_3_blog())
    assert code == 0, output
    return Path(app.config["DATABASE"]), output


async def test_every_article_and_menu_item_of_the_3_blog_sample(
    tmp_path: Path, site_3_blog: tuple[Path, str]
) -> None:
    path, output = site_3_blog
    app = make_app(tmp_path, DATABASE=str(path))
    dump = read_dump(stock_3_blog())
    async with app.test_app() as test_app:
        client = test_app.test_client()
        for row in dump.rows("content"):
            joomla_id, alias, catid = number(row, "id"), text(row, "alias"), number(row, "catid")
            page = new_article(path, joomla_id)
            if joomla_id == 2:  # only for members in Joomla: unpublished here, so not yet
                assert (await client.get(f"/index.php/{joomla_id}-{alias}")).status_code == 404
                continue
            for address in (
                f"/index.php?option=com_content&view=article&id={joomla_id}:{alias}&catid={catid}"
                "&Itemid=101",
                f"/index.php/{joomla_id}-{alias}",  # under the home item (a category blog)
                f"/{joomla_id}-{alias}",
                f"/index.php/home/{joomla_id}-{alias}",
                f"/index.php/component/content/article/{catid}-blog/{joomla_id}-{alias}?Itemid=",
                f"/blog/{catid}-blog/{joomla_id}-{alias}.html",
            ):
                assert await served(client, address) == (301, page), address
        site_menu = [r for r in dump.rows("menu") if number(r, "client_id") == 0]
        site_menu = [r for r in site_menu if text(r, "alias") != "root"]
        assert len(site_menu) == 11
        for row in site_menu:
            item, route = number(row, "id"), text(row, "path")
            page = expected_page(path, text(row, "link"), "3.x")
            if page == new_article(path, 2):
                page = None  # its article is unpublished here until an editor decides
            for address in (f"/index.php/{route}", f"/{route}", f"/index.php?Itemid={item}"):
                status, location = await served(client, address)
                assert (status, location) == ((301, page) if page else (404, "")), address
    assert "Menu items: 3 mapped to pages here" in output


# A 3.x site built for this: menu items of every kind, articles in every state holding hits


CATEGORY_COLUMNS = ["id", "asset_id", "parent_id", "lft", "rgt", "level", "path", "extension",
                    "title", "alias", "description", "published"]  # fmt: skip
CATEGORIES = [
    (1, 0, 0, 0, 21, 0, "", "system", "ROOT", "root", "", 1),
    (8, 30, 1, 1, 12, 1, "berita", "com_content", "Berita", "berita", "", 1),
    (9, 31, 8, 2, 11, 2, "berita/pengumuman", "com_content", "Pengumuman", "pengumuman", "", 1),
    (10, 32, 9, 3, 10, 3, "berita/pengumuman/2019", "com_content", "2019", "2019", "", 1),
    (11, 33, 10, 4, 9, 4, "berita/pengumuman/2019/juni", "com_content", "Juni", "juni", "", 1),
    (12, 34, 11, 5, 8, 5, "berita/pengumuman/2019/juni/minggu-1", "com_content", "Minggu 1",
     "minggu-1", "", 1),
    (13, 35, 1, 13, 14, 1, "profil", "com_content", "Profil", "profil", "", 1),
]  # fmt: skip
MENU_3 = ["id", "menutype", "title", "alias", "path", "link", "type", "published", "parent_id",
          "level", "params", "home", "language", "client_id"]  # fmt: skip
LINK = "index.php?option=com_content&view="
MENU_ITEMS = [
    (1, "", "Menu_Item_Root", "root", "", "", "", 1, 0, 0, "", 0, "*", 0),
    (101, "mainmenu", "Beranda", "beranda", "beranda", f"{LINK}featured", "component", 1, 1, 1,
     "{}", 1, "*", 0),
    (102, "mainmenu", "Berita", "berita", "berita", f"{LINK}category&layout=blog&id=8",
     "component", 1, 1, 1, "{}", 0, "*", 0),
    (103, "mainmenu", "Daftar", "daftar", "berita/daftar", f"{LINK}category&id=9", "component",
     1, 102, 2, "{}", 0, "*", 0),
    (104, "mainmenu", "Profil", "profil-balai", "profil-balai", f"{LINK}article&id=201",
     "component", 1, 1, 1, "{}", 0, "*", 0),
    (105, "mainmenu", "Sejarah", "sejarah", "profil-balai/sejarah", f"{LINK}article&id=202",
     "component", 1, 104, 2, "{}", 0, "*", 0),
    (106, "mainmenu", "Tentang", "tentang", "tentang", "", "alias", 1, 1, 1,
     '{"aliasoptions":"104"}', 0, "*", 0),
    (107, "mainmenu", "Kontak cepat", "kontak-cepat", "kontak-cepat", f"{LINK}article&id=203",
     "url", 1, 1, 1, "{}", 0, "*", 0),
    (108, "mainmenu", "Kementan", "kementan", "kementan", "https://kementan.example", "url", 1,
     1, 1, "{}", 0, "*", 0),
    (109, "mainmenu", "Pemisah", "pemisah", "pemisah", "", "separator", 1, 1, 1, "{}", 0, "*",
     0),
    (110, "mainmenu", "Judul", "judul", "judul", "", "heading", 1, 1, 1, "{}", 0, "*", 0),
    (111, "mainmenu", "Kontak", "kontak", "kontak", "index.php?option=com_contact&view=contact"
     "&id=1", "component", 1, 1, 1, "{}", 0, "*", 0),
    (112, "mainmenu", "Cari", "cari-lama", "cari-lama", "index.php?option=com_search&view=search",
     "component", 1, 1, 1, "{}", 0, "*", 0),
    (113, "mainmenu", "Tulis", "tulis", "tulis", f"{LINK}form&layout=edit", "component", 1, 1,
     1, "{}", 0, "*", 0),
    (114, "mainmenu", "Arsip", "arsip-artikel", "arsip-artikel", f"{LINK}archive", "component",
     1, 1, 1, "{}", 0, "*", 0),
    (115, "mainmenu", "Kategori", "semua-kategori", "semua-kategori", f"{LINK}categories&id=8",
     "component", 1, 1, 1, "{}", 0, "*", 0),
    (116, "mainmenu", "Disembunyikan", "disembunyikan", "disembunyikan", f"{LINK}article&id=201",
     "component", 0, 1, 1, "{}", 0, "*", 0),  # unpublished: its address still leads there
    (117, "mainmenu", "Dibuang", "dibuang", "dibuang", f"{LINK}article&id=201", "component", -2,
     1, 1, "{}", 0, "*", 0),  # trashed: not imported
    (118, "mainmenu", "Minggu", "minggu", "berita/minggu", f"{LINK}category&layout=blog&id=12",
     "component", 1, 102, 2, "{}", 0, "*", 0),
    (120, "mainmenu", "Ke profil", "ke-profil", "ke-profil", "index.php?Itemid=104", "url", 1,
     1, 1, "{}", 0, "*", 0),  # a link to another item of the site: its page
    (119, "main", "com_banners", "Banners", "Banners", "index.php?option=com_banners",
     "component", 1, 1, 1, "{}", 0, "*", 1),  # the administrator's menu
]  # fmt: skip
EXPECTED = {  # menu item -> (target kind, Joomla id) of its page; None: no page here
    101: ("home", 0), 102: ("category", 8), 103: ("category", 9), 104: ("article", 201),
    105: ("article", 202), 106: ("article", 201), 107: ("article", 203), 108: None, 109: None,
    110: None, 111: None, 112: ("search", 0), 113: None, 114: ("archive", 0),
    115: ("category", 8), 116: ("article", 201), 118: ("category", 12), 120: ("article", 201),
}  # fmt: skip
ARTICLES = [
    article_3(201, "Profil Balai", alias="profil-balai", catid=13, hits=40, featured=1),
    article_3(202, "Sejarah", alias="sejarah", catid=13, state=2, hits=5,
              created="2019-06-03 04:00:00"),  # archived
    article_3(203, "Kontak", alias="kontak", catid=13, hits=34),
    article_3(204, "Rapat Juni", alias="rapat-juni", catid=12, hits=1000, state=0),  # unpublished
    article_3(205, "Dibuang", alias="dibuang", catid=12, hits=250, state=-2),  # trashed
    article_3(206, "Pengumuman Lelang", alias="pengumuman-lelang", catid=12, hits=5),
    article_3(207, "Arsip Lama", alias="arsip-lama", catid=9, hits=7, state=2,
              created="2018-01-02 03:04:05"),  # archived, in another category and year
]  # fmt: skip
PUBLISHED_HITS = 40 + 34 + 5
INCREASE = 1000000


def site_3_menus() -> str:
    stats = f'{{"counter":"1","increase":"{INCREASE}"}}'
    return (
        "/*!40101 SET NAMES utf8mb4 */;\n"
        + table_sql("kb_assets", ["id", "name"], [(1, "root.1")])
        + table_sql("kb_categories", CATEGORY_COLUMNS, CATEGORIES)
        + rows_sql("kb_content", ARTICLES)
        + table_sql("kb_menu", MENU_3, MENU_ITEMS)
        + table_sql(
            "kb_modules",
            ["id", "title", "position", "published", "module", "params", "client_id"],
            [(87, "Statistik", "position-7", 1, "mod_stats", stats, 0)],
        )
    )


@pytest.fixture(scope="module")
def site_3(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("addresses3")
    app = make_app(folder)
    code, output = invoke(app, "import-joomla", write(folder, "situs.sql", site_3_menus()))
    assert code == 0, output
    return Path(app.config["DATABASE"]), output


@pytest.fixture
async def client_3(tmp_path: Path, site_3: tuple[Path, str]) -> AsyncIterator[QuartClient]:
    target = tmp_path / "portal.db"
    shutil.copy(site_3[0], target)
    app = make_app(tmp_path, DATABASE=str(target))
    async with app.test_app() as test_app:
        yield test_app.test_client()  # type: ignore[misc]


def page_of(path: Path, target: tuple[str, int] | None) -> str | None:
    if target is None:
        return None
    kind, joomla_id = target
    if kind == "article":
        return new_article(path, joomla_id)
    if kind == "category":
        return new_category(path, "category", joomla_id)
    return {"home": "/", "search": "/cari", "archive": "/arsip"}[kind]


async def test_menu_items_of_every_kind(client_3: QuartClient, site_3: tuple[Path, str]) -> None:
    path, output = site_3
    items = {row[0]: row for row in MENU_ITEMS}
    for item, target in EXPECTED.items():
        page, route = page_of(path, target), str(items[item][4])
        for address in (
            f"/{route}",
            f"/{route}.html",
            f"/index.php/{route}",
            f"/index.php/{route}.html",
            f"/index.php?Itemid={item}",
            f"/index.php?option=com_content&Itemid={item}&lang=id",
        ):
            status, location = await served(client_3, address)
            expected = (301, page) if page else (404, "")
            assert (status, location) == expected, (address, status, location)
    assert (await client_3.get("/dibuang")).status_code == 404  # a trashed item
    # a multilingual site's paths start with the language's code
    assert await served(client_3, "/id/profil-balai/sejarah") == (301, new_article(path, 202))
    assert await served(client_3, "/index.php/en/berita.html") == (
        301,
        new_category(path, "category", 8),
    )
    # a menu item whose page did not come along: the search offers its title
    response = await client_3.get("/index.php?Itemid=111")
    assert response.status_code == 404
    box = soup(await response.get_data()).select_one(".error-search input[name=q]")
    assert box is not None and box["value"] == "Kontak"
    assert await served(client_3, "/component/search/?searchword=kopi&ordering=") == (
        301,
        "/cari?q=kopi",
    )
    assert (await client_3.get("/banners")).status_code == 404  # the administrator's
    assert "Menu items: 13 mapped to pages here (their old addresses redirect), 5 not:" in output
    for line in (
        '108 "Kementan" (/kementan): a link to https://kementan.example',
        '109 "Pemisah" (/pemisah): a separator (no page of its own)',
        '110 "Judul" (/judul): a heading (no page of its own)',
        '111 "Kontak" (/kontak): a contact form, which the portal has no page for',
        '113 "Tulis" (/tulis): a form for writing articles',
    ):
        assert line in output


async def test_articles_under_nested_categories_five_levels_deep(
    client_3: QuartClient, site_3: tuple[Path, str]
) -> None:
    path = site_3[0]
    lelang = new_article(path, 206)
    week = new_category(path, "category", 12)
    for address in (
        # Joomla 3's own router: the category's id on the first segment, the article's last
        "/berita/12-pengumuman/2019/juni/minggu-1/206-pengumuman-lelang",
        "/index.php/berita/12-pengumuman/2019/juni/minggu-1/206-pengumuman-lelang.html",
        # 3.8's router without ids: aliases all the way down from the menu item's category
        "/berita/pengumuman/2019/juni/minggu-1/pengumuman-lelang",
        "/index.php/berita/pengumuman/2019/juni/minggu-1/pengumuman-lelang.html",
        "/berita/minggu/206-pengumuman-lelang",  # under the week's own item
        "/berita/minggu/pengumuman-lelang",
        "/component/content/article/12-minggu-1/206-pengumuman-lelang?Itemid=101",
    ):
        assert await served(client_3, address) == (301, lelang), address
    for address in (
        "/berita/pengumuman/2019/juni/minggu-1",
        "/berita/12-pengumuman/2019/juni/minggu-1",
        "/index.php?option=com_content&view=category&layout=blog&id=12&Itemid=102",
    ):
        assert await served(client_3, address) == (301, week), address
    assert await served(client_3, "/berita/pengumuman/2019/juni/minggu-1?format=feed") == (
        301,
        f"{week}/rss.xml",
    )
    assert (await client_3.get("/berita/pengumuman/2019/juli")).status_code == 404
    assert (await client_3.get("/berita/pengumuman/tidak-ada")).status_code == 404


async def test_archived_articles_stay_readable_and_are_listed_by_year_and_category(
    client_3: QuartClient, site_3: tuple[Path, str]
) -> None:
    path = site_3[0]
    history = new_article(path, 202)
    assert await served(client_3, "/profil-balai/sejarah") == (301, history)
    response = await client_3.get(history)
    assert response.status_code == 200
    page = soup(await response.get_data())
    assert page.select_one("article h1").get_text() == "Sejarah"
    assert page.select_one(".notice-archived a")["href"] == "/arsip"
    # not in its category's blog, nor in the feeds
    profile = new_category(path, "category", 13)
    blog = soup(await (await client_3.get(profile)).get_data())
    assert "Sejarah" not in {a.get_text() for a in blog.select(".teaser-title a")}
    assert "Profil Balai" in {a.get_text() for a in blog.select(".teaser-title a")}
    for feed in ("/feed/rss.xml", f"{profile}/rss.xml"):
        assert b"Sejarah" not in await (await client_3.get(feed)).get_data()
    # the archive: years and months, then a year, a month and a category's year
    index = soup(await (await client_3.get("/arsip")).get_data())
    years = [a.get_text() for a in index.select(".archive-years > li > a:first-child")]
    assert years == ["2019", "2018"]
    assert [a.get_text() for a in index.select(".archive-list a")] == ["Sejarah", "Arsip Lama"]
    year = soup(await (await client_3.get("/arsip/2019")).get_data())
    assert [a.get_text() for a in year.select(".archive-list a")] == ["Sejarah"]
    june = soup(await (await client_3.get("/arsip/2019?bulan=6")).get_data())
    assert [a.get_text() for a in june.select(".archive-list a")] == ["Sejarah"]
    may = soup(await (await client_3.get("/arsip/2019?bulan=5")).get_data())
    assert june.select_one(".archive-list li.empty") is None
    assert may.select_one(".archive-list li.empty") is not None
    category_year = profile.removeprefix("/kategori/")
    own = soup(await (await client_3.get(f"/arsip/2019/{category_year}")).get_data())
    assert [a.get_text() for a in own.select(".archive-list a")] == ["Sejarah"]
    other = new_category(path, "category", 9).removeprefix("/kategori/")
    assert (await client_3.get(f"/arsip/2019/{other}")).status_code == 200
    assert (await client_3.get("/arsip/2019?bulan=13")).status_code == 400
    assert (await client_3.get("/arsip/99999")).status_code == 404
    # the site's search finds it, as Joomla's did
    found = soup(await (await client_3.get("/cari?q=sejarah&jenis=artikel")).get_data())
    assert history in {a["href"] for a in found.select("main a")}
    # an unpublished or trashed article is still not readable, and its old address is a 404
    # at once rather than a redirect to one
    for joomla_id in (204, 205):
        assert (await client_3.get(new_article(path, joomla_id))).status_code == 404
        old = f"/index.php?option=com_content&view=article&id={joomla_id}"
        assert (await client_3.get(old)).status_code == 404


async def test_the_site_total_is_the_old_sites_whatever_the_states(
    client_3: QuartClient, site_3: tuple[Path, str]
) -> None:
    path, output = site_3
    old_total = PUBLISHED_HITS + INCREASE  # what mod_stats showed: published hits + increase
    data = await (await client_3.get("/api/statistik")).get_json()
    assert data["total"] == old_total
    assert value(path, "SELECT sum(hits) FROM articles") == 40 + 5 + 34 + 1000 + 250 + 5 + 7
    assert (
        f"Visit total: the old site showed {old_total:,} (hits of published articles plus the "
        f"Statistik module's increase, {INCREASE:,}); the portal shows {old_total:,}."
    ) in output


def test_a_second_import_changes_nothing(tmp_path: Path, site_3: tuple[Path, str]) -> None:
    target = tmp_path / "portal.db"
    shutil.copy(site_3[0], target)
    app = make_app(tmp_path, DATABASE=str(target))
    before = snapshot(target)
    code, output = invoke(app, "import-joomla", write(tmp_path, "situs.sql", site_3_menus()))
    assert code == 0, output
    assert "Imported: nothing new." in output
    assert "menu items 18" in output
    assert snapshot(target) == before


async def test_old_addresses_are_looked_up_by_index_never_by_a_scan(
    site_3: tuple[Path, str],
) -> None:
    """Every query an old address costs is answered through an index (EXPLAIN QUERY PLAN says
    SEARCH, never SCAN of a table): they run on every old link and every unknown address."""
    from content.db import Database
    from content.importers.joomla.addresses import resolve

    statements: list[str] = []
    async with Database(site_3[0]) as db:
        await db.conn.set_trace_callback(statements.append)
        addresses = [
            ("/berita/pengumuman/2019/juni/minggu-1/pengumuman-lelang", {}),
            ("/berita/12-pengumuman/2019/juni/minggu-1/206-pengumuman-lelang.html", {}),
            ("/index.php/profil-balai/sejarah", {}),
            ("/tidak/ada/sama-sekali", {}),
            ("/index.php", {"Itemid": "104"}),
            ("/index.php", {"option": "com_content", "view": "article", "id": "201"}),
            ("/index.php", {"option": "com_content", "view": "category", "id": "9"}),
            ("/component/content/article/12-minggu/206", {}),
            ("/205-dibuang.html", {}),
        ]
        for path, args in addresses:
            await resolve(db, path, args)
        await db.conn.set_trace_callback(None)
        assert len(statements) >= len(addresses)
        for sql in set(statements):
            plan = await db.fetchall(f"EXPLAIN QUERY PLAN {sql}")
            details = [str(row["detail"]) for row in plan]
            scans = [d for d in details if d.startswith("SCAN") and "USING" not in d]
            assert not scans, (sql, details)


def test_a_portal_imported_before_the_rule_gets_the_old_total_on_the_next_run(
    tmp_path: Path, site_3: tuple[Path, str]
) -> None:
    import sqlite3
    from contextlib import closing

    target = tmp_path / "portal.db"
    shutil.copy(site_3[0], target)
    with closing(sqlite3.connect(target)) as conn:  # as an import by the earlier rule left it
        conn.execute("DELETE FROM joomla_map WHERE kind = 'hidden_hits'")
        conn.execute(
            "UPDATE settings SET value = ? WHERE key = 'content_visit_offset'", (str(INCREASE),)
        )
        conn.commit()
    app = make_app(tmp_path, DATABASE=str(target))
    code, output = invoke(app, "import-joomla", write(tmp_path, "situs.sql", site_3_menus()))
    assert code == 0, output
    hidden = 5 + 1000 + 250 + 7  # archived, unpublished, trashed, archived
    offset = value(target, "SELECT value FROM settings WHERE key = 'content_visit_offset'")
    assert offset == str(INCREASE - hidden)
    total = int(str(value(target, "SELECT sum(hits) FROM articles"))) + int(str(offset))
    assert total == PUBLISHED_HITS + INCREASE
    before = snapshot(target)
    assert invoke(app, "import-joomla", write(tmp_path, "situs.sql", site_3_menus()))[0] == 0
    assert snapshot(target) == before
