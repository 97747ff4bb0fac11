"""Polls: the rules of a vote, concurrent duplicates, the form, the JSON, the staff pages."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from quart.testing import QuartClient

from content import polls
from content.db import Database
from content.polls import Guard, PollDraft, Voter
from tests.conftest import Auth, csrf_from, soup

TZ = ZoneInfo("Asia/Jakarta")
GUARD = Guard("rahasia")
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


@pytest.fixture(autouse=True)
def fresh_guard(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test's database starts empty, so each gets a guard that remembers nothing yet."""
    monkeypatch.setattr(sys.modules[__name__], "GUARD", Guard("rahasia"))


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    async with Database(tmp_path / "polls.db") as db:
        await db.migrate()
        yield db


async def make_poll(db: Database, **overrides: object) -> polls.Poll:
    fields: dict[str, object] = {
        "question": "Apakah situs ini informatif?",
        "options": ["Ya", "Cukup", "Tidak"],
    }
    fields.update(overrides)
    poll_id, errors = await polls.save_poll(db, PollDraft(**fields), None)  # type: ignore[arg-type]
    assert poll_id is not None and not errors
    await polls.set_state(db, poll_id, "open", None)
    poll = await polls.get_poll(db, poll_id)
    assert poll is not None
    return poll


async def vote(
    db: Database, poll: polls.Poll, picks: list[int], voter: Voter | None = None
) -> polls.VoteOutcome:
    who = voter or Voter("visitor-a", "192.0.2.1")
    return await polls.cast_vote(db, poll.id, picks, who, GUARD, channel="form", tz=TZ)


async def test_a_vote_is_counted_and_a_second_refused(database: Database) -> None:
    poll = await make_poll(database)
    first = poll.options[0].id
    outcome = await vote(database, poll, [first])
    assert outcome.ok and outcome.poll is not None
    assert outcome.poll.voters == 1 and outcome.poll.options[0].votes == 1
    again = await vote(database, poll, [poll.options[1].id])
    assert (again.ok, again.reason) == (False, "already_voted")
    stored = await polls.get_poll(database, poll.id)
    assert stored is not None and stored.voters == 1 and stored.options[1].votes == 0


@pytest.mark.parametrize(
    ("setup", "picks", "reason"),
    [
        ({"state": "draft"}, "first", "not_open"),
        ({"state": "closed"}, "first", "closed"),
        ({"closes_at": "past"}, "first", "closed"),
        ({"opens_at": "future"}, "first", "not_open"),
        ({"audience": "members"}, "first", "members_only"),
        ({}, "none", "no_choice"),
        ({}, "foreign", "bad_option"),
        ({}, "two", "too_many"),
        ({"multiple": True, "max_choices": 2}, "three", "too_many"),
    ],
)
async def test_refusals(
    database: Database, setup: dict[str, object], picks: str, reason: str
) -> None:
    other = await make_poll(database, question="Lain?")
    overrides = dict(setup)
    state = overrides.pop("state", None)
    if overrides.get("closes_at") == "past":
        overrides["opens_at"] = datetime.now(UTC) - timedelta(days=2)
        overrides["closes_at"] = datetime.now(UTC) - timedelta(days=1)
    if overrides.get("opens_at") == "future":
        overrides["opens_at"] = datetime.now(UTC) + timedelta(days=1)
    poll = await make_poll(database, **overrides)
    if state:
        await polls.set_state(database, poll.id, str(state), None)
    ids = [o.id for o in poll.options]
    chosen = {
        "first": ids[:1],
        "none": [],
        "foreign": [other.options[0].id],
        "two": ids[:2],
        "three": ids[:3],
    }[picks]
    outcome = await vote(database, poll, chosen)
    assert (outcome.ok, outcome.reason) == (False, reason)
    assert outcome.message  # a sentence to show
    assert await database.fetchval("SELECT count(*) FROM poll_ballots") == 0
    assert await database.fetchval("SELECT coalesce(sum(votes), 0) FROM poll_options") == 0


async def test_multiple_choice_counts_voters_and_votes_apart(database: Database) -> None:
    poll = await make_poll(database, multiple=True, max_choices=2)
    ids = [o.id for o in poll.options]
    assert (await vote(database, poll, [ids[0], ids[1], ids[1]])).ok  # a repeat is one choice
    assert (await vote(database, poll, [ids[0]], Voter("visitor-b", "192.0.2.2"))).ok
    stored = await polls.get_poll(database, poll.id)
    assert stored is not None
    assert (stored.voters, stored.votes) == (2, 3)
    snapshot = stored.snapshot(datetime.now(UTC))
    assert [o["percent"] for o in snapshot["options"]] == [100.0, 50.0, 0]  # type: ignore[index]


