"""The portal in a real browser: narrow and wide screens, no JavaScript, an editor publishing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DemoDatabase, LiveServer

TIMEOUT_MS = 10_000


@pytest.mark.parametrize("width", [360, 1280])
async def test_home_and_article_fit_the_screen(
    browser: Any, live_server: LiveServer, artifacts: Path, width: int
) -> None:
    context = await browser.new_context(viewport={"width": width, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    await page.goto(live_server.url + "/")
    assert await page.get_attribute("html", "lang") == "id"
    await page.screenshot(path=str(artifacts / f"home-{width}.png"), full_page=False)
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than a {width}px screen"
    assert await page.locator(".banner-row a").count() == 15
    await page.locator(".teaser-title a").first.click()
    await page.wait_for_selector("article h1")
    assert await page.locator(".meta-author").inner_text() != ""
    await page.screenshot(path=str(artifacts / f"article-{width}.png"), full_page=False)
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    await context.close()


async def test_works_without_javascript(browser: Any, live_server: LiveServer) -> None:
    context = await browser.new_context(java_script_enabled=False)
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    await page.goto(live_server.url + "/")
    await page.locator('.language a[hreflang="en"]').click()
    await page.wait_for_selector("html[lang=en]")
    assert await page.locator(".module-stats h2").inner_text() == "Statistics"
    await page.locator(".pagination a[rel=next]").click()
    await page.wait_for_url("**/?halaman=2")
    assert await page.locator(".teaser").count() > 0
    await context.close()


async def test_editor_logs_in_and_publishes(
    browser: Any, live_server: LiveServer, demo_database: DemoDatabase, artifacts: Path
) -> None:
    context = await browser.new_context(viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    await page.goto(live_server.url + "/masuk")
    await page.fill("#email", "redaksi@balittri.example")
    await page.fill("#password", demo_database.passwords["editor"])
    await page.click("form.stacked-form button[type=submit]")
    await page.wait_for_url("**/redaksi/")
    await page.goto(live_server.url + "/redaksi/artikel/baru")
    await page.fill("#title", "Uji Coba Penerbitan dari Peramban")
    await page.select_option("#category_id", label="Berita")
    await page.click(".jodit-wysiwyg")  # the rich-text editor over #intro_html
    await page.keyboard.type("Artikel ini ditulis lewat formulir redaksi.")
    await page.select_option("#state", value="1")
    await page.check("input[name=featured]")
    await page.click("button[value=preview]")
    await page.wait_for_selector(".preview .article-body p")
    await page.screenshot(path=str(artifacts / "editor-preview-1280.png"), full_page=True)
    await page.click(".form-actions button[value=save]")
    await page.wait_for_selector(".notice-ok")
    visitor = await browser.new_context()
    public = await visitor.new_page()
    await public.goto(live_server.url + "/")
    titles = await public.locator(".teaser-title a").all_inner_texts()
    assert "Uji Coba Penerbitan dari Peramban" in titles
    await visitor.close()
    await context.close()
