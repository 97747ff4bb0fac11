"""Two browsers see each other arrive and leave; the moderators' room shows them live."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import expect

from tests.conftest import DemoDatabase, LiveServer

# A person's browser: the tests drive headless Chromium, which the site rightly counts as a bot.
PERSON = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/156.0.0.0 Safari/537.36"
)
LIVE_MS = 2_000  # the promise: another browser's arrival shows within 2 s
GUESTS = '[data-live="online.guests"]'


async def person(browser: Any, width: int = 1280, **options: Any) -> Any:
    context = await browser.new_context(
        user_agent=PERSON, viewport={"width": width, "height": 900}, **options
    )
    page = await context.new_page()
    page.set_default_timeout(10_000)
    return page


async def guests_become(page: Any, count: int) -> None:
    await expect(page.locator(GUESTS)).to_have_attribute("data-value", str(count), timeout=LIVE_MS)


async def visitor_rows(page: Any, count: int) -> None:
    await expect(page.locator("[data-moderation-visitors] tr[data-visitor]")).to_have_count(
        count, timeout=LIVE_MS
    )


async def test_two_browsers_see_each_other_arrive_and_leave(
    browser: Any, server_with: Any, demo_database: DemoDatabase, artifacts: Path
) -> None:
    # A short grace: a closed tab is a departure in the feed half a second after it closed.
    live_server = server_with(PRESENCE_MOVE_GRACE="0.5")
    first = await person(browser)
    await first.goto(live_server.url + "/")
    await expect(first.locator("html")).to_have_class(re.compile(r"\bis-live\b"))
    await guests_become(first, 1)
    assert await first.locator(GUESTS).inner_text() == "Terdapat 1 Tamu online"
    # read out by the page's one polite region (tests/browser/test_live_indicator.py)
    assert await first.locator("#live-announcer").get_attribute("aria-live") == "polite"

    second = await person(browser, width=360)
    await second.goto(live_server.url + "/artikel/2")
    await second.wait_for_selector("article h1")
    await guests_become(first, 2)
    await guests_become(second, 2)
    assert await first.locator(GUESTS).inner_text() == "Terdapat 2 Tamu online"
    await first.screenshot(path=str(artifacts / "online-module-1280.png"))

    moderator = await person(browser)
    await moderator.goto(live_server.url + "/masuk")
    await moderator.fill("#email", "moderator@balittri.example")
    await moderator.fill("#password", demo_database.passwords["moderator"])
    await moderator.click("form.stacked-form button[type=submit]")
    await moderator.wait_for_url("**/moderasi/online")
    await moderator.wait_for_selector(".live-status.is-live")
    article_path = await second.evaluate("document.body.dataset.pagePath")
    rows = moderator.locator("[data-moderation-visitors] tr")
    await visitor_rows(moderator, 3)
    paths = [
        await name.get_attribute("title")
        for name in await rows.locator("td:nth-child(3) .page-name").all()
    ]
    assert "/" in paths and article_path in paths
    article_title = await second.locator("article h1").inner_text()
    assert article_title in await rows.locator("td:nth-child(3)").all_inner_texts()
    members = await rows.locator("td:nth-child(2)").all_inner_texts()
    assert "Moderator Balittri" in members
    await moderator.screenshot(path=str(artifacts / "moderation-online-1280.png"), full_page=True)

    await second.context.close()
    await guests_become(first, 1)
    await visitor_rows(moderator, 2)
    left = moderator.locator("[data-moderation-feed] li.feed-leave").filter(
        has=moderator.locator(f'.page-name[title="{article_path}"]')
    )
    await expect(left).to_have_count(1, timeout=LIVE_MS)
    assert "pergi" in await left.inner_text() and article_title in await left.inner_text()


async def test_page_without_javascript_still_shows_the_figures(
    browser: Any, live_server: LiveServer
) -> None:
    page = await person(browser, java_script_enabled=False)
    await page.goto(live_server.url + "/")
    text = await page.locator(GUESTS).inner_text()
    assert text.startswith("Terdapat ") and text.endswith(" Tamu online")
    active = await page.locator('[data-live="online.active"]').inner_text()
    assert "dalam 5 menit terakhir" in active
    await page.context.close()


@pytest.mark.parametrize("failure", ["no_client_script", "socket_refused"])
async def test_socket_failure_never_breaks_the_page(
    browser: Any, live_server: LiveServer, failure: str
) -> None:
    page = await person(browser)
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    if failure == "no_client_script":
        await page.route("**/vendor/**", lambda route: route.abort())
    else:
        await page.route_web_socket("**/socket.io/**", lambda socket: socket.close())
        await page.route("**/socket.io/**", lambda route: route.abort())
    await page.goto(live_server.url + "/")
    await page.wait_for_timeout(1500)
    assert errors == []
    assert await page.locator(".teaser").count() > 0
    assert await page.locator(GUESTS).inner_text() != ""
    await expect(page.locator("html")).not_to_have_class(re.compile(r"\bis-live\b"))
    await page.context.close()


async def test_open_pages_reconnect_after_a_restart(browser: Any, live_server: LiveServer) -> None:
    first = await person(browser)
    second = await person(browser, width=360)
    for page in (first, second):
        await page.goto(live_server.url + "/")
    await guests_become(first, 2)
    live_server.stop()
    await expect(first.locator("html")).not_to_have_class(re.compile(r"\bis-live\b"))
    live_server.start(LIVE_TICK="0.2")
    # the client backs off up to a few seconds between tries; then the figures are right again
    for page in (first, second):
        await expect(page.locator("html")).to_have_class(re.compile(r"\bis-live\b"), timeout=20_000)
    await guests_become(first, 2)
    await guests_become(second, 2)
    await second.context.close()
    await guests_become(first, 1)
    await first.context.close()
