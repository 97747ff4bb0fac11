"""Forgot password: a single-use link by mail through a real SMTP server (aiosmtpd), the same
answer whether or not the address has an account, limits per address and per network."""

from __future__ import annotations

import asyncio
import re
import shutil
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from quart import Quart
from quart.testing import QuartClient

from content import accounts, audit
from content.db import Database
from content.web import reset_mail
from content.web.state import Portal
from tests.clock import ManualClock
from tests.conftest import Auth, DemoDatabase, make_app, soup
from tests.mail import Inbox, smtp_server

SITE = "https://balittri.example"
EDITOR = "redaksi@balittri.example"
UNKNOWN = "pegawai@balittri.example"  # as long as EDITOR: answers compare byte for byte
SWITCHED_OFF = "nonaktf@balittri.example"
IMPORTED = "imporan@balittri.example"  # never had a password here
NEW_PASSWORD = "sandi-baru-dari-surel"
LINK = re.compile(r"https://\S+")


class HeldInbox(Inbox):
    """An inbox that can hold a mail halfway, after its recipient and before its text."""

    def __init__(self) -> None:
        super().__init__()
        self.holding = threading.Event()  # set: hold each mail at RCPT until `release`
        self.at_recipient = threading.Event()
        self._released = threading.Event()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        envelope.rcpt_tos.append(address)
        self.at_recipient.set()
        if self.holding.is_set():
            await asyncio.get_running_loop().run_in_executor(None, self._released.wait, 20)
        return "250 OK"

    def release(self) -> None:
        self._released.set()


@pytest.fixture
def smtp() -> Iterator[tuple[HeldInbox, int]]:
    """A real SMTP server (aiosmtpd) on a free loopback port."""
    inbox = HeldInbox()
    try:
        with smtp_server(inbox) as port:
            yield inbox, port
    finally:
        inbox.release()


def mail_settings(port: int, **more: Any) -> dict[str, Any]:
    return {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": port,
        "SMTP_TIMEOUT": 5.0,
        "MAIL_FROM": "portal@balittri.example",
        "SITE_URL": SITE,
        **more,
    }


@asynccontextmanager
async def portal(
    tmp_path: Path, demo_database: DemoDatabase, clock: ManualClock, **settings: Any
) -> AsyncIterator[tuple[Quart, QuartClient, Database]]:
    """A started app on a copy of the demo database, on the test's clock, with its settings."""
    target = tmp_path / "forgot.db"
    shutil.copy(demo_database.path, target)
    app = make_app(tmp_path, DATABASE=str(target), clock=clock, **settings)
    async with app.test_app() as test_app:
        yield app, test_app.test_client(), Portal.of(app).database


async def delivered(app: Quart) -> None:
    """Wait for the mails the answers left to send."""
    while pending := Portal.of(app).pending_mails:
        await asyncio.gather(*pending)


async def token_of(client: QuartClient) -> str:
    response = await client.get("/lupa-sandi")
    assert response.status_code == 200
    field = soup(await response.get_data()).select_one("form input[name=csrf_token]")
    assert field is not None
    return str(field["value"])


async def ask(client: QuartClient, email: str, address: str = "127.0.0.1") -> Any:
    """Send the form from a client address (the test client's peer)."""
    token = await token_of(client)
    return await client.post(
        "/lupa-sandi",
        form={"csrf_token": token, "email": email},
        scope_base={"client": (address, 40000)},
    )


def link_in(message: Any) -> str:
    links = LINK.findall(message.get_content())
    reset_links = [link for link in links if "/sandi-baru/" in link]
    assert len(reset_links) == 1, links
    return reset_links[0]


def path_of(link: str) -> str:
    assert link.startswith(SITE + "/sandi-baru/")
    return urlsplit(link).path


async def choose_password(client: QuartClient, path: str, password: str) -> Any:
    """Send the new password through the link's form (the token is the visitor's, on any page)."""
    page = await client.get("/masuk")
    token = str(soup(await page.get_data()).select_one("input[name=csrf_token]")["value"])
    return await client.post(
        path, form={"csrf_token": token, "new_password": password, "repeat_password": password}
    )


# The login page and the page without mail


