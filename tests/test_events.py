"""Content announces its own changes, once committed: one event per change, saying what changed."""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from content import accounts, articles, calendar, media, modules_layout, polls
from content.accounts import User
from content.articles import ArticleDraft, CategoryDraft, State
from content.calendar import EventDraft
from content.db import Database
from content.events import (
    ArticleFeatured,
    ArticleSaved,
    ArticleStateChanged,
    CalendarEventDeleted,
    CalendarEventSaved,
    CategorySaved,
    ContentChanged,
    Event,
    Events,
    MediaChanged,
    ModulesChanged,
    PollChanged,
    PollReset,
    PollVoted,
)
from content.media import BannerDraft, SocialDraft, VideoDraft
from content.polls import Guard, PollDraft, Voter, VoteThrottle
from content.sanitize import HtmlCleaner
from realtime.broadcaster import Broadcaster
from realtime.polls import PollChannel, results_room
from tests.clock import until
from tests.conftest import DemoDatabase, copy_demo

TZ = ZoneInfo("Asia/Jakarta")


@dataclasses.dataclass(frozen=True)
class Note(Event):
    text: str


class Heard:
    """Every event the hub published, in order."""

    def __init__(self, events: Events) -> None:
        self.events: list[Event] = []
        events.subscribe(Event, self.events.append)

    def take(self) -> list[Event]:
        taken, self.events[:] = list(self.events), []
        return taken


@pytest.fixture
async def db(tmp_path: Path, demo_database: DemoDatabase) -> AsyncIterator[Database]:
    """A private copy of the demo database whose announcements go to an event hub."""
    copy_demo(demo_database, tmp_path / "portal.db")
    async with Database(tmp_path / "portal.db", events=Events()) as database:
        yield database


@pytest.fixture
def heard(db: Database) -> Heard:
    assert db.events is not None
    return Heard(db.events)


@pytest.fixture
async def editor(db: Database) -> User:
    user = await accounts.get_user_by_email(db, "redaksi@balittri.example")
    assert user is not None
    return user


async def test_events_are_published_after_the_commit_only(db: Database, heard: Heard) -> None:
    async with db.transaction() as conn:
        await conn.execute("SELECT 1")
        db.announce(Note("first"))
        db.announce(Note("second"))
        assert heard.events == []  # not committed yet
    assert heard.take() == [Note("first"), Note("second")]


async def test_a_rolled_back_transaction_announces_nothing(db: Database, heard: Heard) -> None:
    with pytest.raises(RuntimeError):
        async with db.transaction():
            db.announce(Note("never"))
            raise RuntimeError("the write failed")
    assert heard.events == []
    async with db.transaction():  # the next transaction starts with nothing pending
        db.announce(Note("next"))
    assert heard.take() == [Note("next")]


async def test_outside_a_transaction_and_in_other_tasks_events_go_out_at_once(
    db: Database, heard: Heard
) -> None:
    db.announce(Note("no transaction"))
    assert heard.take() == [Note("no transaction")]
    inside = asyncio.Event()
    release = asyncio.Event()

    async def writer() -> None:
        async with db.transaction():
            db.announce(Note("the writer's"))
            inside.set()
            await release.wait()

    task = asyncio.ensure_future(writer())
    await inside.wait()
    db.announce(Note("another task's"))  # not part of the writer's transaction
    assert heard.take() == [Note("another task's")]
    release.set()
    await task
    assert heard.take() == [Note("the writer's")]


def test_listeners_hear_the_events_of_their_class_and_its_subclasses() -> None:
    events = Events()
    changes: list[Event] = []
    votes: list[Event] = []
    events.subscribe(ContentChanged, changes.append)
    events.subscribe(PollReset, votes.append)
    events.publish(ArticleSaved(3, created=False))
    events.publish(PollChanged(2))
    events.publish(PollReset(2))
    assert changes == [ArticleSaved(3, created=False), PollChanged(2)]
    assert votes == [PollReset(2)]


def test_a_failing_listener_does_not_stop_the_others(caplog: pytest.LogCaptureFixture) -> None:
    events = Events()
    heard: list[Event] = []

    def broken(_: Event) -> None:
        raise RuntimeError("listener bug")

    events.subscribe(Note, broken)
    events.subscribe(Note, heard.append)
    events.publish(Note("x"))
    assert heard == [Note("x")]
    assert "Listener of Note failed" in caplog.text


