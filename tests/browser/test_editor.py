"""The rich-text editor in Chromium, as an editor writes: the toolbar only (clicks and keys,
never innerHTML), a paste from Word, an image dropped, given alt text and inserted, the save,
and the public page that shows it all; the cleaner's report from the HTML view; the XSS corpus
through the HTML view and through paste; axe-core and screenshots at 1366 and 360 px."""

from __future__ import annotations

import base64
import io
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import aiohttp
import pytest
from bs4 import BeautifulSoup

from tests.browser.test_accessibility import audit
from tests.browser.test_presence import PERSON
from tests.browser.test_xss import WATCH_SCRIPT
from tests.conftest import DemoDatabase, LiveServer, soup
from tests.xss_payloads import PAYLOADS

EDITOR_EMAIL = "redaksi@balittri.example"
TIMEOUT_MS = 15_000

# What Word puts on the clipboard (text/html) for a heading, a paragraph with a bold word and a
# link, a two-item bullet list and a table: styles, classes, o:p, conditional comments.
FIXTURES = {
    name: (Path(__file__).resolve().parents[1] / "fixtures" / name).read_text()
    for name in (
        "word-paste.html",
        "word-list-paste.html",
        "gdocs-paste.html",
        "libreoffice-paste.html",
    )
}
WORD_HTML = FIXTURES["word-paste.html"]

PASTE = """
([selector, html]) => {
  const target = document.querySelector(selector);
  const data = new DataTransfer();
  data.setData("text/html", html);
  data.setData("text/plain", target.ownerDocument.createElement("div").textContent);
  const event = new ClipboardEvent("paste", {clipboardData: data, bubbles: true, cancelable: true});
  target.dispatchEvent(event);
}
"""
PASTE_FILE = """
([selector, name, type, base64]) => {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const data = new DataTransfer();
  data.items.add(new File([bytes], name, {type}));
  const init = {clipboardData: data, bubbles: true, cancelable: true};
  document.querySelector(selector).dispatchEvent(new ClipboardEvent("paste", init));
}
"""
DROP_FILE = """
([selector, name, type, base64]) => {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const file = new File([bytes], name, {type});
  const data = new DataTransfer();
  data.items.add(file);
  const target = document.querySelector(selector);
  for (const kind of ["dragenter", "dragover", "drop"]) {
    const init = {dataTransfer: data, bubbles: true, cancelable: true};
    target.dispatchEvent(new DragEvent(kind, init));
  }
}
"""


async def editor_page(
    browser: Any,
    server: LiveServer,
    passwords: dict[str, str],
    width: int = 1366,
    **options: Any,
) -> tuple[Any, Any]:
    """A logged-in editor's tab on a new article, the rich-text editor ready."""
    context = await browser.new_context(
        user_agent=PERSON, viewport={"width": width, "height": 900}, **options
    )
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    await page.goto(server.url + "/masuk")
    await page.fill("#email", EDITOR_EMAIL)
    await page.fill("#password", passwords["editor"])
    await page.click("form.stacked-form button[type=submit]")
    await page.wait_for_load_state("networkidle")
    await page.goto(server.url + "/redaksi/artikel/baru")
    scripts = options.get("java_script_enabled", True)
    await page.wait_for_selector(".jodit-wysiwyg" if scripts else "#intro_html")
    return context, page


def button(name: str) -> str:
    """A toolbar button by its control's name."""
    return f".jodit-toolbar__box [data-ref={name}] > button"


async def editor_html(page: Any) -> str:
    return str(await page.evaluate("document.querySelector('.jodit-wysiwyg').innerHTML"))


def photo_with_exif() -> bytes:
    """A JPEG as a phone writes it: EXIF with the camera, a GPS position and an orientation."""
    from PIL import Image

    image = Image.new("RGB", (1200, 800), (40, 120, 60))
    for x in range(0, 1200, 40):
        for y in range(0, 800, 40):
            image.putpixel((x, y), (250, 250, 250))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "Phone 12"  # Model
    exif[0x0112] = 1  # Orientation
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "S", (6.0, 54.0, 12.0)  # latitude
    gps[3], gps[4] = "E", (106.0, 55.0, 30.0)  # longitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=85)
    data = out.getvalue()
    assert b"PhoneMaker" in data and b"Exif" in data  # the test's own check of its photo
    return data


