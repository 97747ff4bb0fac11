"""Editors together in Chromium: two editors on one article see each other arrive and leave
within 2 s, in the site's time; the box is read out politely and is absent without JavaScript."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from playwright.async_api import expect

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

    admin = await editor_page(browser, live_server, demo_database, "admin", width=360)
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