async def test_concurrent_duplicates_store_one_vote(database: Database) -> None:
    poll = await make_poll(database)
    same = Voter("visitor-a", "192.0.2.1")
    outcomes = await asyncio.gather(
        *(vote(database, poll, [poll.options[0].id], same) for _ in range(10))
    )
    assert sum(o.ok for o in outcomes) == 1
    assert {o.reason for o in outcomes if not o.ok} == {"already_voted"}
    assert await database.fetchval("SELECT count(*) FROM poll_ballots") == 1
    assert (
        await database.fetchval(
            "SELECT votes FROM poll_options WHERE id = ?", (poll.options[0].id,)
        )
        == 1
    )


async def test_guards_and_lag(database: Database) -> None:
    by_address = await make_poll(database, guard_cookie=False, guard_ip=True, guard_member=False)
    assert (await vote(database, by_address, [by_address.options[0].id], Voter("a", "10.9.9.9"))).ok
    refused = await vote(database, by_address, [by_address.options[0].id], Voter("b", "10.9.9.9"))
    assert refused.reason == "already_voted"  # another cookie, same address
    member_poll = await make_poll(database, guard_cookie=False, guard_member=True)
    await database.conn.execute(
        "INSERT INTO users (id, email, name, role, password_hash, created) "
        "VALUES (7, 'm@b.example', 'M', 'editor', 'x', '2026-01-01 00:00:00')"
    )
    assert (await vote(database, member_poll, [member_poll.options[0].id], Voter("a", "1", 7))).ok
    again = await vote(database, member_poll, [member_poll.options[0].id], Voter("z", "2", 7))
    assert again.reason == "already_voted"  # another browser, same account
    lagged = await make_poll(database, lag_hours=1)
    assert (await vote(database, lagged, [lagged.options[0].id])).ok
    await database.conn.execute(
        "UPDATE poll_guards SET period = '0' WHERE poll_id = ?", (lagged.id,)
    )
    assert (await vote(database, lagged, [lagged.options[0].id])).ok  # an earlier period's vote


async def test_results_visibility_rules(database: Database) -> None:
    now = datetime.now(UTC)
    after_vote = await make_poll(database, results="after_vote")
    assert not after_vote.results_visible(now, voted=False, staff=False)
    assert after_vote.results_visible(now, voted=True, staff=False)
    after_close = await make_poll(database, results="after_close")
    assert not after_close.results_visible(now, voted=True, staff=False)
    assert after_close.results_visible(now, voted=False, staff=True)
    await polls.set_state(database, after_close.id, "closed", None)
    closed = await polls.get_poll(database, after_close.id)
    assert closed is not None and closed.results_visible(now, voted=False, staff=False)


async def test_options_fixed_once_votes_exist_and_reset(database: Database) -> None:
    poll = await make_poll(database)
    assert (await vote(database, poll, [poll.options[0].id])).ok
    draft = PollDraft(question=poll.question, options=["Baru", "Lain"])
    saved, errors = await polls.save_poll(database, draft, None, poll.id)
    assert saved is None and "options" in errors
    assert await polls.reset_votes(database, poll.id, None, GUARD)
    stored = await polls.get_poll(database, poll.id)
    assert stored is not None and stored.voters == 0 and stored.options[0].votes == 0
    assert (await vote(database, poll, [poll.options[0].id])).ok  # the guard was reset too
    saved, errors = await polls.save_poll(database, draft, None, poll.id)
    assert errors  # votes again


def test_poll_form_validation() -> None:
    draft, errors = polls.parse_poll_form(
        {"question": "", "options": "Satu", "max_choices": "x", "closes_at": "kemarin"}, TZ
    )
    assert set(errors) >= {"question", "options", "max_choices", "closes_at", "guard"}
    draft, errors = polls.parse_poll_form(
        {
            "question": "Q?",
            "options": "A\nB\nC",
            "multiple": "1",
            "max_choices": "2",
            "guard_cookie": "1",
            "opens_at": "2026-01-01T08:00",
            "closes_at": "2026-01-02T08:00",
        },
        TZ,
    )
    assert not errors and draft.options == ["A", "B", "C"] and draft.max_choices == 2
    assert draft.opens_at == datetime(2026, 1, 1, 1, 0, tzinfo=UTC)
    # open to everyone but checked by member only: guests could vote without end
    _, errors = polls.parse_poll_form(
        {"question": "Q?", "options": "A\nB", "guard_member": "1", "audience": "everyone"}, TZ
    )
    assert set(errors) == {"guard"}
    _, errors = polls.parse_poll_form(
        {"question": "Q?", "options": "A\nB", "guard_member": "1", "audience": "members"}, TZ
    )
    assert not errors