def has_metadata(data: bytes) -> list[str]:
    """What of a phone's metadata an image file still carries."""
    from PIL import Image

    found = []
    image = Image.open(io.BytesIO(data))
    if image.getexif():
        found.append("EXIF")
    for key in ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile_gps", "photoshop"):
        if image.info.get(key):
            found.append(key)
    for marker in (b"PhoneMaker", b"Phone 12", b"Exif\x00\x00", b"http://ns.adobe.com/xap"):
        if marker in data:
            found.append(repr(marker))
    return found


async def served_without_metadata(image: Any, server: LiveServer) -> None:
    """A library image on a public page: responsive, lazy, and every variant it offers served
    without the photo's EXIF (checked on the bytes)."""
    assert image.get("srcset") and image.get("sizes") and image.get("width")
    assert image.get("height") and image.get("loading") == "lazy"
    urls = {image["src"]} | {
        part.split()[0] for part in str(image["srcset"]).split(",") if part.strip()
    }
    assert len(urls) >= 2
    async with aiohttp.ClientSession() as session:
        for url in sorted(urls):
            async with session.get(urljoin(server.url, url)) as response:
                assert response.status == 200, url
                data = await response.read()
            assert has_metadata(data) == [], url


async def choose_category(page: Any) -> None:
    """A category, and published, so that the public page shows it."""
    await page.select_option("#category_id", index=1)
    await page.select_option("#state", "1")


async def save(page: Any) -> None:
    async with page.expect_navigation():
        await page.click(".form-actions button[value=save]")
    assert "disimpan=1" in page.url, await page.content()


async def public_page(page: Any, server: LiveServer) -> BeautifulSoup:
    link = page.locator(".notice-ok a")
    href = await link.get_attribute("href")
    async with aiohttp.ClientSession() as session, session.get(urljoin(server.url, href)) as got:
        assert got.status == 200
        return soup(await got.text())


