"""The coalescing broadcaster: at most one emit per channel per tick, only on change."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from realtime.broadcaster import PROMPT_SETTLE_TURNS, Broadcaster, ChannelConflict, room_name


async def prompted(broadcaster: Broadcaster) -> None:
    """Wait for the prompt sends started so far: done, not merely given a moment to run."""
    await asyncio.gather(*list(broadcaster._prompts))


class RecordingEmitter:
    """Records what would go out over Socket.IO."""

    def __init__(self) -> None:
        self.emitted: list[tuple[str, Any, str | None, str | None]] = []
        self.rooms: dict[str, set[str]] = {}

    async def emit(
        self, event: str, data: Any = None, *, to: str | None = None, namespace: str | None = None
    ) -> None:
        self.emitted.append((event, data, to, namespace))

    async def enter_room(self, sid: str, room: str, namespace: str | None = None) -> None:
        self.rooms.setdefault(room, set()).add(sid)


async def test_many_publishes_one_emit_per_tick() -> None:
    emitter = RecordingEmitter()
    broadcaster = Broadcaster(emitter)
    for count in range(100):
        broadcaster.publish("online", "online_count", {"connected": count})
    assert emitter.emitted == []  # publishing never emits
    assert await broadcaster.tick() == 1
    assert emitter.emitted == [("online_count", {"connected": 99}, "online", "/")]


async def test_unchanged_snapshot_is_not_sent_again() -> None:
    emitter = RecordingEmitter()
    broadcaster = Broadcaster(emitter)
    broadcaster.publish("online", "online_count", {"connected": 1})
    await broadcaster.tick()
    broadcaster.publish("online", "online_count", {"connected": 1})
    assert await broadcaster.tick() == 0
    broadcaster.publish("online", "online_count", {"connected": 2})
    assert await broadcaster.tick() == 1
    assert len(emitter.emitted) == 2


async def test_new_subscriber_gets_the_snapshot_at_once() -> None:
    emitter = RecordingEmitter()
    broadcaster = Broadcaster(emitter)
    await broadcaster.subscribe("early", "poll:7")
    assert emitter.emitted == []  # nothing to send yet
    broadcaster.publish("poll:7", "poll_results", {"votes": 3})
    await broadcaster.subscribe("late", "poll:7")
    assert emitter.emitted == [("poll_results", {"votes": 3}, "late", "/")]
    assert emitter.rooms["poll:7"] == {"early", "late"}


async def test_channels_are_separate_and_hooks_run_first() -> None:
    emitter = RecordingEmitter()
    broadcaster = Broadcaster(emitter)
    calls = []

    def hook() -> None:
        calls.append("hook")
        broadcaster.publish("page:/a", "page_readers", {"readers": len(calls)})

    broadcaster.before_tick(hook)
    broadcaster.publish("mods", "presence_table", {"n": 1}, namespace="/moderasi")
    assert await broadcaster.tick() == 2
    assert {(e[0], e[2], e[3]) for e in emitter.emitted} == {
        ("page_readers", "page:/a", "/"),
        ("presence_table", "mods", "/moderasi"),
    }
    broadcaster.forget("page:/a")
    assert broadcaster.snapshot("page:/a") is None


def test_room_names() -> None:
    assert room_name("poll", 7) == "poll:7"
    assert room_name("page", "/artikel/12") == "page:/artikel/12"


async def test_urgent_channels_go_out_first_within_a_tick() -> None:
    emitter = RecordingEmitter()
    broadcaster = Broadcaster(emitter)
    broadcaster.publish("online", "online_count", {"connected": 2})
    broadcaster.publish("poll:1", "poll_results", {"voters": 9}, priority=-1)
    await broadcaster.tick()
    assert [event for event, *_ in emitter.emitted] == ["poll_results", "online_count"]


async def test_prompt_sends_at_once_after_a_quiet_tick_then_waits_for_the_tick() -> None:
    emitter = RecordingEmitter()
    broadcaster = Broadcaster(emitter, tick=30.0)
    results = {"votes": 1}

    async def produce() -> list[str]:
        broadcaster.publish("poll:7", "poll_results", dict(results))
        return ["poll:7"]

    assert broadcaster.quiet("poll:7")  # never sent
    broadcaster.prompt(produce)
    await prompted(broadcaster)
    assert emitter.emitted == [("poll_results", {"votes": 1}, "poll:7", "/")]
    assert not broadcaster.quiet("poll:7")  # sent a moment ago
    results["votes"] = 2
    broadcaster.prompt(produce)
    await prompted(broadcaster)
    assert len(emitter.emitted) == 1  # held for the tick
    assert await broadcaster.tick() == 1
    assert emitter.emitted[-1] == ("poll_results", {"votes": 2}, "poll:7", "/")


async def test_a_failing_prompt_is_logged_and_the_tick_still_sends(caplog: Any) -> None:
    emitter = RecordingEmitter()
    broadcaster = Broadcaster(emitter, tick=30.0)

    async def produce() -> list[str]:
        broadcaster.publish("poll:7", "poll_results", {"votes": 3})
        raise RuntimeError("database gone")

    broadcaster.prompt(produce)
    await prompted(broadcaster)
    assert emitter.emitted == []
    assert "Prompt broadcast failed" in caplog.text
    assert await broadcaster.tick() == 1


async def test_a_big_room_is_sent_to_less_often_and_a_small_one_every_tick() -> None:
    emitter = RecordingEmitter()
    sizes = {"online": 5000, "poll:7": 10}
    broadcaster = Broadcaster(
        emitter, tick=30.0, room_size=lambda room, _: sizes[room], fanout_per_tick=2000
    )
    sent: dict[str, list[int]] = {"online": [], "poll:7": []}
    for tick in range(1, 8):
        broadcaster.publish("online", "online_count", {"connected": tick})
        broadcaster.publish("poll:7", "poll_results", {"votes": tick})
        await broadcaster.tick()
        for _, data, room, _ns in emitter.emitted:
            if data in ({"connected": tick}, {"votes": tick}):
                sent[str(room)].append(tick)
    assert sent == {"online": [1, 4, 7], "poll:7": [1, 2, 3, 4, 5, 6, 7]}  # 5,000 / 2,000: 3
    assert emitter.emitted[-2:] == [
        ("online_count", {"connected": 7}, "online", "/"),
        ("poll_results", {"votes": 7}, "poll:7", "/"),
    ]
    # a prompt send waits as long: the big room sent a moment ago is not quiet
    assert not broadcaster.quiet("online")
    broadcaster._channels[("/", "online")].sent_at -= 2 * 30.0
    assert not broadcaster.quiet("online")
    broadcaster._channels[("/", "online")].sent_at -= 30.0
    assert broadcaster.quiet("online")


async def test_a_failing_hook_skips_only_its_own_channel(caplog: Any) -> None:
    emitter = RecordingEmitter()
    broadcaster = Broadcaster(emitter)

    def online() -> None:
        broadcaster.publish("online", "online_count", {"connected": 4})

    async def polls() -> None:
        raise RuntimeError("database gone")

    def stats() -> None:
        broadcaster.publish("stats", "visit_total", {"total": 12})

    for hook in (online, polls, stats):
        broadcaster.before_tick(hook)
    broadcaster.publish("poll:7", "poll_results", {"votes": 3}, priority=-1)
    assert await broadcaster.tick() == 3
    assert [(event, room) for event, _, room, _ in emitter.emitted] == [
        ("poll_results", "poll:7"),
        ("online_count", "online"),
        ("visit_total", "stats"),
    ]
    assert "Broadcast hook" in caplog.text and "polls" in caplog.text
    assert "database gone" in caplog.text


async def test_a_failing_emit_skips_only_its_own_room(caplog: Any) -> None:
    class RefusingEmitter(RecordingEmitter):
        async def emit(
            self,
            event: str,
            data: Any = None,
            *,
            to: str | None = None,
            namespace: str | None = None,
        ) -> None:
            if to == "poll:7":
                raise ConnectionError("gone")
            await super().emit(event, data, to=to, namespace=namespace)

    emitter = RefusingEmitter()
    broadcaster = Broadcaster(emitter)
    broadcaster.publish("poll:7", "poll_results", {"votes": 3}, priority=-1)
    broadcaster.publish("online", "online_count", {"connected": 4})
    assert await broadcaster.tick() == 1
    assert emitter.emitted == [("online_count", {"connected": 4}, "online", "/")]
    assert "Broadcast to poll:7 failed" in caplog.text


def test_a_room_carries_one_event_at_one_priority() -> None:
    broadcaster = Broadcaster(RecordingEmitter())
    broadcaster.publish("poll:7", "poll_results", {"votes": 1}, priority=-1)
    broadcaster.publish("poll:7", "poll_results", {"votes": 2}, priority=-1)  # the same: fine
    with pytest.raises(ChannelConflict, match="poll_results"):
        broadcaster.publish("poll:7", "poll_phase", {"phase": "open"}, priority=-1)
    with pytest.raises(ChannelConflict, match="priority"):
        broadcaster.publish("poll:7", "poll_results", {"votes": 3})
    assert broadcaster.snapshot("poll:7") == {"votes": 2}  # a refused publish changes nothing
    broadcaster.publish("poll:7", "poll_results", {"votes": 3}, namespace="/moderasi")
    broadcaster.forget("poll:7")
    broadcaster.publish("poll:7", "poll_phase", {"phase": "open"})  # forgotten: given anew


async def test_a_prompt_send_lets_a_reply_under_way_go_out_first() -> None:
    """A vote's acknowledgement takes a few turns of the loop to be written; the results'
    fan-out that the vote prompted starts after it, not in front of it."""
    emitter = RecordingEmitter()
    broadcaster = Broadcaster(emitter)
    order: list[str] = []

    async def reply() -> None:  # stands for the acknowledgement's way to the transport
        for _ in range(PROMPT_SETTLE_TURNS - 1):
            await asyncio.sleep(0)
        order.append("reply written")

    async def produce() -> list[str]:
        broadcaster.publish("poll:1", "poll_results", {"voters": 1})
        order.append("fan-out")
        return ["poll:1"]

    broadcaster.prompt(produce)
    writing = asyncio.ensure_future(reply())
    await prompted(broadcaster)
    await writing
    assert order == ["reply written", "fan-out"]
    assert [e[0] for e in emitter.emitted] == ["poll_results"]
