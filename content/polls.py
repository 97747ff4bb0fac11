"""Polls: the rules of a vote, checked and stored in one transaction, and the editors' tools.

A second vote from the same identity is refused by a primary key on `poll_guards`, so even two
votes arriving at the same moment store one. Identities are salted hashes: the visitor's cookie
id salted per poll, the address salted per day; no address is ever stored.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import sqlite3
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import aiosqlite

from content import audit
from content.accounts import User
from content.db import (
    Database,
    format_utc,
    parse_utc,
    parse_utc_or_none,
    utcnow,
)
from content.events import PollChanged, PollPinned, PollReset, PollVoted
from content.forms import local_moments
from content.i18n import N_


class State(StrEnum):
    """A poll's stored state, set by an editor."""

    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    ARCHIVED = "archived"


class Phase(StrEnum):
    """Where a poll stands at a moment: its state, with an open poll's times applied."""

    DRAFT = "draft"
    UPCOMING = "upcoming"
    OPEN = "open"
    CLOSED = "closed"
    ARCHIVED = "archived"


# The phases in which voting is over and every rule but "always" shows the results.
FINISHED = frozenset({Phase.CLOSED, Phase.ARCHIVED})
AUDIENCES = ("everyone", "members")
RESULT_RULES = ("always", "after_vote", "after_close")
MIN_OPTIONS, MAX_OPTIONS = 2, 20

STATE_NAMES = {
    State.DRAFT: N_("Draft"),
    State.OPEN: N_("Open"),
    State.CLOSED: N_("Closed"),
    State.ARCHIVED: N_("Archived"),
}
REASONS = {
    "not_found": N_("This poll does not exist."),
    "not_open": N_("This poll is not open for voting yet."),
    "closed": N_("This poll has closed; voting is over."),
    "members_only": N_("Only members may vote in this poll. Please log in first."),
    "no_choice": N_("Choose an answer first."),
    "bad_option": N_("That answer does not belong to this poll."),
    "too_many": N_("You chose more answers than this poll allows."),
    "already_voted": N_("You have already voted in this poll."),
    "too_fast": N_("Too many votes from your connection. Please wait a moment."),
    "cookies_needed": N_(
        "Your browser must accept cookies to vote. Reload the page and try again."
    ),
}


@dataclass(frozen=True)
class PollOption:
    """One answer and how many chose it."""

    id: int
    label: str
    ordering: int
    votes: int


@dataclass(frozen=True)
class Poll:
    """A poll with its options in order."""

    id: int
    question: str
    multiple: bool
    max_choices: int
    opens_at: datetime | None
    closes_at: datetime | None
    state: State
    audience: str
    results: str
    guard_cookie: bool
    guard_ip: bool
    guard_member: bool
    lag_hours: int
    voters: int
    votes: int
    first_vote: datetime | None
    last_vote: datetime | None
    options: list[PollOption] = field(default_factory=list)
    pinned: bool = False
    opened_at: datetime | None = None  # when an editor last opened it
    closed_at: datetime | None = None  # when an editor closed or archived it

    @property
    def allowed_choices(self) -> int:
        return self.max_choices if self.multiple else 1

    def phase(self, now: datetime) -> Phase:
        """draft, upcoming, open, closed or archived, as of `now`."""
        if self.state != State.OPEN:
            return Phase(self.state)
        if self.opens_at and now < self.opens_at:
            return Phase.UPCOMING
        if self.closes_at and now >= self.closes_at:
            return Phase.CLOSED
        return Phase.OPEN

    def results_visible(self, now: datetime, *, voted: bool, staff: bool) -> bool:
        """Whether this viewer may see the counts now."""
        if staff or self.results == "always":
            return True
        if self.results == "after_vote":
            return voted or self.phase(now) in FINISHED
        return self.phase(now) in FINISHED

    def snapshot(self, now: datetime) -> dict[str, object]:
        """The `poll_results` payload and the results part of GET /api/polls/<id>.

        {"poll_id", "phase", "voters", "votes", "first_vote", "last_vote",
         "options": [{"id", "label", "votes", "percent"}]}; percent is of the voters.
        """
        return {
            "poll_id": self.id,
            "phase": self.phase(now),
            "voters": self.voters,
            "votes": self.votes,
            "first_vote": self.first_vote.isoformat() if self.first_vote else None,
            "last_vote": self.last_vote.isoformat() if self.last_vote else None,
            "options": [
                {
                    "id": option.id,
                    "label": option.label,
                    "votes": option.votes,
                    "percent": round(100 * option.votes / self.voters, 1) if self.voters else 0,
                }
                for option in self.options
            ],
        }

    def describe(self, now: datetime) -> dict[str, object]:
        """The poll without its counts (GET /api/polls/<id>)."""
        return {
            "id": self.id,
            "question": self.question,
            "multiple": self.multiple,
            "max_choices": self.allowed_choices,
            "opens_at": self.opens_at.isoformat() if self.opens_at else None,
            "closes_at": self.closes_at.isoformat() if self.closes_at else None,
            "phase": self.phase(now),
            "audience": self.audience,
            "results_shown": self.results,
            "options": [{"id": o.id, "label": o.label} for o in self.options],
        }


