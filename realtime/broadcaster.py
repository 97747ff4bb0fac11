"""Coalescing broadcaster: one snapshot per channel, emitted at most once per tick, on change.

A channel is a Socket.IO room in a namespace with the event that carries its snapshot. Producers
`publish()` as often as they like (it only stores); `tick()` emits each changed snapshot once to
its room. A new subscriber gets the current snapshot at once. Nothing here knows what the
snapshots mean; an implementation over another transport or a shared store can replace it.

A channel whose news should not wait for the tick (a vote's results) is sent with `prompt()`:
at once when the channel was quiet for a whole tick, else by the next tick as usual. So the
first change after a quiet spell goes out immediately and a busy channel still costs at most
one emit per tick (plus the prompt one).

An emit costs the server about the same for each socket in the room. So a room larger than
`fanout_per_tick` sockets is sent to less often: at most once per `tick x size /
fanout_per_tick` (a room of 10,000 with 2,000 per tick: every 5 ticks). The online count that
changes every second then costs a busy site a fifth of the work, and a vote's results are not
queued behind it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

log = logging.getLogger(__name__)

# Turns of the event loop a prompt send lets pass before it fans out. The change that prompted
# it usually came with a reply still on its way (a vote's acknowledgement: socket.io's ack ->
# the voter's Engine.IO queue -> its writer task -> ASGI send -> Hypercorn -> the transport, a
# turn each); a room emit of thousands started first would put that reply behind every
# recipient's writer (2 ms -> 20-80 ms at 10,000 watchers, p99 and CPU up with it). Counted in
# turns, not time: nothing waits when the loop is idle.
PROMPT_SETTLE_TURNS = 5


class Emitter(Protocol):
    """The part of socketio.AsyncServer the broadcaster uses."""

    async def emit(
        self, event: str, data: Any = None, *, to: str | None = None, namespace: str | None = None
    ) -> None: ...

    async def enter_room(self, sid: str, room: str, namespace: str | None = None) -> None: ...


class ChannelConflict(ValueError):
    """A room was published with another event or priority than it was given first: two
    producers disagree about what the room carries."""


def room_name(kind: str, key: object) -> str:
    """The one way to name a room: `poll:7`, `page:/artikel/12-judul`."""
    return f"{kind}:{key}"


@dataclass
class Channel:
    """A room's latest snapshot and the last one sent."""

    room: str
    event: str
    namespace: str
    snapshot: Any = None
    sent: Any = None
    priority: int = 0  # lower goes out first within a tick
    sent_at: float = float("-inf")  # loop time of the last emit
    sent_tick: int = -(2**62)  # the tick count at the last emit


