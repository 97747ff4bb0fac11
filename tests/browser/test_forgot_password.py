"""Forgot password in Chromium, on a phone and a desktop: the login page's link, the form, the
mail through a real SMTP server (aiosmtpd), the link, the new password, and logging in with it."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import expect

from tests.browser.test_accessibility import audit
from tests.browser.test_presence import PERSON
from tests.conftest import DemoDatabase, LiveServer, copy_demo
from tests.mail import Inbox, smtp_server

EDITOR = "redaksi@balittri.example"
NEW_PASSWORD = "sandi-baru-dari-surel"


class Mailbox(Inbox):
    """An inbox that says when a message has arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived = threading.Event()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        answer = await super().handle_DATA(server, session, envelope)
        self.arrived.set()
        return answer


@pytest.fixture
def mailbox() -> Iterator[tuple[Mailbox, int]]:
    """A real SMTP server (aiosmtpd) on a free loopback port."""
    inbox = Mailbox()
    with smtp_server(inbox) as port:
        yield inbox, port


@pytest.fixture
def mail_server(
    tmp_path: Path, demo_database: DemoDatabase, mailbox: tuple[Mailbox, int]
) -> Iterator[LiveServer]:
    """The portal sending mail through the test's SMTP server, its own address as SITE_URL."""
    copy_demo(demo_database, tmp_path / "live.db")
    server = LiveServer(tmp_path, tmp_path / "live.db")
    for _ in range(3):
        site = server.url
        server.start(
            LIVE_TICK="0.2",
            SMTP_HOST="127.0.0.1",
            SMTP_PORT=str(mailbox[1]),
            MAIL_FROM="portal@balittri.example",
            SITE_URL=site,
        )
        if server.url == site:
            break
        server.stop()  # the port was taken meanwhile and another chosen: start again on it
    yield server
    server.stop()


async def look(page: Any, name: str, width: int, artifacts: Path) -> None:
    """A screenshot to look at; nothing wider than the window, no serious accessibility fault."""
    await page.screenshot(path=str(artifacts / f"forgot-{name}-{width}.png"), full_page=True)
    overflow = await page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{name} is {overflow}px wider than {width}px"
    assert await audit(page) == [], f"{name} at {width}px"


@pytest.mark.parametrize("width", [360, 1280])
async def test_forgot_password_from_the_login_page_to_logging_in_again(
    browser: Any,
    mail_server: LiveServer,
    mailbox: tuple[Mailbox, int],
    artifacts: Path,
    width: int,
) -> None:
    inbox, _ = mailbox
    # axe is injected as a script file, which the site's CSP rightly refuses; bypassed here only
    context = await browser.new_context(
        user_agent=PERSON, viewport={"width": width, "height": 800}, bypass_csp=True
    )
    page = await context.new_page()
    page.set_default_timeout(10_000)
    base = mail_server.url

    await page.goto(base + "/masuk")
    await look(page, "login", width, artifacts)
    await page.get_by_role("link", name="Lupa kata sandi?").click()
    await expect(page).to_have_url(base + "/lupa-sandi")
    await expect(page.get_by_role("heading", name="Lupa kata sandi Anda?")).to_be_visible()
    await look(page, "form", width, artifacts)

    await page.get_by_label("Alamat surel").fill(EDITOR)
    await page.get_by_role("button", name="Kirim tautan").click()
    sent = page.locator("#reset-sent")
    await expect(sent).to_contain_text(EDITOR)
    await expect(sent).to_contain_text("30 menit")
    await look(page, "sent", width, artifacts)

    assert await asyncio.to_thread(inbox.arrived.wait, 20), "no mail arrived"
    (message,) = inbox.messages()
    assert message["To"] == EDITOR
    links = re.findall(r"https?://\S+/sandi-baru/\S+", message.get_content())
    assert len(links) == 1 and links[0].startswith(base + "/sandi-baru/")

    await page.goto(links[0])
    await page.get_by_label("Kata sandi baru (sedikitnya 10 karakter)").fill(NEW_PASSWORD)
    await page.get_by_label("Ulangi kata sandi baru").fill(NEW_PASSWORD)
    await look(page, "new-password", width, artifacts)
    await page.get_by_role("button", name="Simpan kata sandi baru").click()
    await expect(page).to_have_url(base + "/masuk")
    await expect(page.locator(".notice-ok")).to_contain_text("sudah ditetapkan")
    await look(page, "login-again", width, artifacts)

    await page.get_by_label("Alamat surel").fill(EDITOR)
    await page.get_by_label("Kata sandi", exact=True).fill(NEW_PASSWORD)
    await page.locator("main form button[type=submit]").click()
    await expect(page).to_have_url(re.compile(re.escape(base) + r"/redaksi/"))

    # the link worked once
    await page.goto(links[0])
    await expect(page.locator("main .notice-error")).to_contain_text("sudah dipakai")
    await expect(page.locator("a#new-link")).to_have_attribute("href", "/lupa-sandi")
    await context.close()


async def test_without_mail_the_link_says_to_ask_an_administrator(
    browser: Any, live_server: LiveServer, artifacts: Path
) -> None:
    context = await browser.new_context(
        user_agent=PERSON, viewport={"width": 360, "height": 800}, bypass_csp=True
    )
    page = await context.new_page()
    page.set_default_timeout(10_000)
    await page.goto(live_server.url + "/masuk")
    await page.get_by_role("link", name="Lupa kata sandi?").click()
    await expect(page).to_have_url(live_server.url + "/lupa-sandi")
    await expect(page.locator("#ask-admin")).to_contain_text("administrator")
    assert await page.locator("main form").count() == 0
    await look(page, "ask-admin", 360, artifacts)
    await context.close()
