"""What the Joomla importer changes on the way in: module and plugin tags become the portal's
modules (or vanish, said in the summary), banner images come along, relative addresses are made
absolute, and every silent change is counted."""

from __future__ import annotations

import io
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from PIL import Image
from quart.testing import QuartClient

from tests.conftest import make_app, soup
from tests.test_joomla import ZERO, article_3, invoke, query, rows_sql, snapshot, table_sql, write
from tests.test_joomla_addresses import CATEGORIES, CATEGORY_COLUMNS, new_article

MODULES = [
    (90, "Archived Articles", "", "position-3", 1, "mod_articles_archive", "{}", 0, 1),
    (91, "Kontak", "<p>Hubungi <b>kami</b> di 0266</p>", "user1", 1, "mod_custom", "{}", 0, 1),
    (92, "Iklan", "", "user1", 1, "mod_banners", "{}", 0, 2),
    (93, "Terpopuler", "", "position-7", 1, "mod_articles_popular", "{}", 0, 1),
    (94, "Jejak", "", "position-2", 1, "mod_breadcrumbs", "{}", 0, 1),
    (95, "Lama", "", "user9", 0, "mod_articles_latest", "{}", 0, 1),  # unpublished
]
MODULE_COLUMNS = ["id", "title", "content", "position", "published", "module", "params",
                  "client_id", "ordering"]  # fmt: skip
ARTICLES = [
    article_3(301, "Arsip Berita", alias="arsip-berita", catid=13,
              introtext="<p>Lama:</p>\n<p>{loadmodule articles_archive,Archived Articles}</p>"),
    article_3(302, "Kontak Kami", alias="kontak-kami", catid=13,
              introtext="<p>Alamat.</p>{loadposition user1}<p>Akhir.</p>",
              fulltext="<p>{loadmoduleid 93}</p><p>{loadmodule mod_breadcrumbs}</p>"
                       "<p>{loadposition user9}</p>"),
    article_3(303, "  Judul Berspasi ", alias="Judul Berspasi", catid=13,
              introtext='<p><img src="administrator/templates/khepri/images/logo.png" alt="l">'
                        '<a href="index.php?option=com_content&amp;view=article&amp;id=301">a</a>'
                        '<img src="images/stories/kopi.jpg" alt="k"></p>',
              modified=ZERO),
    article_3(304, "Biasa", alias="biasa", catid=13, introtext="<p>Tanpa tag {bukan tag}</p>"),
    article_3(305, "Arsip", alias="arsip", catid=13, state=2, created="2017-03-04 05:06:07"),
]  # fmt: skip
BANNERS = [
    (1, "LPSE", "https://lpse.example", 1, "", 1, '{"imageurl":"images/banners/lpse.png"}'),
    (2, "Lapor", "https://lapor.example", 1, "", 2, '{"imageurl":"images/banners/hilang.png"}'),
    (3, "Teks", "https://teks.example", 1, "", 3, '{"imageurl":""}'),
    (4, "Lama", "https://lama.example", 1, "", 4, '{"imageurl":"http://lama.example/b.png"}'),
]
BANNER_COLUMNS = ["id", "name", "clickurl", "state", "description", "ordering", "params"]


def site() -> str:
    return (
        table_sql("tg_assets", ["id", "name"], [(1, "root.1")])
        + table_sql("tg_categories", CATEGORY_COLUMNS, CATEGORIES)
        + rows_sql("tg_content", ARTICLES)
        + table_sql("tg_modules", MODULE_COLUMNS, MODULES)
        + table_sql("tg_banners", BANNER_COLUMNS, BANNERS)
    )


def png(color: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 80), color).save(out, "PNG")
    return out.getvalue()


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("tags")
    root = folder / "situs-lama"
    (root / "images" / "banners").mkdir(parents=True)
    (root / "images" / "banners" / "lpse.png").write_bytes(png("navy"))
    app = make_app(folder)
    code, output = invoke(app, "import-joomla", "--media", root, write(folder, "situs.sql", site()))
    assert code == 0, output
    return Path(app.config["DATABASE"]), output


@pytest.fixture
async def client(tmp_path: Path, imported: tuple[Path, str]) -> AsyncIterator[QuartClient]:
    target = tmp_path / "portal.db"
    shutil.copy(imported[0], target)
    for extra in ("gambar",):
        if (imported[0].parent / extra).exists():
            shutil.copytree(imported[0].parent / extra, tmp_path / extra)
    app = make_app(tmp_path, DATABASE=str(target))
    async with app.test_app() as test_app:
        yield test_app.test_client()  # type: ignore[misc]


def html_of(path: Path, joomla_id: int) -> str:
    row = query(
        path,
        "SELECT intro_html || full_html FROM articles a JOIN joomla_map m ON m.new_id = a.id "
        "WHERE m.kind = 'article' AND m.old_id = ?",
        (joomla_id,),
    )[0]
    return str(row[0])


def test_tags_are_replaced_and_the_summary_says_how(imported: tuple[Path, str]) -> None:
    path, output = imported
    archive = html_of(path, 301)
    assert "{modul archive}" in archive and "loadmodule" not in archive
    contact = html_of(path, 302)
    assert "<p>Hubungi <b>kami</b> di 0266</p>" in contact  # the custom module's text
    assert "{modul popular}" in contact
    assert "{load" not in contact and "breadcrumbs" not in contact
    assert "{bukan tag}" in html_of(path, 304)  # braces that are no Joomla tag stay
    assert "Module and plugin tags in 2 articles" in output
    assert (
        'article 301 "Arsip Berita": {loadmodule articles_archive,Archived Articles} shows the '
        "archive"
    ) in output
    assert (
        'article 302 "Kontak Kami": {loadposition user1} its text (custom module "Kontak"); '
        "removed (mod_banners has no counterpart here); {loadmoduleid 93} shows the most read; "
        "{loadmodule mod_breadcrumbs} removed (mod_breadcrumbs has no counterpart here); "
        "{loadposition user9} removed (no published module at that position)"
    ) in output


