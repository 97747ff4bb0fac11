"""The moderators' room in Chromium: the record tile moves live, a click to another page is one
feed line naming the page, staff lines are hidden until the switch shows them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from playwright.async_api import expect

from tests.browser.test_presence import LIVE_MS, person, visitor_rows
from tests.conftest import DemoDatabase


async def test_record_moves_a_click_is_one_line_and_staff_hide(
    browser: Any, server_with: Any, demo_database: DemoDatabase, artifacts: Path
) -> None:
    # A long grace, so that the next page always comes within it on a loaded machine; the
    # grace running out is the tracker's own test, on a clock moved by hand.
    server = server_with(PRESENCE_MOVE_GRACE="120")
    moderator = await person(browser, width=1366)
    await moderator.goto(server.url + "/masuk")
    await moderator.fill("#email", "moderator@balittri.example")
    await moderator.fill("#password", demo_database.passwords["moderator"])
    await moderator.click("form.stacked-form button[type=submit]")
    await moderator.wait_for_url("**/moderasi/online")
    await moderator.wait_for_selector(".live-status.is-live")
    await visitor_rows(moderator, 1)
    record = moderator.locator("[data-record-count]")
    await expect(record).to_have_text("1", timeout=LIVE_MS)

    # the record tile follows the people connected, without a reload
    guests = []
    for count in (2, 3):
        guest = await person(browser, width=360)
        await guest.goto(server.url + "/")
        guests.append(guest)
        await expect(record).to_have_text(str(count), timeout=LIVE_MS)
        await expect(moderator.locator('[data-field="connected"]')).to_have_text(str(count))
    assert await moderator.locator("[data-record-at]").is_visible()

    # one guest clicks through to an article: one line, "pindah ke <title>", path on hover
    walker = guests[0]
    link = walker.locator(".teaser-title a").first
    title = await link.inner_text()
    await link.click()
    await walker.wait_for_selector("article h1")
    path = await walker.evaluate("document.body.dataset.pagePath")
    moves = moderator.locator("[data-moderation-feed] li.feed-move:not(.is-staff)")
    await expect(moves).to_have_count(1, timeout=LIVE_MS)
    line = await moves.inner_text()
    assert f"pindah ke {title}" in line
    assert await moves.locator(".page-name").get_attribute("title") == path
    label = await moves.locator("code").inner_text()
    lines = moderator.locator("[data-moderation-feed] li").filter(has_text=label)
    assert await lines.count() == 2  # it arrived, then moved: no "pergi", no second "datang"
    assert "pergi" not in "".join(await lines.all_inner_texts())

    # the moderator's own line is there, hidden until the switch says otherwise
    staff = moderator.locator("[data-moderation-feed] li.is-staff")
    assert await staff.count() >= 1
    await expect(staff.first).to_be_hidden()
    switch = moderator.get_by_label("Tampilkan staf dan bot")
    assert not await switch.is_checked()
    await switch.check()
    await expect(staff.first).to_be_visible()
    assert "Moderator Balittri" in await staff.first.inner_text()
    # the switch holds while the feed is redrawn live
    third = await person(browser, width=360)
    await third.goto(server.url + "/kalender")
    await visitor_rows(moderator, 4)
    await expect(staff.first).to_be_visible()
    await moderator.screenshot(path=str(artifacts / "moderation-room-1366.png"), full_page=True)
    await moderator.set_viewport_size({"width": 360, "height": 740})
    overflow = await moderator.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    await moderator.screenshot(path=str(artifacts / "moderation-room-360.png"), full_page=True)
    await switch.uncheck()
    await expect(staff.first).to_be_hidden()
    for page in (moderator, *guests, third):
        await page.context.close()
