"""The editors' dashboard and article list in Chromium: "being read now" and a poll's voters move
live when a visitor opens an article and votes; bulk actions with and without JavaScript; the
pages at 1366 and 360 px, kept as screenshots, never wider than the screen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.async_api import expect

from tests.browser.test_editing import editor_page
from tests.browser.test_presence import LIVE_MS, person
from tests.conftest import DemoDatabase, LiveServer

POLL_WIDGET = ".module-poll .poll"


async def no_sideways_scroll(page: Any, name: str) -> None:
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} is {overflow}px wider than the screen"


async def test_dashboard_follows_readers_and_votes_live(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase, artifacts: Path
) -> None:
    editor = await editor_page(browser, live_server, demo_database, "editor", width=1366)
    assert editor.url == live_server.url + "/redaksi/"  # a login lands on the dashboard
    panel = editor.locator('[data-panel="reading"]')
    await expect(panel.locator(".live-status")).to_have_class("live-status is-live")
    await expect(panel.locator("[data-dashboard-reading-empty]")).to_be_visible()
    voters = editor.locator('[data-dashboard-poll="1"] [data-voters]')
    await expect(voters).to_have_text("37")

    visitor = await person(browser, width=360)
    await visitor.goto(live_server.url + "/artikel/2")
    await visitor.wait_for_selector("html.is-live")
    title = await visitor.locator("main h1").inner_text()
    read = panel.locator("[data-dashboard-reading] li").filter(has_text=title)
    await expect(read).to_have_count(1, timeout=LIVE_MS)
    await expect(read.locator(".figure")).to_have_text("1")
    await expect(panel.locator("[data-dashboard-reading-empty]")).to_be_hidden()

    await visitor.locator(f"{POLL_WIDGET} label.poll-choice").first.click()
    await visitor.locator(f"{POLL_WIDGET} button[type=submit]").click()
    await expect(voters).to_have_text("38", timeout=LIVE_MS)

    await editor.screenshot(path=str(artifacts / "dashboard-1366.png"), full_page=True)
    await no_sideways_scroll(editor, "the dashboard at 1366 px")
    phone = await editor_page(browser, live_server, demo_database, "admin", width=360)
    await expect(phone.locator('[data-panel="reading"] .live-status')).to_have_class(
        "live-status is-live"
    )
    await phone.screenshot(path=str(artifacts / "dashboard-360.png"), full_page=True)
    await no_sideways_scroll(phone, "the dashboard at 360 px")

    await visitor.context.close()  # the reader leaves: gone from the panel
    await expect(read).to_have_count(0, timeout=LIVE_MS)
    await expect(panel.locator("[data-dashboard-reading-empty]")).to_be_visible()


async def test_bulk_action_with_select_all_and_by_the_form_alone(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase, artifacts: Path
) -> None:
    page = await editor_page(browser, live_server, demo_database, "editor", width=1366)
    await page.goto(live_server.url + "/redaksi/artikel?urut=judul&arah=naik")
    category = page.locator("[data-bulk-category]")
    await expect(category).to_be_hidden()  # shown only for "Move to category"
    await page.select_option("#bulk-action", "move")
    await expect(category).to_be_visible()
    await page.select_option("#bulk-action", "unpublish")
    await page.check("#select-all")
    await expect(page.locator("[data-selected-count]")).to_have_text("20 artikel dipilih")
    await page.locator("tbody tr[data-article-id] input[data-pick]").nth(1).uncheck()
    await expect(page.locator("[data-selected-count]")).to_have_text("19 artikel dipilih")
    assert await page.eval_on_selector("#select-all", "box => box.indeterminate")
    await page.click("#bulk-form button[type=submit]")
    await expect(page.locator("main p.notice-ok")).to_have_text(
        "19 artikel tidak diterbitkan lagi."
    )
    assert page.url.endswith("/redaksi/artikel?urut=judul&arah=naik")  # the list as it was
    await page.screenshot(path=str(artifacts / "article-list-1366.png"), full_page=False)

    # Without JavaScript: "Select all" is a link; the same form does the rest.
    plain = await editor_page(
        browser, live_server, demo_database, "admin", width=360, java_script_enabled=False
    )
    await plain.goto(live_server.url + "/redaksi/artikel?status=0&urut=judul")
    await expect(plain.locator("#select-all")).to_be_hidden()
    await plain.click("[data-select-all-link]")
    boxes = plain.locator("tbody input[data-pick]:checked")
    await expect(boxes).to_have_count(19)
    await plain.select_option("#bulk-action", "publish")
    await plain.click("#bulk-form button[type=submit]")
    await expect(plain.locator("main p.notice-ok")).to_have_text("19 artikel diterbitkan.")
    await plain.goto(live_server.url + "/redaksi/artikel")
    await plain.screenshot(path=str(artifacts / "article-list-360.png"), full_page=False)
    await no_sideways_scroll(plain, "the article list at 360 px")
