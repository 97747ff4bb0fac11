"""Article tools (PDF, print, e-mail to a friend), search, feeds, sitemap and robots.txt."""

from __future__ import annotations

import io
import shutil
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import feedparser
import pypdf
import pytest
from quart import Quart
from quart.testing import QuartClient

from content import accounts
from content.articles import ArticleDraft, State, get_article, save_article
from content.db import Database, utcnow
from content.search import match_expression
from content.web import STATIC_FOLDER, mail, pdf
from content.web.state import Portal
from tests.conftest import Auth, DemoDatabase, free_port, make_app, soup
from tests.mail import Inbox, smtp_server

SITE = "https://balittri.example"


async def public_article(db: Database, offset: int = 0) -> dict[str, Any]:
    row = await db.fetchone(
        "SELECT a.* FROM articles a JOIN categories c ON c.id = a.category_id "
        "WHERE a.state = 1 AND c.published = 1 ORDER BY a.id LIMIT 1 OFFSET ?",
        (offset,),
    )
    assert row is not None
    return dict(row)


def address(article: dict[str, Any]) -> str:
    return f"/artikel/{article['id']}-{article['alias']}"


def words(text: str) -> str:
    return " ".join(text.split())


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return words(" ".join(page.extract_text() for page in reader.pages))


@asynccontextmanager
async def portal(
    tmp_path: Path, demo_database: DemoDatabase, **settings: Any
) -> AsyncIterator[tuple[Quart, QuartClient, Database]]:
    """A started app on a copy of the demo database, with its own settings."""
    target = tmp_path / "tools.db"
    shutil.copy(demo_database.path, target)
    app = make_app(tmp_path, DATABASE=str(target), **settings)
    async with app.test_app() as test_app:
        yield app, test_app.test_client(), Portal.of(app).database


# PDF


async def test_pdf_holds_title_author_date_and_comes_from_the_cache(
    app: Quart, client: QuartClient, db: Database
) -> None:
    article = await public_article(db)
    # 13 Feb 2020 10:43 in Jakarta is 03:43 UTC
    await db.conn.execute(
        "UPDATE articles SET publish_up = '2020-02-13 03:43:00', created = '2020-02-13 03:43:00', "
        "author_name = 'Lia Anggraini' WHERE id = ?",
        (article["id"],),
    )
    cache: pdf.PdfCache = Portal.of(app).pdf_cache
    response = await client.get(address(article) + ".pdf")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert (
        disposition.startswith("attachment") and f"filename={article['alias']}.pdf" in disposition
    )
    first = await response.get_data()
    text = pdf_text(first)
    assert words(article["title"]) in text
    assert "Oleh Lia Anggraini" in text
    assert "Kamis, 13 Februari 2020 10:43" in text
    assert f"http://localhost{address(article)}" in text  # the address in the footer
    assert "Halaman 1 dari" in text  # page numbers from the @page counters
    assert cache.renders == 1
    files = list((Path(app.instance_path) / "pdf").glob("*.pdf"))
    assert len(files) == 1
    made = files[0].stat().st_mtime_ns

    again = await client.get(address(article) + ".pdf")
    assert again.status_code == 200 and await again.get_data() == first
    assert cache.renders == 1  # served from the cache, not rendered again
    assert files[0].stat().st_mtime_ns == made


async def test_pdf_is_rendered_again_after_an_edit_and_per_language(
    app: Quart, client: QuartClient, db: Database
) -> None:
    article = await public_article(db)
    cache: pdf.PdfCache = Portal.of(app).pdf_cache
    await client.get(address(article) + ".pdf")
    assert cache.renders == 1
    editor = await accounts.get_user_by_email(db, "redaksi@balittri.example")
    assert editor is not None
    found = await get_article(db, article["id"])
    assert found is not None
    draft = ArticleDraft(
        title="Judul Baru Setelah Penyuntingan",
        alias=found.alias,
        category_id=found.category_id,
        intro_html=found.intro_html,
        full_html=found.full_html,
        author_name=found.author_name,
        state=found.state,
        publish_up=found.publish_up,
    )
    saved, errors = await save_article(db, draft, editor, Portal.of(app).cleaner, article["id"])
    assert saved == article["id"] and not errors
    text = pdf_text(await (await client.get(address(article) + ".pdf")).get_data())
    assert "Judul Baru Setelah Penyuntingan" in text
    assert cache.renders == 2
    # the older version's file is gone: one file per article and language
    assert len(list((Path(app.instance_path) / "pdf").glob(f"{article['id']}-id-*.pdf"))) == 1

    client.set_cookie("localhost", "bahasa", "en")
    english = pdf_text(await (await client.get(address(article) + ".pdf")).get_data())
    assert "Page 1 of" in english and cache.renders == 3