async def test_article_written_with_the_toolbar_and_a_word_paste(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase, artifacts: Path
) -> None:
    context, page = await editor_page(browser, live_server, demo_database.passwords)
    refused: list[str] = []  # the CSP is on: the editor must need no exception to it
    page.on("console", lambda m: refused.append(m.text) if "Security Policy" in m.text else None)
    await page.evaluate(
        "document.addEventListener('securitypolicyviolation', (e) => "
        "console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI"
        " + ' ' + e.sourceFile + ':' + e.lineNumber + ' ' + e.sample))"
    )
    await page.fill("#title", "Kebun Percobaan Kakao")
    await choose_category(page)
    text = page.locator(".jodit-wysiwyg")
    await text.click()
    await page.keyboard.type("Pengantar singkat tentang kebun.")
    # The intro as a centred quote: the quote button and the alignment menu.
    await page.click(button("serambiQuote"))
    await page.click(".jodit-toolbar__box [data-ref=left] .jodit-toolbar-button__trigger")
    await page.click(".jodit-popup [data-ref=center] > button")
    await page.keyboard.press("End")
    await page.click(button("serambiReadMore"))
    # A heading, from the paragraph menu.
    await page.click(".jodit-toolbar__box [data-ref=paragraph] .jodit-toolbar-button__trigger")
    await page.click(".jodit-popup [data-ref=h2] > button")
    await page.keyboard.type("Hasil Uji")
    await page.keyboard.press("Enter")
    # A bold word, by keyboard only: the word selected, the toolbar reached with Alt+F10, the
    # arrow to Bold, Enter, and Escape back to the text.
    await page.keyboard.type("Kopi unggul tahun ini.")
    for _ in " tahun ini.":
        await page.keyboard.press("ArrowLeft")
    for _ in "unggul":
        await page.keyboard.press("Shift+ArrowLeft")
    await page.keyboard.press("Alt+F10")
    focused = await page.evaluate("document.activeElement.closest('[data-ref]').dataset.ref")
    assert focused == "paragraph"
    await page.keyboard.press("ArrowRight")
    assert await page.evaluate("document.activeElement.closest('[data-ref]').dataset.ref") == "bold"
    await page.keyboard.press("Enter")
    await page.keyboard.press("Escape")  # back to the text
    await page.keyboard.press("End")
    await page.keyboard.press("Enter")
    # A list.
    await page.click(button("ul"))
    await page.keyboard.type("Robusta")
    await page.keyboard.press("Enter")
    await page.keyboard.type("Arabika")
    await page.keyboard.press("Enter")
    await page.keyboard.press("Enter")  # an empty item ends the list
    # A link, through the link form.
    await page.keyboard.type("Baca juga ")
    await page.click(button("link"))
    await page.fill(".jodit-popup input[name=url]", "https://example.org/kopi")
    await page.fill(".jodit-popup input[name=content]", "panduan budidaya")
    await page.click(".jodit-popup [data-ref=insert]")
    await page.keyboard.press("End")
    await page.keyboard.press("Enter")
    # A 3x3 table from the size grid, then a header row from the cell menu.
    await page.click(button("table"))
    await page.click(".jodit-popup [role=gridcell][data-index='22']")
    await page.wait_for_function(
        "document.querySelectorAll('.jodit-wysiwyg table tr').length === 3"
    )
    first_cell = ".jodit-wysiwyg table tr:first-child td:first-child"
    await page.click(first_cell)
    await page.keyboard.type("Klon")
    await page.click(first_cell)  # the cell's menu, afresh
    header_row = page.locator(".jodit-popup [data-ref=serambiHeaderRow] > button")
    await header_row.wait_for(state="visible")
    await header_row.click()
    await page.wait_for_selector(".jodit-wysiwyg table thead th")
    await page.click(".jodit-wysiwyg table tbody tr:last-child td:last-child")
    await page.keyboard.type("9")
    # A video, from its address on YouTube: embedded through the no-cookie host.
    await page.keyboard.press("Control+End")
    await page.click(button("serambiVideo"))
    await page.fill("#rich-video-url", "https://evil.example/watch?v=abc")
    await page.click("#rich-video-dialog button[type=submit]")
    assert await page.locator("#rich-video-error").inner_text() != ""
    await page.fill("#rich-video-url", "https://www.youtube.com/watch?v=dQw4w9WgXcQ")
    await page.fill("#rich-video-name", "Panen kopi di Pakuwon")
    await page.click("#rich-video-dialog button[type=submit]")
    await page.wait_for_selector(".jodit-wysiwyg iframe[title='Panen kopi di Pakuwon']")
    # Word's HTML pasted at the end.
    await page.keyboard.press("Control+End")
    await page.evaluate(PASTE, [".jodit-wysiwyg", WORD_HTML])
    await page.wait_for_selector(".jodit-wysiwyg ul li >> text=Kakao lindak")
    html = await editor_html(page)
    assert "mso-" not in html and "class=" not in html and "o:p" not in html, html
    await page.evaluate(
        "document.querySelector('.jodit-container').scrollIntoView(); window.scrollBy(0, -190)"
    )
    await page.evaluate("document.querySelector('.jodit-wysiwyg').scrollTop = 0")
    await page.mouse.move(1300, 10)  # no tooltip in the picture
    await page.screenshot(path=str(artifacts / "editor-writing-1366.png"))
    # A photo dropped at the end, its alt text given, uploaded to the library and inserted.
    await page.keyboard.press("Control+End")
    photo = base64.b64encode(photo_with_exif()).decode()
    await page.evaluate(DROP_FILE, [".jodit-wysiwyg", "kakao.jpg", "image/jpeg", photo])
    await page.locator("#rich-image-dialog").wait_for(state="visible")
    await page.fill("#rich-image-alt", "Buah kakao matang di pohon")
    await page.click("#rich-image-insert")
    await page.wait_for_selector(".jodit-wysiwyg img[alt='Buah kakao matang di pohon']")
    await page.screenshot(path=str(artifacts / "editor-article-1366.png"), full_page=True)
    await save(page)
    report = page.locator("[data-cleaner-report]")
    assert await report.count() == 0, await report.all_inner_texts()  # nothing was removed

    assert refused == [], "\n".join(r for r in refused if r.startswith("Content"))

    public = await public_page(page, live_server)
    body = public.select_one(".article-body")
    assert body is not None
    frame = body.select_one("iframe")
    assert frame is not None and frame["title"] == "Panen kopi di Pakuwon"
    assert frame["src"] == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert [h.get_text() for h in body.select("h2")] == ["Hasil Uji", "Laporan Panen Kakao"]
    assert [s.get_text() for s in body.select("strong")][:2] == ["unggul", "meningkat"]
    lists = body.select("ul")
    assert [li.get_text() for li in lists[0].select("li")] == ["Robusta", "Arabika"]
    assert [li.get_text(strip=True) for li in lists[1].select("li")] == [
        "Kakao mulia",
        "Kakao lindak",
    ]
    links = {a.get_text(): a["href"] for a in body.select("a")}
    assert links["panduan budidaya"] == "https://example.org/kopi"
    assert links["laporan lengkap"] == "https://example.org/laporan-kakao"
    tables = body.select("table")
    assert len(tables) == 2
    assert [len(tr.select("td, th")) for tr in tables[0].select("tr")] == [3, 3, 3]
    assert tables[0].select_one("thead th").get_text() == "Klon"
    assert tables[0].select("tbody tr")[-1].select("td")[-1].get_text() == "9"
    assert [td.get_text(strip=True) for td in tables[1].select("td")] == [
        "Klon",
        "Ton/ha",
        "ICCRI 03",
        "2,1",
    ]
    stored = body.decode_contents()
    for noise in ("mso-", "class=", "MsoNormal", "o:p", "lang=", "border", "cellspacing"):
        assert noise not in stored, noise
    assert [e["style"] for e in body.select("[style]")] == ["text-align: center;"]
    image = body.select_one("img")
    assert image is not None and image["alt"] == "Buah kakao matang di pohon"
    await served_without_metadata(image, live_server)
    # The read-more break split intro from full text: the category's blog shows the intro only.
    crumbs = public.select(".breadcrumbs a, nav[aria-label] ol a")
    category = next(a["href"] for a in crumbs if "/kategori/" in a["href"])
    async with (
        aiohttp.ClientSession() as session,
        session.get(urljoin(live_server.url, category)) as got,
    ):
        blog = soup(await got.text())
    teaser = next(
        t for t in blog.select("article.teaser") if "Kebun Percobaan Kakao" in t.get_text()
    )
    intro = teaser.select_one(".teaser-intro")
    assert intro.get_text(strip=True) == "Pengantar singkat tentang kebun."
    assert teaser.select_one(".read-more a") is not None
    quote = body.select_one("blockquote")
    assert quote is not None and quote.get_text() == "Pengantar singkat tentang kebun."
    assert quote["style"] == "text-align: center;"
    await context.close()