async def test_the_login_page_links_to_forgot_password(client: QuartClient) -> None:
    page = soup(await (await client.get("/masuk")).get_data())
    link = page.select_one("section.form-page a#forgot-link")
    assert link is not None
    assert link["href"] == "/lupa-sandi"
    assert link.get_text(strip=True) == "Lupa kata sandi?"
    client.set_cookie("localhost", "bahasa", "en")
    page = soup(await (await client.get("/masuk")).get_data())
    assert page.select_one("a#forgot-link").get_text(strip=True) == "Forgot password?"


@pytest.mark.parametrize(
    "settings",
    [{}, {"SMTP_HOST": "127.0.0.1", "MAIL_FROM": "portal@balittri.example"}],
    ids=["no-smtp", "smtp-without-site-url"],
)
async def test_without_mail_the_page_says_to_ask_an_administrator(
    tmp_path: Path, demo_database: DemoDatabase, clock: ManualClock, settings: dict[str, Any]
) -> None:
    async with portal(tmp_path, demo_database, clock, **settings) as (_, client, _db):
        login = soup(await (await client.get("/masuk")).get_data())
        assert login.select_one("a#forgot-link")["href"] == "/lupa-sandi"
        response = await client.get("/lupa-sandi")
        assert response.status_code == 200
        page = soup(await response.get_data())
        assert "administrator" in page.select_one("#ask-admin").get_text()
        assert page.select_one("main form") is None  # no form that pretends to send
        assert page.select_one("input[name=email]") is None
        assert page.select_one("a[href='/masuk']") is not None
        # nothing to post to
        token = str(login.select_one("input[name=csrf_token]")["value"])
        posted = await client.post("/lupa-sandi", form={"csrf_token": token, "email": EDITOR})
        assert posted.status_code == 404


# The whole way: mail, link, new password


async def test_the_mailed_link_sets_a_new_password_once(
    tmp_path: Path,
    demo_database: DemoDatabase,
    clock: ManualClock,
    smtp: tuple[HeldInbox, int],
) -> None:
    inbox, port = smtp
    async with portal(tmp_path, demo_database, clock, **mail_settings(port)) as (app, client, db):
        editor = app.test_client()
        assert (await Auth(editor, demo_database.passwords).login("editor")).status_code == 302
        assert (await editor.get("/redaksi/")).status_code == 200

        form = soup(await (await client.get("/lupa-sandi")).get_data()).select_one("main form")
        assert form["method"] == "post" and form["action"] == "/lupa-sandi"
        assert form.select_one("label[for=email]").get_text() == "Alamat surel"
        assert form.select_one("input#email[type=email][required]") is not None
        assert form.select_one("input[name=csrf_token]")["value"]

        response = await ask(client, EDITOR)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-store"
        sent = soup(await response.get_data()).select_one("#reset-sent[role=status]")
        assert EDITOR in sent.get_text() and "30 menit" in sent.get_text()
        await delivered(app)

        assert len(inbox.envelopes) == 1
        envelope = inbox.envelopes[0]
        assert envelope.rcpt_tos == [EDITOR]
        assert envelope.mail_from == "portal@balittri.example"
        message = inbox.messages()[0]
        assert message["To"] == EDITOR
        assert message["Subject"].startswith("Kata sandi baru untuk ")
        assert message["Auto-Submitted"] == "auto-generated"
        assert message.get_content_type() == "text/plain"
        body = message.get_content()
        assert "30 menit" in body and EDITOR in body
        path = path_of(link_in(message))

        stranger = app.test_client()
        page = await stranger.get(path)
        assert page.status_code == 200
        assert page.headers["Referrer-Policy"] == "no-referrer"
        done = await choose_password(stranger, path, NEW_PASSWORD)
        assert done.status_code == 303 and done.headers["Location"].endswith("/masuk")
        # used once: refused the second time
        again = await choose_password(stranger, path, "yang-lain-lagi-123")
        assert again.status_code == 410
        expired = soup(await again.get_data())
        assert expired.select_one("a#new-link")["href"] == "/lupa-sandi"

        # the other session ended; the old password no longer works, the new one does
        assert (await editor.get("/redaksi/")).status_code == 302
        fresh = Auth(app.test_client(), demo_database.passwords)
        assert (await fresh.login("editor")).status_code == 401
        assert (await fresh.login("editor", NEW_PASSWORD)).status_code == 302
        # and the audit log says who changed the password, and how
        entries, _ = await audit.entries(db, limit=5)
        changes = [e for e in entries if e.action == "reset-password"]
        assert len(changes) == 1
        assert changes[0].user_email == EDITOR and changes[0].object_type == "user"


