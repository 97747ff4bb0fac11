"""The cleaner's report: what it removed is told to the editor on preview and on save, never
silently (issue #16); and the read-more break that splits intro from full text."""

from __future__ import annotations

import pytest
import tinyhtml5
from quart.testing import QuartClient

from content.articles import split_read_more
from content.db import Database
from content.sanitize import ALLOWED_TAGS, HtmlCleaner, Removal
from tests.conftest import Auth, csrf_from, soup
from tests.test_calendar import event_form
from tests.test_editor import article_form
from tests.xss_payloads import PAYLOADS


@pytest.fixture(scope="module")
def cleaner() -> HtmlCleaner:
    return HtmlCleaner()


def test_each_kind_of_removal_is_reported(cleaner: HtmlCleaner) -> None:
    cleaned = cleaner.clean_with_report(
        '<p onclick="go()">Teks<script>alert(1)</script></p>'
        '<img src="/a.png" onerror="x()" alt="a">'
        '<a href="javascript:alert(1)">tautan</a>'
        "<font color=red>merah</font>"
        '<iframe src="https://evil.example/v/1"></iframe>'
        '<iframe src="https://www.youtube-nocookie.com/embed/abc" frameborder="0"></iframe>'
    )
    assert cleaned.html == cleaner.clean(cleaned.html)  # the report does not change the output
    assert set(cleaned.removed) == {
        Removal("attribute", "p", "onclick"),
        Removal("element-content", "script"),
        Removal("attribute", "img", "onerror"),
        Removal("scheme", "a", "href", "javascript"),
        Removal("element", "font"),
        Removal("frame-host", "iframe", "src", "evil.example"),
        Removal("attribute", "iframe", "frameborder"),
    }
    assert "merah" in cleaned.html and "tautan" in cleaned.html  # text of stripped tags kept
    assert 'src="https://www.youtube-nocookie.com/embed/abc"' in cleaned.html


def test_clean_html_reports_nothing(cleaner: HtmlCleaner) -> None:
    html = (
        "<h2>Judul</h2><p><strong>tebal</strong> <em>miring</em> <u>garis</u></p>"
        "<ul><li>satu</li></ul><ol><li>dua</li></ol><blockquote>kutipan</blockquote>"
        '<p><a href="https://example.org/">tautan</a></p>'
        "<table><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>"
        '<img src="/media/a.webp" alt="foto" width="10" height="10">'
    )
    cleaned = cleaner.clean_with_report(html)
    assert cleaned.removed == ()
    assert cleaner.clean_with_report("").removed == ()


def test_word_noise_is_named_once_per_kind(cleaner: HtmlCleaner) -> None:
    word = (
        '<p class="MsoNormal" style="mso-margin-top-alt:auto"><o:p>satu</o:p></p>'
        '<p class="MsoNormal" style="mso-line-height-alt:12pt"><o:p>dua</o:p></p>'
    )
    removed = cleaner.clean_with_report(word).removed
    assert removed.count(Removal("attribute", "p", "class")) == 1
    assert set(removed) == {
        Removal("attribute", "p", "class"),
        Removal("attribute", "p", "style"),
        Removal("element", "o:p"),
    }


def test_nested_content_of_a_dropped_container_is_not_listed(cleaner: HtmlCleaner) -> None:
    removed = cleaner.clean_with_report("<svg><g><a href='x'>y</a></g></svg><p>ok</p>").removed
    assert removed == (Removal("element-content", "svg"),)


def _dangerous_parts(payload: str) -> list[str]:
    """What a browser's parser finds in a payload that the allow-list never keeps: elements
    outside it and event-handler attributes."""
    body = tinyhtml5.parse(f"<!doctype html><body>{payload}").find(".//{*}body")
    assert body is not None
    found = []
    for element in body.iter():
        if element is body or not isinstance(element.tag, str):
            continue
        name = element.tag.rsplit("}", 1)[-1].lower()
        if name not in ALLOWED_TAGS:
            found.append(f"<{name}>")
        found.extend(a for a in element.attrib if a.rsplit("}", 1)[-1].lower().startswith("on"))
    return found


def test_every_xss_payload_with_a_dangerous_part_is_reported(cleaner: HtmlCleaner) -> None:
    # The corpus parsed as a browser parses it: whatever holds an element the allow-list does
    # not keep, or an event handler, must come with a report.
    silent = [
        payload
        for payload in PAYLOADS
        if _dangerous_parts(payload) and not cleaner.clean_with_report(payload).removed
    ]
    assert silent == []
    assert sum(1 for payload in PAYLOADS if _dangerous_parts(payload)) > 100


def test_the_report_is_per_call(cleaner: HtmlCleaner) -> None:
    assert cleaner.clean_with_report("<script>x</script>").removed
    assert cleaner.clean_with_report("<p>x</p>").removed == ()