class Broadcaster:
    """Holds snapshots per channel and sends the changed ones once per tick."""

    def __init__(
        self,
        emitter: Emitter,
        tick: float = 1.0,
        *,
        room_size: Callable[[str, str], int] | None = None,
        fanout_per_tick: int = 0,
    ) -> None:
        self.emitter = emitter
        self.tick_seconds = tick
        self.room_size = room_size  # (room, namespace) -> sockets in it
        self.fanout_per_tick = fanout_per_tick  # 0: every room may be sent to every tick
        self._channels: dict[tuple[str, str], Channel] = {}
        self._before_tick: list[Callable[[], Awaitable[None] | None]] = []
        self.emits = 0  # how many room emits were made (for tests and benchmarks)
        self.ticks = 0
        self._prompts: set[asyncio.Task[None]] = set()

    def before_tick(self, hook: Callable[[], Awaitable[None] | None]) -> None:
        """Run `hook` at the start of each tick (producers compute their snapshots there)."""
        self._before_tick.append(hook)

    def publish(
        self, room: str, event: str, snapshot: Any, namespace: str = "/", *, priority: int = 0
    ) -> None:
        """Store the newest snapshot of a channel; it is sent at the next tick if it changed.

        Within a tick, channels with a lower priority go out first (a vote's results before
        the visitor counters that the voter's arrival also moved). A room carries one event at
        one priority: publishing another raises ChannelConflict (forget() the room first).
        """
        channel = self._channels.get((namespace, room))
        if channel is None:
            channel = self._channels[(namespace, room)] = Channel(
                room, event, namespace, priority=priority
            )
        elif channel.event != event or channel.priority != priority:
            raise ChannelConflict(
                f"Room {room!r} in {namespace!r} carries {channel.event!r} at priority "
                f"{channel.priority}, not {event!r} at priority {priority}."
            )
        channel.snapshot = snapshot

    def snapshot(self, room: str, namespace: str = "/") -> Any:
        """The newest snapshot of a channel, or None."""
        channel = self._channels.get((namespace, room))
        return None if channel is None else channel.snapshot

    def forget(self, room: str, namespace: str = "/") -> None:
        """Drop a channel nobody needs any more (e.g. a page nobody reads)."""
        self._channels.pop((namespace, room), None)

    async def subscribe(self, sid: str, room: str, namespace: str = "/") -> None:
        """Put a socket in a room and send it the current snapshot at once."""
        await self.emitter.enter_room(sid, room, namespace=namespace)
        channel = self._channels.get((namespace, room))
        if channel is not None and channel.snapshot is not None:
            await self.emitter.emit(channel.event, channel.snapshot, to=sid, namespace=namespace)

    def ticks_apart(self, channel: Channel) -> int:
        """How many ticks apart a channel's emits are: one, more for a big room."""
        if not self.fanout_per_tick or self.room_size is None:
            return 1
        size = self.room_size(channel.room, channel.namespace)
        return max(1, math.ceil(size / self.fanout_per_tick))

    def quiet(self, room: str, namespace: str = "/") -> bool:
        """Whether a channel has sent nothing for as long as its emits are apart (a prompt send
        may go out now)."""
        channel = self._channels.get((namespace, room))
        if channel is None:
            return True
        return _now() - channel.sent_at >= self.ticks_apart(channel) * self.tick_seconds

    def prompt(self, produce: Callable[[], Awaitable[list[str]]], namespace: str = "/") -> None:
        """Run `produce` (which publishes and returns the rooms it published) in a task, then
        send those rooms' changed snapshots at once if they were quiet for a tick. The task is
        awaited when the broadcaster stops."""
        task = asyncio.ensure_future(self._prompt(produce, namespace))
        self._prompts.add(task)
        task.add_done_callback(self._prompts.discard)

    async def _prompt(self, produce: Callable[[], Awaitable[list[str]]], namespace: str) -> None:
        try:
            for _ in range(PROMPT_SETTLE_TURNS):
                await asyncio.sleep(0)  # what the loop has under way goes first (see above)
            rooms = await produce()
            for room in rooms:
                channel = self._channels.get((namespace, room))
                if channel is not None and self.quiet(room, namespace):
                    await self._send(channel)
        except Exception:
            log.exception("Prompt broadcast failed")

    async def _send(self, channel: Channel) -> bool:
        """Emit a channel's snapshot if it changed since the last emit."""
        if channel.snapshot is None or channel.snapshot == channel.sent:
            return False
        channel.sent = channel.snapshot
        channel.sent_at = _now()
        channel.sent_tick = self.ticks
        await self.emitter.emit(
            channel.event, channel.snapshot, to=channel.room, namespace=channel.namespace
        )
        self.emits += 1
        return True

    async def tick(self) -> int:
        """Run the hooks, then emit every changed snapshot once; returns how many were sent.

        Each hook and each emit stands alone: one that fails is logged and skips only what it
        would have published or sent, never the other channels of the tick.
        """
        for hook in self._before_tick:
            try:
                result = hook()
                if result is not None:
                    await result
            except Exception:
                log.exception("Broadcast hook %s failed", getattr(hook, "__qualname__", hook))
        self.ticks += 1
        sent = 0
        for channel in sorted(self._channels.values(), key=lambda c: c.priority):
            if self.ticks - channel.sent_tick >= self.ticks_apart(channel):
                try:
                    sent += await self._send(channel)
                except Exception:
                    log.exception("Broadcast to %s failed", channel.room)
        return sent

    async def run(self, stop: asyncio.Event) -> None:
        """Tick until `stop` is set, then tick once more so nothing pending is lost."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.tick_seconds)
            try:
                await self.tick()
            except Exception:
                log.exception("Broadcast tick failed")
        if self._prompts:  # what they published goes out with one more tick
            await asyncio.wait(set(self._prompts))
            await self.tick()


def _now() -> float:
    return asyncio.get_running_loop().time()