async def test_dropped_image_is_uploaded_with_its_alt_text(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase, artifacts: Path
) -> None:
    context, page = await editor_page(browser, live_server, demo_database.passwords)
    await page.fill("#title", "Foto Kebun")
    await choose_category(page)
    await page.click(".jodit-wysiwyg")
    await page.keyboard.type("Foto dari kebun.")
    original = photo_with_exif()
    assert has_metadata(original) != []  # the check below can see what it looks for
    photo = base64.b64encode(original).decode()
    await page.evaluate(DROP_FILE, [".jodit-wysiwyg", "kebun.jpg", "image/jpeg", photo])
    dialog = page.locator("#rich-image-dialog")
    await dialog.wait_for(state="visible")
    assert "kebun.jpg" in await page.locator("#rich-image-chosen").inner_text()
    # Without alt text and not marked decorative, nothing is inserted.
    await page.click("#rich-image-insert")
    assert await page.locator("#rich-image-error").inner_text() != ""
    await page.screenshot(path=str(artifacts / "editor-image-dialog-1366.png"))
    await page.fill("#rich-image-alt", "Bibit kakao di persemaian")
    await page.click("#rich-image-insert")
    await page.wait_for_selector(".jodit-wysiwyg img[alt='Bibit kakao di persemaian']")
    await dialog.wait_for(state="hidden")
    # A pasted image file opens the same dialog; cancelled, nothing is inserted.
    await page.evaluate(PASTE_FILE, [".jodit-wysiwyg", "tempel.jpg", "image/jpeg", photo])
    await dialog.wait_for(state="visible")
    assert "tempel.jpg" in await page.locator("#rich-image-chosen").inner_text()
    await page.click("#rich-image-dialog [data-dialog-cancel]")
    await dialog.wait_for(state="hidden")
    # The uploaded image is in the library: picked from there, its alt text comes along.
    await page.keyboard.press("Control+End")
    await page.click(button("serambiImage"))
    await dialog.wait_for(state="visible")
    picked = page.locator("#rich-image-library .rich-library-item", has_text="Bibit kakao")
    await picked.first.click()
    assert await page.input_value("#rich-image-alt") == "Bibit kakao di persemaian"
    await page.click("#rich-image-insert")
    await page.wait_for_function("document.querySelectorAll('.jodit-wysiwyg img').length === 2")
    # The second one's alt text changed afterwards, from the image's own menu: decorative.
    await page.click(".jodit-wysiwyg img >> nth=1")
    await page.click(".jodit-popup [data-ref=serambiAlt] > button")
    await dialog.wait_for(state="visible")
    assert await page.locator("#rich-image-source").is_hidden()
    await page.check("#rich-image-decorative")
    await page.click("#rich-image-insert")
    await dialog.wait_for(state="hidden")
    await page.screenshot(path=str(artifacts / "editor-with-image-1366.png"))
    await save(page)
    assert await page.locator("[data-cleaner-report]").count() == 0

    public = await public_page(page, live_server)
    images = public.select(".article-body img")
    assert [image["alt"] for image in images] == ["Bibit kakao di persemaian", ""]
    await served_without_metadata(images[0], live_server)
    await context.close()


