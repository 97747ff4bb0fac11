"""The 404, 400, 413 and 429 pages carry the site's header and menu (issue 17): a visitor who
lands on one can search, change language or go on through the menu."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup
from quart.testing import QuartClient

from tests.conftest import DemoDatabase, copy_demo, csrf_from, make_app, soup

MENU = ["Beranda", "Berita", "Artikel", "Pengumuman", "Publikasi", "Kegiatan"]


def demo_app(tmp_path: Path, demo_database: DemoDatabase, **settings: Any) -> Any:
    """An app on a copy of the demo portal (its menu has categories) with these settings."""
    copy_demo(demo_database, tmp_path / "portal.db")
    return make_app(tmp_path, DATABASE=str(tmp_path / "portal.db"), **settings)


def assert_site_frame(page: BeautifulSoup, title: str) -> None:
    """The header (brand, search, languages, a Menu button) and the main menu around the error."""
    header = page.select_one("header.site-header")
    assert header is not None
    assert header.select_one("a.brand .site-name") is not None
    assert header.select_one("details.site-menu > summary") is not None
    assert header.select_one("form[role=search] input[name=q]") is not None
    assert [a.get_text(strip=True) for a in header.select(".language a, .language span")] == [
        "Bahasa Indonesia",
        "English",
    ]
    menu = [a.get_text(strip=True) for a in header.select("nav.main-nav a")]
    assert menu == MENU
    assert page.select_one("main h1").get_text(strip=True) == title


async def test_not_found_and_bad_request_pages_have_the_menu(client: QuartClient) -> None:
    response = await client.get("/tidak-ada")
    assert response.status_code == 404
    assert_site_frame(soup(await response.get_data()), "Halaman tidak ditemukan")

    response = await client.get("/?halaman=abc")
    assert response.status_code == 400
    assert_site_frame(soup(await response.get_data()), "Permintaan tidak valid")

    # a form sent without its token: 400 too, with the menu
    response = await client.post("/polling/1/pilih", form={"option": "1"})
    assert response.status_code == 400
    assert_site_frame(soup(await response.get_data()), "Permintaan tidak valid")


async def test_too_large_pages_have_the_menu(tmp_path: Path, demo_database: DemoDatabase) -> None:
    app = demo_app(tmp_path, demo_database, MAX_CONTENT_LENGTH=1000)
    async with app.test_app():
        client = app.test_client()
        token = await csrf_from(client, "/masuk")
        response = await client.post(
            "/masuk", form={"csrf_token": token, "email": "a@b.example", "password": "x" * 2000}
        )
        assert response.status_code == 413
        assert_site_frame(soup(await response.get_data()), "Terlalu besar")


async def test_too_many_requests_page_has_the_menu_in_english(
    tmp_path: Path, demo_database: DemoDatabase
) -> None:
    app = demo_app(tmp_path, demo_database, SEARCH_PER_MINUTE=2)
    async with app.test_app():
        client = app.test_client()
        client.set_cookie("localhost", "bahasa", "en")
        codes = [(await client.get("/cari?q=kopi")).status_code for _ in range(2)]
        assert codes == [200, 200]
        response = await client.get("/cari?q=kopi")
        assert response.status_code == 429
        page = soup(await response.get_data())
        assert page.select_one("html")["lang"] == "en"
        menu = [a.get_text(strip=True) for a in page.select("header nav.main-nav a")]
        assert menu[0] == "Home" and menu[1:] == MENU[1:]
        assert page.select_one("header form[role=search]") is not None
        assert page.select_one("main h1").get_text(strip=True) == "Too many requests"


async def test_an_error_page_still_renders_when_the_menu_cannot_be_read(
    tmp_path: Path, demo_database: DemoDatabase
) -> None:
    app = demo_app(tmp_path, demo_database)
    async with app.test_app():
        client = app.test_client()
        from content.web.state import Portal

        shared = Portal.of(app).shared_modules

        async def broken() -> dict[str, Any]:
            raise RuntimeError("the database is gone")

        shared.get = broken  # type: ignore[method-assign]
        response = await client.get("/tidak-ada")
        assert response.status_code == 404
        page = soup(await response.get_data())
        assert page.select_one("header form[role=search]") is not None
        assert page.select_one("nav.main-nav") is None
        assert page.select_one("main h1").get_text(strip=True) == "Halaman tidak ditemukan"