async def test_articles_and_categories_announce_each_change(
    db: Database, heard: Heard, editor: User
) -> None:
    cleaner = HtmlCleaner()
    category_id, errors = await articles.save_category(
        db, CategoryDraft(title="Kabar Kebun", alias="kabar-kebun"), editor
    )
    assert category_id is not None and not errors
    assert heard.take() == [CategorySaved(category_id, created=True)]
    again, _ = await articles.save_category(
        db, CategoryDraft(title="Kabar Kebun Kopi", alias="kabar-kebun"), editor, category_id
    )
    assert again == category_id
    assert heard.take() == [CategorySaved(category_id, created=False)]
    draft = ArticleDraft(title="Panen Kopi", alias="panen-kopi", category_id=category_id)
    article_id, errors = await articles.save_article(db, draft, editor, cleaner)
    assert article_id is not None and not errors
    assert heard.take() == [ArticleSaved(article_id, created=True)]
    await articles.save_article(db, draft, editor, cleaner, article_id)
    assert heard.take() == [ArticleSaved(article_id, created=False)]
    assert await articles.set_state(db, article_id, State.PUBLISHED, editor)
    assert heard.take() == [ArticleStateChanged(article_id, int(State.PUBLISHED))]
    assert await articles.set_featured(db, article_id, True, editor)
    assert heard.take() == [ArticleFeatured(article_id, True)]
    # what did not change announces nothing
    assert not await articles.set_state(db, 999_999, State.PUBLISHED, editor)
    bad, errors = await articles.save_article(db, ArticleDraft(title="x"), editor, cleaner)
    assert bad is None and errors
    assert heard.events == []


async def test_calendar_media_and_modules_announce_each_change(
    db: Database, heard: Heard, editor: User
) -> None:
    today = datetime.now(TZ).date().isoformat()
    draft = EventDraft(title="Temu Petani", all_day=True, starts=today, ends=today)
    event_id = await calendar.save_event(db, draft, editor, HtmlCleaner())
    await calendar.save_event(db, draft, editor, HtmlCleaner(), event_id)
    assert await calendar.delete_event(db, event_id, editor)
    assert heard.take() == [
        CalendarEventSaved(event_id, created=True),
        CalendarEventSaved(event_id, created=False),
        CalendarEventDeleted(event_id),
    ]
    video = VideoDraft(
        title="Kebun", url="https://www.youtube.com/watch?v=abcdefghijk", provider="youtube",
        video_id="abcdefghijk",
    )  # fmt: skip
    video_id = await media.save_video(db, video, editor)
    social_id = await media.save_social(
        db, SocialDraft(name="Balittri", url="https://www.instagram.com/balittri"), editor
    )
    banner_id = await media.save_banner(
        db, BannerDraft(title="LPSE", url="https://lpse.example.go.id/"), editor
    )
    await media.save_banner(db, BannerDraft(title="LPSE 2", url="/"), editor, banner_id)
    assert await media.delete_item(db, "video", video_id, editor)
    assert heard.take() == [
        MediaChanged("video", video_id),
        MediaChanged("social_account", social_id),
        MediaChanged("banner", banner_id),
        MediaChanged("banner", banner_id),
        MediaChanged("video", video_id, removed=True),
    ]
    current = await modules_layout.placements(db)
    assert await modules_layout.save_layout(db, current, editor) == 0
    assert heard.events == []  # nothing moved: nothing to tell
    moved = [dataclasses.replace(current[0], enabled=not current[0].enabled), *current[1:]]
    assert await modules_layout.save_layout(db, moved, editor) == 1
    assert heard.take() == [ModulesChanged()]


async def test_polls_announce_changes_votes_and_resets(db: Database, heard: Heard) -> None:
    guard = Guard("rahasia")
    poll_id, errors = await polls.save_poll(
        db, PollDraft(question="Kopi atau teh?", options=["Kopi", "Teh"]), None
    )
    assert poll_id is not None and not errors
    assert await polls.set_state(db, poll_id, "open", None)
    assert heard.take() == [PollChanged(poll_id), PollChanged(poll_id)]
    poll = await polls.get_poll(db, poll_id)
    assert poll is not None
    voter = Voter("pengunjung-1", "192.0.2.7")
    outcome = await polls.cast_vote(
        db, poll_id, [poll.options[1].id], voter, guard, channel="form", tz=TZ
    )
    assert outcome.ok
    assert heard.take() == [PollVoted(outcome)]
    refused = await polls.cast_vote(
        db, poll_id, [poll.options[0].id], voter, guard, channel="form", tz=TZ
    )
    assert refused.reason == "already_voted"
    assert heard.events == []  # rolled back: nothing announced
    assert await polls.reset_votes(db, poll_id, None, guard)
    assert heard.take() == [PollReset(poll_id)]