async def test_script_in_the_html_view_is_reported(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase
) -> None:
    context, page = await editor_page(browser, live_server, demo_database.passwords)
    await page.click(button("source"))
    mirror = page.locator("textarea.jodit-source__mirror")
    await mirror.wait_for(state="visible")
    await mirror.fill(
        '<p>Teks <img src="/static/img/logo.svg" onclick="alert(1)" alt="logo"></p>'
        "<script>alert(1)</script>"
    )
    report = page.locator("[data-editor-report]")
    await report.wait_for(state="visible")
    items = await report.locator("li").all_inner_texts()
    assert items == ["<script> beserta isinya", "atribut onclick dari <img>"]
    assert await report.locator("p").inner_text() == "Pembersih HTML akan menghapus:"
    # Back in the normal view the script is gone from the text, and nothing ran.
    await page.click(button("source"))
    await page.wait_for_selector(".jodit-wysiwyg img[alt=logo]")
    assert "<script" not in await editor_html(page)
    await context.close()


async def test_the_xss_corpus_through_the_html_view_and_paste_runs_nothing(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase
) -> None:
    # The Content-Security-Policy is off, so the editor itself is what is tested.
    context, page = await editor_page(
        browser, live_server, demo_database.passwords, bypass_csp=True
    )
    hits: list[str] = []

    def report(text: str) -> None:
        hits.append(text)

    await context.expose_function("__xssReport", report)
    await context.add_init_script(WATCH_SCRIPT)
    await page.reload()
    await page.wait_for_selector(".jodit-wysiwyg")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    # The control: a handler put in the page outside the editor runs, and the watch sees it.
    await page.evaluate(
        "document.body.insertAdjacentHTML('beforeend', '<img src=/nothing onerror=alert(7)>')"
    )
    await page.wait_for_function("window.__xssHits.length > 0")
    assert hits == [f"alert(7) in {page.url}"]
    hits.clear()
    batches = [PAYLOADS[start : start + 40] for start in range(0, len(PAYLOADS), 40)]
    for batch in batches:
        markup = "".join(f"<p>x</p>{payload}" for payload in batch)
        # Through the HTML view ...
        await page.click(button("source"))
        await page.locator("textarea.jodit-source__mirror").fill(markup)
        await page.click(button("source"))
        await page.wait_for_selector(".jodit-wysiwyg")
        await page.wait_for_load_state("networkidle")
        # ... and through a paste into the text.
        await page.click(".jodit-wysiwyg")
        await page.evaluate(PASTE, [".jodit-wysiwyg", markup])
        await page.wait_for_load_state("networkidle")
        found = await page.evaluate(
            """() => Array.from(document.querySelectorAll('.jodit-wysiwyg *')).flatMap((e) =>
                 Array.from(e.attributes).filter((a) => /^on/i.test(a.name)
                   || /^\\s*(javascript|vbscript|data):/i.test(a.value)).map((a) => a.name))"""
        )
        assert found == []
        await page.evaluate("() => new Promise((done) => requestAnimationFrame(() => done()))")
    assert hits == [] and dialogs == []
    await context.close()