async def test_pdf_is_rendered_off_the_event_loop(
    client: QuartClient, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[threading.Thread] = []
    real_render = pdf.render_pdf

    def spy(html: str, site_root: str, static_folder: Path, image_folder: Path | None) -> bytes:
        threads.append(threading.current_thread())
        return real_render(html, site_root, static_folder, image_folder)

    monkeypatch.setattr(pdf, "render_pdf", spy)
    article = await public_article(db)
    assert (await client.get(address(article) + ".pdf")).status_code == 200
    assert threads and threads[0] is not threading.main_thread()


class CountingHandler(BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        CountingHandler.requests.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def counting_server() -> Iterator[tuple[str, list[str]]]:
    """A tiny HTTP server on loopback that counts every request it gets."""
    CountingHandler.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), CountingHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", CountingHandler.requests
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


async def test_weasyprint_fetches_nothing_but_our_static_files(
    client: QuartClient, db: Database, counting_server: tuple[str, list[str]]
) -> None:
    base, requests = counting_server
    article = await public_article(db)
    # Written straight to the database, past the cleaner, as an importer could.
    hostile = (
        f'<p>Gambar luar</p><img src="{base}/gambar.png" alt="luar">'
        f'<link rel="stylesheet" href="{base}/gaya.css">'
        '<img src="file:///etc/passwd" alt="berkas"><img src="/static/../app.py" alt="naik">'
        f'<a rel="attachment" href="{base}/lampiran.txt">lampiran</a>'
    )
    await db.conn.execute(
        "UPDATE articles SET full_html = ?, version = version + 1 WHERE id = ?",
        (hostile, article["id"]),
    )
    response = await client.get(address(article) + ".pdf")
    assert response.status_code == 200
    assert "Gambar luar" in pdf_text(await response.get_data())
    assert requests == []


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("http://localhost/static/css/pdf.css", True),
        ("http://localhost/static/img/logo.svg?v=123", True),
        ("http://localhost:8000/static/css/pdf.css", False),
        ("http://example.org/static/css/pdf.css", False),
        ("http://user@localhost/static/css/pdf.css", False),
        ("file:///etc/passwd", False),
        ("file://" + str(STATIC_FOLDER / "css" / "pdf.css"), False),
        ("http://localhost/static/../app.py", False),
        ("http://localhost/static/%2e%2e/app.py", False),
        ("http://localhost/static/css/../../app.py", False),
        ("http://localhost/static/css/", False),
        ("http://localhost/app.py", False),
        ("data:text/css,body{}", False),
        ("ftp://localhost/static/css/pdf.css", False),
    ],
)
def test_static_only_fetcher_rules(url: str, allowed: bool) -> None:
    found = pdf.static_file_for(url, "http://localhost/", STATIC_FOLDER)
    assert (found is not None) == allowed
    if found is not None:
        assert found.is_relative_to(STATIC_FOLDER.resolve())


# Visibility, shared by every tool


@pytest.mark.parametrize("suffix", [".pdf", "/cetak"])
async def test_tools_hide_unpublished_articles_from_visitors(
    client: QuartClient, auth: Auth, db: Database, suffix: str
) -> None:
    article = await public_article(db)
    await db.conn.execute("UPDATE articles SET state = 0 WHERE id = ?", (article["id"],))
    assert (await client.get(address(article) + suffix)).status_code == 404
    assert (await client.get(f"/artikel/999999-tidak-ada{suffix}")).status_code == 404
    assert (await client.get(f"/artikel/{article['id']}-alias-lain{suffix}")).status_code == 404
    await auth.login("editor")
    assert (await client.get(address(article) + suffix)).status_code == 200  # a preview


async def test_tools_follow_old_aliases(client: QuartClient, db: Database) -> None:
    article = await public_article(db)
    await db.conn.execute(
        "INSERT INTO article_aliases (article_id, alias) VALUES (?, 'alias-lama')", (article["id"],)
    )
    for suffix in (".pdf", "/cetak"):
        response = await client.get(f"/artikel/{article['id']}-alias-lama{suffix}")
        assert response.status_code == 301
        assert response.headers["Location"].endswith(address(article) + suffix)


# Print page and the tools on the article page


async def test_print_page_is_clean_and_prints_only_on_click(
    client: QuartClient, db: Database
) -> None:
    article = await public_article(db)
    response = await client.get(address(article) + "/cetak")
    assert response.status_code == 200
    page = soup(await response.get_data())
    assert page.select_one("meta[name=robots]")["content"] == "noindex"
    assert page.select_one("article h1").get_text() == article["title"]
    assert page.select_one(".main-nav, .modules, .banner-row, .site-search") is None
    button = page.select_one("button[data-print]")
    assert button is not None and button.has_attr("hidden")  # shown by the script
    scripts = page.select("script")
    assert [s["src"].split("?")[0] for s in scripts] == ["/static/js/print.js"]
    assert all(s.has_attr("defer") and not s.get_text().strip() for s in scripts)
    assert page.select_one("link[rel=canonical]")["href"] == f"http://localhost{address(article)}"
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "'unsafe-inline'" not in policy.replace("style-src-attr 'unsafe-inline'", "")
    script = (STATIC_FOLDER / "js" / "print.js").read_text()
    assert "window.print()" in script and 'addEventListener("click"' in script