@pytest.mark.parametrize(
    ("intro", "full", "expected"),
    [
        ('<p>a</p><hr id="system-readmore"><p>b</p>', "", ("<p>a</p>", "<p>b</p>")),
        (
            "<p>a</p><hr id='system-readmore' /><p>b</p>",
            "<p>c</p>",
            ("<p>a</p>", "<p>b</p><p>c</p>"),
        ),
        ("<p>a</p>", "<p>x</p><HR ID=system-readmore><p>b</p>", ("<p>a</p><p>x</p>", "<p>b</p>")),
        ("<p>a</p>", "<p>b</p>", ("<p>a</p>", "<p>b</p>")),
        ('<p>a</p><hr id="system-readmore">b<hr id="system-readmore">c', "", ("<p>a</p>", "bc")),
        ('<p>a</p><hr id="system-readmore-x"><p>b</p>', "", None),
    ],
)
def test_read_more_splits_intro_from_full(
    intro: str, full: str, expected: tuple[str, str] | None
) -> None:
    assert split_read_more(intro, full) == (expected or (intro, full))


async def test_preview_lists_what_the_cleaner_removed(client: QuartClient, auth: Auth) -> None:
    await auth.login("editor")
    response = await client.post(
        "/redaksi/artikel/baru", form=await article_form(client, action="preview")
    )
    page = soup(await response.get_data())
    report = page.select_one("[data-cleaner-report]")
    assert report is not None
    assert report.select_one("p").get_text() == "Dihapus oleh pembersih HTML:"
    assert [li.get_text() for li in report.select("li")] == [
        "<script> beserta isinya",
        "atribut onerror dari <img>",
    ]


async def test_save_flashes_the_report_once(client: QuartClient, auth: Auth, db: Database) -> None:
    await auth.login("editor")
    response = await client.post("/redaksi/artikel/baru", form=await article_form(client))
    assert response.status_code == 302
    page = soup(await (await client.get(response.headers["Location"])).get_data())
    items = [li.get_text() for li in page.select("[data-cleaner-report] li")]
    assert items == ["<script> beserta isinya", "atribut onerror dari <img>"]
    again = soup(await (await client.get(response.headers["Location"])).get_data())
    assert again.select_one("[data-cleaner-report]") is None  # told once
    clean_save = await article_form(client, full_html="<p>Bersih.</p>")
    response = await client.post("/redaksi/artikel/baru", form=clean_save)
    page = soup(await (await client.get(response.headers["Location"])).get_data())
    assert page.select_one("[data-cleaner-report]") is None


async def test_save_splits_at_the_read_more_break(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    form = await article_form(
        client,
        intro_html='<p>Pembuka.</p><hr id="system-readmore"><p>Lanjutan.</p>',
        full_html="",
    )
    response = await client.post("/redaksi/artikel/baru", form=form)
    assert response.status_code == 302
    row = await db.fetchone("SELECT intro_html, full_html FROM articles ORDER BY id DESC LIMIT 1")
    assert (row["intro_html"], row["full_html"]) == ("<p>Pembuka.</p>", "<p>Lanjutan.</p>")


async def test_preview_endpoint_answers_in_the_editors_language(
    client: QuartClient, auth: Auth
) -> None:
    await auth.login("editor")
    token = await csrf_from(client, "/redaksi/artikel/baru")
    response = await client.post(
        "/redaksi/pratinjau-html",
        form={"html": '<p>x</p><script>alert(1)</script><a href="vbscript:x">y</a>'},
        headers={"X-CSRF-Token": token},
    )
    assert response.status_code == 200
    body = await response.get_json()
    assert body["html"] == "<p>x</p><a>y</a>"
    assert body["message"] == "Dihapus oleh pembersih HTML:"
    assert body["removed"] == ["<script> beserta isinya", "alamat vbscript: pada href dari <a>"]
    await client.get("/bahasa/en")
    response = await client.post(
        "/redaksi/pratinjau-html",
        form={"html": "<p onclick=x>y</p>"},
        headers={"X-CSRF-Token": token},
    )
    body = await response.get_json()
    assert body["removed"] == ["the onclick attribute of <p>"]
    clean = await client.post(
        "/redaksi/pratinjau-html", form={"html": "<p>y</p>"}, headers={"X-CSRF-Token": token}
    )
    assert (await clean.get_json())["removed"] == []


async def test_preview_endpoint_is_for_editors_with_a_token(
    client: QuartClient, auth: Auth
) -> None:
    response = await client.post("/redaksi/pratinjau-html", form={"html": "<p>x</p>"})
    assert response.status_code in (302, 400, 403)
    await auth.login("editor")
    refused = await client.post("/redaksi/pratinjau-html", form={"html": "<p>x</p>"})
    assert refused.status_code in (400, 403)


async def test_event_save_flashes_the_report(client: QuartClient, auth: Auth) -> None:
    await auth.login("editor")
    token = await csrf_from(client, "/redaksi/kegiatan/baru")
    form = event_form(
        token, description_html='<p>Acara <img src="/x.png" onerror="alert(1)" alt="x"></p>'
    )
    response = await client.post("/redaksi/kegiatan/baru", form=form)
    assert response.status_code == 302
    listing = soup(await (await client.get(response.headers["Location"])).get_data())
    items = [li.get_text() for li in listing.select("[data-cleaner-report] li")]
    assert items == ["atribut onerror dari <img>"]