async def test_the_mail_is_in_the_visitors_language(
    tmp_path: Path, demo_database: DemoDatabase, clock: ManualClock, smtp: tuple[HeldInbox, int]
) -> None:
    inbox, port = smtp
    async with portal(tmp_path, demo_database, clock, **mail_settings(port)) as (app, client, _):
        client.set_cookie("localhost", "bahasa", "en")
        response = await ask(client, EDITOR)
        assert "30 minutes" in soup(await response.get_data()).select_one("#reset-sent").get_text()
        await delivered(app)
    message = inbox.messages()[0]
    assert message["Subject"] == "A new password for Balai Penelitian Tanaman Industri dan Penyegar"
    body = message.get_content()
    assert body.startswith("Hello ") and "within 30 minutes" in body
    assert "If you did not ask for it, ignore this message" in body


async def test_an_unused_link_expires(
    tmp_path: Path, demo_database: DemoDatabase, clock: ManualClock, smtp: tuple[HeldInbox, int]
) -> None:
    inbox, port = smtp
    settings = mail_settings(port, RESET_TOKEN_MINUTES=20)
    async with portal(tmp_path, demo_database, clock, **settings) as (app, client, _):
        await ask(client, EDITOR)
        await delivered(app)
        path = path_of(link_in(inbox.messages()[0]))
        clock.advance(19 * 60)
        assert (await client.get(path)).status_code == 200
        clock.advance(61)
        assert (await client.get(path)).status_code == 410
        assert (await choose_password(client, path, NEW_PASSWORD)).status_code == 410


async def test_a_new_link_ends_the_older_unused_ones(
    tmp_path: Path, demo_database: DemoDatabase, clock: ManualClock, smtp: tuple[HeldInbox, int]
) -> None:
    inbox, port = smtp
    async with portal(tmp_path, demo_database, clock, **mail_settings(port)) as (app, client, _):
        await ask(client, EDITOR)
        await delivered(app)
        await ask(client, EDITOR)
        await delivered(app)
        first, second = (path_of(link_in(m)) for m in inbox.messages())
        assert first != second
        assert (await client.get(first)).status_code == 410
        assert (await choose_password(client, second, NEW_PASSWORD)).status_code == 303


# The same answer for every address


def comparable(page: bytes, email: str) -> bytes:
    """A page with the form token and the typed address taken out."""
    page = re.sub(rb'name="csrf_token" value="[^"]*"', b'name="csrf_token" value=""', page)
    return page.replace(email.encode(), b"ADDRESS")


async def test_the_answer_is_the_same_whether_or_not_the_account_exists(
    tmp_path: Path, demo_database: DemoDatabase, clock: ManualClock, smtp: tuple[HeldInbox, int]
) -> None:
    inbox, port = smtp
    async with portal(tmp_path, demo_database, clock, **mail_settings(port)) as (app, _, db):
        # an account switched off and an imported one that never had a password get no mail
        await db.conn.execute(
            "INSERT INTO users (email, name, role, password_hash, active, created) VALUES "
            "(?, 'Mati', 'editor', ?, 0, '2020-01-01 00:00:00'), "
            "(?, 'Impor', 'editor', '!0123abcd', 1, '2020-01-01 00:00:00')",
            (SWITCHED_OFF, accounts.hash_password("sandi-lama-yang-panjang"), IMPORTED),
        )
        answers = {}
        for number, email in enumerate((EDITOR, UNKNOWN, SWITCHED_OFF, IMPORTED)):
            client = app.test_client()  # each a stranger: its own cookie and address
            response = await ask(client, email, f"10.0.{number}.1")
            answers[email] = (
                response.status_code,
                sorted((k, v) for k, v in response.headers.items() if k not in ("Set-Cookie",)),
                comparable(await response.get_data(), email),
            )
            await delivered(app)
        first = answers[EDITOR]
        assert first[0] == 200
        for email, answer in answers.items():
            assert answer[0] == first[0], email
            assert answer[1] == first[1], email
            assert answer[2] == first[2], email
    # only the account that may log in got a mail
    assert [e.rcpt_tos for e in inbox.envelopes] == [[EDITOR]]


