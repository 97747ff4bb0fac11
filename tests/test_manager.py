"""The client manager's own behaviour, on a real Socket.IO server object."""

from __future__ import annotations

import asyncio
from typing import Any

import engineio.async_socket
import socketio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from realtime.manager import WRITE_BATCH, DirectManager, IndexedRooms


async def test_a_connect_from_a_socket_already_closed_is_refused_quietly() -> None:
    manager = DirectManager()
    server = socketio.AsyncServer(async_mode="asgi", client_manager=manager)
    server.environ["open"] = {}
    assert await manager.pre_connect("gone", "/") is None
    sid = await manager.pre_connect("open", "/")
    assert sid is not None and manager.eio_sid_from_sid(sid, "/") == "open"


async def room_of(count: int) -> tuple[DirectManager, list[Any]]:
    """A real server whose manager has `count` Engine.IO sockets in room "big" of "/"."""
    manager = DirectManager()
    server = socketio.AsyncServer(async_mode="asgi", client_manager=manager)
    sockets = []
    for n in range(count):
        eio_sid = f"eio{n}"
        socket = engineio.async_socket.AsyncSocket(server.eio, eio_sid)
        server.eio.sockets[eio_sid] = socket
        server.environ[eio_sid] = {}
        sid = await manager.connect(eio_sid, "/")
        await manager.enter_room(sid, "/", "big")
        sockets.append(socket)
    return manager, sockets


def queued(socket: Any) -> list[str]:
    """The messages waiting in a socket's queue, as their Engine.IO payloads."""
    packets = []
    while not socket.queue.empty():
        packets.append(socket.queue.get_nowait().data)
    return packets


async def test_a_big_room_emit_lets_writers_run_before_its_last_socket_is_queued() -> None:
    manager, sockets = await room_of(WRITE_BATCH * 2 + 10)
    seen: list[int] = []

    async def writer() -> None:  # stands for the sockets' writer tasks, waiting for their turn
        seen.append(sum(not socket.queue.empty() for socket in sockets))

    task = asyncio.create_task(writer())
    await manager.emit("results", {"voters": 1}, "/", room="big")
    await task
    # the other task ran once the first batch was queued, not after the whole room
    assert seen == [WRITE_BATCH]
    assert all(queued(socket) == ['2["results",{"voters":1}]'] for socket in sockets)


async def test_two_room_emits_reach_every_socket_in_the_order_they_were_made() -> None:
    manager, sockets = await room_of(WRITE_BATCH * 3)
    first_sid = manager.sid_from_eio_sid("eio0", "/")

    async def leave_then_emit() -> None:
        # the room changes while the first emit is under way (a tab closes), then a newer
        # snapshot goes out: it must not overtake the first one on any socket
        await manager.leave_room(first_sid, "/", "big")
        await manager.emit("results", {"voters": 2}, "/", room="big")

    await asyncio.gather(manager.emit("results", {"voters": 1}, "/", room="big"), leave_then_emit())
    expected = ['2["results",{"voters":1}]', '2["results",{"voters":2}]']
    assert queued(sockets[0]) == expected[:1]
    assert [queued(socket) for socket in sockets[1:]] == [expected] * (len(sockets) - 1)


# The per-socket room index: the same rooms as python-socketio's own manager, at the cost of
# the socket's rooms.


def _managed(manager: socketio.AsyncManager) -> socketio.AsyncManager:
    """A manager on a real server whose sids are numbered, so two managers fed the same
    operations give the same sids."""
    server = socketio.AsyncServer(async_mode="asgi", client_manager=manager)
    numbers = iter(range(1_000_000))
    server.eio.generate_id = lambda: f"s{next(numbers)}"
    return manager


def _state(manager: socketio.AsyncManager) -> dict[str, Any]:
    return {
        "rooms": {
            namespace: {room: dict(members) for room, members in rooms.items()}
            for namespace, rooms in manager.rooms.items()
        },
        "callbacks": {sid: sorted(k for k in ids if k) for sid, ids in manager.callbacks.items()},
        "pending_connect": manager.pending_connect,
        "pending_disconnect": manager.pending_disconnect,
    }


NAMESPACES = ("/", "/moderasi")
ROOMS = ("online", "stats", "poll:1", "page:/a")
operation = st.one_of(
    st.tuples(st.just("connect"), st.integers(0, 5), st.sampled_from(NAMESPACES)),
    st.tuples(st.just("pre_connect"), st.integers(0, 5), st.sampled_from(NAMESPACES)),
    st.tuples(st.just("enter"), st.integers(0, 30), st.sampled_from(ROOMS)),
    st.tuples(st.just("enter_sid_room"), st.integers(0, 30), st.integers(0, 30)),
    st.tuples(st.just("leave"), st.integers(0, 30), st.sampled_from(ROOMS)),
    st.tuples(st.just("leave_own"), st.integers(0, 30), st.just("")),
    st.tuples(st.just("close"), st.sampled_from(ROOMS), st.sampled_from(NAMESPACES)),
    st.tuples(st.just("ack"), st.integers(0, 30), st.just("")),
    st.tuples(st.just("pre_disconnect"), st.integers(0, 30), st.just("")),
    st.tuples(st.just("disconnect"), st.integers(0, 30), st.just("")),
)


