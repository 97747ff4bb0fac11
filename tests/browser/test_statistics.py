"""Another visitor opening an article moves this page's Statistik and hit count live."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.async_api import expect

from tests.browser.test_presence import LIVE_MS, person
from tests.conftest import DemoDatabase, LiveServer

TOTAL = '.module-stats [data-live="stats.total"]'
HITS = '[data-live="article.hits"]'


async def value(page: Any, selector: str) -> int:
    return int(await page.locator(selector).get_attribute("data-value"))


async def becomes(page: Any, selector: str, number: int) -> None:
    await expect(page.locator(selector)).to_have_attribute(
        "data-value", str(number), timeout=LIVE_MS
    )


async def test_another_visitor_moves_the_figures_and_a_reload_does_not(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase, artifacts: Path
) -> None:
    first = await person(browser)
    await first.goto(live_server.url + "/artikel/6")
    await first.wait_for_selector("html.is-live")
    total, hits = await value(first, TOTAL), await value(first, HITS)

    second = await person(browser, width=360)
    await second.goto(live_server.url + "/artikel/6")
    await expect(first.locator(TOTAL)).to_have_attribute(
        "data-value", str(total + 1), timeout=LIVE_MS
    )
    await expect(first.locator(HITS)).to_have_attribute(
        "data-value", str(hits + 1), timeout=LIVE_MS
    )
    shown = await first.locator(HITS).inner_text()
    assert shown == f"Dibaca {hits + 1:,} kali".replace(",", ".")

    await second.reload()  # the same visitor within the window: not counted again
    await first.wait_for_timeout(1500)
    assert await value(first, TOTAL) == total + 1

    moderator = await person(browser)
    await moderator.goto(live_server.url + "/masuk")
    await moderator.fill("#email", "moderator@balittri.example")
    await moderator.fill("#password", demo_database.passwords["moderator"])
    await moderator.click("form.stacked-form button[type=submit]")
    await moderator.goto(live_server.url + "/moderasi/statistik")
    await expect(moderator.locator("figure.chart")).to_have_count(3)
    await moderator.wait_for_selector(".live-status.is-live")
    await moderator.screenshot(path=str(artifacts / "statistics-1280.png"), full_page=True)
    for page in (first, second, moderator):
        await page.context.close()
