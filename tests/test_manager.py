"""The client manager's own behaviour, on a real Socket.IO server object."""

from __future__ import annotations

import socketio

from realtime.manager import DirectManager


async def test_a_connect_from_a_socket_already_closed_is_refused_quietly() -> None:
    manager = DirectManager()
    server = socketio.AsyncServer(async_mode="asgi", client_manager=manager)
    server.environ["open"] = {}
    assert await manager.pre_connect("gone", "/") is None
    sid = await manager.pre_connect("open", "/")
    assert sid is not None and manager.eio_sid_from_sid(sid, "/") == "open"
