"""The sidebar modules in Chromium: the seed's positions at 360 and 1280 px, every new page
without JavaScript, and a video player that loads only after a click."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import expect

from tests.browser.test_accessibility import audit
from tests.browser.test_presence import PERSON
from tests.conftest import DemoDatabase, LiveServer

TIMEOUT_MS = 10_000
# Anything not on this machine: answered here, so no test reaches a third party.
OFF_SITE = re.compile(r"^https?://(?!127\.0\.0\.1[:/]|localhost[:/])")
SEED = {
    ".modules-top": ["banner-row"],
    ".modules-left": ["module-categories", "module-latest"],
    ".modules-right": [
        "module-calendar",
        "module-video",
        "module-social",
        "module-downloads",
        "module-online",
        "module-poll",
        "module-stats",
        "module-popular",
    ],
}
MODULES_IN = """selector => [...document.querySelectorAll(
    `${selector} > .module, ${selector} > .banner-row`)].map(element =>
    [...element.classList].find(c => c.startsWith('module-') || c === 'banner-row'))"""


async def context_for(browser: Any, width: int = 1280, **options: Any) -> tuple[Any, list[str]]:
    """A person's browser context whose requests off this machine are answered locally."""
    context = await browser.new_context(
        user_agent=PERSON, viewport={"width": width, "height": 900}, **options
    )
    off_site: list[str] = []

    async def answer_locally(route: Any) -> None:
        off_site.append(route.request.url)
        await route.fulfill(status=200, content_type="text/html", body="<p>pemutar</p>")

    await context.route(OFF_SITE, answer_locally)
    return context, off_site


async def log_in(page: Any, url: str, demo_database: DemoDatabase) -> None:
    await page.goto(url + "/masuk")
    await page.fill("#email", "redaksi@balittri.example")
    await page.fill("#password", demo_database.passwords["editor"])
    await page.click("form.stacked-form button[type=submit]")
    await page.wait_for_url("**/redaksi/")


@pytest.mark.parametrize("width", [360, 1280])
async def test_home_shows_every_module_where_the_old_site_had_it(
    browser: Any, live_server: LiveServer, artifacts: Path, width: int
) -> None:
    context, off_site = await context_for(browser, width)
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    await page.goto(live_server.url + "/")
    await page.wait_for_load_state("networkidle")
    for selector, expected in SEED.items():
        assert await page.evaluate(MODULES_IN, selector) == expected, selector
    for selector in (
        ".module-calendar .cal-grid",
        ".module-video .video-poster",
        ".module-social a",
    ):
        assert await page.locator(selector).first.is_visible(), selector
    assert await page.locator(".banner-row a").count() == 15
    assert await page.locator(".module-downloads li").count() == 5
    await page.screenshot(path=str(artifacts / f"modules-home-{width}.png"), full_page=True)
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"home is {overflow}px wider than {width}px"
    if width == 1280:  # three columns: the calendar sits to the right of the articles
        content = await page.locator("main.content").bounding_box()
        calendar = await page.locator(".module-calendar").bounding_box()
        categories = await page.locator(".module-categories").bounding_box()
        assert categories["x"] < content["x"] < calendar["x"]
    assert off_site == []  # the demo's videos use the site's own poster
    await context.close()


async def test_new_pages_work_without_javascript(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase, artifacts: Path
) -> None:
    context, off_site = await context_for(browser, 360, java_script_enabled=False)
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)

    # the calendar: month to month by plain links, a busy day to its list, the event page
    await page.goto(live_server.url + "/kalender")
    title = await page.locator("#cal-month-title").inner_text()
    await page.click(".cal-nav a[rel=next]")
    await page.wait_for_url(re.compile(r"/kalender/\d{4}/\d{1,2}$"))
    assert await page.locator("#cal-month-title").inner_text() != title
    await page.click(".cal-nav a[rel=prev]")
    assert await page.locator("#cal-month-title").inner_text() == title
    await page.locator("main .cal-grid td.cal-in.cal-busy a").first.click()
    assert re.search(r"#hari-\d{4}-\d{2}-\d{2}$", page.url)
    await page.locator(".cal-day .cal-title").first.click()
    await page.wait_for_selector("article.event h1")
    await page.screenshot(path=str(artifacts / "modules-event-360.png"), full_page=True)
    ics = await page.locator("a[href$='.ics']").get_attribute("href")
    assert ics and ics.endswith(".ics")
    await page.goto(live_server.url + "/kalender/mendatang")
    assert await page.locator("main .cal-list li").count() > 3

    # videos: without JavaScript the poster is a link to the video's own page
    await page.goto(live_server.url + "/video")
    poster = page.locator("main .video-poster").first
    assert (await poster.get_attribute("href")).startswith("https://www.youtube.com/watch?v=")
    assert await page.locator("iframe").count() == 0

    # downloads: listed with sizes; the file comes as an attachment
    await page.goto(live_server.url + "/unduhan")
    sizes = await page.locator(".download-size").all_inner_texts()
    assert len(sizes) == 5 and all(re.fullmatch(r"\d+(,\d)? (B|KB)", s) for s in sizes)

    # an editor places the modules with the plain form
    await log_in(page, live_server.url, demo_database)
    await page.goto(live_server.url + "/redaksi/modul")
    await page.uncheck("#enabled-video")
    await page.select_option("#position-calendar", "left")
    await page.click("main form button[type=submit]")
    await page.wait_for_selector(".notice-ok")
    await page.goto(live_server.url + "/")
    assert await page.locator(".module-video").count() == 0
    assert await page.locator(".modules-left .module-calendar").count() == 1
    assert off_site == []
    await context.close()