async def test_the_answer_does_not_wait_for_the_mail_which_is_sent_before_the_app_stops(
    tmp_path: Path, demo_database: DemoDatabase, clock: ManualClock, smtp: tuple[HeldInbox, int]
) -> None:
    inbox, port = smtp
    inbox.holding.set()  # the SMTP server holds every mail until the test releases it
    target = tmp_path / "forgot.db"
    shutil.copy(demo_database.path, target)
    app = make_app(tmp_path, DATABASE=str(target), clock=clock, **mail_settings(port))
    # Quart waits this long for the app's tasks when it stops: the whole SMTP timeout at least
    assert app.config["BACKGROUND_TASK_SHUTDOWN_TIMEOUT"] >= app.config["SMTP_TIMEOUT"]
    test_app = app.test_app()
    await test_app.startup()
    client = test_app.test_client()
    response = await ask(client, EDITOR)
    assert response.status_code == 200  # answered while the mail is still being sent
    await asyncio.to_thread(inbox.at_recipient.wait, 10)
    assert inbox.envelopes == []
    assert len(Portal.of(app).pending_mails) == 1  # the mail is on its way ...
    stopping = asyncio.create_task(test_app.shutdown())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert not stopping.done()  # ... and waits for it when it stops
    inbox.release()
    await asyncio.wait_for(stopping, 20)
    assert [e.rcpt_tos for e in inbox.envelopes] == [[EDITOR]]


# Bad input


@pytest.mark.parametrize(
    ("typed", "indonesian"),
    [
        ("", "Masukkan alamat surel."),
        ("   ", "Masukkan alamat surel."),
        ("bukan-alamat", "Masukkan tepat satu alamat surel"),
        ("redaksi@balittri", "Alamat surel tidak valid"),
        ("a" * 250 + "@balittri.example", "terlalu panjang"),
        (EDITOR + "\r\nBcc: korban@contoh.go.id", "tanpa baris baru"),
        (EDITOR + ", korban@contoh.go.id", "Masukkan tepat satu alamat surel"),
    ],
)
async def test_bad_input_is_refused_in_the_visitors_language(
    tmp_path: Path,
    demo_database: DemoDatabase,
    clock: ManualClock,
    smtp: tuple[HeldInbox, int],
    typed: str,
    indonesian: str,
) -> None:
    inbox, port = smtp
    async with portal(tmp_path, demo_database, clock, **mail_settings(port)) as (app, client, _):
        response = await ask(client, typed)
        assert response.status_code == 422
        page = soup(await response.get_data())
        error = page.select_one("#forgot-error[role=alert]")
        assert indonesian in error.get_text()
        field = page.select_one("input#email")
        assert field["aria-invalid"] == "true" and field["aria-describedby"] == "forgot-error"
        assert len(field.get("value", "")) <= 254
        await delivered(app)
    assert inbox.envelopes == []


async def test_bad_input_is_refused_in_english_for_english_visitors(
    tmp_path: Path, demo_database: DemoDatabase, clock: ManualClock, smtp: tuple[HeldInbox, int]
) -> None:
    _, port = smtp
    async with portal(tmp_path, demo_database, clock, **mail_settings(port)) as (_, client, _db):
        client.set_cookie("localhost", "bahasa", "en")
        response = await ask(client, "")
        assert response.status_code == 422
        error = soup(await response.get_data()).select_one("#forgot-error")
        assert error.get_text() == "Enter an e-mail address."


async def test_the_form_needs_its_token(
    tmp_path: Path, demo_database: DemoDatabase, clock: ManualClock, smtp: tuple[HeldInbox, int]
) -> None:
    inbox, port = smtp
    async with portal(tmp_path, demo_database, clock, **mail_settings(port)) as (app, client, _):
        await token_of(client)  # the visitor cookie, without its token
        response = await client.post("/lupa-sandi", form={"email": EDITOR, "csrf_token": "x"})
        assert response.status_code == 400
        await delivered(app)
    assert inbox.envelopes == []


