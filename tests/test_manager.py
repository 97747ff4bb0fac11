"""The client manager's own behaviour, on a real Socket.IO server object."""

from __future__ import annotations

import asyncio
from typing import Any

import engineio.async_socket
import socketio

from realtime.manager import WRITE_BATCH, DirectManager


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
