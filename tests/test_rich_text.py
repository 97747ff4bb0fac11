"""The rich-text editor's server side: its files served from node_modules, its settings and
dialogs on the forms that take HTML, and the alignment it writes kept by the cleaner."""

from __future__ import annotations

import json

import pytest
from quart.testing import QuartClient

from content.sanitize import HtmlCleaner
from tests.conftest import Auth, soup


async def test_editor_files_come_from_node_modules(client: QuartClient) -> None:
    script = await client.get("/vendor/jodit.min.js")
    assert script.status_code == 200
    assert script.mimetype == "text/javascript"
    style = await client.get("/vendor/jodit.min.css")
    assert style.status_code == 200
    assert style.mimetype == "text/css"
    assert "public" in style.headers["Cache-Control"]
    assert (await client.get("/vendor/jodit.js")).status_code == 404


@pytest.mark.parametrize(
    ("path", "fields"),
    [("/redaksi/artikel/baru", ["intro_html"]), ("/redaksi/kegiatan/baru", ["description_html"])],
)
async def test_forms_that_take_html_get_the_editor(
    client: QuartClient, auth: Auth, path: str, fields: list[str]
) -> None:
    await auth.login("editor")
    page = soup(await (await client.get(path)).get_data())
    assert [t["id"] for t in page.select("textarea[data-rich-text]")] == fields
    scripts = [s["src"] for s in page.select("script[src]")]
    assert any(src.startswith("/vendor/jodit.min.js?v=") for src in scripts)
    assert any(src.startswith("/static/js/editor.js?v=") for src in scripts)
    assert page.select_one("link[href^='/vendor/jodit.min.css?v=']") is not None
    config = json.loads(page.select_one("script#rich-text-config").get_text())
    assert config["language"] == "id"
    assert config["preview"] == "/redaksi/pratinjau-html"
    assert config["upload"] == "/redaksi/media/gambar"
    assert "www.youtube-nocookie.com" in config["videoHosts"]
    assert config["texts"]["text"] == "Teks artikel"
    # The dialogs are closed <dialog>s: without JavaScript nobody sees them.
    for dialog in page.select("dialog"):
        assert not dialog.has_attr("open")
        assert dialog.select_one("h2")["id"] == dialog["aria-labelledby"]
    for field in page.select("dialog input:not([type=checkbox])"):
        assert page.select_one(f"label[for='{field['id']}']") is not None, field
    # No script is inline: the settings are data, not code.
    assert all(s.get("type") == "application/json" for s in page.select("script:not([src])"))


async def test_article_form_keeps_both_textareas_for_pages_without_javascript(
    client: QuartClient, auth: Auth
) -> None:
    await auth.login("editor")
    page = soup(await (await client.get("/redaksi/artikel/1")).get_data())
    intro = page.select_one("textarea#intro_html")
    assert intro["data-read-more-into"] == "full_html"
    assert page.select_one("textarea#full_html").get_text().strip()


async def test_event_description_is_named_like_the_article_text(
    client: QuartClient, auth: Auth
) -> None:
    await auth.login("editor")
    page = soup(await (await client.get("/redaksi/kegiatan/baru")).get_data())
    label = page.select_one("label[for='description_html']")
    # the editor shows formatted text; only a page without JavaScript takes the HTML itself
    hint = label.select_one("noscript").extract()
    assert hint.get_text(strip=True) == "(HTML)"
    assert label.get_text(strip=True) == "Deskripsi kegiatan"


@pytest.mark.parametrize(
    ("html", "kept"),
    [
        ('<p style="text-align: center;">a</p>', '<p style="text-align: center;">a</p>'),
        ('<h2 style="text-align:right">a</h2>', '<h2 style="text-align:right;">a</h2>'),
        ('<td style="text-align: justify">a</td>', "a"),  # a td outside a table is text
        ('<p style="text-align: center; color: red">a</p>', "<p>a</p>"),
        ('<p style="color: red">a</p>', "<p>a</p>"),
        ('<span style="text-align: center">a</span>', "<span>a</span>"),
        ('<p style="text-align: url(x)">a</p>', "<p>a</p>"),
    ],
)
def test_only_alignment_survives_in_a_style(html: str, kept: str) -> None:
    cleaner = HtmlCleaner()
    assert cleaner.clean(html) == kept
    assert cleaner.clean(kept) == kept


def directives(policy: str) -> dict[str, list[str]]:
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: values for name, *values in parts}


async def test_only_the_editor_pages_allow_their_own_style_element(
    client: QuartClient, auth: Auth
) -> None:
    await auth.login("editor")
    for path in ("/redaksi/artikel/baru", "/redaksi/kegiatan/baru", "/redaksi/modul/html/baru"):
        response = await client.get(path)
        page = soup(await response.get_data())
        nonce = json.loads(page.select_one("script#rich-text-config").get_text())["styleNonce"]
        assert len(nonce) >= 20
        policy = directives(response.headers["Content-Security-Policy"])
        assert policy["style-src"] == ["'self'", f"'nonce-{nonce}'"]
        assert policy["default-src"] == ["'self'"] and "script-src" not in policy  # scripts: files
        again = await client.get(path)
        assert nonce not in again.headers["Content-Security-Policy"]  # one per response
    for path in ("/redaksi/", "/redaksi/kategori", "/redaksi/modul", "/"):
        policy = directives((await client.get(path)).headers["Content-Security-Policy"])
        assert policy["style-src"] == ["'self'"]