async def test_a_vote_reads_its_poll_once_and_its_outcome_is_the_poll_as_stored(
    db: Database, heard: Heard
) -> None:
    guard = Guard("rahasia")
    poll_id, _ = await polls.save_poll(
        db,
        PollDraft(question="Pilih dua", options=["A", "B", "C"], multiple=True, max_choices=2),
        None,
    )
    assert poll_id is not None
    await polls.set_state(db, poll_id, "open", None)
    poll = await polls.get_poll(db, poll_id)
    assert poll is not None
    statements: list[str] = []
    await db.conn.set_trace_callback(statements.append)
    picks = [poll.options[0].id, poll.options[2].id]
    first = await polls.cast_vote(
        db, poll_id, picks, Voter("v1", "192.0.2.1"), guard, channel="socket", tz=TZ
    )
    await db.conn.set_trace_callback(None)
    reads = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    # the poll and its options, once, inside the vote's transaction (it was read three times)
    assert len(reads) == 2, reads
    assert "FROM polls WHERE" in reads[0] and "FROM poll_options WHERE" in reads[1]
    assert first.poll == await polls.get_poll(db, poll_id)
    assert first.poll is not None and first.poll.voters == 1 and first.poll.votes == 2
    assert [o.votes for o in first.poll.options] == [1, 0, 1]
    second = await polls.cast_vote(
        db, poll_id, [poll.options[0].id], Voter("v2", "192.0.2.2"), guard, channel="form", tz=TZ
    )
    assert second.poll == await polls.get_poll(db, poll_id)
    assert second.poll is not None and second.poll.first_vote == first.poll.first_vote
    assert [e.poll for e in heard.take() if isinstance(e, PollVoted)] == [first.poll, second.poll]
    # an ordinary timestamp: the vote stamps to the second, as stored
    assert second.poll.last_vote is not None
    assert datetime.now(UTC) - second.poll.last_vote < timedelta(minutes=1)


class RecordingEmitter:
    """Records what would go out over Socket.IO."""

    def __init__(self) -> None:
        self.emitted: list[tuple[str, Any, str | None]] = []

    async def emit(
        self, event: str, data: Any = None, *, to: str | None = None, namespace: str | None = None
    ) -> None:
        self.emitted.append((event, data, to))

    async def enter_room(self, sid: str, room: str, namespace: str | None = None) -> None:
        pass


async def test_the_broadcast_of_a_vote_does_not_read_the_poll_again(db: Database) -> None:
    assert db.events is not None
    emitter = RecordingEmitter()
    broadcaster = Broadcaster(emitter, tick=30.0)
    channel = PollChannel(
        broadcaster, db, Guard("rahasia"), VoteThrottle(), {}, timezone="Asia/Jakarta",
        alert_per_minute=60,
    )  # fmt: skip
    channel.listen(db.events)
    broadcaster.before_tick(channel.before_tick)
    poll_id, _ = await polls.save_poll(db, PollDraft(question="Ya?", options=["Ya", "Tidak"]), None)
    assert poll_id is not None
    await polls.set_state(db, poll_id, "open", None)
    await broadcaster.tick()  # the editor's changes are published (the poll is read for them)
    broadcaster._channels[("/", results_room(poll_id))].sent_at -= 60  # quiet for a while
    poll = await polls.get_poll(db, poll_id)
    assert poll is not None
    emitter.emitted.clear()
    statements: list[str] = []
    await db.conn.set_trace_callback(statements.append)
    outcome = await polls.cast_vote(
        db, poll_id, [poll.options[0].id], Voter("v1", "192.0.2.1"), Guard("rahasia"),
        channel="form", tz=TZ,
    )  # fmt: skip
    assert outcome.ok and outcome.poll is not None
    await until(lambda: len(emitter.emitted) > 0)  # the quiet poll's results go out at once
    await broadcaster.tick()  # and the tick after the vote has nothing to read either
    await db.conn.set_trace_callback(None)
    poll_reads = [s for s in statements if "FROM polls WHERE id" in s or "FROM poll_options" in s]
    assert len(poll_reads) == 2, poll_reads  # the vote's own read, inside its transaction
    results = [data for event, data, room in emitter.emitted if event == "poll_results"]
    assert results == [outcome.poll.snapshot(datetime.now(UTC))]
    assert results[0]["voters"] == 1
    # after a reset or an editor's change the poll is read again, as it must
    await polls.reset_votes(db, poll_id, None, Guard("rahasia"))
    await broadcaster.tick()
    latest = broadcaster.snapshot(results_room(poll_id))
    assert latest is not None and latest["voters"] == 0
