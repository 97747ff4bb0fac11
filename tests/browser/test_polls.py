"""A vote in one browser moves the bars in another; the same vote works with JavaScript off."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.async_api import expect

from tests.browser.test_presence import LIVE_MS, person
from tests.conftest import LiveServer

WIDGET = ".module-poll .poll"
VOTERS = f'{WIDGET} [data-live="poll.voters"]'


async def test_a_vote_moves_the_other_browsers_bars(
    browser: Any, live_server: LiveServer, artifacts: Path
) -> None:
    watcher = await person(browser)
    await watcher.goto(live_server.url + "/polling/1")
    await watcher.wait_for_selector("html.is-live")
    bars = watcher.locator("main .poll-bar")
    before = await bars.nth(2).get_attribute("style")

    voter = await person(browser, width=360)
    await voter.goto(live_server.url + "/")
    await voter.wait_for_selector("html.is-live")
    await voter.locator(f"{WIDGET} label.poll-choice").nth(2).click()
    await voter.locator(f"{WIDGET} button[type=submit]").click()
    await expect(voter.locator(f"{WIDGET} [data-poll-status]")).to_have_text(
        "Terima kasih, suara Anda telah dihitung."
    )
    await expect(voter.locator(f"{WIDGET} .poll-form")).to_be_hidden()
    await expect(voter.locator(VOTERS)).to_have_attribute("data-value", "38")
    await expect(voter.locator(f"{WIDGET} [data-poll-results]")).to_be_visible()
    await voter.screenshot(path=str(artifacts / "poll-voted-360.png"), full_page=False)

    await expect(watcher.locator('main [data-live="poll.voters"]')).to_have_attribute(
        "data-value", "38", timeout=LIVE_MS
    )
    assert await bars.nth(2).get_attribute("style") != before
    await expect(watcher.locator('main [data-live="poll.voters"]')).to_have_text("38 pemilih")
    await expect(watcher.locator("main [data-poll-results]")).to_be_visible()
    await watcher.screenshot(path=str(artifacts / "poll-results-1280.png"), full_page=True)

    # the same browser again: the server refuses it with a reason
    await voter.reload()
    await expect(voter.locator(f"{WIDGET} .poll-form")).to_have_count(0)
    await expect(voter.locator(f"{WIDGET} .poll-note")).to_have_text(
        "Anda sudah memilih. Terima kasih!"
    )
    for page in (watcher, voter):
        await page.context.close()


async def test_voting_with_javascript_off(browser: Any, live_server: LiveServer) -> None:
    page = await person(browser, java_script_enabled=False)
    await page.goto(live_server.url + "/artikel/3")
    await page.locator(f"{WIDGET} label.poll-choice").first.click()
    await page.locator(f"{WIDGET} button[type=submit]").click()
    await page.wait_for_url("**/artikel/3*#polling-1")
    await expect(page.locator(f"{WIDGET} .poll-flash")).to_have_text(
        "Terima kasih, suara Anda telah dihitung."
    )
    await expect(page.locator(f"{WIDGET} [data-poll-results]")).to_be_visible()
    await expect(page.locator(VOTERS)).to_have_attribute("data-value", "38")
    await page.context.close()
