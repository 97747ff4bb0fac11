"""The client manager: a room emit encodes its packet once and queues it on each socket in turn.

python-socketio's own manager creates one task per recipient and waits for them all; for a poll
watched by thousands that is thousands of tasks per emit. Queueing a packet on a socket never
waits (Engine.IO's queue is unbounded, and each socket's writer task sends it), so one loop does
the same work without the tasks. Emits with a callback (acknowledged, one recipient) keep the
library's path.

The loop hands the event loop back every WRITE_BATCH sockets, so the sockets queued so far are
written while the rest are queued: the first watcher of a big room, and the voter waiting for
its acknowledgement, wait for one batch rather than for the whole room; a batch costs one
pass of the event loop, little beside the 64 sockets' own writes. Room emits take turns
(one lock), so two emits reach every socket in the order they were made.

A socket's disconnect leaves only the rooms that socket is in. python-socketio's manager finds
them by copying and scanning every room of the namespace, and every socket has a room of its own
(its sid), so one tab closing costs a pass over all the sockets and a stop closing N sockets
costs N^2. The manager keeps, per namespace and socket, the rooms it joined (`RoomIndex`):
updated where the library enters and leaves a room, read by disconnect and `get_rooms`. Rooms
themselves are the library's (`self.rooms`), so everything that reads them is unchanged.

It also refuses a namespace connect whose Engine.IO socket closed before the connect was
handled (a stop closing every socket as pages connect), which the library would otherwise
answer with a KeyError.
"""

from __future__ import annotations

import asyncio
from typing import Any

import socketio
from engineio import exceptions as eio_exceptions
from engineio import packet as eio_packet
from socketio import packet

# Sockets queued between two yields to the event loop during one room emit.
WRITE_BATCH = 64


class IndexedRooms(socketio.AsyncManager):  # type: ignore[misc]
    """AsyncManager that knows each socket's rooms, so a disconnect (and `get_rooms`) costs the
    rooms of that socket rather than a pass over every room of the namespace.

    Written against python-socketio's BaseManager: every change of membership goes through
    `basic_enter_room` and `basic_leave_room` (`basic_close_room` and `basic_disconnect` call
    the latter), so keeping the index there keeps it true. `get_rooms` lists a socket's rooms
    in the order it joined them (the library lists them in the order the rooms were made)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # rooms_of[namespace][sid]: the rooms the socket is in (None, the namespace's
        # everyone-room, and its own sid room included), in the order it joined them
        self.rooms_of: dict[str, dict[str, dict[Any, None]]] = {}

    def basic_enter_room(
        self, sid: str, namespace: str, room: Any, eio_sid: str | None = None
    ) -> None:
        super().basic_enter_room(sid, namespace, room, eio_sid=eio_sid)
        # reached only when the library put the socket in the room (it raises otherwise)
        self.rooms_of.setdefault(namespace, {}).setdefault(sid, {})[room] = None

    def basic_leave_room(self, sid: str, namespace: str, room: Any) -> None:
        super().basic_leave_room(sid, namespace, room)
        of_namespace = self.rooms_of.get(namespace)
        joined = of_namespace.get(sid) if of_namespace is not None else None
        if joined is None or room not in joined:
            return
        del joined[room]
        if not joined:
            del of_namespace[sid]  # type: ignore[union-attr]
            if not of_namespace:
                del self.rooms_of[namespace]

    def basic_disconnect(self, sid: str, namespace: str, **kwargs: Any) -> None:
        """The library's disconnect, leaving the socket's own rooms instead of scanning all."""
        if namespace not in self.rooms:
            return
        for room in list(self.rooms_of.get(namespace, {}).get(sid, ())):
            self.basic_leave_room(sid, namespace, room)
        self.callbacks.pop(sid, None)
        for pending in (self.pending_connect, self.pending_disconnect):
            waiting = pending.get(namespace)
            if waiting is not None and sid in waiting:
                waiting.remove(sid)
                if not waiting:
                    del pending[namespace]

    def get_rooms(self, sid: str, namespace: str) -> list[Any]:
        """The rooms a socket is in (its sid room included, the everyone-room not)."""
        joined = self.rooms_of.get(namespace, {}).get(sid, ())
        return [room for room in joined if room is not None]


class DirectManager(IndexedRooms):
    """AsyncManager whose room emits queue one shared Engine.IO packet per socket, in one loop."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._emitting = asyncio.Lock()

    async def pre_connect(self, eio_sid: str, namespace: str) -> str | None:
        if eio_sid not in self.server.environ:
            return None  # the socket is gone: nobody to connect (the library sends no reply)
        sid: str | None = await super().pre_connect(eio_sid, namespace)
        return sid

    async def emit(
        self,
        event: str,
        data: Any,
        namespace: str,
        room: str | None = None,
        skip_sid: Any = None,
        callback: Any = None,
        to: str | None = None,
        **kwargs: Any,
    ) -> None:
        room = to or room
        if callback is not None or namespace not in self.rooms:
            await super().emit(
                event, data, namespace, room=room, skip_sid=skip_sid, callback=callback, **kwargs
            )
            return
        args = list(data) if isinstance(data, tuple) else [] if data is None else [data]
        encoded = self.server.packet_class(
            packet.EVENT, namespace=namespace, data=[event, *args]
        ).encode()
        if isinstance(encoded, list):  # binary attachments: several packets, the library's way
            await super().emit(
                event, data, namespace, room=room, skip_sid=skip_sid, callback=callback, **kwargs
            )
            return
        message = eio_packet.Packet(eio_packet.MESSAGE, encoded)
        skip = set(skip_sid) if isinstance(skip_sid, list) else {skip_sid}
        eio = self.server.eio
        async with self._emitting:
            participants = list(self.get_participants(namespace, room))
            for queued, (sid, eio_sid) in enumerate(participants, start=1):
                if sid in skip:
                    continue
                try:
                    await eio.send_packet(eio_sid, message)
                except eio_exceptions.SocketIsClosedError:
                    continue  # closed meanwhile: its disconnect handler removes it from the rooms
                if queued % WRITE_BATCH == 0 and queued < len(participants):
                    await asyncio.sleep(0)  # let the writers of the sockets queued so far run