async def test_a_module_tag_renders_the_module_in_the_article(
    client: QuartClient, imported: tuple[Path, str]
) -> None:
    path = imported[0]
    page = soup(await (await client.get(new_article(path, 301))).get_data())
    module = page.select_one(".article-body .article-module-archive")
    assert module is not None
    links = [(a.get_text(), a["href"]) for a in module.select("li a")]
    assert links == [("Maret 2017", "/arsip/2017?bulan=3")]  # the archived article's month
    assert "{modul" not in page.select_one(".article-body").get_text()
    page = soup(await (await client.get(new_article(path, 302))).get_data())
    popular = page.select_one(".article-body .article-module-popular")
    assert popular is not None and len(popular.select("li a")) >= 3
    assert page.select_one(".article-body b").get_text() == "kami"
    # blogs and feeds show no tags and no modules
    category = query(path, "SELECT id FROM categories WHERE alias = 'profil'")[0]["id"]
    blog = soup(await (await client.get(f"/kategori/{category}-profil")).get_data())
    assert "{modul" not in blog.select_one("main").get_text()
    assert blog.select_one("main .article-module") is None


async def test_banner_images_come_into_the_media_library(
    client: QuartClient, imported: tuple[Path, str]
) -> None:
    path, output = imported
    images = {row["title"]: row["image"] for row in query(path, "SELECT title, image FROM banners")}
    assert images["LPSE"].startswith("/media/img/")
    assert images["Lapor"] == "/images/banners/hilang.png"  # not found: its old address
    assert images["Teks"] == "" and images["Lama"] == ""
    assert "images/banners/hilang.png (Joomla banners 2)" in output
    assert "banner images at http:// addresses left out" in output
    assert (await client.get(images["LPSE"])).status_code == 200
    uses = query(path, "SELECT count(*) FROM images")[0][0]
    assert uses == 1


def test_changes_on_the_way_in_are_counted(imported: tuple[Path, str]) -> None:
    path, output = imported
    assert "Changed on the way in:" in output
    assert (
        "Visit total: the old site had no Statistik module; its published articles had 0 hits; "
        "the portal shows 0."
    ) in output
    assert "  1 article titles trimmed of spaces at their ends: 303" in output
    assert "  1 article aliases changed to letters, digits and hyphens: 303" in output
    assert "  5 articles with a new number (old addresses redirect): 301→1, 302→2" in output
    assert (
        "  1 addresses of files outside images/ made absolute to the site root (copy them to "
        "the web server, or they will not be found): "
        "administrator/templates/khepri/images/logo.png (article 303)"
    ) in output
    spaced = html_of(path, 303)
    assert 'src="/administrator/templates/khepri/images/logo.png"' in spaced
    assert 'href="/index.php?option=com_content&amp;view=article&amp;id=301"' in spaced
    assert 'src="/images/stories/kopi.jpg"' in spaced  # not in --media's folder: kept, absolute
    title = query(path, "SELECT title FROM articles WHERE alias = 'judul-berspasi'")[0][0]
    assert title == "Judul Berspasi"


def test_a_second_import_changes_nothing(tmp_path: Path, imported: tuple[Path, str]) -> None:
    target = tmp_path / "portal.db"
    shutil.copy(imported[0], target)
    app = make_app(tmp_path, DATABASE=str(target))
    before = snapshot(target)
    code, output = invoke(app, "import-joomla", write(tmp_path, "situs.sql", site()))
    assert code == 0, output
    assert "Imported: nothing new." in output
    assert snapshot(target) == before


MOSIMAGE_15 = (
    table_sql("m_sections", ["id", "title", "alias", "scope", "published"], [])
    + table_sql("m_categories", ["id", "title", "alias", "section", "published"], [])
    + table_sql(
        "m_content",
        [
            "id",
            "title",
            "alias",
            "introtext",
            "fulltext",
            "images",
            "state",
            "sectionid",
            "catid",
            "hits",
        ],
        [
            (
                7,
                "Kebun",
                "kebun",
                "<p>{mosimage}Kebun kopi.</p>",
                "{mospagebreak title=Bagian Dua}<p>{mosimage}</p><p>{mosimage}</p>{mospagebreak}",
                "food/coffee.jpg|left|Kopi|0\nfruit/pears.jpg|right|Pir|0",
                1,
                0,
                0,
                3,
            )
        ],
    )
    + table_sql("m_menu", ["id"], [])
)


def test_mosimage_and_page_breaks_of_15(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    code, output = invoke(app, "import-joomla", write(tmp_path, "lama.sql", MOSIMAGE_15))
    assert code == 0, output
    article = query(app.config["DATABASE"], "SELECT intro_html, full_html FROM articles")[0]
    intro = soup(article["intro_html"])
    assert [(i["src"], i["alt"]) for i in intro.select("img")] == [
        ("/images/stories/food/coffee.jpg", "Kopi")
    ]
    full = soup(article["full_html"])
    assert full.select_one("h2").get_text() == "Bagian Dua"
    assert [i["src"] for i in full.select("img")] == ["/images/stories/fruit/pears.jpg"]
    assert "{mos" not in article["intro_html"] + article["full_html"]
    assert (
        'article 7 "Kebun": {mosimage} the image images/stories/food/coffee.jpg; '
        "{mospagebreak title=Bagian Dua} a heading (pages are one page here); {mosimage} the "
        "image images/stories/fruit/pears.jpg; {mosimage} removed (no image left in the "
        "article's images); {mospagebreak} removed (pages are one page here)"
    ) in output
