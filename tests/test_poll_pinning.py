"""Polls in the editors' area: save and open in one step, pinning for the Polling module, the
question opening a poll asks about the module, confirmations, CSRF and bad input."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup
from quart import Quart
from quart.testing import QuartClient

from content import polls
from content.db import Database
from content.events import PageView
from content.web.state import Portal
from tests.conftest import Auth, csrf_from, soup

DEMO_POLL = 1
DEMO_QUESTION = "Apakah Situs Web Ini Informatif ?"
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def poll_form(question: str, **extra: str) -> dict[str, str]:
    return {
        "question": question,
        "options": "PPID\nLPSE\nPerpustakaan",
        "guard_cookie": "1",
        "results": "always",
        "audience": "everyone",
        "max_choices": "1",
        "lag_hours": "0",
        **extra,
    }


async def module_poll_on_home(app: Quart) -> BeautifulSoup | None:
    """The Polling module of the home page as an anonymous visitor gets it."""
    visitor = app.test_client()
    page = soup(await (await visitor.get("/", headers={"User-Agent": BROWSER})).get_data())
    return page.select_one("#module-poll .poll")


async def shown_question(app: Quart) -> str | None:
    block = await module_poll_on_home(app)
    return None if block is None else block.select_one(".poll-question").get_text()


async def flashes(client: QuartClient) -> list[str]:
    page = soup(await (await client.get("/redaksi/polling")).get_data())
    return [p.get_text() for p in page.select(".notice[role=status]")]


async def create(client: QuartClient, token: str, question: str, **extra: str) -> Any:
    return await client.post(
        "/redaksi/polling/baru", form={"csrf_token": token, **poll_form(question, **extra)}
    )


async def newest(db: Database) -> polls.Poll:
    poll = await polls.get_poll(db, await db.fetchval("SELECT max(id) FROM polls"))
    assert poll is not None
    return poll


async def test_save_and_open_is_one_request_with_a_confirmation(
    client: QuartClient, auth: Auth, db: Database, app: Quart
) -> None:
    await auth.login("editor")
    form = soup(await (await client.get("/redaksi/polling/baru")).get_data())
    buttons = {b["value"]: b.get_text() for b in form.select("form button[name=action]")}
    assert buttons == {"save": "Simpan sebagai draf", "open": "Simpan dan buka"}
    # the demo poll shows in the module: the form asks, and "keep" is the default
    choice = form.select("input[name=sidebar]")
    assert [(c["value"], c.has_attr("checked")) for c in choice] == [
        ("keep", True),
        ("replace", False),
    ]
    assert DEMO_QUESTION in form.select_one(".sidebar-choice").get_text()
    token = str(form.select_one("input[name=csrf_token]")["value"])
    response = await create(client, token, "Layanan apa yang Anda perlukan?", action="open")
    assert response.status_code == 302 and response.location.endswith("/redaksi/polling")
    poll = await newest(db)
    assert poll.question == "Layanan apa yang Anda perlukan?"
    assert poll.state == polls.State.OPEN and poll.opened_at is not None and not poll.pinned
    assert await flashes(client) == [
        "Polling dibuka: “Layanan apa yang Anda perlukan?”. "
        f"Modul Polling tetap menampilkan “{DEMO_QUESTION}”."
    ]
    assert await shown_question(app) == DEMO_QUESTION  # kept: the sidebar is left alone
    # "Save as draft" stays a draft, and says so
    await create(client, token, "Draf saja?", action="save")
    assert (await newest(db)).state == polls.State.DRAFT
    assert await flashes(client) == ["Disimpan sebagai draf: “Draf saja?”."]


async def test_opening_with_replace_pins_the_new_poll_and_audits_it(
    client: QuartClient, auth: Auth, db: Database, app: Quart
) -> None:
    await auth.login("editor")
    token = await csrf_from(client, "/redaksi/polling/baru")
    await create(client, token, "Jam layanan mana yang cocok?", action="open", sidebar="replace")
    poll = await newest(db)
    assert poll.state == polls.State.OPEN and poll.pinned
    assert await polls.pinned_poll_id(db) == poll.id
    assert await flashes(client) == [
        "Polling dibuka: “Jam layanan mana yang cocok?”. Modul Polling kini menampilkannya."
    ]
    assert await shown_question(app) == "Jam layanan mana yang cocok?"
    entries = await db.fetchall(
        "SELECT action, object_id FROM audit_log WHERE action IN ('pin', 'unpin') ORDER BY id"
    )
    assert [tuple(e) for e in entries] == [("unpin", DEMO_POLL), ("pin", poll.id)]
    listing = soup(await (await client.get("/redaksi/polling")).get_data())
    shown = listing.select("tr[data-poll-id] [data-poll-shown]")
    assert [s.find_parent("tr")["data-poll-id"] for s in shown] == [str(poll.id)]


async def test_keep_pins_the_shown_poll_when_it_was_only_the_newest_open(
    client: QuartClient, auth: Auth, db: Database, app: Quart
) -> None:
    await polls.unpin(db, DEMO_POLL, None)  # the demo poll shows as the newest open poll now
    await auth.login("editor")
    token = await csrf_from(client, "/redaksi/polling/baru")
    await create(client, token, "Apa yang perlu diperbaiki?", action="open", sidebar="keep")
    assert await polls.pinned_poll_id(db) == DEMO_POLL  # else the newer poll would take over
    assert await shown_question(app) == DEMO_QUESTION


async def test_pinning_and_unpinning_change_the_home_module(
    client: QuartClient, auth: Auth, db: Database, app: Quart
) -> None:
    await auth.login("editor")
    token = await csrf_from(client, "/redaksi/polling/baru")
    await create(client, token, "Polling kedua?", action="open")
    await flashes(client)
    second = await newest(db)
    assert await shown_question(app) == DEMO_QUESTION
    # unpinned: the newest open poll
    await client.post(f"/redaksi/polling/{DEMO_POLL}/lepas", form={"csrf_token": token})
    assert await polls.pinned_poll_id(db) is None
    assert await flashes(client) == [
        f"Sematan dilepas: “{DEMO_QUESTION}”. Modul Polling menampilkan “Polling kedua?”."
    ]
    assert await shown_question(app) == "Polling kedua?"
    # pinned again: the older poll comes back
    await client.post(f"/redaksi/polling/{DEMO_POLL}/sematkan", form={"csrf_token": token})
    assert await flashes(client) == [f"Disematkan: modul Polling menampilkan “{DEMO_QUESTION}”."]
    assert await shown_question(app) == DEMO_QUESTION
    # a pinned poll that closes stays, with its results and no form
    await client.post(
        f"/redaksi/polling/{DEMO_POLL}/status", form={"csrf_token": token, "state": "closed"}
    )
    block = await module_poll_on_home(app)
    assert block is not None and block["data-poll-id"] == str(DEMO_POLL)
    assert block["data-poll-phase"] == "closed" and block.select_one(".poll-form") is None
    assert not block.select_one(".poll-results").has_attr("hidden")
    # archived: it loses the pin, and the newest open poll shows
    await client.post(
        f"/redaksi/polling/{DEMO_POLL}/status", form={"csrf_token": token, "state": "archived"}
    )
    assert await polls.pinned_poll_id(db) is None
    assert await shown_question(app) == "Polling kedua?"
    # with no open poll, the newest closed one shows its results
    await client.post(
        f"/redaksi/polling/{second.id}/status", form={"csrf_token": token, "state": "closed"}
    )
    block = await module_poll_on_home(app)
    assert block is not None and block["data-poll-id"] == str(second.id)
    actions = await db.fetchall(
        "SELECT action, object_id FROM audit_log WHERE action IN ('pin', 'unpin') ORDER BY id"
    )
    assert [tuple(a) for a in actions] == [
        ("unpin", DEMO_POLL),
        ("pin", DEMO_POLL),
        ("unpin", DEMO_POLL),
    ]


async def test_a_draft_cannot_be_pinned(client: QuartClient, auth: Auth, db: Database) -> None:
    await auth.login("editor")
    token = await csrf_from(client, "/redaksi/polling/baru")
    await create(client, token, "Belum siap?", action="save")
    draft = await newest(db)
    await client.post(f"/redaksi/polling/{draft.id}/sematkan", form={"csrf_token": token})
    assert await polls.pinned_poll_id(db) == DEMO_POLL
    page = soup(await (await client.get("/redaksi/polling")).get_data())
    assert [p.get_text() for p in page.select(".notice[role=alert]")] == [
        "Hanya polling yang dibuka atau ditutup yang dapat ditampilkan di modul Polling."
    ]


async def test_state_changes_say_what_happened(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    token = await csrf_from(client, "/redaksi/polling")
    await client.post(
        f"/redaksi/polling/{DEMO_POLL}/status", form={"csrf_token": token, "state": "closed"}
    )
    assert await flashes(client) == [
        f"Polling ditutup: “{DEMO_QUESTION}”. Pemungutan suara selesai; hasilnya tetap ada."
    ]
    await client.post(
        f"/redaksi/polling/{DEMO_POLL}/status", form={"csrf_token": token, "state": "open"}
    )
    assert await flashes(client) == [
        f"Polling dibuka: “{DEMO_QUESTION}”. Modul Polling kini menampilkannya."
    ]


async def test_every_change_needs_the_form_token(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    before = await db.fetchval("SELECT count(*) FROM polls")
    attempts = [
        ("/redaksi/polling/baru", poll_form("Tanpa token?", action="open")),
        (f"/redaksi/polling/{DEMO_POLL}/lepas", {}),
        (f"/redaksi/polling/{DEMO_POLL}/status", {"state": "closed"}),
    ]
    for path, form in attempts:
        response = await client.post(path, form=form)
        assert response.status_code == 400, path
        response = await client.post(path, form={**form, "csrf_token": "palsu"})
        assert response.status_code == 400, path
    assert await db.fetchval("SELECT count(*) FROM polls") == before
    demo = await polls.get_poll(db, DEMO_POLL)
    assert demo is not None and demo.pinned and demo.state == polls.State.OPEN


async def test_bad_input_is_refused_with_a_clear_message_and_writes_nothing(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    await auth.login("editor")
    token = await csrf_from(client, "/redaksi/polling/baru")
    before = await db.fetchval("SELECT count(*) FROM polls")
    audit_before = await db.fetchval("SELECT count(*) FROM audit_log")
    cases = [
        ({"options": ""}, "options", "Berikan 2 sampai 20 jawaban, satu per baris."),
        ({"options": "Satu-satunya"}, "options", "Berikan 2 sampai 20 jawaban, satu per baris."),
        ({"question": "x" * 301}, "question", "Pertanyaan terlalu panjang."),
        ({"options": "Ya\n" + "t" * 201}, "options", "Ada jawaban yang terlalu panjang."),
        ({"sidebar": "semua"}, "sidebar", "Pilih dari daftar."),
    ]
    for change, field, message in cases:
        form = {"csrf_token": token, **poll_form("Pertanyaan?", action="open"), **change}
        response = await client.post("/redaksi/polling/baru", form=form)
        assert response.status_code == 400, change
        page = soup(await response.get_data())
        assert page.select_one(f"#{field}-error").get_text() == message
        assert page.select_one(".notice-error[role=alert]") is not None
    client.set_cookie("localhost", "bahasa", "en")
    response = await client.post(
        "/redaksi/polling/baru",
        form={"csrf_token": token, **poll_form("Question?", options="Only one", action="open")},
    )
    page = soup(await response.get_data())
    assert page.select_one("#options-error").get_text() == (
        "Give between 2 and 20 answers, one per line."
    )
    assert await db.fetchval("SELECT count(*) FROM polls") == before
    assert await db.fetchval("SELECT count(*) FROM audit_log") == audit_before
    assert await polls.pinned_poll_id(db) == DEMO_POLL


async def test_the_module_alone_for_the_live_script(client: QuartClient) -> None:
    heard: list[PageView] = []
    Portal.of(client.app).events.subscribe(PageView, heard.append)
    await client.get("/", headers={"User-Agent": BROWSER})
    assert len(heard) == 1  # the page, counted once ...
    response = await client.get("/polling/modul?next=/artikel/1-x", headers={"User-Agent": BROWSER})
    page = soup(await response.get_data())
    block = page.select_one("#module-poll .poll")
    assert block is not None and block["data-poll-id"] == str(DEMO_POLL)
    assert page.select_one("input[name=next]")["value"] == "/artikel/1-x"
    response = await client.get(
        "/polling/modul?next=//evil.example/", headers={"User-Agent": BROWSER}
    )
    assert soup(await response.get_data()).select_one("input[name=next]")["value"] == "/"
    assert len(heard) == 1  # ... and its module fetched again is no page view


async def test_polls_pages_sit_in_the_editors_area(client: QuartClient, auth: Auth) -> None:
    await auth.login("editor")
    for path in (
        "/redaksi/polling",
        "/redaksi/polling/baru",
        f"/redaksi/polling/{DEMO_POLL}/suara",
    ):
        page = soup(await (await client.get(path)).get_data())
        nav = page.select_one("nav.editor-nav")
        assert nav is not None, path
        current = nav.select("a[aria-current=page]")
        assert [a.get_text() for a in current] == ["Polling"], path
    listing = soup(await (await client.get("/redaksi/polling")).get_data())
    row = listing.select_one(f"tr[data-poll-id='{DEMO_POLL}']")
    assert row.select_one("select") is None  # no dropdown-and-button per row
    assert [b.get_text() for b in row.select(".poll-actions button")] == ["Tutup", "Lepas sematan"]
    assert row.select_one("[data-label=Pemilih]").get_text() == "37"
    # moderators manage polls too: their menu leads only where they may go
    await auth.logout()
    await auth.login("moderator")
    page = soup(await (await client.get("/redaksi/polling")).get_data())
    assert [a.get_text() for a in page.select("nav.editor-nav a")] == ["Polling"]


async def test_the_database_holds_one_pin_at_most(client: QuartClient, db: Database) -> None:
    import sqlite3

    import pytest

    draft_id, _ = await polls.save_poll(
        db, polls.PollDraft(question="Dua?", options=["Ya", "Tidak"]), None, open_now=True
    )
    with pytest.raises(sqlite3.IntegrityError):
        async with db.transaction() as conn:
            await conn.execute("UPDATE polls SET pinned = 1 WHERE id = ?", (draft_id,))
    assert await polls.pinned_poll_id(db) == DEMO_POLL
