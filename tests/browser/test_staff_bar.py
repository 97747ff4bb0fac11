"""The staff bar above every page in Chromium: on a 360 px phone one line, the name and a button
that opens every staff link (without JavaScript too); on a wide screen the links in a row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import expect

from tests.browser.test_accessibility import audit
from tests.browser.test_editing import editor_page
from tests.conftest import DemoDatabase, LiveServer

# An admin's bar: every link there is
LINKS = [
    "Redaksi",
    "Polling",
    "Siapa yang online",
    "Statistik kunjungan",
    "Akun",
    "Log audit",
    "Kata sandi saya",
    "Keluar",
]


def bar_items(page: Any) -> Any:
    return page.locator(".staff-links").locator("a, button")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
async def test_on_a_phone_the_bar_is_one_line_with_the_links_folded(
    browser: Any,
    live_server: LiveServer,
    demo_database: DemoDatabase,
    artifacts: Path,
    javascript: bool,
) -> None:
    page = await editor_page(
        browser,
        live_server,
        demo_database,
        "admin",
        width=360,
        java_script_enabled=javascript,
        bypass_csp=True,
    )
    await page.goto(live_server.url + "/artikel/2")
    bar = page.locator(".staff-bar")
    await expect(bar.locator(".staff-name")).to_contain_text("Masuk sebagai Admin Portal")
    button = bar.locator(".staff-menu > summary")
    await expect(button).to_be_visible()
    await expect(bar_items(page).first).to_be_hidden()
    line = await bar.locator(".staff-name").evaluate(
        "element => parseFloat(getComputedStyle(element).lineHeight)"
    )
    height = (await bar.bounding_box())["height"]
    assert height <= 2 * line + 4, f"the bar is {height}px high, lines are {line}px"
    if javascript:
        await page.screenshot(path=str(artifacts / "staff-bar-closed-360.png"))

    await button.click()
    assert await bar_items(page).all_inner_texts() == LINKS
    for item in await bar_items(page).all():
        await expect(item).to_be_visible()
        box = await item.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, await item.inner_text()
        assert box["height"] >= 24  # a finger's target
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    if javascript:
        await page.screenshot(path=str(artifacts / "staff-bar-open-360.png"))
        assert await audit(page) == []
    await bar_items(page).filter(has_text="Log audit").click()
    await page.wait_for_url("**/redaksi/audit")
    await expect(page.locator("h1")).to_have_text("Log audit")
    await page.context.close()


async def test_on_a_wide_screen_every_link_shows_in_a_row(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase, artifacts: Path
) -> None:
    page = await editor_page(browser, live_server, demo_database, "admin", width=1366)
    await page.goto(live_server.url + "/")
    await expect(page.locator(".staff-menu > summary")).to_be_hidden()
    await expect(page.locator(".staff-name")).to_have_text(
        "Masuk sebagai Admin Portal (Administrator)"
    )
    assert await bar_items(page).all_inner_texts() == LINKS
    tops = set()
    for item in await bar_items(page).all():
        await expect(item).to_be_visible()
        tops.add(round((await item.bounding_box())["y"]))
    assert len(tops) == 1, tops  # one row
    await page.screenshot(path=str(artifacts / "staff-bar-1366.png"))
    await page.context.close()
