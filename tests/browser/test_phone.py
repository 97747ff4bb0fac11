"""The live figures in sight on a phone and a desktop, a compact phone header whose menu works
without JavaScript, and nothing overlapping at any width, even with 200-character words
(issue 17)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import expect

from content import accounts, articles
from content.db import Database
from content.media import banners
from tests.browser.test_accessibility import audit
from tests.browser.test_presence import PERSON
from tests.conftest import DemoDatabase, LiveServer, copy_demo

# The three live figures of the strip under the header, each a link to its module.
FIGURES = {
    "online": '.live-strip a[href="#module-online"]',
    "poll": '.live-strip a[href="#module-poll"]',
    "stats": '.live-strip a[href="#module-stats"]',
}
PAGES = {"home": "/", "article": "/artikel/2"}
# One word of 200 letters, as an editor might paste a run-together name.
LONG_WORD = ("Pusat" + "PenelitianTanamanIndustri" * 8)[:200]


async def visit(browser: Any, width: int, height: int, **options: Any) -> Any:
    context = await browser.new_context(
        user_agent=PERSON, viewport={"width": width, "height": height}, **options
    )
    page = await context.new_page()
    page.set_default_timeout(10_000)
    return page


async def bottom(page: Any, selector: str) -> float:
    """Where an element ends, in px from the top of the page."""
    box = await page.locator(selector).evaluate(
        "element => element.getBoundingClientRect().bottom + window.scrollY"
    )
    return float(box)


@pytest.mark.parametrize(
    ("width", "height", "screens"), [(360, 740, 2), (1366, 768, 1)], ids=["phone", "desktop"]
)
async def test_the_live_figures_are_in_sight(
    browser: Any, live_server: LiveServer, artifacts: Path, width: int, height: int, screens: int
) -> None:
    page = await visit(browser, width, height, bypass_csp=True)
    for name, path in PAGES.items():
        await page.goto(live_server.url + path)
        await page.wait_for_selector("html[data-live-state=live]")
        for module, selector in FIGURES.items():
            link = page.locator(selector)
            await expect(link).to_be_visible()
            # a live figure: the script keeps it current
            assert await link.locator("[data-live]").count() == 1, (name, module)
            end = await bottom(page, selector)
            assert end <= screens * height, f"{module} ends at {end}px on {name} at {width}px"
            target = await link.get_attribute("href")
            assert await page.locator(f"{target}.module-live").count() == 1
        await page.screenshot(path=str(artifacts / f"live-{name}-{width}.png"))
        overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} is {overflow}px wider than {width}px"
        assert await audit(page) == [], f"{name} at {width}px"
    # a figure's link takes the visitor to its module
    await page.goto(live_server.url + "/")
    await page.locator(FIGURES["poll"]).click()
    await expect(page).to_have_url(f"{live_server.url}/#module-poll")
    module = await page.locator("#module-poll").evaluate("e => e.getBoundingClientRect().top")
    assert -1 <= module < height
    await page.context.close()


async def test_on_a_phone_the_live_modules_come_first_after_the_content(
    browser: Any, live_server: LiveServer
) -> None:
    page = await visit(browser, 360, 740)
    await page.goto(live_server.url + "/")
    tops = await page.evaluate(
        """() => Object.fromEntries(['main', '.module-online', '.module-poll', '.module-stats',
             '.module-calendar', '.module-categories'].map(s =>
             [s, document.querySelector(s).getBoundingClientRect().top]))"""
    )
    # the editors' order among the live modules, before the others (which keep theirs)
    assert tops["main"] < tops[".module-online"] < tops[".module-poll"] < tops[".module-stats"]
    assert tops[".module-stats"] < tops[".module-calendar"]
    assert tops[".module-stats"] < tops[".module-categories"]
    await page.context.close()


async def test_the_phone_menu_works_without_javascript(
    browser: Any, live_server: LiveServer, artifacts: Path
) -> None:
    page = await visit(browser, 360, 740, java_script_enabled=False)
    await page.goto(live_server.url + "/")
    header = await page.locator("header.site-header").evaluate(
        "e => e.getBoundingClientRect().height"
    )
    assert header <= 80, f"the phone header is {header}px tall"
    search = page.locator("#site-search-q")
    menu = page.locator("nav.main-nav")
    await expect(search).to_be_hidden()
    await expect(menu).to_be_hidden()
    await page.locator(".site-menu > summary").click()
    await expect(search).to_be_visible()
    await expect(page.locator(".language")).to_be_visible()
    await page.screenshot(path=str(artifacts / "phone-menu-open-360.png"))
    await search.fill("kopi")
    await search.press("Enter")
    await page.wait_for_url("**/cari?q=kopi")
    await page.locator(".site-menu > summary").click()
    await menu.get_by_role("link", name="Pengumuman").click()
    await page.wait_for_url("**/kategori/*pengumuman*")
    await page.context.close()

    # on a wider screen the same parts are shown at once, with no Menu button
    page = await visit(browser, 1366, 768, java_script_enabled=False)
    await page.goto(live_server.url + "/")
    await expect(page.locator(".site-menu > summary")).to_be_hidden()
    await expect(page.locator("#site-search-q")).to_be_visible()
    await expect(page.locator("nav.main-nav")).to_be_visible()
    await page.locator("nav.main-nav").get_by_role("link", name="Berita").click()
    await page.wait_for_url("**/kategori/*berita*")
    await page.context.close()


async def test_nothing_scrolls_sideways_at_320_px(browser: Any, live_server: LiveServer) -> None:
    page = await visit(browser, 320, 640)
    for path in ("/", "/artikel/2", "/polling/1", "/tidak-ada"):
        await page.goto(live_server.url + path)
        await page.locator(".site-menu > summary").click()
        await expect(page.locator("#site-search-q")).to_be_visible()
        overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than 320px"
    # the banner row scrolls inside itself and shows that it does (a bar and a faded edge)
    await page.goto(live_server.url + "/")
    row = page.locator(".banner-row ul")
    assert await row.evaluate("e => e.scrollWidth > e.clientWidth")
    assert await row.evaluate("e => getComputedStyle(e).maskImage") != "none"
    await page.context.close()


@pytest.fixture
def long_words_server(tmp_path: Path, demo_database: DemoDatabase) -> Iterator[LiveServer]:
    """The demo portal with a 200-letter word as the name of the category most articles are in
    and as the first banner's title, and the e-mail form switched on."""
    target = tmp_path / "long.db"
    copy_demo(demo_database, target)

    async def rename() -> None:
        async with Database(target) as db:
            editor = await accounts.get_user_by_email(db, "redaksi@balittri.example")
            assert editor is not None
            category = next(c for c in await articles.list_categories(db) if c.depth == 0)
            draft = articles.CategoryDraft(title=LONG_WORD, alias=category.alias)
            _, errors = await articles.save_category(db, draft, editor, category.id)
            assert errors == {}
            first = (await banners.list_banners(db))[0]
            banner = banners.BannerDraft(title=LONG_WORD, url=first.url, ordering=first.ordering)
            await banners.save_banner(db, banner, editor, first.id)

    asyncio.run(rename())
    server = LiveServer(tmp_path, target)
    # the form is shown once a mail server is set; nothing is sent in this test
    server.start(LIVE_TICK="0.2", SMTP_HOST="127.0.0.1", MAIL_FROM="portal@balittri.example")
    yield server
    server.stop()