def test_throttle() -> None:
    throttle = polls.VoteThrottle(limit=3)
    assert [throttle.allow("a", now=0) for _ in range(4)] == [True, True, True, False]
    assert throttle.allow("b", now=0)
    assert throttle.allow("a", now=61)


# Through the app


async def demo_poll(db: Database) -> polls.Poll:
    poll = await polls.current_poll(db)
    assert poll is not None and poll.question == "Apakah Situs Web Ini Informatif ?"
    return poll


async def test_widget_form_vote_without_javascript(client: QuartClient, db: Database) -> None:
    poll = await demo_poll(db)
    home = soup(await (await client.get("/", headers={"User-Agent": BROWSER})).get_data())
    widget = home.select_one(f".module-poll .poll[data-poll-id='{poll.id}']")
    assert widget.select_one(".poll-question").get_text() == poll.question
    options = widget.select("input[name=option]")
    assert [o.parent.get_text(strip=True) for o in options] == [
        "Sangat informatif",
        "Informatif",
        "Cukup informatif",
        "Kurang informatif",
    ]
    token = widget.select_one("input[name=csrf_token]")["value"]
    action = widget.select_one("form")["action"]
    response = await client.post(
        action, form={"csrf_token": token, "option": options[1]["value"], "next": "/"}
    )
    assert response.status_code == 302 and response.headers["Location"] == f"/#polling-{poll.id}"
    page = soup(await (await client.get("/")).get_data())
    assert page.select_one(".poll-flash").get_text() == "Terima kasih, suara Anda telah dihitung."
    assert page.select_one(".module-poll form.poll-form") is None  # results instead of the form
    voters = page.select_one('.module-poll [data-live="poll.voters"]')
    assert voters["data-value"] == str(poll.voters + 1)
    # a second vote from the same browser is refused with a reason
    response = await client.post(action, form={"csrf_token": token, "option": options[0]["value"]})
    page = soup(await (await client.get(response.headers["Location"].split("#")[0])).get_data())
    assert (
        page.select_one(".poll-flash.notice-error").get_text()
        == "Anda sudah memberikan suara dalam polling ini."
    )
    stored = await polls.get_poll(db, poll.id)
    assert stored is not None and stored.voters == poll.voters + 1


async def test_form_vote_needs_csrf_and_a_cookie(client: QuartClient, db: Database) -> None:
    poll = await demo_poll(db)
    option = str(poll.options[0].id)
    assert (
        await client.post(f"/polling/{poll.id}/pilih", form={"option": option})
    ).status_code == 400
    token = await csrf_from(client, "/")
    client.cookie_jar.clear("localhost.local", "/", "serambi_pengunjung")
    response = await client.post(
        f"/polling/{poll.id}/pilih", form={"csrf_token": token, "option": option}
    )
    assert response.status_code == 400  # no cookie: the vote could not be recognised again
    assert "cookie" in soup(await response.get_data()).select_one("main").get_text()
    stored = await polls.get_poll(db, poll.id)
    assert stored is not None and stored.voters == poll.voters


@pytest.mark.parametrize("raw", ["abc", "99999", "1.5", "-3"])
async def test_unknown_polls_are_404(client: QuartClient, raw: str) -> None:
    assert (await client.get(f"/polling/{raw}")).status_code == 404
    assert (await client.get(f"/api/polls/{raw}")).status_code == 404


async def test_results_page_archive_and_json(client: QuartClient, db: Database) -> None:
    poll = await demo_poll(db)
    page = soup(await (await client.get(f"/polling/{poll.id}")).get_data())
    assert page.select_one("main h1.poll-question").get_text() == poll.question
    bars = page.select("main .poll-bar")
    assert len(bars) == 4 and bars[0]["style"].startswith("width: 48.6")
    assert len(page.select("main .poll-facts dt")) >= 3
    archive = soup(await (await client.get("/polling")).get_data())
    assert archive.select_one(".poll-archive a").get_text() == poll.question
    data = await (await client.get(f"/api/polls/{poll.id}")).get_json()
    assert data["poll"]["question"] == poll.question and data["voted"] is False
    assert data["results"]["voters"] == 37 and len(data["results"]["options"]) == 4


