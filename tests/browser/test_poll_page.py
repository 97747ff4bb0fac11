"""The poll's own page: each answer listed once (its choice beside its bar), and a vote in one
browser moves the voter count and the last vote in another, live."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.async_api import expect

from tests.browser.test_presence import LIVE_MS, person
from tests.conftest import LiveServer

POLL = "main .poll-page .poll"
VOTERS = f'{POLL} [data-live="poll.voters"]'
LAST_VOTE = '[data-poll-moment="1:last_vote"]'


async def answers_listed_once(page: Any) -> None:
    """Every answer's text appears once on the whole page, the sidebar included."""
    labels = await page.locator(f"{POLL} .poll-label").all_inner_texts()
    assert len(labels) == 4
    lines = [line.strip() for line in (await page.locator("body").inner_text()).splitlines()]
    for label in labels:
        assert lines.count(label) == 1, (label, lines)
    assert await page.locator(".module-poll").count() == 0


async def test_answers_once_and_the_figures_move_in_another_browser(
    browser: Any, live_server: LiveServer, artifacts: Path
) -> None:
    watcher = await person(browser, width=1366)
    await watcher.goto(live_server.url + "/polling/1")
    await watcher.wait_for_selector("html.is-live")
    await answers_listed_once(watcher)
    # before voting: choices and bars in one list, one button
    assert await watcher.locator(f"{POLL} li[data-poll-option] input[name=option]").count() == 4
    assert await watcher.locator(f"{POLL} .poll-bar").count() == 4
    voters_before = await watcher.locator(VOTERS).get_attribute("data-value")
    last_before = await watcher.locator(LAST_VOTE).get_attribute("datetime")
    await watcher.screenshot(path=str(artifacts / "poll-page-1366.png"), full_page=True)

    voter = await person(browser, width=360)
    await voter.goto(live_server.url + "/polling/1")
    await voter.wait_for_selector("html.is-live")
    await voter.screenshot(path=str(artifacts / "poll-page-360.png"), full_page=True)
    await voter.locator(f"{POLL} label.poll-choice").nth(1).click()
    await voter.locator(f"{POLL} button[type=submit]").click()
    await expect(voter.locator(f"{POLL} [data-poll-status]")).to_have_text(
        "Terima kasih, suara Anda telah dihitung."
    )
    # voted: the bars stay, the choices and the button go, the answers are still listed once
    await expect(voter.locator(f"{POLL} button[type=submit]")).to_be_hidden()
    await expect(voter.locator(f"{POLL} input[name=option]").first).to_be_hidden()
    await expect(voter.locator(f"{POLL} .poll-bar").first).to_be_visible()
    await answers_listed_once(voter)
    voted = int(voters_before or 0) + 1
    await expect(voter.locator(VOTERS)).to_have_attribute("data-value", str(voted))
    await voter.screenshot(path=str(artifacts / "poll-page-voted-360.png"), full_page=True)

    # the other browser: the voter count and the last vote move without a reload
    await expect(watcher.locator(VOTERS)).to_have_attribute(
        "data-value", str(voted), timeout=LIVE_MS
    )
    await expect(watcher.locator(VOTERS)).to_have_text(f"{voted} pemilih")
    last = watcher.locator(LAST_VOTE)
    await expect(last).not_to_have_attribute("datetime", last_before or "", timeout=LIVE_MS)
    assert await last.is_visible()
    moment = await last.inner_text()
    server_format = await voter.locator(LAST_VOTE).inner_text()
    assert moment.split(", ")[0] in ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
    # the reloaded page (the server's format) says the same as the live script wrote
    await voter.reload()
    assert await voter.locator(LAST_VOTE).inner_text() == moment
    assert server_format  # the voter's own page moved too
    await watcher.screenshot(path=str(artifacts / "poll-page-after-1366.png"), full_page=True)
    for page in (watcher, voter):
        await page.context.close()


async def test_the_merged_form_works_without_javascript(
    browser: Any, live_server: LiveServer
) -> None:
    page = await person(browser, java_script_enabled=False)
    await page.goto(live_server.url + "/polling/1")
    await answers_listed_once(page)
    before = int(await page.locator(VOTERS).get_attribute("data-value") or 0)
    await page.locator(f"{POLL} label.poll-choice").first.click()
    await page.locator(f"{POLL} button[type=submit]").click()
    await expect(page.locator(".poll-flash")).to_have_text(
        "Terima kasih, suara Anda telah dihitung."
    )
    # voted: results only, each answer once
    assert await page.locator(f"{POLL} input[name=option]").count() == 0
    await answers_listed_once(page)
    assert await page.locator(VOTERS).get_attribute("data-value") == str(before + 1)
    await page.context.close()