COLUMNS_APART = """() => {
  const boxes = [...document.querySelectorAll('.layout > main, .layout > aside')]
    .map(e => [e.className, e.getBoundingClientRect()]);
  const found = [];
  for (const [a, r] of boxes) for (const [b, s] of boxes) {
    if (a < b && r.left < s.right - 1 && s.left < r.right - 1 && r.top < s.bottom - 1 &&
        s.top < r.bottom - 1) found.push(a + ' / ' + b);
  }
  for (const element of document.querySelectorAll('.layout aside, .layout aside *')) {
    const parent = element.closest('aside').getBoundingClientRect();
    const box = element.getBoundingClientRect();
    if (box.width && (box.right > parent.right + 1 || box.left < parent.left - 1))
      found.push('sticks out: ' + element.tagName + '.' + element.className);
  }
  return found;
}"""


@pytest.mark.parametrize("width", [360, 768, 1366])
async def test_a_200_letter_word_covers_no_button(
    browser: Any, long_words_server: LiveServer, artifacts: Path, width: int
) -> None:
    page = await visit(browser, width, 800)
    await page.goto(long_words_server.url + "/")
    assert await page.locator(".module-categories a", has_text=LONG_WORD).count() == 1
    assert await page.locator(".banner-row a", has_text=LONG_WORD).count() == 1
    # a real click's checks (visible, stable, nothing on top of it), without voting
    await page.locator(".module-poll button[type=submit]").click(trial=True)
    assert await page.evaluate(COLUMNS_APART) == []
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the home page is {overflow}px wider than {width}px"
    await page.screenshot(path=str(artifacts / f"long-word-home-{width}.png"))

    article = await page.locator(".teaser-title a").first.get_attribute("href")
    await page.goto(f"{long_words_server.url}{article}/email")
    send = page.locator(".mail-form button[type=submit]")
    await send.click(trial=True)
    assert await page.evaluate(COLUMNS_APART) == []
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the e-mail form is {overflow}px wider than {width}px"
    # and the send button really is what a click there reaches
    reached = await send.evaluate(
        """button => { const r = button.getBoundingClientRect();
             return document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)
               === button; }"""
    )
    assert reached
    await page.context.close()