@dataclass(frozen=True)
class Voter:
    """Who votes: the visitor cookie id, the address, and the staff account if logged in."""

    visitor_id: str
    address: str
    member_id: int | None = None


@dataclass(frozen=True)
class VoteOutcome:
    """Accepted (with the poll as stored after the vote) or refused with a reason code."""

    ok: bool
    reason: str | None = None
    poll: Poll | None = None

    @property
    def message(self) -> str:
        """The untranslated message for the reason (translate where shown)."""
        return REASONS.get(self.reason or "", "")


class _Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def api_answer(poll: Poll, now: datetime, *, voted: bool, shown: bool) -> dict[str, Any]:
    """GET /api/polls/<id> for one reader: the poll, whether they voted, and its results when
    they may see them (`shown`), else null. The view and the answer from memory both send it."""
    return {
        "poll": poll.describe(now),
        "voted": voted,
        "results": poll.snapshot(now) if shown else None,
    }


def _poll(row: sqlite3.Row, options: list[PollOption]) -> Poll:
    return Poll(
        id=row["id"],
        question=row["question"],
        multiple=bool(row["multiple"]),
        max_choices=row["max_choices"],
        opens_at=parse_utc_or_none(row["opens_at"]),
        closes_at=parse_utc_or_none(row["closes_at"]),
        state=State(row["state"]),
        audience=row["audience"],
        results=row["results"],
        guard_cookie=bool(row["guard_cookie"]),
        guard_ip=bool(row["guard_ip"]),
        guard_member=bool(row["guard_member"]),
        lag_hours=row["lag_hours"],
        voters=row["voters"],
        votes=row["votes"],
        first_vote=parse_utc_or_none(row["first_vote"]),
        last_vote=parse_utc_or_none(row["last_vote"]),
        options=options,
        pinned=bool(row["pinned"]),
        opened_at=parse_utc_or_none(row["opened_at"]),
        closed_at=parse_utc_or_none(row["closed_at"]),
    )


def _options(rows: list[sqlite3.Row]) -> list[PollOption]:
    return [PollOption(r["id"], r["label"], r["ordering"], r["votes"]) for r in rows]


async def get_poll(db: Database, poll_id: int) -> Poll | None:
    """A poll with its options, or None."""
    row = await db.fetchone("SELECT * FROM polls WHERE id = ?", (poll_id,))
    if row is None:
        return None
    options = await db.fetchall(
        "SELECT * FROM poll_options WHERE poll_id = ? ORDER BY ordering", (poll_id,)
    )
    return _poll(row, _options(options))


async def _polls(db: Database, where: str, params: tuple[object, ...]) -> list[Poll]:
    rows = await db.fetchall(f"SELECT * FROM polls WHERE {where}", params)
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    marks = ",".join("?" * len(ids))
    option_rows = await db.fetchall(
        f"SELECT * FROM poll_options WHERE poll_id IN ({marks}) ORDER BY poll_id, ordering", ids
    )
    by_poll: dict[int, list[sqlite3.Row]] = {}
    for option in option_rows:
        by_poll.setdefault(option["poll_id"], []).append(option)
    return [_poll(row, _options(by_poll.get(row["id"], []))) for row in rows]


