"""Languages: Indonesian by default, English by a remembered switch, complete catalogs."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from quart.testing import QuartClient

from content.i18n import CATALOG_FOLDER
from tests.conftest import soup

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "Nn_": (1, 2)}


def extracted_messages() -> set[str]:
    """Every interface message in the code and templates, as pybabel extract finds them."""
    found: set[str] = set()
    for folder, method_map in (
        ("content", [("**.py", "python")]),
        ("templates", [("**.html", "jinja2")]),
    ):
        for _, _, message, _, _ in extract_from_dir(
            ROOT / folder,
            method_map,
            options_map={"**.html": {"extensions": "jinja2.ext.i18n"}},
            keywords=KEYWORDS,
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_indonesian_catalog_translates_every_message() -> None:
    with (CATALOG_FOLDER / "id" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="id")
    translated = {}
    for message in catalog:
        if not message.id:
            continue
        key = message.id if isinstance(message.id, str) else message.id[0]
        text = message.string if isinstance(message.string, str) else message.string[0]
        assert text, f"untranslated: {key!r}"
        assert not message.fuzzy, f"fuzzy: {key!r}"
        placeholders = set(re.findall(r"%\(\w+\)[sd]", key))
        assert set(re.findall(r"%\(\w+\)[sd]", text)) == placeholders, key
        translated[key] = text
    missing = extracted_messages() - set(translated)
    assert not missing, f"run `make translations` and translate: {sorted(missing)}"


async def test_indonesian_is_the_default(client: QuartClient) -> None:
    page = soup(await (await client.get("/")).get_data())
    assert page.select_one("html")["lang"] == "id"
    assert page.select_one(".module-stats h2").get_text() == "Statistik"
    assert page.select_one(".language .current").get_text() == "Bahasa Indonesia"


async def test_switch_to_english_is_remembered(client: QuartClient) -> None:
    home = soup(await (await client.get("/kategori/1-berita")).get_data())
    link = home.select_one('.language a[hreflang="en"]')["href"]
    response = await client.get(link)
    assert response.status_code == 302
    assert response.headers["Location"] == "/kategori/1-berita"
    assert "bahasa=en" in response.headers["Set-Cookie"]
    page = soup(await (await client.get("/")).get_data())
    assert page.select_one("html")["lang"] == "en"
    assert page.select_one(".module-stats h2").get_text() == "Statistics"
    assert page.select_one(".read-more a").get_text().startswith("Read more")
    # articles stay in the language they were written in
    assert (
        page.select_one(".teaser-title a").get_text()
        == home.select_one(".teaser-title a").get_text()
    )
    back = await client.get("/bahasa/id?next=/")
    assert "bahasa=id" in back.headers["Set-Cookie"]


async def test_switch_refuses_foreign_redirects_and_unknown_languages(client: QuartClient) -> None:
    response = await client.get("/bahasa/en?next=https://evil.example/")
    assert response.headers["Location"] == "/"
    response = await client.get("/bahasa/en?next=//evil.example/")
    assert response.headers["Location"] == "/"
    assert (await client.get("/bahasa/fr")).status_code == 404


async def test_error_pages_follow_the_language(client: QuartClient) -> None:
    client.set_cookie("localhost", "bahasa", "en")
    response = await client.get("/tidak-ada")
    assert soup(await response.get_data()).select_one("main h1").get_text() == "Page not found"
