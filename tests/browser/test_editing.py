"""Editors together in Chromium: two editors on one article see each other arrive and leave
within 2 s, in the site's time; the box is read out politely and is absent without JavaScript.
A browser closed mid-typing leaves a draft that the next visit offers and restores; leaving a
changed form asks first, a submit does not; axe-core and screenshots at 1366 and 360 px."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.async_api import expect

from tests.browser.test_accessibility import audit
from tests.browser.test_presence import LIVE_MS, PERSON
from tests.conftest import DemoDatabase, LiveServer

TIMEOUT_MS = 15_000
ACCOUNTS = {"editor": "redaksi@balittri.example", "admin": "admin@balittri.example"}
NAMES = {"editor": "Redaksi Balittri", "admin": "Admin Portal"}
ARTICLE_FORM = "/redaksi/artikel/1"


async def editor_page(
    browser: Any,
    server: LiveServer,
    demo_database: DemoDatabase,
    role: str = "editor",
    width: int = 1366,
    **options: Any,
) -> Any:
    """A new browser (context) logged in as a demo account."""
    context = await browser.new_context(
        user_agent=PERSON, viewport={"width": width, "height": 900}, **options
    )
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    await page.goto(server.url + "/masuk")
    await page.fill("#email", ACCOUNTS[role])
    await page.fill("#password", demo_database.passwords[role])
    await page.click("form.stacked-form button[type=submit]")
    await page.wait_for_url(lambda url: "/masuk" not in url)
    return page


def others(page: Any) -> Any:
    return page.locator(".editing-now [data-editor-id]")


async def test_two_editors_see_each_other_arrive_and_leave(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase, artifacts: Path
) -> None:
    editor = await editor_page(browser, live_server, demo_database, "editor")
    await editor.goto(live_server.url + ARTICLE_FORM)
    box = editor.locator(".editing-now")
    await expect(box).to_be_visible()
    await expect(box.locator("[aria-live=polite]")).to_have_text(
        "Tidak ada orang lain yang sedang membukanya."
    )

    # (axe-core is put into the page as an inline script: this one lets it past the CSP)
    admin = await editor_page(
        browser, live_server, demo_database, "admin", width=360, bypass_csp=True
    )
    await admin.goto(live_server.url + ARTICLE_FORM)
    await expect(others(editor)).to_have_count(1, timeout=LIVE_MS)
    await expect(others(admin)).to_have_count(1, timeout=LIVE_MS)
    assert (await others(editor).locator("strong").inner_text()) == NAMES["admin"]
    assert (await others(admin).locator("strong").inner_text()) == NAMES["editor"]
    # "sejak 10:43 WIB": the site's zone (Asia/Jakarta), whatever the browser's own
    since = await others(editor).inner_text()
    assert re.fullmatch(r"Admin Portal sejak \d\d:\d\d WIB", since), since

    # A second tab of the same editor: still one line for the admin.
    second = await editor.context.new_page()
    await second.goto(live_server.url + ARTICLE_FORM)
    await expect(others(second)).to_have_count(1, timeout=LIVE_MS)
    await expect(others(admin)).to_have_count(1)
    await second.close()

    await editor.screenshot(path=str(artifacts / "editing-now-1366.png"), full_page=False)
    await admin.screenshot(path=str(artifacts / "editing-now-360.png"), full_page=False)
    assert await audit(admin) == []
    assert await admin.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0

    # The admin closes the browser: gone for the editor.
    await admin.context.close()
    await expect(others(editor)).to_have_count(0, timeout=LIVE_MS)
    await expect(box.locator("[aria-live=polite]")).to_have_text(
        "Tidak ada orang lain yang sedang membukanya."
    )


async def test_without_javascript_the_form_has_no_live_box(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase
) -> None:
    page = await editor_page(browser, live_server, demo_database, java_script_enabled=False)
    await page.goto(live_server.url + ARTICLE_FORM)
    await expect(page.locator("form.article-form #title")).to_be_visible()
    await expect(page.locator(".editing-now")).to_be_hidden()


TYPED = "Kalimat yang diketik sebelum tab ditutup"
KEEP_URL = "/redaksi/draf/artikel/1"


def draft_kept(text: str) -> Any:
    """A predicate for the autosave's answer to a draft that holds `text`."""

    def check(response: Any) -> bool:
        request = response.request
        return (
            request.method == "POST"
            and response.url.endswith(KEEP_URL)
            and text.replace(" ", "+") in (request.post_data or "")
        )

    return check