# The Polling module's poll, in SQL: the pinned one while it is open or closed, else the newest
# open one that has opened, else the newest closed one.
_MODULE_POLL = (
    "SELECT id FROM polls WHERE pinned = 1 AND state IN ('open', 'closed') "
    "UNION ALL SELECT * FROM (SELECT id FROM polls WHERE state = 'open' "
    "AND (opens_at IS NULL OR opens_at <= ?) ORDER BY id DESC LIMIT 1) "
    "UNION ALL SELECT * FROM (SELECT id FROM polls WHERE state = 'closed' "
    "ORDER BY id DESC LIMIT 1) LIMIT 1"
)


async def current_poll(db: Database) -> Poll | None:
    """The poll the Polling module shows: the pinned one (open: its form; closed: its results;
    a draft or archived poll is never pinned), else the newest open one, else the newest closed
    one."""
    row = await db.fetchone(_MODULE_POLL, (utcnow(),))
    return None if row is None else await get_poll(db, row[0])


async def _module_poll_id(conn: aiosqlite.Connection) -> int | None:
    async with conn.execute(_MODULE_POLL, (utcnow(),)) as cursor:
        row = await cursor.fetchone()
    return None if row is None else int(row[0])


async def archive(db: Database) -> list[Poll]:
    """Polls visitors may look back on: open, closed and archived ones, newest first."""
    return await _polls(db, "state != ? ORDER BY id DESC", (State.DRAFT,))


async def all_polls(db: Database) -> list[Poll]:
    """Every poll, for editors."""
    return await _polls(db, "1 = 1 ORDER BY id DESC", ())


async def polls_closing_between(db: Database, start: datetime, end: datetime) -> list[int]:
    """Open polls whose close time falls in (start, end]: the ones to announce as closed."""
    rows = await db.fetchall(
        "SELECT id FROM polls WHERE state = ? AND closes_at > ? AND closes_at <= ?",
        (State.OPEN, format_utc(start), format_utc(end)),
    )
    return [row[0] for row in rows]


# Voting


class Guard:
    """Derives the salted identity keys of a vote, and remembers who has voted.

    Whether a visitor has voted is asked on every page with the Polling module, so the answer
    comes from memory: a poll's cookie and member keys are read from `poll_guards` once, and
    every vote this process stores is added as it commits. The database's primary key stays the
    authority that refuses a second vote; this only decides what the page shows. It assumes one
    process writes the votes, as the portal runs today.
    """

    def __init__(self, secret: str) -> None:
        self._secret = secret.encode()
        self._loaded: dict[int, set[tuple[str, str, str]]] = {}
        self._added: dict[int, set[tuple[str, str, str]]] = {}
        self._generation: dict[int, int] = {}

    async def voted_keys(self, db: Database, poll_id: int) -> set[tuple[str, str, str]]:
        """The (kind, key, period) of every stored vote of a poll that identifies a person."""
        loaded = self._loaded.get(poll_id)
        if loaded is None:
            generation = self._generation.get(poll_id, 0)
            rows = await db.fetchall(
                "SELECT kind, key, period FROM poll_guards "
                "WHERE poll_id = ? AND kind IN ('cookie', 'member')",
                (poll_id,),
            )
            loaded = {(r[0], r[1], r[2]) for r in rows}
            if self._generation.get(poll_id, 0) == generation:  # no reset while reading
                self._loaded[poll_id] = loaded
        added = self._added.get(poll_id)
        return loaded | added if added else loaded

    def remember(self, poll_id: int, keys: list[tuple[str, str, str]]) -> None:
        """A vote with these keys was committed."""
        self._added.setdefault(poll_id, set()).update(keys)

    def forget(self, poll_id: int) -> None:
        """The poll's votes were reset."""
        self._generation[poll_id] = self._generation.get(poll_id, 0) + 1
        self._loaded.pop(poll_id, None)
        self._added.pop(poll_id, None)

    @lru_cache(maxsize=256)  # noqa: B019 (one guard per app, purposes are few)
    def _key(self, purpose: str) -> bytes:
        return hmac.new(self._secret, purpose.encode(), hashlib.sha256).digest()

    def _hash(self, purpose: str, value: str) -> str:
        key = self._key(purpose)
        return hashlib.blake2b(value.encode(), key=key, digest_size=12).hexdigest()

    def voter(self, poll_id: int, visitor_id: str) -> str:
        """The visitor, salted per poll (logs of two polls cannot be joined)."""
        return self._hash(f"poll-voter:{poll_id}", visitor_id)

    def address(self, day: str, address: str) -> str:
        """The address, salted per day (the salt rotates daily)."""
        return self._hash(f"poll-address:{day}", address)