async def test_json_hides_results_until_allowed(client: QuartClient, db: Database) -> None:
    poll = await demo_poll(db)
    await db.conn.execute("UPDATE polls SET results = 'after_close' WHERE id = ?", (poll.id,))
    data = await (await client.get(f"/api/polls/{poll.id}")).get_json()
    assert data["results"] is None
    page = soup(await (await client.get(f"/polling/{poll.id}")).get_data())
    assert page.select_one("main [data-poll-results]").has_attr("hidden")


async def test_staff_create_open_close_reset_and_export(
    client: QuartClient, auth: Auth, db: Database
) -> None:
    assert (await client.get("/redaksi/polling")).status_code == 302
    await auth.login("moderator")
    token = await csrf_from(client, "/redaksi/polling/baru")
    response = await client.post(
        "/redaksi/polling/baru",
        form={"csrf_token": token, "question": "", "options": "Satu", "guard_cookie": "1"},
    )
    assert response.status_code == 400
    page = soup(await response.get_data())
    assert page.select_one("#question")["aria-invalid"] == "true"
    assert (
        page.select_one("#options-error").get_text()
        == "Berikan 2 sampai 20 jawaban, satu per baris."
    )
    assert page.select_one("#options").get_text() == "Satu"
    response = await client.post(
        "/redaksi/polling/baru",
        form={
            "csrf_token": token,
            "question": "Layanan apa yang paling Anda perlukan?",
            "options": "PPID\nLPSE\nPerpustakaan",
            "guard_cookie": "1",
            "results": "always",
            "audience": "everyone",
            "max_choices": "1",
            "lag_hours": "0",
        },
    )
    assert response.status_code == 302
    poll_id = await db.fetchval("SELECT max(id) FROM polls")
    assert await db.fetchval("SELECT state FROM polls WHERE id = ?", (poll_id,)) == "draft"
    await client.post(
        f"/redaksi/polling/{poll_id}/status", form={"csrf_token": token, "state": "open"}
    )
    assert await db.fetchval("SELECT state FROM polls WHERE id = ?", (poll_id,)) == "open"
    assert (
        await client.post(
            f"/redaksi/polling/{poll_id}/status", form={"csrf_token": token, "state": "x"}
        )
    ).status_code == 400
    demo = await polls.get_poll(db, 1)
    assert demo is not None and demo.voters == 37
    log = soup(await (await client.get(f"/redaksi/polling/{demo.id}/suara")).get_data())
    assert len(log.select("tbody tr")) == 37
    csv_text = await (await client.get(f"/redaksi/polling/{demo.id}/suara.csv")).get_data(
        as_text=True
    )
    lines = csv_text.splitlines()
    assert lines[0].startswith("ballot,cast_at_utc,voter_hash,address_hash") and len(lines) == 38
    confirm = soup(await (await client.get(f"/redaksi/polling/{demo.id}/reset")).get_data())
    assert "37" in confirm.select_one(".notice-error").get_text()
    assert (
        await client.post(f"/redaksi/polling/{demo.id}/reset", form={"csrf_token": token})
    ).status_code == 400
    await client.post(
        f"/redaksi/polling/{demo.id}/reset", form={"csrf_token": token, "confirm": "1"}
    )
    assert await db.fetchval("SELECT voters FROM polls WHERE id = ?", (demo.id,)) == 0
    actions = [
        r[0] for r in await db.fetchall("SELECT action FROM audit_log WHERE object_type = 'poll'")
    ]
    assert actions == ["create", "state:open", "reset"]


async def test_who_voted_is_answered_from_memory_and_survives_a_restart(
    database: Database,
) -> None:
    poll = await make_poll(database)
    alice, bob = Voter("visitor-a", "192.0.2.1"), Voter("visitor-b", "192.0.2.2")
    assert not await polls.has_voted(database, poll, alice, GUARD)  # loads the poll's keys
    assert (await vote(database, poll, [poll.options[0].id], alice)).ok
    assert await polls.has_voted(database, poll, alice, GUARD)  # remembered on commit
    assert not await polls.has_voted(database, poll, bob, GUARD)
    # a refused vote adds nothing
    await polls.set_state(database, poll.id, "closed", None)
    assert not (await vote(database, poll, [poll.options[0].id], bob)).ok
    assert not await polls.has_voted(database, poll, bob, GUARD)
    # a new process reads the stored votes from the database
    restarted = Guard("rahasia")
    assert await polls.has_voted(database, poll, alice, restarted)
    assert not await polls.has_voted(database, poll, bob, restarted)
    # a reset forgets them
    assert await polls.reset_votes(database, poll.id, None, restarted)
    assert not await polls.has_voted(database, poll, alice, restarted)