# Limits


async def test_requests_for_one_address_are_limited(
    tmp_path: Path, demo_database: DemoDatabase, clock: ManualClock, smtp: tuple[HeldInbox, int]
) -> None:
    inbox, port = smtp
    async with portal(tmp_path, demo_database, clock, **mail_settings(port)) as (app, client, _):
        refused = {}
        for email in (EDITOR, UNKNOWN):
            for attempt in range(3):  # RESET_MAIL_PER_ADDRESS_PER_HOUR, from other addresses
                assert (await ask(client, email, f"10.{attempt}.0.1")).status_code == 200
            response = await ask(client, email.upper(), "10.9.0.1")  # case makes no difference
            assert response.status_code == 429
            message = soup(await response.get_data()).select_one("#forgot-error").get_text()
            assert "sudah diminta beberapa kali" in message
            refused[email] = comparable(await response.get_data(), email.upper())
        # the same answer for an account and for no account
        assert refused[EDITOR] == refused[UNKNOWN]
        await delivered(app)
        assert len(inbox.envelopes) == 3
        # another address is not affected, and an hour later the address may ask again
        assert (await ask(client, "admin@balittri.example", "10.9.0.1")).status_code == 200
        clock.advance(3600)
        assert (await ask(client, EDITOR, "10.9.0.1")).status_code == 200
        await delivered(app)
    assert len(inbox.envelopes) == 5


@pytest.mark.parametrize(
    ("same", "other"),
    [
        (("192.0.2.10", "192.0.2.250", "::ffff:192.0.2.7"), "192.0.3.10"),
        (("2001:db8:1:2::5", "2001:db8:1:2:ffff::9", "2001:db8:1:2:1:2:3:4"), "2001:db8:1:3::5"),
    ],
    ids=["ipv4-24", "ipv6-64"],
)
async def test_requests_from_one_network_are_limited(
    tmp_path: Path,
    demo_database: DemoDatabase,
    clock: ManualClock,
    smtp: tuple[HeldInbox, int],
    same: tuple[str, str, str],
    other: str,
) -> None:
    _, port = smtp
    settings = mail_settings(port, RESET_MAIL_PER_NETWORK_PER_HOUR=2)
    async with portal(tmp_path, demo_database, clock, **settings) as (app, client, _):
        assert (await ask(client, EDITOR, same[0])).status_code == 200
        assert (await ask(client, UNKNOWN, same[1])).status_code == 200
        response = await ask(client, "admin@balittri.example", same[2])
        assert response.status_code == 429
        message = soup(await response.get_data()).select_one("#forgot-error").get_text()
        assert "dari jaringan Anda" in message
        assert (await ask(client, "admin@balittri.example", other)).status_code == 200
        await delivered(app)


def test_networks_are_ipv4_24_and_ipv6_64() -> None:
    assert reset_mail.network_of("192.0.2.77") == "192.0.2.0/24"
    assert reset_mail.network_of("::ffff:192.0.2.77") == "192.0.2.0/24"
    assert reset_mail.network_of("2001:db8:1:2:3:4:5:6") == "2001:db8:1:2::/64"
    assert reset_mail.network_of("unknown") == "unknown"


async def test_requests_from_one_client_address_are_limited_per_minute(
    tmp_path: Path, demo_database: DemoDatabase, clock: ManualClock, smtp: tuple[HeldInbox, int]
) -> None:
    _, port = smtp
    settings = mail_settings(port, LOGIN_PER_MINUTE=2)
    async with portal(tmp_path, demo_database, clock, **settings) as (app, client, _):
        assert (await ask(client, UNKNOWN, "198.51.100.7")).status_code == 200
        assert (await ask(client, UNKNOWN, "198.51.100.7")).status_code == 200
        response = await ask(client, UNKNOWN, "198.51.100.7")
        assert response.status_code == 429 and "Retry-After" in response.headers
        assert (await ask(client, UNKNOWN, "198.51.100.8")).status_code == 200
        await delivered(app)
