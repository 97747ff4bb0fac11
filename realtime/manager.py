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


class DirectManager(socketio.AsyncManager):  # type: ignore[misc]
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
