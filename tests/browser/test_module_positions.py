"""The module positions page in Chromium: "Change" beside a module's pages keeps what was typed
in the positions form, Enter saves it; and axe-core on the editors' pages touched with it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import expect

from tests.browser.test_accessibility import look
from tests.browser.test_editing import editor_page
from tests.conftest import DemoDatabase, LiveServer


async def test_change_saves_the_typed_positions_before_opening_the_pages(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase, artifacts: Path
) -> None:
    page = await editor_page(browser, live_server, demo_database, "editor", width=360)
    await page.goto(live_server.url + "/redaksi/modul")
    row = page.locator("tr[data-module=calendar]")
    await row.locator("#ordering-calendar").fill("7")
    await row.locator("#position-calendar").select_option("left")
    await row.get_by_role("button", name=re.compile("^Ubah.*Kalender Kegiatan$")).click()
    await page.wait_for_url("**/redaksi/modul/calendar/halaman?posisi=1")
    await expect(page.locator(".notice-ok")).to_have_text("Posisi modul disimpan.")
    await page.screenshot(path=str(artifacts / "module-pages-after-change-360.png"))
    await page.get_by_role("link", name="Batal").click()
    await page.wait_for_url("**/redaksi/modul")
    await expect(page.locator("#ordering-calendar")).to_have_value("7")
    await expect(page.locator("#position-calendar")).to_have_value("left")

    # Enter in an order field saves the form where it is
    await page.locator("#ordering-stats").fill("4")
    await page.locator("#ordering-stats").press("Enter")
    await page.wait_for_url("**/redaksi/modul?disimpan=1")
    await expect(page.locator("#ordering-stats")).to_have_value("4")
    await page.context.close()


PAGES = {
    "editor-audit": ("admin", "/redaksi/audit"),
    "editor-event-form": ("editor", "/redaksi/kegiatan/1"),
    "editor-module-positions": ("editor", "/redaksi/modul"),
    "editor-module-pages": ("editor", "/redaksi/modul/calendar/halaman?posisi=1"),
}


@pytest.mark.parametrize("width", [360, 1366])
async def test_the_pages_pass_axe_and_fit(
    browser: Any,
    live_server: LiveServer,
    demo_database: DemoDatabase,
    artifacts: Path,
    width: int,
) -> None:
    for role in ("admin", "editor"):
        page = await editor_page(
            browser, live_server, demo_database, role, width=width, bypass_csp=True
        )
        for name, (needed, path) in PAGES.items():
            if needed == role:
                await page.goto(live_server.url + path)
                await look(page, name, width, artifacts)
        await page.context.close()


async def test_the_event_description_is_labelled_in_words_with_the_editor(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase
) -> None:
    page = await editor_page(browser, live_server, demo_database, "editor")
    await page.goto(live_server.url + "/redaksi/kegiatan/1")
    await expect(page.locator("label[for=description_html]")).to_have_text("Deskripsi kegiatan")
    # the rich-text area is named by that label
    area = page.locator("[aria-labelledby='description_html-label']")
    await expect(area).to_be_visible()
    await page.context.close()