async def _apply(manager: socketio.AsyncManager, steps: list[tuple[Any, ...]]) -> list[Any]:
    """Feed the steps to a manager; what each step answered (or raised)."""
    sids: list[tuple[str, str]] = []  # (sid, namespace) in the order they connected
    answers: list[Any] = []
    for kind, a, b in steps:
        try:
            if kind in ("connect", "pre_connect"):
                # as the server does: pre-connected, then connected once the handler accepts
                sid = await manager.pre_connect(f"eio{a}", b)
                if kind == "connect" and sid is not None:
                    sid = await manager.connect(sid, b)
                if sid is not None and (sid, b) not in sids:
                    sids.append((sid, b))
                answers.append(sid)
                continue
            if kind == "close":
                answers.append(await manager.close_room(b, a))
                continue
            if not sids:
                continue
            sid, namespace = sids[a % len(sids)]
            if kind == "enter":
                answers.append(await manager.enter_room(sid, namespace, b))
            elif kind == "enter_sid_room":
                other = sids[b % len(sids)][0]
                answers.append(await manager.enter_room(sid, namespace, other))
            elif kind == "leave":
                answers.append(await manager.leave_room(sid, namespace, b))
            elif kind == "leave_own":
                answers.append(await manager.leave_room(sid, namespace, sid))
            elif kind == "ack":
                answers.append(manager._generate_ack_id(sid, print))
            elif kind == "pre_disconnect":
                answers.append(manager.pre_disconnect(sid, namespace))
            else:
                answers.append(await manager.disconnect(sid, namespace))
        except (KeyError, ValueError) as error:
            answers.append(type(error).__name__)
        answers.append({key: _seen(manager, *key) for key in sids})
        answers.append(_state(manager))
    return answers


def _seen(manager: socketio.AsyncManager, sid: str, namespace: str) -> Any:
    """What the server asks the manager about a socket."""
    try:
        eio_sid = manager.eio_sid_from_sid(sid, namespace)
    except KeyError:  # the library's own answer once a namespace has only empty rooms left
        eio_sid = "KeyError"
    return (
        sorted(map(str, manager.get_rooms(sid, namespace))),
        manager.is_connected(sid, namespace),
        eio_sid,
        manager.sid_from_eio_sid(eio_sid, namespace),
    )


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(operation, max_size=60))
def test_the_room_index_behaves_as_the_librarys_manager(steps: list[tuple[Any, ...]]) -> None:
    indexed = _managed(IndexedRooms())
    stock = _managed(socketio.AsyncManager())
    assert asyncio.run(_apply(indexed, steps)) == asyncio.run(_apply(stock, steps))
    # the index says exactly who is in which room, and keeps nothing for rooms left
    members = {
        (namespace, sid, room)
        for namespace, rooms in indexed.rooms.items()
        for room, in_room in rooms.items()
        for sid in in_room
    }
    indexed_members = {
        (namespace, sid, room)
        for namespace, of_namespace in indexed.rooms_of.items()
        for sid, joined in of_namespace.items()
        for room in joined
    }
    assert indexed_members == members
    assert all(
        of_namespace and all(of_namespace.values()) for of_namespace in indexed.rooms_of.values()
    )


class CountingRooms(dict):  # type: ignore[type-arg]
    """A namespace's rooms that count the rooms walked through by a copy or a pass over them."""

    walked = 0

    def copy(self) -> dict[Any, Any]:
        CountingRooms.walked += len(self)
        return dict(self)

    def items(self) -> Any:
        CountingRooms.walked += len(self)
        return super().items()

    def __iter__(self) -> Any:
        CountingRooms.walked += len(self)
        return super().__iter__()


async def _disconnect_all(manager: socketio.AsyncManager, count: int) -> int:
    """Connect `count` sockets (each in its sid room and two shared rooms), then disconnect
    them all as a stop does; the rooms walked through plus the rooms left."""
    _managed(manager)
    manager.rooms["/"] = CountingRooms()
    sids = []
    for n in range(count):
        manager.server.environ[f"eio{n}"] = {}
        sid = await manager.connect(await manager.pre_connect(f"eio{n}", "/"), "/")
        await manager.enter_room(sid, "/", "online")
        await manager.enter_room(sid, "/", f"page:{n % 7}")
        sids.append(sid)
    left = 0
    leave = manager.basic_leave_room

    def counted_leave(sid: str, namespace: str, room: Any) -> None:
        nonlocal left
        left += 1
        leave(sid, namespace, room)

    manager.basic_leave_room = counted_leave
    CountingRooms.walked = 0
    for sid in sids:
        manager.pre_disconnect(sid, "/")
        await manager.disconnect(sid, "/")
    assert manager.rooms == {} and manager.pending_disconnect == {}
    return CountingRooms.walked + left


async def test_disconnecting_every_socket_costs_linear_work() -> None:
    ours = [await _disconnect_all(DirectManager(), n) for n in (250, 500, 1000)]
    # four rooms per socket (everyone, its sid, online, its page): four leaves each, no scans
    assert ours == [4 * 250, 4 * 500, 4 * 1000]
    # python-socketio's own manager scans every room per disconnect: four times the work for
    # twice the sockets (this is what the index is for; it shows the count measures it)
    stock = [await _disconnect_all(socketio.AsyncManager(), n) for n in (250, 500)]
    assert stock[1] > 3.5 * stock[0] and stock[0] > 250 * 250 / 2
