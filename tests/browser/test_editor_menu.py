"""The editors' menu in Chromium: on a 360 px phone it is one line that names the page you are on
and opens to the whole menu (without JavaScript too); on a wide screen it is a row of links."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import expect

from tests.browser.test_editing import editor_page
from tests.conftest import DemoDatabase, LiveServer


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
async def test_on_a_phone_the_menu_folds_behind_one_button_naming_the_page(
    browser: Any,
    live_server: LiveServer,
    demo_database: DemoDatabase,
    artifacts: Path,
    javascript: bool,
) -> None:
    page = await editor_page(
        browser, live_server, demo_database, "admin", width=360, java_script_enabled=javascript
    )
    await page.goto(live_server.url + "/redaksi/artikel")
    button = page.locator(".editor-menu > summary")
    await expect(button).to_be_visible()
    await expect(button).to_contain_text("Menu redaksi: Artikel")
    links = page.locator("nav.editor-nav a")
    await expect(links.first).to_be_hidden()
    # folded, the menu takes one line of the first screen, not five
    assert (await button.bounding_box())["height"] < 60
    await button.click()
    await expect(links.filter(has_text="Log audit")).to_be_visible()
    await expect(page.locator('nav.editor-nav a[aria-current="page"]')).to_have_text("Artikel")
    if javascript:
        await page.screenshot(path=str(artifacts / "editor-menu-open-360.png"))
    await links.filter(has_text="Polling").click()
    await page.wait_for_url("**/redaksi/polling")
    await expect(page.locator(".editor-menu > summary")).to_contain_text("Menu redaksi: Polling")
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


async def test_on_a_wide_screen_the_menu_is_a_row_of_links(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase
) -> None:
    page = await editor_page(browser, live_server, demo_database, "editor", width=1366)
    await expect(page.locator(".editor-menu > summary")).to_be_hidden()
    links = page.locator("nav.editor-nav a")
    await expect(links.filter(has_text="Dasbor")).to_be_visible()
    await expect(links.filter(has_text="Posisi modul")).to_be_visible()
    first = await links.first.bounding_box()
    second = await links.nth(1).bounding_box()
    assert first["y"] == second["y"]  # side by side, not stacked
    assert await links.filter(has_text="Akun").count() == 0  # admins' pages only for admins
