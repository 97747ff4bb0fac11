"""Custom HTML modules in Chromium: an editor writes one in the rich-text editor under the
site's CSP, gives it to a category, and a visitor sees it there only, at 360 and 1366 px; the
forms work without JavaScript too."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import expect

from tests.browser.test_accessibility import audit
from tests.browser.test_editing import NAMES, editor_page, others
from tests.browser.test_presence import LIVE_MS, PERSON
from tests.conftest import DemoDatabase, LiveServer

TIMEOUT_MS = 15_000
PUBLIKASI, HASIL_PENELITIAN = "/kategori/4-publikasi", "/kategori/5-hasil-penelitian"
WATCH_CSP = (
    "document.addEventListener('securitypolicyviolation', (e) => "
    "console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI))"
)


async def new_page(browser: Any, width: int, **options: Any) -> tuple[Any, Any]:
    context = await browser.new_context(
        user_agent=PERSON, viewport={"width": width, "height": 900}, **options
    )
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    return context, page


async def log_in(page: Any, server: LiveServer, demo_database: DemoDatabase) -> None:
    await page.goto(server.url + "/masuk")
    await page.fill("#email", "redaksi@balittri.example")
    await page.fill("#password", demo_database.passwords["editor"])
    await page.click("form.stacked-form button[type=submit]")
    await page.wait_for_url("**/redaksi/")


def tool(name: str) -> str:
    return f".jodit-toolbar__box [data-ref={name}] > button"


async def overflow(page: Any) -> int:
    return int(await page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


@pytest.mark.parametrize("width", [360, 1366])
async def test_an_editor_writes_a_module_for_one_category_and_visitors_see_it_there_only(
    browser: Any,
    live_server: LiveServer,
    demo_database: DemoDatabase,
    artifacts: Path,
    width: int,
) -> None:
    context, page = await new_page(browser, width)
    refused: list[str] = []  # the CSP stays on: the editor's table styling needs its nonce
    page.on("console", lambda m: refused.append(m.text) if "Security Policy" in m.text else None)
    await log_in(page, live_server, demo_database)
    await page.goto(live_server.url + "/redaksi/modul")
    await page.get_by_role("link", name="Modul khusus baru").click()
    await page.wait_for_selector(".jodit-wysiwyg")
    await page.evaluate(WATCH_CSP)
    await page.get_by_label("Judul", exact=True).fill("Layanan Informasi Publik")
    await page.locator(".jodit-wysiwyg").click()
    await page.keyboard.type("Hubungi ")
    await page.click(tool("bold"))
    await page.keyboard.type("PPID Balittri")
    await page.click(tool("bold"))
    await page.keyboard.type(" pada jam kerja.")
    await page.keyboard.press("Enter")
    # a small table of opening hours, its cells selected the way Jodit styles them
    await page.click(tool("table"))
    await page.click(".jodit-popup [role=gridcell][data-index='11']")  # 2 x 2
    cell = ".jodit-wysiwyg table tr:first-child td:first-child"
    await page.click(cell)
    await page.keyboard.type("Senin–Jumat")
    await page.keyboard.press("Tab")
    await page.keyboard.type("08.00–16.00")
    await page.keyboard.press("Tab")
    await page.keyboard.type("Sabtu")
    await page.keyboard.press("Tab")
    await page.keyboard.type("tutup")
    await page.get_by_label("Posisi", exact=True).select_option("left")
    await page.get_by_label("Urutan").fill("5")
    await page.get_by_label("Kategori terpilih beserta artikelnya").check()
    await page.get_by_label("Publikasi").check()
    await page.locator(".custom-module-form").scroll_into_view_if_needed()
    await page.evaluate("window.scrollTo(0, 0)")
    await page.screenshot(path=str(artifacts / f"custom-module-editor-{width}.png"), full_page=True)
    assert await overflow(page) <= 0
    async with page.expect_navigation():
        await page.get_by_role("button", name="Simpan").click()
    assert re.search(r"/redaksi/modul/html/\d+\?disimpan=1$", page.url), page.url
    await expect(page.locator(".notice-ok")).to_have_text("Tersimpan.")
    assert await page.locator("[data-cleaner-report]").count() == 0  # nothing was removed
    assert refused == [], refused
    module_id = page.url.split("/html/")[1].split("?")[0]
    await context.close()

    # a visitor: on Publikasi and its subcategory, in the left column; nowhere else
    context, page = await new_page(browser, width)
    module = page.locator(f"#module-custom-{module_id}")
    for path in (PUBLIKASI, HASIL_PENELITIAN):
        await page.goto(live_server.url + path)
        await expect(module).to_be_visible()
        await expect(module.locator("h2")).to_have_text("Layanan Informasi Publik")
        await expect(module.locator("strong")).to_have_text("PPID Balittri")
        await expect(module.locator("td").nth(1)).to_have_text("08.00–16.00")
        assert await page.locator(f".modules-left #module-custom-{module_id}").count() == 1
        assert await overflow(page) <= 0, f"{path} is wider than {width}px"
    await page.goto(live_server.url + PUBLIKASI)
    await module.scroll_into_view_if_needed()
    await page.screenshot(path=str(artifacts / f"custom-module-category-{width}.png"))
    await page.locator(".content article a, .content .article-list a").first.click()
    await page.wait_for_url(re.compile(r"/artikel/"))
    await expect(module).to_be_visible()  # an article of Publikasi's family
    for path in ("/", "/kategori/1-berita", "/kalender"):
        await page.goto(live_server.url + path)
        await expect(page.locator(".module-latest")).to_be_visible()
        assert await module.count() == 0, path
    await context.close()

    # what axe finds on the form and on the page (axe is a script the CSP refuses: bypassed)
    context, page = await new_page(browser, width, bypass_csp=True)
    await log_in(page, live_server, demo_database)
    await page.goto(f"{live_server.url}/redaksi/modul/html/{module_id}")
    await page.wait_for_selector(".jodit-wysiwyg")
    assert await audit(page) == []
    await page.goto(live_server.url + "/redaksi/modul")
    assert await audit(page) == []
    await page.screenshot(path=str(artifacts / f"custom-module-positions-{width}.png"))
    await page.goto(live_server.url + PUBLIKASI)
    assert await audit(page) == []
    await context.close()


async def test_the_forms_work_without_javascript(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase, artifacts: Path
) -> None:
    context, page = await new_page(browser, 360, java_script_enabled=False)
    await log_in(page, live_server, demo_database)
    await page.goto(live_server.url + "/redaksi/modul/html/baru")
    await page.get_by_label("Judul", exact=True).fill("Pengumuman Libur")
    await page.get_by_label("Isi", exact=True).fill(
        "<p>Layanan tutup pada <em>25 Desember</em>.</p>"
    )
    await page.get_by_label("Hanya beranda").check()
    await page.get_by_role("button", name="Simpan").click()
    await page.wait_for_url(re.compile(r"disimpan=1$"))
    # a built-in module's pages, from the positions page
    await page.goto(live_server.url + "/redaksi/modul")
    await page.locator("tr[data-module=popular] .module-pages-cell button").click()
    await page.get_by_label("Kategori terpilih beserta artikelnya").check()
    await page.get_by_label("Berita").check()
    await page.screenshot(path=str(artifacts / "custom-module-pages-nojs-360.png"), full_page=True)
    assert await overflow(page) <= 0
    await page.get_by_role("button", name="Simpan").click()
    await page.wait_for_url(re.compile(r"/redaksi/modul\?disimpan=1$"))
    await expect(page.locator("tr[data-module=popular] .module-pages-summary")).to_have_text(
        "Berita"
    )
    await page.screenshot(path=str(artifacts / "custom-module-positions-nojs-360.png"))
    await context.close()

    context, page = await new_page(browser, 360, java_script_enabled=False)
    await page.goto(live_server.url + "/")
    await expect(page.locator(".module-custom em")).to_have_text("25 Desember")
    assert await page.locator(".module-popular").count() == 0
    await page.goto(live_server.url + "/kategori/1-berita")
    await expect(page.locator(".module-popular")).to_be_visible()
    assert await page.locator(".module-custom").count() == 0
    await context.close()


async def test_two_editors_on_one_module_see_each_other_and_the_later_save_asks_first(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase, artifacts: Path
) -> None:
    editor = await editor_page(browser, live_server, demo_database, "editor")
    await editor.goto(live_server.url + "/redaksi/modul/html/baru")
    await editor.get_by_label("Judul", exact=True).fill("Jam Layanan")
    await editor.locator(".jodit-wysiwyg").click()
    await editor.keyboard.type("Senin sampai Jumat.")
    async with editor.expect_navigation():
        await editor.get_by_role("button", name="Simpan").click()
    form = editor.url.split("?")[0]
    await expect(editor.locator(".editing-now")).to_be_visible()

    admin = await editor_page(browser, live_server, demo_database, "admin", width=360)
    await admin.goto(form)
    await expect(others(editor)).to_have_count(1, timeout=LIVE_MS)
    await expect(others(admin)).to_have_count(1, timeout=LIVE_MS)
    assert await others(editor).locator("strong").inner_text() == NAMES["admin"]

    # the admin saves first; the editor's save, based on the older revision, is refused
    await admin.locator(".jodit-wysiwyg").click()
    await admin.keyboard.press("Control+End")
    await admin.keyboard.type(" Sabtu tutup.")
    async with admin.expect_navigation():
        await admin.get_by_role("button", name="Simpan").click()
    await editor.get_by_label("Judul", exact=True).fill("Jam Layanan PPID")
    async with editor.expect_navigation():
        await editor.get_by_role("button", name="Simpan").click()
    conflict = editor.locator(".conflict")
    await expect(conflict).to_be_visible()
    assert await editor.locator(".notice-ok").count() == 0  # not "Tersimpan."
    await expect(conflict).to_contain_text(NAMES["admin"])
    await expect(conflict).to_contain_text("Sabtu tutup.")  # what they changed
    await expect(editor.get_by_label("Judul", exact=True)).to_have_value("Jam Layanan PPID")
    await editor.screenshot(path=str(artifacts / "custom-module-conflict-1366.png"), full_page=True)
    async with editor.expect_navigation():
        await editor.get_by_role("button", name="Tetap simpan").click()
    await expect(editor.locator(".notice-ok")).to_have_text("Tersimpan.")
    await expect(editor.get_by_label("Judul", exact=True)).to_have_value("Jam Layanan PPID")
    await admin.context.close()
    await expect(others(editor)).to_have_count(0, timeout=LIVE_MS)
    await editor.context.close()
