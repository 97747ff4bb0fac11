"""The editors' forms in Chromium: Enter in a one-line field saves (the article form's first
visible button is Preview), "Save anyway" after a conflict, with and without JavaScript, the
buttons as they were seen; a custom module's draft is kept, offered, restored into the
rich-text editor and gone after the save, as an article's is."""

from __future__ import annotations

import re
from typing import Any

from playwright.async_api import expect

from tests.browser.test_accessibility import audit
from tests.browser.test_editing import editor_page
from tests.conftest import DemoDatabase, LiveServer

ARTICLE_FORM = "/redaksi/artikel/2"
EVENT_ID = 2


def is_post(response: Any) -> bool:
    return bool(response.request.method == "POST" and "/redaksi/draf/" not in response.url)


async def test_enter_in_a_field_saves_every_form(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase
) -> None:
    # (axe-core is put into the page as an inline script: this one lets it past the CSP)
    page = await editor_page(browser, live_server, demo_database, "editor", bypass_csp=True)
    await page.goto(live_server.url + ARTICLE_FORM)
    await page.wait_for_selector(".jodit-wysiwyg")
    # The buttons as seen: Preview, then Save; the default one is not among them for anyone.
    visible = page.locator("form.article-form .form-actions button")
    await expect(visible).to_have_text(["Pratinjau", "Simpan"])
    default = page.locator("form.article-form button[data-default-button]")
    assert await default.get_attribute("tabindex") == "-1"
    assert await default.get_attribute("aria-hidden") == "true"
    assert await audit(page) == []
    await page.focus("#author_name")
    await page.keyboard.press("Tab")  # to the rich-text editor, never the hidden button
    assert await page.evaluate("document.activeElement.dataset.defaultButton") is None

    await page.fill("#meta_description", "Disimpan dengan Enter")
    async with page.expect_response(is_post) as answer:
        await page.press("#meta_description", "Enter")
    assert "action=save" in ((await answer.value).request.post_data or "")
    await page.wait_for_url(re.compile(r"disimpan=1"))
    await expect(page.locator(".preview")).to_have_count(0)
    await expect(page.locator("#meta_description")).to_have_value("Disimpan dengan Enter")

    await page.goto(f"{live_server.url}/redaksi/kegiatan/{EVENT_ID}")
    await page.fill("#title", "Seminar disimpan dengan Enter")
    await page.press("#title", "Enter")
    await page.wait_for_url(re.compile(r"/redaksi/kegiatan\?disimpan="))

    await page.goto(live_server.url + "/redaksi/modul/html/baru")
    await page.wait_for_selector(".jodit-wysiwyg")
    await page.click(".jodit-wysiwyg")
    await page.keyboard.type("Isi modul")
    await page.fill("#title", "Modul dengan Enter")
    await page.press("#title", "Enter")
    await page.wait_for_url(re.compile(r"/redaksi/modul/html/\d+\?disimpan=1"))
    await page.context.close()


async def test_enter_on_the_conflict_screen_saves_anyway(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase
) -> None:
    editor = await editor_page(browser, live_server, demo_database, "editor")
    admin = await editor_page(
        browser, live_server, demo_database, "admin", java_script_enabled=False
    )
    await editor.goto(live_server.url + ARTICLE_FORM)
    await editor.wait_for_selector(".jodit-wysiwyg")
    # Without JavaScript Enter saves too.
    await admin.goto(live_server.url + ARTICLE_FORM)
    await admin.fill("#title", "Judul dari admin")
    await admin.press("#title", "Enter")
    await admin.wait_for_url(re.compile(r"disimpan=1"))
    await expect(admin.locator("#title")).to_have_value("Judul dari admin")
    await admin.context.close()

    await editor.fill("#title", "Judul dari redaksi")
    async with editor.expect_response(is_post) as answer:
        await editor.press("#title", "Enter")
    assert (await answer.value).status == 409
    await expect(editor.locator("section.conflict")).to_be_visible()
    visible = editor.locator("form.article-form .form-actions button")
    await expect(visible).to_have_text(["Pratinjau", "Tetap simpan"])
    async with editor.expect_response(is_post) as answer:
        await editor.press("#title", "Enter")
    assert "save_anyway=" in ((await answer.value).request.post_data or "")
    await editor.wait_for_url(re.compile(r"disimpan=1"))
    await expect(editor.locator("#title")).to_have_value("Judul dari redaksi")
    await editor.context.close()


async def test_a_custom_module_draft_is_kept_and_restored_into_the_editor(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase
) -> None:
    page = await editor_page(browser, live_server, demo_database, "editor", width=360)
    await page.goto(live_server.url + "/redaksi/modul/html/baru")
    await page.wait_for_selector(".jodit-wysiwyg")
    await page.fill("#title", "Kontak PPID")
    await page.click(".jodit-wysiwyg")
    async with page.expect_response(
        lambda r: "/redaksi/draf/modul-html/" in r.url and "Telepon" in (r.request.post_data or "")
    ) as answer:
        await page.keyboard.type("Telepon 0266-6542181")
    assert (await answer.value).ok, (await answer.value).status
    await expect(page.locator("[data-draft-status]")).to_contain_text("Draf disimpan sementara")
    await page.context.close()  # the tab is gone before any save

    page = await editor_page(browser, live_server, demo_database, "editor", width=360)
    await page.goto(live_server.url + "/redaksi/modul/html/baru")
    await page.locator("[data-draft-restore]").click()
    await expect(page.locator("#title")).to_have_value("Kontak PPID")
    await expect(page.locator(".jodit-wysiwyg")).to_contain_text("Telepon 0266-6542181")
    await page.click(".form-actions button[type=submit]")
    await page.wait_for_url(re.compile(r"/redaksi/modul/html/\d+\?disimpan=1"))
    await expect(page.locator(".jodit-wysiwyg")).to_contain_text("Telepon 0266-6542181")
    await page.goto(live_server.url + "/redaksi/modul/html/baru")
    await expect(page.locator(".form-actions [data-draft-keeper]")).to_have_count(1)
    await expect(page.locator("[data-draft-offer]")).to_have_count(0)
    await page.context.close()
