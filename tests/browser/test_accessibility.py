"""Every main page at 360 and 1280 px: axe-core finds no serious or critical problem, nothing
overflows the screen, and a screenshot is kept for people to look at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_presence import PERSON
from tests.conftest import DemoDatabase, LiveServer

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PUBLIC_PAGES = {
    "home": "/",
    "article": "/artikel/2",
    "category": "/kategori/1-berita",
    "category-list": "/kategori/3-pengumuman",
    "poll-results": "/polling/1",
    "polls": "/polling",
    "login": "/masuk",
    "not-found": "/tidak-ada",
    "calendar-month": "/kalender",
    "calendar-upcoming": "/kalender/mendatang",
    "calendar-event": "/kalender/acara/2",
    "videos": "/video",
    "downloads": "/unduhan",
    "search": "/cari?q=kopi",
    "category-with-subcategories": "/kategori/4-publikasi",
}
STAFF_PAGES = {
    "moderation-online": ("moderator", "/moderasi/online"),
    "moderation-statistics": ("moderator", "/moderasi/statistik"),
    "editor-dashboard": ("editor", "/redaksi/"),
    "editor-articles": ("editor", "/redaksi/artikel"),
    "editor-article-form": ("editor", "/redaksi/artikel/1"),
    "editor-polls": ("editor", "/redaksi/polling"),
    "editor-category-form": ("editor", "/redaksi/kategori/4"),
    "editor-media-library": ("editor", "/redaksi/media"),
}
ACCOUNTS = {"editor": "redaksi@balittri.example", "moderator": "moderator@balittri.example"}


async def audit(page: Any) -> list[str]:
    """Run axe-core in the page; the serious and critical violations, described."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing; run `npm ci` (make test does)")
    await page.add_script_tag(path=str(AXE))
    result = await page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
        ".filter(v => ['serious', 'critical'].includes(v.impact))"
        ".map(v => v.id + ': ' + v.help + ' -> ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
    )
    return list(result)


async def look(page: Any, name: str, width: int, artifacts: Path) -> None:
    await page.wait_for_load_state("networkidle")
    await page.screenshot(path=str(artifacts / f"page-{name}-{width}.png"), full_page=True)
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} is {overflow}px wider than {width}px"
    problems = await audit(page)
    assert problems == [], f"{name} at {width}px: {problems}"


@pytest.mark.parametrize("width", [360, 1280])
async def test_public_pages(
    browser: Any, live_server: LiveServer, artifacts: Path, width: int
) -> None:
    # axe is injected as a script file, which this site's CSP rightly refuses; bypass it here only
    context = await browser.new_context(
        user_agent=PERSON, viewport={"width": width, "height": 900}, bypass_csp=True
    )
    page = await context.new_page()
    page.set_default_timeout(15_000)
    for name, path in PUBLIC_PAGES.items():
        await page.goto(live_server.url + path)
        await look(page, name, width, artifacts)
    await context.close()


@pytest.mark.parametrize("width", [360, 1280])
async def test_staff_pages(
    browser: Any,
    live_server: LiveServer,
    demo_database: DemoDatabase,
    artifacts: Path,
    width: int,
) -> None:
    for role in ("editor", "moderator"):
        context = await browser.new_context(
            user_agent=PERSON, viewport={"width": width, "height": 900}, bypass_csp=True
        )
        page = await context.new_page()
        page.set_default_timeout(15_000)
        await page.goto(live_server.url + "/masuk")
        await page.fill("#email", ACCOUNTS[role])
        await page.fill("#password", demo_database.passwords[role])
        await page.click("form.stacked-form button[type=submit]")
        await page.wait_for_load_state("networkidle")
        for name, (needed, path) in STAFF_PAGES.items():
            if needed == role:
                await page.goto(live_server.url + path)
                await look(page, name, width, artifacts)
        await context.close()


async def test_live_counters_are_announced_through_one_polite_region(
    browser: Any, live_server: LiveServer
) -> None:
    context = await browser.new_context(user_agent=PERSON)
    page = await context.new_page()
    await page.goto(live_server.url + "/artikel/2")
    for selector in (
        '[data-live="online.guests"]',
        '[data-live="stats.total"]',
        '[data-live="article.hits"]',
        '[data-live="page.readers"]',
        '[data-live="poll.voters"]',
    ):
        # no counter talks by itself: changes are gathered and read out by #live-announcer
        region = await page.locator(selector).first.evaluate(
            "element => element.closest('[aria-live]')?.id ?? null"
        )
        assert region is None, selector
    assert await page.locator("#live-announcer").get_attribute("aria-live") == "polite"
    await context.close()