async def test_a_closed_browser_leaves_a_draft_that_restores(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase, artifacts: Path
) -> None:
    page = await editor_page(browser, live_server, demo_database, "editor")
    await page.goto(live_server.url + ARTICLE_FORM)
    await page.wait_for_selector(".jodit-wysiwyg")
    await page.fill("#title", "Judul sementara")
    await page.click(".jodit-wysiwyg p")
    await page.keyboard.press("End")
    async with page.expect_response(draft_kept(TYPED)) as answer:
        await page.keyboard.type(" " + TYPED)
    response = await answer.value
    assert response.status == 200 and (await response.json())["ok"] is True
    await expect(page.locator("[data-draft-status]")).to_contain_text("Draf disimpan sementara")
    await page.locator("form.article-form .form-actions").screenshot(
        path=str(artifacts / "draft-kept-1366.png")
    )

    # The machine goes away mid-typing, after that draft was acknowledged.
    await page.keyboard.type(" dan ini mungkin hilang")
    await page.context.close()

    page = await editor_page(browser, live_server, demo_database, "editor", bypass_csp=True)
    await page.goto(live_server.url + ARTICLE_FORM)
    offer = page.locator("[data-draft-offer]")
    await expect(offer).to_be_visible()
    await expect(offer.locator("h2")).to_have_text(
        re.compile(r"^Perubahan belum disimpan dari pukul \d\d:\d\d$")
    )
    assert await page.input_value("#title") != "Judul sementara"  # not applied by itself
    await page.screenshot(path=str(artifacts / "draft-offer-1366.png"))
    assert await audit(page) == []
    await page.set_viewport_size({"width": 360, "height": 900})
    await page.screenshot(path=str(artifacts / "draft-offer-360.png"))
    assert await page.evaluate("document.documentElement.scrollWidth - innerWidth") <= 0
    await page.set_viewport_size({"width": 1366, "height": 900})

    await offer.locator("[data-draft-restore]").click()
    await expect(offer).to_be_hidden()
    assert await page.input_value("#title") == "Judul sementara"
    await expect(page.locator(".jodit-wysiwyg")).to_contain_text(TYPED)
    await expect(page.locator("[data-draft-news]")).to_have_text(
        "Perubahan yang belum disimpan sudah kembali ke formulir. Simpan untuk mempertahankannya."
    )
    assert await page.evaluate("document.activeElement.id") == "title"

    # Leaving now warns: the restored text is not saved yet.
    dialogs: list[str] = []

    async def answer_dialog(dialog: Any) -> None:
        dialogs.append(dialog.type)
        await dialog.dismiss()

    page.on("dialog", answer_dialog)
    async with page.expect_event("dialog"):
        await page.close(run_before_unload=True)
    assert dialogs == ["beforeunload"]
    await expect(page.locator("#title")).to_have_value("Judul sementara")  # stayed

    # Saving it: no warning on the way, the text is the article's, and the draft is gone.
    await page.click("form.article-form .form-actions button[value=save]")
    await page.wait_for_url("**/redaksi/artikel/1?disimpan=1")
    assert dialogs == ["beforeunload"]
    await expect(page.locator(".jodit-wysiwyg")).to_contain_text(TYPED)
    await expect(page.locator("[data-draft-offer]")).to_have_count(0)
    await page.context.close()


async def test_leaving_an_untouched_form_does_not_warn(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase
) -> None:
    page = await editor_page(browser, live_server, demo_database, "editor")
    await page.goto(live_server.url + "/redaksi/kegiatan/baru")
    await page.wait_for_selector(".jodit-wysiwyg")
    await page.click("#title")  # a gesture, so that the browser would ask if the page wanted
    await page.click(".jodit-wysiwyg")
    dialogs: list[str] = []

    async def answer_dialog(dialog: Any) -> None:
        dialogs.append(dialog.type)
        await dialog.accept()

    page.on("dialog", answer_dialog)
    async with page.expect_event("close"):
        await page.close(run_before_unload=True)
    assert dialogs == []


async def test_the_event_form_keeps_and_restores_its_draft_on_a_phone(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase
) -> None:
    page = await editor_page(browser, live_server, demo_database, "editor", width=360)
    await page.goto(live_server.url + "/redaksi/kegiatan")
    edit = page.locator("a[href^='/redaksi/kegiatan/']:not([href$='baru']):not([href$='hapus'])")
    address = live_server.url + str(await edit.first.get_attribute("href"))
    await page.goto(address)
    await page.wait_for_selector(".jodit-wysiwyg")
    await page.fill("#title", "Seminar yang dipindah")
    await page.uncheck("input[name=published]")
    await page.click(".jodit-wysiwyg")
    await page.keyboard.press("End")
    async with page.expect_response(
        lambda r: (
            "/redaksi/draf/kegiatan/" in r.url and "Tempat+baru" in (r.request.post_data or "")
        )
    ) as answer:
        await page.keyboard.type(" Tempat baru")
    assert (await answer.value).ok
    await page.context.close()

    page = await editor_page(browser, live_server, demo_database, "editor", width=360)
    await page.goto(address)
    await page.locator("[data-draft-restore]").click()
    assert await page.input_value("#title") == "Seminar yang dipindah"
    assert not await page.is_checked("input[name=published]")  # an unticked box, restored
    await expect(page.locator(".jodit-wysiwyg")).to_contain_text("Tempat baru")

    # discarding: offered no more
    await page.goto(address)  # afresh: offered again, since nothing was saved
    await page.locator("[data-draft-discard]").click()
    await expect(page.locator("[data-draft-offer]")).to_be_hidden()
    await expect(page.locator("[data-draft-news]")).to_have_text(
        "Perubahan yang belum disimpan telah dibuang."
    )
    await page.reload()
    await expect(page.locator("#title")).to_be_visible()
    await expect(page.locator("[data-draft-offer]")).to_have_count(0)