@pytest.mark.parametrize("width", [1366, 360])
async def test_editor_is_labelled_accessible_and_fits(
    browser: Any,
    live_server: LiveServer,
    demo_database: DemoDatabase,
    artifacts: Path,
    width: int,
) -> None:
    # axe is injected as a script file, which this site's CSP rightly refuses; bypass it here only
    context, page = await editor_page(
        browser, live_server, demo_database.passwords, width=width, bypass_csp=True
    )
    await page.goto(live_server.url + "/redaksi/artikel/1")
    await page.wait_for_selector(".jodit-wysiwyg")
    await page.wait_for_load_state("networkidle")
    # Shift+Tab from the text reaches the toolbar (its one tab stop).
    await page.click(".jodit-wysiwyg")
    await page.keyboard.press("Shift+Tab")
    in_toolbar = "Boolean(document.activeElement.closest('.jodit-toolbar__box'))"
    assert await page.evaluate(in_toolbar)
    name = await page.evaluate(
        "document.getElementById("
        "document.querySelector('.jodit-wysiwyg').getAttribute('aria-labelledby')).textContent"
    )
    assert name == "Teks artikel"
    assert await page.locator(".jodit-wysiwyg").get_attribute("role") == "textbox"
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the editor page is {overflow}px wider than {width}px"
    await page.screenshot(path=str(artifacts / f"editor-{width}.png"), full_page=True)
    assert await audit(page) == []
    await page.click(button("serambiImage"))
    await page.locator("#rich-image-dialog").wait_for(state="visible")
    await page.screenshot(path=str(artifacts / f"editor-image-dialog-{width}.png"))
    assert await audit(page) == []
    await context.close()


async def test_without_javascript_the_textareas_work(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase
) -> None:
    context, page = await editor_page(
        browser, live_server, demo_database.passwords, java_script_enabled=False
    )
    await page.fill("#title", "Tanpa JavaScript")
    await choose_category(page)
    assert await page.locator("#rich-image-dialog").is_visible() is False
    await page.fill("#intro_html", "<p>Pengantar.</p>")
    await page.fill("#full_html", "<p>Isi <strong>lengkap</strong>.</p>")
    await save(page)
    public = await public_page(page, live_server)
    assert public.select_one(".article-body strong").get_text() == "lengkap"
    await context.close()


async def test_event_description_is_written_in_the_editor(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase, artifacts: Path
) -> None:
    context, page = await editor_page(
        browser, live_server, demo_database.passwords, width=360, bypass_csp=True
    )
    await page.goto(live_server.url + "/redaksi/kegiatan/baru")
    await page.wait_for_selector(".jodit-wysiwyg")
    assert await page.locator(button("serambiReadMore")).count() == 0  # one text, no intro
    await page.fill("#title", "Temu Lapang Kopi")
    await page.fill("#start_date", "2030-03-02")
    await page.fill("#start_time", "09:00")
    await page.fill("#end_date", "2030-03-02")
    await page.fill("#end_time", "12:00")
    await page.click(".jodit-wysiwyg")
    await page.keyboard.type("Peserta membawa ")
    await page.click(button("bold"))
    await page.keyboard.type("sepatu bot")
    await page.click(button("bold"))
    await page.wait_for_function(  # the button shows bold off again
        'document.querySelector(".jodit-toolbar__box [data-ref=bold] > button")'
        ".getAttribute('aria-pressed') === 'false'"
    )
    await page.keyboard.type(".")
    await page.screenshot(path=str(artifacts / "editor-event-360.png"), full_page=True)
    assert await audit(page) == []
    async with page.expect_navigation():
        await page.click("form.stacked-form button[type=submit]")
    assert "disimpan=" in page.url
    event_id = page.url.rsplit("disimpan=", 1)[1]
    async with (
        aiohttp.ClientSession() as session,
        session.get(f"{live_server.url}/kalender/acara/{event_id}") as got,
    ):
        event = soup(await got.text())
    description = event.select_one(".article-body")
    assert description is not None
    assert description.select_one("strong").get_text() == "sepatu bot"
    await context.close()