def _period(poll: Poll, now: datetime) -> str:
    """The guard period: '' for one vote ever, else the current block of `lag_hours`."""
    if poll.lag_hours <= 0:
        return ""
    return str(int(now.timestamp() // (poll.lag_hours * 3600)))


async def has_voted(db: Database, poll: Poll, voter: Voter, guard: Guard) -> bool:
    """Whether this visitor (or member) already has a vote in the current period."""
    period = _period(poll, datetime.now(UTC))
    known = await guard.voted_keys(db, poll.id)
    if ("cookie", guard.voter(poll.id, voter.visitor_id), period) in known:
        return True
    return voter.member_id is not None and ("member", str(voter.member_id), period) in known


async def cast_vote(
    db: Database,
    poll_id: int,
    option_ids: list[int],
    voter: Voter,
    guard: Guard,
    *,
    channel: str,
    tz: ZoneInfo,
) -> VoteOutcome:
    """Check and store a vote in one transaction; refuse it with a reason otherwise.

    The poll is read once, inside the transaction; the outcome carries it as the vote left it,
    and is announced (PollVoted) after the commit."""
    try:
        async with db.transaction() as conn:
            keys, poll = await _store_vote(conn, poll_id, option_ids, voter, guard, channel, tz)
            outcome = VoteOutcome(True, None, poll)
            db.announce(PollVoted(outcome))
    except _Refused as refused:
        return VoteOutcome(False, refused.reason)
    guard.remember(poll_id, keys)
    return outcome


async def _store_vote(
    conn: aiosqlite.Connection,
    poll_id: int,
    option_ids: list[int],
    voter: Voter,
    guard: Guard,
    channel: str,
    tz: ZoneInfo,
) -> tuple[list[tuple[str, str, str]], Poll]:
    """Store the vote; the guard keys it took and the poll as the vote left it."""
    async with conn.execute("SELECT * FROM polls WHERE id = ?", (poll_id,)) as cursor:
        row = await cursor.fetchone()
    if row is None:
        raise _Refused("not_found")
    async with conn.execute(
        "SELECT * FROM poll_options WHERE poll_id = ? ORDER BY ordering", (poll_id,)
    ) as cursor:
        poll = _poll(row, _options(list(await cursor.fetchall())))
    now = datetime.now(UTC)
    phase = poll.phase(now)
    if phase in FINISHED:
        raise _Refused("closed")
    if phase != Phase.OPEN:
        raise _Refused("not_open")
    if poll.audience == "members" and voter.member_id is None:
        raise _Refused("members_only")
    chosen = list(dict.fromkeys(option_ids))
    if not chosen:
        raise _Refused("no_choice")
    valid = {option.id for option in poll.options}
    if any(option_id not in valid for option_id in chosen):
        raise _Refused("bad_option")
    if len(chosen) > poll.allowed_choices:
        raise _Refused("too_many")
    period = _period(poll, now)
    keys = []
    if poll.guard_cookie:
        keys.append(("cookie", guard.voter(poll.id, voter.visitor_id), period))
    if poll.guard_ip:
        day = now.astimezone(tz).date().isoformat()
        keys.append(("address", guard.address(day, voter.address), period))
    if poll.guard_member and voter.member_id is not None:
        keys.append(("member", str(voter.member_id), period))
    try:
        await conn.executemany(
            "INSERT INTO poll_guards (poll_id, kind, key, period) VALUES (?, ?, ?, ?)",
            [(poll.id, kind, key, p) for kind, key, p in keys],
        )
    except sqlite3.IntegrityError:
        raise _Refused("already_voted") from None
    stamp = format_utc(now)
    day = now.astimezone(tz).date().isoformat()
    cursor = await conn.execute(
        "INSERT INTO poll_ballots (poll_id, cast_at, voter_hash, address_hash, member_id, "
        "channel) VALUES (?, ?, ?, ?, ?, ?)",
        (
            poll.id,
            stamp,
            guard.voter(poll.id, voter.visitor_id),
            guard.address(day, voter.address),
            voter.member_id,
            channel,
        ),
    )
    ballot_id = cursor.lastrowid
    await conn.executemany(
        "INSERT INTO poll_choices (ballot_id, option_id) VALUES (?, ?)",
        [(ballot_id, option_id) for option_id in chosen],
    )
    await conn.executemany(
        "UPDATE poll_options SET votes = votes + 1 WHERE id = ?", [(o,) for o in chosen]
    )
    await conn.execute(
        "UPDATE polls SET voters = voters + 1, votes = votes + ?, "
        "first_vote = coalesce(first_vote, ?), last_vote = ? WHERE id = ?",
        (len(chosen), stamp, stamp, poll.id),
    )
    voted_at = parse_utc(stamp)  # as stored, so the same as reading the poll again
    counted = set(chosen)
    return keys, replace(
        poll,
        voters=poll.voters + 1,
        votes=poll.votes + len(chosen),
        first_vote=poll.first_vote or voted_at,
        last_vote=voted_at,
        options=[replace(o, votes=o.votes + 1) if o.id in counted else o for o in poll.options],
    )


class VoteThrottle:
    """At most `limit` vote attempts per address per minute (floods from one address)."""

    def __init__(self, limit: int = 20, cap: int = 10_000) -> None:
        self.limit = limit
        self.cap = cap
        self._seen: OrderedDict[str, list[float]] = OrderedDict()

    def allow(self, address: str, now: float | None = None) -> bool:
        """Count an attempt; False when this address has made too many this minute."""
        now = time.monotonic() if now is None else now
        entry = self._seen.get(address)
        if entry is None or now - entry[0] >= 60:
            entry = [now, 0]
        entry[1] += 1
        self._seen[address] = entry
        self._seen.move_to_end(address)
        while len(self._seen) > self.cap:
            self._seen.popitem(last=False)
        return entry[1] <= self.limit


# Editors


@dataclass(frozen=True)
class PollDraft:
    """What an editor submits for a poll."""

    question: str = ""
    options: list[str] = field(default_factory=list)
    multiple: bool = False
    max_choices: int = 1
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    audience: str = "everyone"
    results: str = "always"
    guard_cookie: bool = True
    guard_ip: bool = False
    guard_member: bool = True
    lag_hours: int = 0


def parse_poll_form(form: Mapping[str, str], tz: ZoneInfo) -> tuple[PollDraft, dict[str, str]]:
    """A poll draft from a form (options one per line), and messages for the fields to fix."""
    errors: dict[str, str] = {}
    question = form.get("question", "").strip()
    if not question:
        errors["question"] = N_("Write the question.")
    elif len(question) > 300:
        errors["question"] = N_("The question is too long.")
    options = [line.strip() for line in form.get("options", "").splitlines() if line.strip()]
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        errors["options"] = N_("Give between 2 and 20 answers, one per line.")
    elif len(set(options)) != len(options):
        errors["options"] = N_("Each answer may appear only once.")
    elif any(len(option) > 200 for option in options):
        errors["options"] = N_("An answer is too long.")
    multiple = form.get("multiple") == "1"
    max_raw = form.get("max_choices", "1").strip() or "1"
    max_choices = 1
    if not (max_raw.isascii() and max_raw.isdigit()) or not 1 <= int(max_raw) <= MAX_OPTIONS:
        errors["max_choices"] = N_("Enter a number from 1 to 20.")
    else:
        max_choices = int(max_raw)
        if multiple and options and max_choices > len(options):
            errors["max_choices"] = N_("That is more than the number of answers.")
    opens, closes = local_moments(form, ("opens_at", "closes_at"), tz, errors)
    if opens and closes and closes <= opens:
        errors["closes_at"] = N_("The poll must close after it opens.")
    audience = form.get("audience", "everyone")
    if audience not in AUDIENCES:
        errors["audience"] = N_("Choose from the list.")
    results = form.get("results", "always")
    if results not in RESULT_RULES:
        errors["results"] = N_("Choose from the list.")
    lag_raw = form.get("lag_hours", "0").strip() or "0"
    lag_hours = 0
    if not (lag_raw.isascii() and lag_raw.isdigit()) or int(lag_raw) > 24 * 365:
        errors["lag_hours"] = N_("Enter a whole number of hours (0: one vote only).")
    else:
        lag_hours = int(lag_raw)
    guard_cookie = form.get("guard_cookie") == "1"
    guard_ip = form.get("guard_ip") == "1"
    guard_member = form.get("guard_member") == "1"
    if not (guard_cookie or guard_ip or guard_member):
        errors["guard"] = N_("Choose at least one way to recognise a second vote.")
    elif audience == "everyone" and not (guard_cookie or guard_ip):
        # the member check knows only logged-in staff: guests could vote again and again
        errors["guard"] = N_(
            "A poll open to everyone needs the cookie or the address check, or guests could "
            "vote again and again."
        )
    draft = PollDraft(
        question=question,
        options=options,
        multiple=multiple,
        max_choices=max_choices if multiple else 1,
        opens_at=opens,
        closes_at=closes,
        audience=audience,
        results=results,
        guard_cookie=guard_cookie,
        guard_ip=guard_ip,
        guard_member=guard_member,
        lag_hours=lag_hours,
    )
    return draft, errors


def _poll_values(draft: PollDraft) -> dict[str, object]:
    return {
        "question": draft.question,
        "multiple": int(draft.multiple),
        "max_choices": draft.max_choices,
        "opens_at": format_utc(draft.opens_at) if draft.opens_at else None,
        "closes_at": format_utc(draft.closes_at) if draft.closes_at else None,
        "audience": draft.audience,
        "results": draft.results,
        "guard_cookie": int(draft.guard_cookie),
        "guard_ip": int(draft.guard_ip),
        "guard_member": int(draft.guard_member),
        "lag_hours": draft.lag_hours,
    }


POLLS = audit.Kind("polls", "poll", label="question")
AUDIT_WORDS = audit.Words(
    actions={
        "state:draft": N_("Set back to draft"),
        "state:open": N_("Opened for voting"),
        "state:closed": N_("Closed"),
        "state:archived": N_("Archived"),
        "pin": N_("Pinned in the Polling module"),
        "unpin": N_("Unpinned from the Polling module"),
        "reset": N_("Votes reset"),
    },
    kinds={"poll": N_("Poll")},
)


async def save_poll(
    db: Database,
    draft: PollDraft,
    user: User | None,
    poll_id: int | None = None,
    *,
    open_now: bool = False,
    sidebar: str = "keep",
) -> tuple[int | None, dict[str, str]]:
    """Create a poll (as a draft) or update one; options change only while it has no votes.
    `open_now` opens it in the same transaction (see set_state for `sidebar`)."""
    now = utcnow()
    values = {**_poll_values(draft), "modified": now}
    async with db.transaction() as conn:
        if poll_id is None:
            poll_id = await audit.save_row(
                conn, user, POLLS, None, values, on_insert={"created": now}
            )
            await _replace_options(conn, poll_id, draft.options)
            db.announce(PollChanged(poll_id))
        else:
            async with conn.execute("SELECT votes FROM polls WHERE id = ?", (poll_id,)) as cursor:
                row = await cursor.fetchone()
            if row is None:
                raise LookupError(poll_id)
            async with conn.execute(
                "SELECT label FROM poll_options WHERE poll_id = ? ORDER BY ordering", (poll_id,)
            ) as cursor:
                current = [r[0] for r in await cursor.fetchall()]
            if current != draft.options:
                if row["votes"]:
                    return None, {"options": N_("The answers cannot change once votes exist.")}
                await _replace_options(conn, poll_id, draft.options)
            await audit.save_row(conn, user, POLLS, poll_id, values)
            db.announce(PollChanged(poll_id))
        if open_now:
            await _apply_state(db, conn, poll_id, State.OPEN, user, sidebar)
    return poll_id, {}


async def _replace_options(conn: aiosqlite.Connection, poll_id: int, labels: list[str]) -> None:
    await conn.execute("DELETE FROM poll_options WHERE poll_id = ?", (poll_id,))
    await conn.executemany(
        "INSERT INTO poll_options (poll_id, label, ordering) VALUES (?, ?, ?)",
        [(poll_id, label, index) for index, label in enumerate(labels)],
    )


SIDEBAR_CHOICES = ("keep", "replace")
PIN_REFUSED = N_("Only an open or closed poll can be shown in the Polling module.")


async def set_state(
    db: Database, poll_id: int, state: State, user: User | None, *, sidebar: str = "keep"
) -> bool:
    """Open, close, archive or return a poll to draft; False when it does not exist.

    Opening a poll while another open or pinned poll shows in the Polling module leaves that
    one there (`sidebar` "keep", pinning it if it was shown as the newest open one) or puts
    this one in its place ("replace": pinned). A draft or archived poll loses its pin."""
    state = State(state)  # a ValueError for anything else
    async with db.transaction() as conn:
        return await _apply_state(db, conn, poll_id, state, user, sidebar)


async def _apply_state(
    db: Database,
    conn: aiosqlite.Connection,
    poll_id: int,
    state: State,
    user: User | None,
    sidebar: str,
) -> bool:
    async with conn.execute("SELECT state, pinned FROM polls WHERE id = ?", (poll_id,)) as cursor:
        row = await cursor.fetchone()
    if row is None:
        return False
    before = State(row["state"])
    shown = await _module_poll_id(conn)
    now = utcnow()
    if state == State.OPEN:
        moments = "opened_at = CASE WHEN state = 'open' THEN opened_at ELSE ? END, closed_at = NULL"
        params: tuple[object, ...] = (now,)
    elif state == State.DRAFT:
        moments, params = "opened_at = NULL, closed_at = NULL", ()
    else:  # closed or archived: when it stopped taking votes
        moments = (
            "closed_at = CASE WHEN state = 'open' OR closed_at IS NULL THEN ? ELSE closed_at END"
        )
        params = (now,)
    await conn.execute(
        f"UPDATE polls SET state = ?, modified = ?, {moments} WHERE id = ?",
        (state, now, *params, poll_id),
    )
    await audit.record(conn, user, f"state:{state}", "poll", poll_id)
    db.announce(PollChanged(poll_id))
    if state in (State.DRAFT, State.ARCHIVED) and row["pinned"]:
        await _pin(db, conn, None, user, f"poll {poll_id} is {state} now")
    elif state == State.OPEN and before != State.OPEN and shown not in (None, poll_id):
        async with conn.execute("SELECT state, pinned FROM polls WHERE id = ?", (shown,)) as cur:
            other = await cur.fetchone()
        # a closed poll shown for want of an open one gives way without asking
        if other is not None and (other["pinned"] or other["state"] == State.OPEN):
            if sidebar == "replace":
                await _pin(db, conn, poll_id, user, f"in place of poll {shown}")
            elif not other["pinned"]:
                await _pin(db, conn, shown, user, f"kept while poll {poll_id} opened")
    return True


async def module_rival(db: Database, poll_id: int | None) -> Poll | None:
    """The poll that opening `poll_id` would ask about: the one the Polling module shows, if it
    is another poll and pinned or open (a closed poll shown for want of an open one gives way)."""
    shown = await current_poll(db)
    if shown is None or shown.id == poll_id:
        return None
    return shown if shown.pinned or shown.state == State.OPEN else None


async def pinned_poll_id(db: Database) -> int | None:
    """The poll pinned for the Polling module, or None."""
    row = await db.fetchone("SELECT id FROM polls WHERE pinned = 1")
    return None if row is None else int(row[0])


async def pin(db: Database, poll_id: int, user: User | None) -> str | None:
    """Pin a poll for the Polling module, in place of any other; an untranslated reason when it
    cannot be (it must be open or closed); LookupError when it does not exist."""
    async with db.transaction() as conn:
        async with conn.execute("SELECT state, pinned FROM polls WHERE id = ?", (poll_id,)) as cur:
            row = await cur.fetchone()
        if row is None:
            raise LookupError(poll_id)
        if row["state"] not in (State.OPEN, State.CLOSED):
            return PIN_REFUSED
        if not row["pinned"]:
            await _pin(db, conn, poll_id, user)
    return None


async def unpin(db: Database, poll_id: int, user: User | None) -> bool:
    """Unpin a poll (the module shows the newest open one again); False if it was not pinned."""
    async with db.transaction() as conn:
        async with conn.execute("SELECT pinned FROM polls WHERE id = ?", (poll_id,)) as cur:
            row = await cur.fetchone()
        if row is None or not row["pinned"]:
            return False
        await _pin(db, conn, None, user)
    return True


async def _pin(
    db: Database,
    conn: aiosqlite.Connection,
    poll_id: int | None,
    user: User | None,
    why: str = "",
) -> None:
    """Pin `poll_id` (None: none), with an audit entry for each poll that gains or loses it."""
    async with conn.execute("SELECT id FROM polls WHERE pinned = 1") as cursor:
        old = await cursor.fetchone()
    if old is not None and old[0] == poll_id:
        return
    if old is not None:
        await conn.execute("UPDATE polls SET pinned = 0, pinned_at = NULL WHERE id = ?", (old[0],))
        await audit.record(conn, user, "unpin", "poll", old[0], why)
    if poll_id is not None:
        await conn.execute(
            "UPDATE polls SET pinned = 1, pinned_at = ? WHERE id = ?", (utcnow(), poll_id)
        )
        await audit.record(conn, user, "pin", "poll", poll_id, why)
    db.announce(PollPinned(poll_id))


async def reset_votes(db: Database, poll_id: int, user: User | None, guard: Guard) -> bool:
    """Remove every vote of a poll (after the editor confirmed); False when it does not exist."""
    async with db.transaction() as conn:
        cursor = await conn.execute(
            "UPDATE polls SET voters = 0, votes = 0, first_vote = NULL, last_vote = NULL, "
            "modified = ? WHERE id = ?",
            (utcnow(), poll_id),
        )
        if cursor.rowcount == 0:
            return False
        await conn.execute("DELETE FROM poll_ballots WHERE poll_id = ?", (poll_id,))
        await conn.execute("DELETE FROM poll_guards WHERE poll_id = ?", (poll_id,))
        await conn.execute("UPDATE poll_options SET votes = 0 WHERE poll_id = ?", (poll_id,))
        await audit.record(conn, user, "reset", "poll", poll_id)
        db.announce(PollReset(poll_id))
    guard.forget(poll_id)
    return True


@dataclass(frozen=True)
class Ballot:
    """One stored vote, as the vote log shows it."""

    id: int
    cast_at: str
    voter_hash: str
    address_hash: str
    member_email: str | None
    channel: str
    choices: str


async def ballots(db: Database, poll_id: int, *, limit: int = 200, offset: int = 0) -> list[Ballot]:
    """The vote log, newest first, with hashed identities."""
    rows = await db.fetchall(
        "SELECT b.id, b.cast_at, b.voter_hash, b.address_hash, u.email AS member_email, "
        "b.channel, group_concat(o.label, ' | ') AS choices "
        "FROM poll_ballots b LEFT JOIN users u ON u.id = b.member_id "
        "JOIN poll_choices c ON c.ballot_id = b.id JOIN poll_options o ON o.id = c.option_id "
        "WHERE b.poll_id = ? GROUP BY b.id ORDER BY b.id DESC LIMIT ? OFFSET ?",
        (poll_id, limit, offset),
    )
    return [Ballot(**dict(row)) for row in rows]


async def votes_csv(db: Database, poll_id: int) -> str:
    """Every ballot as CSV: time, hashed identities, channel, the answers chosen."""
    rows = await ballots(db, poll_id, limit=1_000_000)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["ballot", "cast_at_utc", "voter_hash", "address_hash", "member", "channel", "choices"]
    )
    for ballot in reversed(rows):
        writer.writerow(
            [
                ballot.id,
                ballot.cast_at,
                ballot.voter_hash,
                ballot.address_hash,
                ballot.member_email or "",
                ballot.channel,
                ballot.choices,
            ]
        )
    return out.getvalue()