async def test_the_video_player_loads_only_after_a_click(
    browser: Any, live_server: LiveServer, artifacts: Path
) -> None:
    context, off_site = await context_for(browser)
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    await page.goto(live_server.url + "/video")
    await page.wait_for_load_state("networkidle")
    assert await page.locator("iframe").count() == 0
    assert off_site == []
    first = page.locator("main figure.video").first
    embed = await first.get_attribute("data-video-embed")
    assert embed.startswith("https://www.youtube-nocookie.com/embed/")
    await first.locator(".video-poster").click()
    frame = first.locator("iframe.video-frame")
    await frame.wait_for()
    assert await frame.get_attribute("src") == embed
    assert await frame.get_attribute("title") == await first.get_attribute("data-video-title")
    assert page.url.endswith("/video")  # the click did not leave the page
    await page.wait_for_load_state("networkidle")
    assert off_site and all(url.startswith("https://www.youtube-nocookie.com/") for url in off_site)
    assert await page.locator("iframe").count() == 1  # only the clicked one
    await page.screenshot(path=str(artifacts / "modules-video-played-1280.png"), full_page=False)
    await context.close()


@pytest.mark.parametrize("width", [360, 1280])
async def test_editor_pages_pass_axe(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase, artifacts: Path, width: int
) -> None:
    context, _ = await context_for(browser, width, bypass_csp=True)
    page = await context.new_page()
    page.set_default_timeout(15_000)
    await log_in(page, live_server.url, demo_database)
    for name, path in {
        "modules": "/redaksi/modul",
        "events": "/redaksi/kegiatan",
        "event-form": "/redaksi/kegiatan/2",
        "videos": "/redaksi/video",
        "social-form": "/redaksi/media-sosial/1",
        "downloads": "/redaksi/unduhan",
        "download-form": "/redaksi/unduhan/baru",
        "banners": "/redaksi/tautan",
    }.items():
        await page.goto(live_server.url + path)
        await page.wait_for_load_state("networkidle")
        await page.screenshot(
            path=str(artifacts / f"page-editor-{name}-{width}.png"), full_page=True
        )
        overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} is {overflow}px wider than {width}px"
        assert await audit(page) == [], f"{name} at {width}px"
    await context.close()


async def test_event_badges_flip_when_an_event_starts_and_ends(
    browser: Any, live_server: LiveServer
) -> None:
    import sqlite3
    from datetime import UTC, datetime, timedelta

    from content.db import TIMESTAMP_FORMAT

    start = datetime.now(UTC).replace(microsecond=0) + timedelta(minutes=10)
    end = start + timedelta(hours=1)
    stamp = TIMESTAMP_FORMAT
    conn = sqlite3.connect(live_server.database)
    with conn:
        cursor = conn.execute(
            "INSERT INTO events (uid, title, starts, ends, created, modified) "
            "VALUES ('uji-lencana', 'Rapat Lencana', ?, ?, ?, ?)",
            (
                start.strftime(stamp),
                end.strftime(stamp),
                start.strftime(stamp),
                start.strftime(stamp),
            ),
        )
        event_id = cursor.lastrowid
    conn.close()
    context = await browser.new_context(user_agent=PERSON)
    page = await context.new_page()
    await page.clock.install(time=datetime.now(UTC))
    await page.goto(f"{live_server.url}/kalender/acara/{event_id}")
    badge = page.locator("h1 .cal-badge")
    assert await badge.get_attribute("data-badge") in ("", "today")  # before it starts
    await page.clock.fast_forward("15:00")  # ten minutes later it has started
    await expect(badge).to_have_attribute("data-badge", "ongoing")
    await expect(badge).to_have_text("sedang berlangsung")
    await page.clock.fast_forward("01:05:00")  # and after its hour it is over
    await expect(badge).to_have_attribute("data-badge", "")
    await expect(badge).to_be_hidden()
    await context.close()