@pytest.mark.parametrize(
    ("fixture", "expected"),
    [
        (
            "gdocs-paste.html",
            {
                "h2": ["Jadwal Pelatihan"],
                "strong": ["Wajib", "Hari", "Materi"],
                "em": ["opsional"],
                "ol li": ["Pendaftaran", "Praktik"],
                "a": ["jadwal"],
                "td": ["Hari", "Materi", "Senin", "Pemangkasan"],
            },
        ),
        (
            "word-list-paste.html",
            {
                "ol > li > ol > li": ["Pagi hari", "Dengan gunting"],
                "ol:not(li ol) > li": [
                    "Petik buah merahPagi hariDengan gunting",
                    "Jemur di para-para",
                ],
                "p": ["Langkah panen:"],
                "td": ["Selesai"],
            },
        ),
        (
            "libreoffice-paste.html",
            {
                "h3": ["Catatan Lapang"],
                "strong": ["Tanah"],
                "em": ["lembap"],
                "ul li": ["Pupuk", "Air"],
                "a": ["panduan"],
                "td": ["Blok", "Hasil"],
            },
        ),
    ],
)
async def test_word_lists_google_docs_and_libreoffice_pastes_keep_their_structure(
    browser: Any,
    live_server: LiveServer,
    demo_database: DemoDatabase,
    fixture: str,
    expected: dict[str, list[str]],
) -> None:
    context, page = await editor_page(browser, live_server, demo_database.passwords)
    markup = FIXTURES[fixture]
    await page.click(".jodit-wysiwyg")
    await page.evaluate(PASTE, [".jodit-wysiwyg", markup])
    await page.wait_for_selector(".jodit-wysiwyg td")
    pasted = soup(await editor_html(page))
    for selector, texts in expected.items():
        assert [e.get_text(strip=True) for e in pasted.select(selector)] == texts, selector
    kept = {name for element in pasted.find_all(True) for name in element.attrs}
    assert kept <= {"href"}, kept  # no style, class, dir, id, lang, width, role, aria-*
    await context.close()


async def test_table_rows_and_columns_and_undo(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase
) -> None:
    context, page = await editor_page(browser, live_server, demo_database.passwords)
    await page.click(".jodit-wysiwyg")
    await page.click(button("table"))
    await page.click(".jodit-popup [role=gridcell][data-index='11']")  # 2 x 2
    shape = "Array.from(document.querySelectorAll('.jodit-wysiwyg tr'), (r) => r.cells.length)"
    await page.wait_for_function(f"{shape}.join() === '2,2'")

    async def cell_menu(control: str, command: str) -> None:
        await page.click(".jodit-wysiwyg tr:first-child > :first-child")
        await page.click(f".jodit-popup [data-ref={control}] .jodit-toolbar-button__trigger")
        await page.click(f".jodit-popup [data-ref={command}] > button")

    await cell_menu("addrow", "tableaddrowafter")
    await page.wait_for_function(f"{shape}.join() === '2,2,2'")
    await cell_menu("addcolumn", "tableaddcolumnafter")
    await page.wait_for_function(f"{shape}.join() === '3,3,3'")
    await cell_menu("deleteTable", "tablebincolumn")
    await page.wait_for_function(f"{shape}.join() === '2,2,2'")
    await cell_menu("deleteTable", "tablebinrow")
    await page.wait_for_function(f"{shape}.join() === '2,2'")
    # Undo and redo from the toolbar.
    await page.click(button("undo"))
    await page.wait_for_function(f"{shape}.join() === '2,2,2'")
    await page.click(button("redo"))
    await page.wait_for_function(f"{shape}.join() === '2,2'")
    await context.close()


async def test_an_article_saved_unchanged_keeps_its_intro_and_full_text(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase
) -> None:
    def texts() -> dict[int, tuple[str, str]]:
        with sqlite3.connect(live_server.database) as db:
            rows = db.execute(
                "SELECT id, intro_html, full_html FROM articles WHERE state >= 0 ORDER BY id"
            )
            return {row[0]: (row[1], row[2]) for row in rows}

    before = texts()
    context, page = await editor_page(browser, live_server, demo_database.passwords)
    for article_id, (_, full) in before.items():
        await page.goto(f"{live_server.url}/redaksi/artikel/{article_id}")
        await page.wait_for_selector(".jodit-wysiwyg")
        breaks = await page.locator(".jodit-wysiwyg hr#system-readmore").count()
        assert breaks == (1 if full.strip() else 0), article_id
        await save(page)
        report = page.locator("[data-cleaner-report]")
        assert await report.count() == 0, (article_id, await report.all_inner_texts())
    after = texts()
    for article_id, (intro, full) in before.items():
        new_intro, new_full = after[article_id]
        # The same text, split at the same place (the editor may write the markup its way).
        assert soup(new_intro).get_text(" ", strip=True).split() == (
            soup(intro).get_text(" ", strip=True).split()
        ), article_id
        assert soup(new_full).get_text(" ", strip=True).split() == (
            soup(full).get_text(" ", strip=True).split()
        ), article_id
        assert len(soup(new_full).select("img, iframe, table")) == len(
            soup(full).select("img, iframe, table")
        )
    await context.close()