async def test_article_page_shows_the_tools_with_a_mailto_link_without_smtp(
    client: QuartClient, db: Database
) -> None:
    article = await public_article(db)
    page = soup(await (await client.get(address(article))).get_data())
    tools = page.select_one("article header .article-tools")
    assert tools is not None
    assert tools.select_one("a.tool-pdf")["href"] == address(article) + ".pdf"
    assert tools.select_one("a.tool-print")["href"] == address(article) + "/cetak"
    mailto = tools.select_one("a.tool-email")["href"]
    assert mailto.startswith("mailto:?subject=")
    assert f"http%3A%2F%2Flocalhost%2Fartikel%2F{article['id']}-" in mailto
    # without SMTP settings the server's form does not exist
    assert (await client.get(address(article) + "/email")).status_code == 404


# E-mail to a friend, through a real SMTP server


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server (aiosmtpd) on a free loopback port."""
    inbox = Inbox()
    with smtp_server(inbox) as port:
        yield inbox, port


def mail_settings(port: int, **more: Any) -> dict[str, Any]:
    return {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": port,
        "SMTP_TIMEOUT": 5.0,
        "MAIL_FROM": "portal@balittri.example",
        "SITE_URL": SITE,
        "MAIL_MIN_SECONDS": 0,
        **more,
    }


async def open_form(client: QuartClient, path: str) -> dict[str, str]:
    response = await client.get(path)
    assert response.status_code == 200
    page = soup(await response.get_data())
    hidden = page.select("form.mail-form input[type=hidden]")
    return {str(i["name"]): str(i["value"]) for i in hidden}


GOOD = {
    "recipient": "teman@contoh.go.id",
    "sender_name": "Lia Anggraini",
    "sender_email": "lia@contoh.go.id",
    "subject": "",
}


async def test_mail_is_delivered_to_one_recipient_with_the_article_link(
    tmp_path: Path, demo_database: DemoDatabase, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    async with portal(tmp_path, demo_database, **mail_settings(port)) as (_, client, db):
        article = await public_article(db)
        page = soup(await (await client.get(address(article))).get_data())
        assert page.select_one("a.tool-email")["href"] == address(article) + "/email"
        form = await open_form(client, address(article) + "/email")
        response = await client.post(address(article) + "/email", form={**form, **GOOD})
        assert response.status_code == 302
        assert response.headers["Location"].endswith(address(article) + "/email?terkirim=1")
        done = soup(await (await client.get(response.headers["Location"])).get_data())
        assert done.select_one(".notice-ok[role=status]") is not None

    assert len(inbox.envelopes) == 1
    envelope = inbox.envelopes[0]
    assert envelope.rcpt_tos == ["teman@contoh.go.id"]
    assert envelope.mail_from == "portal@balittri.example"
    message = inbox.messages()[0]
    assert message["To"] == "teman@contoh.go.id"
    assert message["Reply-To"] == "Lia Anggraini <lia@contoh.go.id>"
    assert message["From"].addresses[0].addr_spec == "portal@balittri.example"
    assert message["Subject"].endswith(article["title"])
    assert message["Cc"] is None and message["Bcc"] is None
    body = message.get_content()
    assert f"{SITE}{address(article)}" in body
    assert article["title"] in body and "Lia Anggraini" in body
    links = [w for w in body.split() if "://" in w]
    assert links and all(link.startswith(f"{SITE}/artikel/") for link in links)


async def test_mail_uses_the_optional_subject(
    tmp_path: Path, demo_database: DemoDatabase, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    async with portal(tmp_path, demo_database, **mail_settings(port)) as (_, client, db):
        article = await public_article(db)
        form = await open_form(client, address(article) + "/email")
        fields = {**form, **GOOD, "subject": "Bacaan menarik tentang kopi"}
        assert (await client.post(address(article) + "/email", form=fields)).status_code == 302
    assert inbox.messages()[0]["Subject"] == "Bacaan menarik tentang kopi"


ATTACKS = [
    ("recipient", "teman@contoh.go.id\r\nBcc: korban@contoh.go.id"),
    ("recipient", "teman@contoh.go.id\nbcc:korban@contoh.go.id"),
    ("recipient", "teman@contoh.go.id, korban@contoh.go.id"),
    ("recipient", "teman@contoh.go.id;korban@contoh.go.id"),
    ("recipient", "Teman <teman@contoh.go.id>"),
    ("recipient", "bukan-alamat"),
    ("recipient", "teman@localhost"),
    ("recipient", "teman@contoh.go.id%0abcc:korban@contoh.go.id"),
    ("recipient", "a" * 250 + "@contoh.go.id"),
    ("recipient", ""),
    ("sender_email", "lia@contoh.go.id\r\nBcc: korban@contoh.go.id"),
    ("sender_email", "lia@@contoh.go.id"),
    ("sender_name", "Lia\r\nBcc: korban@contoh.go.id"),
    ("sender_name", "Lia bcc: korban"),
    ("sender_name", "Lia Content-Type: text/html"),
    ("sender_name", "Kunjungi https://spam.example"),
    ("sender_name", "L" * 81),
    ("sender_name", ""),
    ("subject", "Halo\nContent-Type: text/html"),
    ("subject", "Obat murah di www.spam.example"),
    ("subject", "Halo\u2028To: korban@contoh.go.id"),
    ("subject", "S" * 151),
]


@pytest.mark.parametrize(("field", "value"), ATTACKS)
async def test_mail_guards_refuse_each_attack_next_to_the_field(
    tmp_path: Path, demo_database: DemoDatabase, smtp: tuple[Inbox, int], field: str, value: str
) -> None:
    inbox, port = smtp
    async with portal(tmp_path, demo_database, **mail_settings(port)) as (_, client, db):
        article = await public_article(db)
        form = await open_form(client, address(article) + "/email")
        fields = {**form, **GOOD, field: value}
        response = await client.post(address(article) + "/email", form=fields)
        assert response.status_code == 400
        page = soup(await response.get_data())
        error = page.select_one(f"#mail-{field}-error.field-error")
        assert error is not None and error.get_text(strip=True)
        assert page.select_one(f"#mail-{field}")["aria-invalid"] == "true"
        # what was typed stays in the form (safe values), the others too
        for name, typed in GOOD.items():
            if name != field:
                assert page.select_one(f"#mail-{name}")["value"] == typed
        if "\n" not in value and "\r" not in value:
            assert page.select_one(f"#mail-{field}")["value"] == value[: mail.MAX_ADDRESS]
    assert inbox.envelopes == []


async def test_mail_error_messages_are_worded_for_people(
    tmp_path: Path, demo_database: DemoDatabase, smtp: tuple[Inbox, int]
) -> None:
    _, port = smtp
    async with portal(tmp_path, demo_database, **mail_settings(port)) as (_, client, db):
        client.set_cookie("localhost", "bahasa", "en")
        article = await public_article(db)
        form = await open_form(client, address(article) + "/email")
        fields = {**form, **GOOD, "recipient": "a@b.id, c@d.id", "sender_name": "N" * 81}
        page = soup(await (await client.post(address(article) + "/email", form=fields)).get_data())
        assert page.select_one("#mail-recipient-error").get_text() == (
            "Enter exactly one e-mail address, like nama@contoh.go.id."
        )
        assert page.select_one("#mail-sender_name-error").get_text() == (
            "This is too long; use at most 80 characters."
        )


async def test_mail_needs_the_csrf_token_and_a_genuine_form_stamp(
    tmp_path: Path, demo_database: DemoDatabase, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    async with portal(tmp_path, demo_database, **mail_settings(port)) as (app, client, db):
        article = await public_article(db)
        other = await public_article(db, offset=1)
        path = address(article) + "/email"
        form = await open_form(client, path)
        no_csrf = {**GOOD, "form_stamp": form["form_stamp"]}
        assert (await client.post(path, form=no_csrf)).status_code == 400
        stamps = mail.FormStamp(app.config["SECRET_KEY"])
        for stamp in (
            "",
            form["form_stamp"] + "x",
            mail.FormStamp("another secret").make(article["id"], time.time() - 60),
            stamps.make(other["id"], time.time() - 60),  # a stamp for another article
            stamps.make(article["id"], time.time() - app.config["MAIL_FORM_MAX_AGE"] - 5),
        ):
            response = await client.post(path, form={**form, **GOOD, "form_stamp": stamp})
            assert response.status_code == 400
            page = soup(await response.get_data())
            assert page.select_one(".notice-error[role=alert]") is not None
            assert page.select_one("#mail-recipient")["value"] == GOOD["recipient"]
    assert inbox.envelopes == []


async def test_mail_form_must_be_open_a_few_seconds(
    tmp_path: Path, demo_database: DemoDatabase, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    settings = mail_settings(port, MAIL_MIN_SECONDS=5)
    async with portal(tmp_path, demo_database, **settings) as (app, client, db):
        article = await public_article(db)
        path = address(article) + "/email"
        form = await open_form(client, path)
        response = await client.post(path, form={**form, **GOOD})  # at once: a robot
        assert response.status_code == 400
        page = soup(await response.get_data())
        assert page.select_one(".notice-error[role=alert]") is not None
        # the form shown again keeps its opening time, so waiting is enough
        kept = page.select_one("input[name=form_stamp]")["value"]
        assert mail.FormStamp(app.config["SECRET_KEY"]).problem(kept, article["id"], 0, 60) is None
        assert inbox.envelopes == []
        opened_earlier = mail.FormStamp(app.config["SECRET_KEY"]).make(
            article["id"], time.time() - 6
        )
        response = await client.post(path, form={**form, **GOOD, "form_stamp": opened_earlier})
        assert response.status_code == 302
    assert len(inbox.envelopes) == 1


async def test_mail_limits_per_recipient_and_per_visitor(
    tmp_path: Path, demo_database: DemoDatabase, smtp: tuple[Inbox, int]
) -> None:
    inbox, port = smtp
    settings = mail_settings(port, MAIL_PER_ADDRESS_PER_HOUR=2, MAIL_PER_VISITOR_PER_HOUR=3)
    async with portal(tmp_path, demo_database, **settings) as (_, client, db):
        article = await public_article(db)
        path = address(article) + "/email"
        form = await open_form(client, path)
        for _ in range(2):
            assert (await client.post(path, form={**form, **GOOD})).status_code == 302
        response = await client.post(path, form={**form, **GOOD})
        assert response.status_code == 429
        page = soup(await response.get_data())
        assert page.select_one("#mail-recipient-error") is not None
        assert len(inbox.envelopes) == 2
        # another recipient is fine, until this visitor has sent enough
        other = {**form, **GOOD, "recipient": "kawan@contoh.go.id"}
        assert (await client.post(path, form=other)).status_code == 302
        response = await client.post(path, form={**other, "recipient": "sahabat@contoh.go.id"})
        assert response.status_code == 429
        page = soup(await response.get_data())
        assert page.select_one(".notice-error[role=alert]") is not None
    assert len(inbox.envelopes) == 3
    assert all(len(e.rcpt_tos) == 1 for e in inbox.envelopes)


def test_rate_limiter_window_and_bound() -> None:
    now = [1000.0]
    limiter = mail.RateLimiter(window=3600, max_keys=3, clock=lambda: now[0])
    limits = mail.Limits(per_address=1, per_visitor=5, per_network=2)
    assert mail.limit_problems(limiter, limits, "A@B.id", "v1", "10.0.0.1") == {}
    mail.record_send(limiter, "A@B.id", "v1", "10.0.0.1")
    assert set(mail.limit_problems(limiter, limits, "a@b.id", "v2", "10.0.0.2")) == {"recipient"}
    mail.record_send(limiter, "c@d.id", "v2", "10.0.0.1")
    assert "" in mail.limit_problems(limiter, limits, "e@f.id", "v3", "10.0.0.1")  # network
    now[0] += 3601
    assert mail.limit_problems(limiter, limits, "a@b.id", "v1", "10.0.0.1") == {}
    for number in range(10):
        limiter.record(f"key{number}")
    assert len(limiter._events) <= 3


async def test_mail_refuses_unpublished_articles_and_survives_a_dead_server(
    tmp_path: Path, demo_database: DemoDatabase, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    dead_port = free_port()  # nothing listens here
    async with portal(tmp_path, demo_database, **mail_settings(dead_port)) as (_, client, db):
        article = await public_article(db)
        path = address(article) + "/email"
        form = await open_form(client, path)
        response = await client.post(path, form={**form, **GOOD})
        assert response.status_code == 503
        page = soup(await response.get_data())
        assert page.select_one(".notice-error[role=alert]") is not None
        assert page.select_one("#mail-sender_name")["value"] == GOOD["sender_name"]
        await db.conn.execute("UPDATE articles SET state = 0 WHERE id = ?", (article["id"],))
        assert (await client.get(path)).status_code == 404
        assert (await client.post(path, form={**form, **GOOD})).status_code == 404
    assert inbox.envelopes == []


# Search


async def search(client: QuartClient, query: str, **more: str) -> Any:
    response = await client.get("/cari", query_string={"q": query, **more})
    assert response.status_code == 200
    return soup(await response.get_data())


def result_links(page: Any) -> list[str]:
    return [a["href"] for a in page.select(".search-result-title a")]


async def test_header_has_a_search_box(client: QuartClient) -> None:
    page = soup(await (await client.get("/")).get_data())
    form = page.select_one("header.site-header form[role=search]")
    assert form["action"] == "/cari" and form["method"] == "get"
    assert form.select_one("input[type=search][name=q]") is not None
    label = form.select_one("label")
    assert label["for"] == form.select_one("input")["id"]


async def test_search_folds_case_and_accents(client: QuartClient, db: Database) -> None:
    article = await public_article(db)
    await db.conn.execute(
        "UPDATE articles SET full_html = full_html || '<p>Uji rasa di kafé Ëxcelsa.</p>' "
        "WHERE id = ?",
        (article["id"],),
    )
    for query in ("kafe", "KAFÉ", "Kafe excelsa", "ËXCELSA"):
        assert result_links(await search(client, query)) == [address(article)], query
    lower = result_links(await search(client, "kopi robusta"))
    assert lower and lower == result_links(await search(client, "KOPI ROBUSTA"))


async def test_search_prefix_on_the_last_word(client: QuartClient, db: Database) -> None:
    full = result_links(await search(client, "robusta"))
    assert full
    assert result_links(await search(client, "robus")) == full
    assert result_links(await search(client, "kopi robus"))
    assert result_links(await search(client, "robus kopi")) == []  # only the last word


async def test_search_ranks_title_first_and_marks_words(client: QuartClient, db: Database) -> None:
    first = await public_article(db, 0)
    second = await public_article(db, 1)
    await db.conn.execute(
        "UPDATE articles SET full_html = full_html || '<p>kata langka zamrud</p>' WHERE id = ?",
        (first["id"],),
    )
    await db.conn.execute(
        "UPDATE articles SET title = title || ' Zamrud' WHERE id = ?", (second["id"],)
    )
    page = await search(client, "zamrud")
    assert result_links(page) == [address(second), address(first)]
    assert page.select_one(".search-result-title mark").get_text() == "Zamrud"
    snippets = page.select(".search-snippet")
    assert [m.get_text() for m in snippets[-1].select("mark")] == ["zamrud"]


async def test_search_snippets_are_escaped(client: QuartClient, db: Database) -> None:
    article = await public_article(db)
    # What the cleaner keeps of typed markup: escaped text, and a title that is plain text.
    await db.conn.execute(
        "UPDATE articles SET title = ?, full_html = ? WHERE id = ?",
        (
            'Judul <b onmouseover="x()">tebal</b> zaitun',
            "<p>&lt;script&gt;alert(1)&lt;/script&gt; zaitun &amp; "
            "<strong>tebal</strong> &lt;img src=x onerror=alert(1)&gt;</p>",
            article["id"],
        ),
    )
    page = await search(client, "zaitun")
    result = page.select_one(".search-result")
    assert result.select("script, img, b, strong") == []
    assert {tag.name for tag in result.select(".search-snippet *")} == {"mark"}
    assert {tag.name for tag in result.select(".search-result-title a *")} == {"mark"}
    snippet = result.select_one(".search-snippet").get_text()
    assert "<script>alert(1)</script>" in snippet and "zaitun & tebal" in snippet
    assert "<b onmouseover" in result.select_one(".search-result-title").get_text()


FTS_SYNTAX = [
    '"',
    '"kopi',
    "kopi*",
    "*",
    "NEAR(kopi teh)",
    "NEAR(kopi teh, 2",
    "kopi AND",
    "OR",
    "AND OR NOT",
    "(((",
    ")",
    "-kopi",
    "title:kopi",
    "{title body}: kopi",
    "^kopi",
    "kopi + teh",
    "'",
    "\\",
    'kopi"teh',
    "kopi\x00teh",
    "‘’“”",
    "x" * 5000,
    "kopi " * 100,
]


@pytest.mark.parametrize("query", FTS_SYNTAX)
async def test_fts_syntax_never_fails(client: QuartClient, query: str) -> None:
    response = await client.get("/cari", query_string={"q": query})
    assert response.status_code == 200
    page = soup(await response.get_data())
    assert page.select_one(".search-page h1") is not None


async def test_search_query_is_shown_escaped(client: QuartClient) -> None:
    page = await search(client, '<b>kopi</b> "><script>x()</script>')
    assert page.select(".search-page script, .search-summary b, .search-page b") == []
    assert page.select_one("#search-q")["value"] == '<b>kopi</b> "><script>x()</script>'
    assert "<b>kopi</b>" in page.select_one(".search-summary").get_text()


def test_match_expression_quotes_every_word() -> None:
    assert match_expression('kopi "teh" NEAR(') == '"kopi" "teh" "NEAR"*'
    assert match_expression("title:kopi -teh*") == '"title" "kopi" "teh"*'
    assert match_expression(" *()\"' ") is None


async def test_search_pages_and_bad_page_numbers(app: Quart, client: QuartClient) -> None:
    app.config["SEARCH_PER_PAGE"] = 3
    first = await search(client, "balai", jenis="artikel")
    second = await search(client, "balai", jenis="artikel", halaman="2")
    assert len(result_links(first)) == 3
    assert result_links(second) and set(result_links(first)).isdisjoint(result_links(second))
    next_link = first.select_one(".pagination a[rel=next]")["href"]
    assert next_link.startswith("/cari?") and "q=balai" in next_link and "halaman=2" in next_link
    assert "jenis=artikel" in next_link
    for more, status in (
        ({"jenis": "artikel", "halaman": "99"}, 404),
        ({"halaman": "2"}, 404),  # every kind's best hits are one page
        ({"halaman": "x"}, 400),
        ({"jenis": "semua"}, 400),
    ):
        response = await client.get("/cari", query_string={"q": "balai", **more})
        assert response.status_code == status, more
    empty = await search(client, "")
    assert empty.select(".search-result") == [] and empty.select_one(".search-summary") is None


async def test_search_finds_only_published_articles(client: QuartClient, db: Database) -> None:
    article = await public_article(db)
    await db.conn.execute(
        "UPDATE articles SET full_html = '<p>rahasia delima</p>' WHERE id = ?", (article["id"],)
    )
    assert result_links(await search(client, "delima")) == [address(article)]
    await db.conn.execute("UPDATE articles SET state = 0 WHERE id = ?", (article["id"],))
    assert result_links(await search(client, "delima")) == []
    await db.conn.execute(
        "UPDATE articles SET state = 1, publish_up = '2999-01-01 00:00:00' WHERE id = ?",
        (article["id"],),
    )
    assert result_links(await search(client, "delima")) == []


async def test_search_index_follows_edits_and_deletes(
    app: Quart, client: QuartClient, db: Database
) -> None:
    article = await public_article(db)
    editor = await accounts.get_user_by_email(db, "redaksi@balittri.example")
    found = await get_article(db, article["id"])
    assert editor is not None and found is not None
    assert result_links(await search(client, "anggrek")) == []
    draft = ArticleDraft(
        title=found.title,
        alias=found.alias,
        category_id=found.category_id,
        intro_html=found.intro_html,
        full_html="<p>Budidaya <em>anggrek</em> hutan.</p>",
        author_name=found.author_name,
        state=State.PUBLISHED,
        publish_up=found.publish_up,
    )
    await save_article(db, draft, editor, Portal.of(app).cleaner, article["id"])
    assert result_links(await search(client, "anggrek")) == [address(article)]
    # hits are counted often: they must not touch the index, and the index stays whole
    await db.conn.execute("UPDATE articles SET hits = hits + 1")
    await db.conn.execute(
        "UPDATE articles SET title = 'Judul Berganti Cendana' WHERE id = ?", (article["id"],)
    )
    assert result_links(await search(client, "cendana")) == [address(article)]
    total = await db.fetchval("SELECT count(*) FROM articles")
    assert await db.fetchval("SELECT count(*) FROM search_index WHERE rowid & 7 = 1") == total
    await db.conn.execute("DELETE FROM article_aliases WHERE article_id = ?", (article["id"],))
    await db.conn.execute("DELETE FROM articles WHERE id = ?", (article["id"],))
    assert result_links(await search(client, "cendana")) == []
    assert await db.fetchval("SELECT count(*) FROM search_index WHERE rowid & 7 = 1") == total - 1


async def test_search_index_holds_text_not_markup(db: Database, client: QuartClient) -> None:
    body = await db.fetchval(
        "SELECT body FROM search_index WHERE rowid = (SELECT min(id) * 8 + 1 FROM articles)"
    )
    assert "<p>" not in body and "</" not in body and "&nbsp;" not in body
    assert result_links(await search(client, "strong")) == []  # a tag name, not a word here
    assert result_links(await search(client, "href")) == []


# Feeds, sitemap, robots.txt


async def newest_public(db: Database, category_id: int | None = None) -> list[str]:
    where = "AND a.category_id = :category" if category_id else ""
    rows = await db.fetchall(
        "SELECT a.id, a.alias FROM articles a JOIN categories c ON c.id = a.category_id "
        "WHERE a.state = 1 AND c.published = 1 "
        "AND (a.publish_up IS NULL OR a.publish_up <= :now) "
        f"AND (a.publish_down IS NULL OR a.publish_down > :now) {where} "
        "ORDER BY coalesce(a.publish_up, a.created) DESC LIMIT 20",
        {"now": utcnow(), "category": category_id},
    )
    return [f"http://localhost/artikel/{r['id']}-{r['alias']}" for r in rows]


@pytest.mark.parametrize(
    ("path", "version"), [("/feed/rss.xml", "rss20"), ("/feed/atom.xml", "atom10")]
)
async def test_site_feeds_are_valid_and_list_the_newest_articles(
    client: QuartClient, db: Database, path: str, version: str
) -> None:
    hidden = await public_article(db)
    await db.conn.execute("UPDATE articles SET state = 0 WHERE id = ?", (hidden["id"],))
    response = await client.get(path)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(
        "application/rss+xml" if version == "rss20" else "application/atom+xml"
    )
    parsed = feedparser.parse(await response.get_data())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == version
    assert parsed.feed.title == "Balai Penelitian Tanaman Industri dan Penyegar"
    links = [entry.link for entry in parsed.entries]
    assert links == await newest_public(db)
    assert f"http://localhost{address(hidden)}" not in links
    first = parsed.entries[0]
    assert first.summary and "<" not in first.summary
    assert first.title and first.published_parsed is not None
    assert any(link.get("rel") == "self" for link in parsed.feed.links)


async def test_feed_text_is_escaped(client: QuartClient, db: Database) -> None:
    newest = (await newest_public(db))[0]
    article_id = int(newest.rsplit("/", 1)[1].split("-")[0])
    await db.conn.execute(
        "UPDATE articles SET title = 'Kopi & Teh <Spesial>', "
        "intro_html = '<p>Harga &lt;naik&gt; &amp; turun</p>' WHERE id = ?",
        (article_id,),
    )
    parsed = feedparser.parse(await (await client.get("/feed/atom.xml")).get_data())
    assert not parsed.bozo
    assert parsed.entries[0].title == "Kopi & Teh <Spesial>"
    assert parsed.entries[0].summary == "Harga <naik> & turun"


async def test_category_feeds(client: QuartClient, db: Database) -> None:
    category = await db.fetchone(
        "SELECT c.id, c.alias FROM categories c JOIN articles a ON a.category_id = c.id "
        "WHERE a.state = 1 GROUP BY c.id ORDER BY count(*) DESC LIMIT 1"
    )
    assert category is not None
    base = f"/kategori/{category['id']}-{category['alias']}"
    for suffix, version in (("/rss.xml", "rss20"), ("/atom.xml", "atom10")):
        parsed = feedparser.parse(await (await client.get(base + suffix)).get_data())
        assert not parsed.bozo and parsed.version == version
        assert [e.link for e in parsed.entries] == await newest_public(db, category["id"])
        moved = await client.get(f"/kategori/{category['id']}-lama{suffix}")
        assert moved.status_code == 301 and moved.headers["Location"].endswith(base + suffix)
        assert (await client.get(f"/kategori/999999-x{suffix}")).status_code == 404
    await db.conn.execute("UPDATE categories SET published = 0 WHERE id = ?", (category["id"],))
    assert (await client.get(base + "/rss.xml")).status_code == 404


async def test_feeds_are_announced_in_the_head(client: QuartClient) -> None:
    page = soup(await (await client.get("/")).get_data())
    assert page.select_one('head link[rel=alternate][type="application/rss+xml"]')["href"] == (
        "/feed/rss.xml"
    )
    assert page.select_one('head link[rel=alternate][type="application/atom+xml"]')["href"] == (
        "/feed/atom.xml"
    )


async def test_feed_links_use_the_configured_site_address(
    tmp_path: Path, demo_database: DemoDatabase
) -> None:
    async with portal(tmp_path, demo_database, SITE_URL=SITE) as (_, client, _db):
        response = await client.get("/feed/rss.xml", headers={"Host": "penyerang.example"})
        parsed = feedparser.parse(await response.get_data())
        assert parsed.entries
        assert all(e.link.startswith(f"{SITE}/artikel/") for e in parsed.entries)


async def test_sitemap_lists_published_articles_and_categories(
    client: QuartClient, db: Database
) -> None:
    hidden = await public_article(db)
    await db.conn.execute("UPDATE articles SET state = 0 WHERE id = ?", (hidden["id"],))
    response = await client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(await response.get_data())  # noqa: S314 -- our own sitemap
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    locations = [loc.text for loc in root.findall("s:url/s:loc", ns)]
    assert "http://localhost/" in locations
    assert set(await newest_public(db)) <= set(locations)
    assert f"http://localhost{address(hidden)}" not in locations
    categories = await db.fetchall("SELECT id, alias FROM categories WHERE published = 1")
    assert all(f"http://localhost/kategori/{c['id']}-{c['alias']}" in locations for c in categories)
    modified = root.findall("s:url/s:lastmod", ns)
    assert modified and all(m.text and m.text.endswith("Z") for m in modified)


async def test_robots_txt(client: QuartClient) -> None:
    response = await client.get("/robots.txt")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain")
    lines = (await response.get_data(as_text=True)).splitlines()
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    assert {"Disallow: /redaksi/", "Disallow: /moderasi/", "Disallow: /masuk"} <= set(lines)
    assert "Sitemap: http://localhost/sitemap.xml" in lines
