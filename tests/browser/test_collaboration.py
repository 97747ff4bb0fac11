"""Two editors on one article in Chromium: each sees the other's name within 2 s; one saves;
the other's save is refused with what changed shown and their own text still in the form;
"Save anyway" then saves it, both saves are in the history, and restoring the first revision
brings its text back on the public page. axe-core checks the conflict screen, the history and
the comparison; the conflict screen is photographed at 1366 and 360 px."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.async_api import expect

from tests.browser.test_accessibility import audit
from tests.browser.test_editing import NAMES, editor_page, others
from tests.browser.test_presence import LIVE_MS, PERSON
from tests.conftest import DemoDatabase, LiveServer

ARTICLE_ID = 3
EVENT_ID = 2
FORM = f"/redaksi/artikel/{ARTICLE_ID}"
ADMIN_TEXT = "Teks pengantar versi admin yang baru."
EDITOR_TEXT = "Teks pengantar versi redaksi, ditulis bersamaan."
EDITOR_TITLE = "Judul versi redaksi"


async def write_intro(page: Any, text: str) -> None:
    """Replace the intro in the rich-text editor, as a person would: select all, type."""
    body = page.locator(".jodit-wysiwyg").first
    await body.click()
    await page.keyboard.press("Control+A")
    await page.keyboard.type(text)


async def no_problems(page: Any, name: str) -> None:
    problems = await audit(page)
    assert problems == [], f"{name}: {problems}"


async def test_two_editors_save_one_article(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase, artifacts: Path
) -> None:
    reader_context = await browser.new_context(user_agent=PERSON)
    reader = await reader_context.new_page()

    # axe is injected as a script file, which the site's CSP rightly refuses; bypass it here only
    editor = await editor_page(browser, live_server, demo_database, "editor", bypass_csp=True)
    admin = await editor_page(
        browser, live_server, demo_database, "admin", width=360, bypass_csp=True
    )
    await editor.goto(live_server.url + FORM)
    await admin.goto(live_server.url + FORM)
    await editor.wait_for_selector(".jodit-wysiwyg")
    await admin.wait_for_selector(".jodit-wysiwyg")

    # Each sees the other's name within 2 s.
    await expect(others(editor)).to_have_count(1, timeout=LIVE_MS)
    await expect(others(admin)).to_have_count(1, timeout=LIVE_MS)
    await expect(others(editor).locator("strong")).to_have_text(NAMES["admin"])
    await expect(others(admin).locator("strong")).to_have_text(NAMES["editor"])

    assert await editor.locator("input[name=base_revision]").input_value() == "1"
    await expect(editor.locator(".revision-links a", has_text="Riwayat revisi")).to_be_visible()

    # What a visitor reads before anyone saves.
    title_before = await editor.locator("#title").input_value()
    alias = await editor.locator("#alias").input_value()
    article_address = f"{live_server.url}/artikel/{ARTICLE_ID}-{alias}"
    await reader.goto(article_address)
    original = await reader.locator("article .article-body").inner_text()
    assert ADMIN_TEXT not in original

    # The admin saves first.
    await write_intro(admin, ADMIN_TEXT)
    await admin.click(".form-actions button[name=action][value=save]")
    await admin.wait_for_url(re.compile(r"disimpan=1"))

    # The editor, on the form as it was, writes and saves: refused, 409.
    await editor.fill("#title", EDITOR_TITLE)
    await write_intro(editor, EDITOR_TEXT)
    await editor.fill("#revision_note", "Judul dan pengantar diganti")
    async with editor.expect_response(lambda r: r.request.method == "POST") as answer:
        await editor.click(".form-actions button[name=action][value=save]")
    assert (await answer.value).status == 409
    conflict = editor.locator("section.conflict")
    await expect(conflict).to_be_visible()
    alert = await conflict.locator("[role=alert]").inner_text()
    assert re.search(r"Admin Portal menyimpan ini pada \d\d:\d\d WIB", alert), alert
    # What the admin changed: their text in, the old one out; the title untouched by them.
    await expect(conflict.locator(".diff ins").first).to_contain_text(ADMIN_TEXT)
    # (select-all in the editor covers the full text too: it shows both as one text)
    labels = await conflict.locator(".diff-label").all_inner_texts()
    assert "Teks pengantar" in labels and "Judul" not in labels, labels
    # The editor's own text is all still in the form.
    assert await editor.locator("#title").input_value() == EDITOR_TITLE
    assert await editor.locator("#revision_note").input_value() == "Judul dan pengantar diganti"
    await editor.wait_for_selector(".jodit-wysiwyg")
    await expect(editor.locator(".jodit-wysiwyg").first).to_contain_text(EDITOR_TEXT)
    assert EDITOR_TEXT in await editor.locator("#intro_html").input_value()

    await no_problems(editor, "conflict screen")
    await editor.screenshot(path=str(artifacts / "conflict-1366.png"), full_page=True)

    # "Save anyway" saves the editor's text; both saves are in the history.
    await editor.click(".form-actions button[name=save_anyway]")
    await editor.wait_for_url(re.compile(r"disimpan=1"))
    assert await editor.locator("#title").input_value() == EDITOR_TITLE

    # The admin, on the phone, on their form as they saved it: now theirs is the stale one.
    await admin.fill("#meta_description", "Deskripsi dari admin")
    async with admin.expect_response(lambda r: r.request.method == "POST") as answer:
        await admin.click(".form-actions button[name=action][value=save]")
    assert (await answer.value).status == 409
    phone_conflict = admin.locator("section.conflict")
    await expect(phone_conflict.locator(".diff ins").first).to_contain_text(EDITOR_TITLE)
    assert await admin.locator("#meta_description").input_value() == "Deskripsi dari admin"
    # (the form's address still says "saved" from before: the refused save is not called so)
    assert "disimpan=1" in admin.url
    await expect(admin.locator(".notice-ok")).to_have_count(0)
    overflow = await admin.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the conflict screen is {overflow}px wider than a 360px phone"
    await admin.screenshot(path=str(artifacts / "conflict-360.png"), full_page=True)
    problems = await audit(admin)
    assert problems == [], f"conflict screen at 360px: {problems}"
    # The admin's text is kept as a draft meanwhile; dropping it asks nothing and discards
    # that draft, so the form opened afresh does not offer the dropped text again.
    await expect(admin.locator("[data-draft-keeper]")).to_have_attribute(
        "data-kept-at", re.compile(".")
    )
    dialogs: list[str] = []

    async def answer_dialog(dialog: Any) -> None:
        dialogs.append(dialog.type)
        await dialog.dismiss()

    admin.on("dialog", answer_dialog)
    await admin.click("section.conflict button >> text=Buang perubahan saya dan buka versi mereka")
    await admin.wait_for_url(re.compile(FORM + "$"))
    assert await admin.locator("#title").input_value() == EDITOR_TITLE
    # (the script ran: it moves the keeper beside the buttons)
    await expect(admin.locator(".form-actions [data-draft-keeper]")).to_have_count(1)
    await expect(admin.locator("[data-draft-offer]")).to_have_count(0)
    assert dialogs == []

    await editor.click(".revision-links a >> text=Riwayat revisi")
    await editor.wait_for_url(re.compile(r"/revisi$"))
    revisions = editor.locator("li.revision")
    await expect(revisions).to_have_count(3)
    assert [await r.get_attribute("data-revision") for r in await revisions.all()] == [
        "3",
        "2",
        "1",
    ]
    assert await revisions.nth(0).locator(".revision-user").inner_text() == NAMES["editor"]
    assert await revisions.nth(0).locator(".revision-note").inner_text() == (
        "Judul dan pengantar diganti"
    )
    assert await revisions.nth(1).locator(".revision-user").inner_text() == NAMES["admin"]
    await expect(revisions.nth(0).locator(".revision-badge")).to_be_visible()
    await no_problems(editor, "revision list")
    await editor.set_viewport_size({"width": 360, "height": 800})
    await editor.screenshot(path=str(artifacts / "revisions-360.png"), full_page=True)
    await no_problems(editor, "revision list at 360px")
    await editor.set_viewport_size({"width": 1366, "height": 900})

    # The comparison of revision 2 (the admin's) with 3 (the editor's).
    await editor.click("li[data-revision='3'] a >> text=Apa yang berubah")
    await editor.wait_for_url(re.compile(r"/revisi/banding"))
    await expect(editor.locator(".diff ins").first).to_be_visible()
    assert EDITOR_TITLE in await editor.locator(".diff").first.inner_text()
    await no_problems(editor, "comparison")
    await editor.set_viewport_size({"width": 360, "height": 800})
    await editor.screenshot(path=str(artifacts / "revision-compare-360.png"), full_page=True)
    await editor.set_viewport_size({"width": 1366, "height": 900})

    # Restoring the first revision brings its text back on the public page.
    await editor.goto(live_server.url + FORM + "/revisi")
    await editor.click("li[data-revision='1'] form button")
    await editor.wait_for_url(re.compile(r"/revisi$"))
    await expect(editor.locator("[role=status]")).to_contain_text("Revisi 1 telah dipulihkan.")
    await expect(editor.locator("li.revision")).to_have_count(4)
    await expect(editor.locator("li.revision.is-current .revision-origin")).to_have_text(
        "Dipulihkan dari revisi 1"
    )
    await reader.goto(article_address)
    await expect(reader.locator("article h1").first).to_have_text(title_before)
    assert await reader.locator("article .article-body").inner_text() == original

    await reader_context.close()
    await editor.context.close()
    await admin.context.close()


async def test_without_javascript_a_stale_event_save_is_refused_and_saved_anyway(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase
) -> None:
    form = f"/redaksi/kegiatan/{EVENT_ID}"
    editor = await editor_page(
        browser, live_server, demo_database, "editor", java_script_enabled=False
    )
    admin = await editor_page(
        browser, live_server, demo_database, "admin", java_script_enabled=False
    )
    await editor.goto(live_server.url + form)
    await admin.goto(live_server.url + form)
    await admin.fill("#location", "Aula Utama")
    await admin.click("form.stacked-form button[type=submit]")
    await admin.wait_for_url(re.compile(r"/redaksi/kegiatan\?disimpan="))

    await editor.fill("#location", "Ruang Rapat")
    async with editor.expect_response(lambda r: r.request.method == "POST") as answer:
        await editor.click("form.stacked-form button[type=submit]")
    assert (await answer.value).status == 409
    await expect(editor.locator("section.conflict .diff ins")).to_have_text(
        "[ditambahkan: Aula Utama]"
    )
    assert await editor.locator("#location").input_value() == "Ruang Rapat"
    await editor.click("button[name=save_anyway]")
    await editor.wait_for_url(re.compile(r"/redaksi/kegiatan\?disimpan="))
    await editor.goto(live_server.url + form + "/revisi")
    await expect(editor.locator("li.revision")).to_have_count(3)
    await expect(editor.locator("li.revision.is-current .revision-user")).to_have_text(
        NAMES["editor"]
    )
    await editor.context.close()
    await admin.context.close()
