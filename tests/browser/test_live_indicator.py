"""The live figures look live (issue 17): a "Langsung" badge that tells the connection's state,
a changed number highlighted for a moment (never with reduced motion), one polite live region
that reads changes out a few at a time, and times spelled alike by the server and the script."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from playwright.async_api import expect

from content.i18n import format_date_in
from tests.browser.test_presence import LIVE_MS, person
from tests.conftest import LiveServer

BADGE = ".live-strip [data-live-badge]"
WIDGET = ".module-poll .poll"
# Every element that receives the highlight class, in the order it happens, kept by the page
# itself: the class is taken off again after a moment, so a test could miss it by looking late.
RECORD_HIGHLIGHTS = """
window.__highlighted = [];
new MutationObserver(function (changes) {
  changes.forEach(function (change) {
    var element = change.target;
    if (!element.classList.contains('is-changed') ||
        (change.oldValue || '').split(' ').indexOf('is-changed') >= 0) { return; }
    var row = element.closest('[data-poll-option]');
    window.__highlighted.push(
      (element.classList.contains('poll-bar') ? 'bar' : element.getAttribute('data-live')) +
      (row ? ':' + row.getAttribute('data-poll-option') : '') +
      (element.closest('main') ? '@main' : element.closest('.live-strip') ? '@strip' : ''));
  });
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['class'],
                      attributeOldValue: true});
"""


async def watcher(browser: Any, url: str, **options: Any) -> Any:
    page = await person(browser, **options)
    await page.context.add_init_script(RECORD_HIGHLIGHTS)
    await page.goto(url)
    await page.wait_for_selector("html[data-live-state=live]")
    return page


async def vote_for_third_answer(browser: Any, url: str) -> int:
    """Vote in the home page's poll widget from another browser; the chosen answer's id."""
    voter = await person(browser, width=360)
    await voter.goto(url + "/")
    await voter.wait_for_selector("html[data-live-state=live]")
    choice = voter.locator(f"{WIDGET} label.poll-choice input").nth(2)
    option = int(await choice.get_attribute("value") or 0)
    await choice.check()
    await voter.locator(f"{WIDGET} button[type=submit]").click()
    await expect(voter.locator(f"{WIDGET} [data-poll-status]")).to_have_text(
        "Terima kasih, suara Anda telah dihitung."
    )
    await voter.context.close()
    return option


async def test_a_vote_highlights_the_changed_bar_and_number_but_not_with_reduced_motion(
    browser: Any, live_server: LiveServer, artifacts: Path
) -> None:
    results = live_server.url + "/polling/1"
    moving = await watcher(browser, results)
    still = await watcher(browser, results, reduced_motion="reduce")
    assert await still.evaluate("matchMedia('(prefers-reduced-motion: reduce)').matches")
    # the poll's own page leaves the poll out of its sidebar: the strip is watched on the home page
    home = await moving.context.new_page()
    await home.goto(live_server.url + "/")
    await home.wait_for_selector("html[data-live-state=live]")
    for page in (moving, still, home):
        await page.evaluate("window.__highlighted = []")  # only what the vote changes

    option = await vote_for_third_answer(browser, live_server.url)
    voters = 'main [data-live="poll.voters"]'
    for page in (moving, still):
        await expect(page.locator(voters)).to_have_attribute("data-value", "38", timeout=LIVE_MS)

    highlighted = await moving.evaluate("window.__highlighted")
    assert f"bar:{option}@main" in highlighted  # the bar that grew
    assert f"poll.votes:{option}@main" in highlighted  # and its number of votes
    assert "poll.voters@main" in highlighted
    await expect(home.locator('.live-strip [data-live="poll.voters"]')).to_have_attribute(
        "data-value", "38", timeout=LIVE_MS
    )
    assert "poll.voters@strip" in await home.evaluate("window.__highlighted")
    await moving.screenshot(path=str(artifacts / "live-highlight-1280.png"))

    # reduced motion: the same change arrived, and nothing was highlighted
    assert await still.evaluate("window.__highlighted") == []
    assert await still.locator(".is-changed").count() == 0
    # and the highlight itself is an animation, which the stylesheet switches off there too
    bar = still.locator(f'main [data-poll-option="{option}"] .poll-bar')
    await bar.evaluate("element => element.classList.add('is-changed')")
    assert await bar.evaluate("element => getComputedStyle(element).animationName") == "none"
    for page in (moving, still):
        await page.context.close()


async def test_the_badge_says_reconnecting_when_the_server_stops_and_live_after_restart(
    browser: Any, live_server: LiveServer, artifacts: Path
) -> None:
    page = await person(browser, width=360)
    await page.goto(live_server.url + "/artikel/2")
    await expect(page.locator("html")).to_have_attribute("data-live-state", "live")
    badges = page.locator("[data-live-badge]")
    assert await badges.count() == 4  # the strip and the Online, Polling and Statistik modules
    await expect(page.locator(f"{BADGE} [data-live-word]")).to_have_text("Langsung")
    await expect(page.locator(f"{BADGE} [data-live-asof]")).to_be_hidden()
    for module in ("online", "poll", "stats"):
        await expect(page.locator(f"#module-{module} [data-live-word]")).to_have_text("Langsung")

    live_server.stop()
    await expect(page.locator("html")).to_have_attribute("data-live-state", "reconnecting")
    await expect(page.locator(f"{BADGE} [data-live-word]")).to_have_text("Menyambung ulang…")
    as_of = page.locator(f"{BADGE} [data-live-asof]")
    await expect(as_of).to_be_visible()
    # the figures shown are marked with when they were last current, in the site's time format
    await expect(as_of).to_have_text(re.compile(r"^per \d\d:\d\d WIB$"))
    moment = datetime.fromisoformat(
        (await as_of.get_attribute("datetime") or "").replace("Z", "+00:00")
    )
    assert await as_of.inner_text() == "per " + format_date_in(moment, "time", "Asia/Jakarta", "id")
    await page.screenshot(path=str(artifacts / "live-reconnecting-360.png"))

    live_server.start(LIVE_TICK="0.2")
    # the client backs off up to a few seconds between tries
    await expect(page.locator("html")).to_have_attribute("data-live-state", "live", timeout=20_000)
    await expect(page.locator(f"{BADGE} [data-live-word]")).to_have_text("Langsung")
    await expect(as_of).to_be_hidden()
    await page.context.close()


async def test_the_badge_says_offline_when_the_browser_loses_the_network(
    browser: Any, live_server: LiveServer
) -> None:
    page = await person(browser)
    await page.goto(live_server.url + "/bahasa/en?next=/")
    await expect(page.locator("html")).to_have_attribute("data-live-state", "live")
    await expect(page.locator(f"{BADGE} [data-live-word]")).to_have_text("Live")
    await page.context.set_offline(True)
    await expect(page.locator("html")).to_have_attribute("data-live-state", "offline")
    await expect(page.locator(f"{BADGE} [data-live-word]")).to_have_text("Offline")
    # English pages name the zone as the Indonesian ones do, not "+0700"
    await expect(page.locator(f"{BADGE} [data-live-asof]")).to_have_text(
        re.compile(r"^as of \d\d:\d\d WIB$")
    )
    await page.context.set_offline(False)
    await expect(page.locator("html")).to_have_attribute("data-live-state", "live", timeout=20_000)
    await page.context.close()


async def test_without_javascript_no_badge_claims_to_be_live(
    browser: Any, live_server: LiveServer
) -> None:
    page = await person(browser, java_script_enabled=False)
    await page.goto(live_server.url + "/")
    assert await page.locator("[data-live-badge]").count() == 4
    for index in range(4):
        await expect(page.locator("[data-live-badge]").nth(index)).to_be_hidden()
    # the figures themselves are there, as the server counted them
    await expect(page.locator('.live-strip [data-live="stats.total"]')).to_have_text(
        re.compile(r"^[\d.]+ kunjungan$")
    )
    await page.context.close()


async def test_changes_are_read_out_through_one_polite_region_a_few_at_a_time(
    browser: Any, live_server: LiveServer
) -> None:
    page = await person(browser)
    # no socket here: the page's own update function is driven, on the page's own clock
    await page.route_web_socket("**/socket.io/**", lambda socket: socket.close())
    await page.route("**/socket.io/**", lambda route: route.abort())
    await page.clock.install(time=datetime(2026, 12, 7, 3, 0, tzinfo=UTC))
    await page.goto(live_server.url + "/artikel/2")
    regions = await page.evaluate(
        "[...document.querySelectorAll('[aria-live]')].map(e => e.id || e.className)"
    )
    # the one region for live figures; a poll's own status line answers the visitor's vote
    assert [r for r in regions if r != "poll-status"] == ["live-announcer"]
    for selector in ('[data-live="online.guests"]', '[data-live="stats.total"]'):
        inside = await page.locator(selector).first.evaluate(
            "element => element.closest('[aria-live]') === null"
        )
        assert inside, selector
    announcer = page.locator("#live-announcer")
    assert await announcer.get_attribute("aria-live") == "polite"

    start = int(
        await page.locator('.module-stats [data-live="stats.total"]').get_attribute("data-value")
        or 0
    )
    for step in range(1, 31):  # a busy counter: thirty changes in a few seconds
        await page.evaluate(f"Serambi.update('stats.total', {start + step})")
        await page.clock.run_for(100)
    await page.evaluate("Serambi.update('online.guests', 4)")
    assert await announcer.inner_text() == ""  # nothing read in the page's first 15 s
    await page.clock.run_for(15_000)
    total = await page.locator('.module-stats [data-live="stats.total"]').inner_text()
    # one sentence, with the latest figures only
    assert (
        await announcer.inner_text() == f"Jumlah Kunjungan Konten: {total}. Terdapat 4 Tamu online"
    )

    await page.evaluate(f"Serambi.update('stats.total', {start + 40})")
    await page.clock.run_for(5_000)
    assert (
        await announcer.inner_text() == f"Jumlah Kunjungan Konten: {total}. Terdapat 4 Tamu online"
    )
    await page.clock.run_for(10_000)
    total = await page.locator('.module-stats [data-live="stats.total"]').inner_text()
    assert await announcer.inner_text() == f"Jumlah Kunjungan Konten: {total}"
    # the same value again is no change, and says nothing
    await page.evaluate(f"Serambi.update('stats.total', {start + 40})")
    await page.clock.run_for(20_000)
    assert await announcer.inner_text() == f"Jumlah Kunjungan Konten: {total}"
    await page.context.close()


async def test_times_read_the_same_from_the_server_and_from_the_live_script(
    browser: Any, live_server: LiveServer
) -> None:
    for language in ("id", "en"):
        page = await person(browser)
        await page.goto(f"{live_server.url}/bahasa/{language}?next=/artikel/2")
        await page.wait_for_selector("article h1")
        date = page.locator("article .meta-date")
        iso = await date.get_attribute("datetime")
        server = await date.inner_text()
        assert await page.evaluate(f"Serambi.formatDate('{iso}', 'article')") == server
        for pattern in ("datetime", "short", "time", "clock"):
            expected = format_date_in(
                datetime.fromisoformat(iso or ""), pattern, "Asia/Jakarta", language
            )
            assert await page.evaluate(f"Serambi.formatDate('{iso}', '{pattern}')") == expected
        # the most-ever-online time: the demo has none, so the first person online sets it and
        # the script writes it; it must read as the server would have written it ("10:43")
        record = page.locator('[data-live-date="online.record_at"]')
        await expect(record).to_have_attribute("datetime", re.compile(r"^\d{4}-"))
        await expect(record).to_be_visible()
        at = datetime.fromisoformat(await record.get_attribute("datetime") or "")
        written = await record.inner_text()
        assert written == format_date_in(at, "datetime", "Asia/Jakarta", language)
        assert re.search(r" \d\d:\d\d$", written) and "pukul" not in written
        await page.context.close()
