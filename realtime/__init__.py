"""The live layer: Socket.IO on the same port as the pages, pushing presence (and later polls
and statistics) to every open page through the coalescing broadcaster."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncGenerator

import engineio
import socketio
from quart import Quart

from content import site
from content.db import unless_unavailable
from content.events import ContentChanged, PageView
from content.runtime import Runtime
from content.web.state import Portal
from realtime.dashboard import DashboardChannel
from realtime.editing import EditingNamespace
from realtime.identity import IdentityReader
from realtime.manager import DirectManager
from realtime.moderation import ModerationNamespace
from realtime.namespaces import EDITORIAL, MODERATION
from realtime.polls import PollChannel
from realtime.presence import PresenceTracker
from realtime.server import Live, PublicNamespace, origin_checker
from realtime.stats import STATS_ROOM, StatsChannel

log = logging.getLogger(__name__)


def init_app(app: Quart, portal: Portal) -> Live:
    """Create the Socket.IO server and the presence tracker, and give them to the portal; run
    the broadcaster while serving."""
    config = app.config
    sio = socketio.AsyncServer(
        async_mode="asgi",
        client_manager=DirectManager(),
        cors_allowed_origins=origin_checker(tuple(config["ALLOWED_ORIGINS"])),
        ping_interval=config["SOCKET_PING_INTERVAL"],
        ping_timeout=config["SOCKET_PING_TIMEOUT"],
        max_http_buffer_size=config["SOCKET_MAX_PAYLOAD"],
        # WebSocket only: Engine.IO's long-polling POSTs over the buffer size are never answered
        # and hold up Hypercorn's shutdown. Pages work without the socket anyway.
        transports=["websocket"],
        logger=False,
        engineio_logger=False,
    )
    database = portal.database
    tracker = PresenceTracker(
        active_window=config["ACTIVE_WINDOW"],
        move_grace=config["PRESENCE_MOVE_GRACE"],
        title_suffix=f" – {config['SITE_NAME']}",
    )
    live = Live(
        sio,
        tracker,
        IdentityReader(app, database, portal.visitor_signer),
        tick=config["LIVE_TICK"],
        event_burst=config["SOCKET_EVENT_BURST"],
        event_rate=config["SOCKET_EVENT_RATE"],
        sockets_per_address=config["SOCKETS_PER_ADDRESS"],
        fanout_per_tick=config["LIVE_FANOUT_PER_TICK"],
    )
    live.stats = StatsChannel(
        portal.hits, live.broadcaster, database, figures=config["STATS_FIGURES"]
    )
    live.polls = PollChannel(
        live.broadcaster,
        database,
        portal.poll_guard,
        portal.vote_throttle,
        portal.catalogs,
        timezone=config["TIMEZONE"],
        alert_per_minute=config["POLL_ALERT_PER_MINUTE"],
    )
    live.dashboard = DashboardChannel(
        live.broadcaster,
        tracker,
        database,
        now=portal.clock.now,
        room_size=live.room_size,
    )
    public = PublicNamespace("/", live)
    sio.register_namespace(public)
    live.polls.module_watchers = public.module_watchers
    moderation = ModerationNamespace(MODERATION, live)
    sio.register_namespace(moderation)
    editorial = EditingNamespace(EDITORIAL, live)
    sio.register_namespace(editorial)
    live.broadcaster.before_tick(live.publish_presence)
    live.broadcaster.before_tick(moderation.before_tick)
    live.broadcaster.before_tick(live.stats.before_tick)
    live.broadcaster.before_tick(live.polls.before_tick)
    live.broadcaster.before_tick(live.dashboard.before_tick)

    async def keep_record() -> None:
        if tracker.record_changed and tracker.record_at:
            with unless_unavailable(log, "The online record"):  # tried again next tick
                await site.save_online_record(database, tracker.record, tracker.record_at)
                tracker.record_changed = False

    live.broadcaster.before_tick(keep_record)

    events = portal.events
    events.subscribe(PageView, lambda view: tracker.page_view(view.visitor_id, bot=view.bot))
    live.polls.listen(events)
    events.subscribe(ContentChanged, live.stats.content_changed)
    live.dashboard.listen(events)
    portal.live = live

    # while_serving, registered after the database's: starts after it opens, ends before it closes.
    @app.while_serving
    async def broadcast_while_serving() -> AsyncGenerator[None, None]:
        tracker.record, tracker.record_at = await site.online_record(database)
        live.broadcaster.publish(STATS_ROOM, "visit_total", live.stats.total_snapshot())
        app.add_background_task(live.broadcaster.run, app.shutdown_event)
        yield
        # The broadcaster has made its last tick (Quart awaits background tasks first).
        await keep_record()
        await sio.shutdown()

    return live


def live_of(app: Quart) -> Live:
    """The app's live layer; LookupError before init_app gave it one."""
    live = Runtime.of(app).live
    if not isinstance(live, Live):
        raise LookupError("The app has no live layer (realtime.init_app gives it one).")
    return live


# Sockets closed between two yields to the event loop as a stop closes them all.
CLOSE_BATCH = 64


async def close_websockets(eio: engineio.AsyncServer) -> int:
    """Close every Engine.IO socket still open, each with a WebSocket close frame; how many.

    Engine.IO's own `disconnect()` runs the disconnect handlers and queues a CLOSE packet, but
    over WebSocket neither the socket.io client nor a raw client acts on that packet, and the
    connection stays open until the client leaves or the server cuts it. Here each socket is
    closed the same way (handlers, then the CLOSE packet), and its writer is then given the
    end-of-queue marker the socket's reader gives it when a client leaves: the writer sends
    what is queued, the CLOSE packet last, and closes the WebSocket (ASGI `websocket.close`,
    a close frame with code 1000). The client answers with its own close frame and the
    connection ends at once, well within the grace. One socket at a time, handing the event
    loop back every CLOSE_BATCH sockets so the writers of the sockets closed so far run."""
    closing = [socket for socket in list(eio.sockets.values()) if not socket.closing]
    for count, socket in enumerate(closing, start=1):
        try:
            await socket.close(wait=False, reason=eio.reason.SERVER_DISCONNECT)
        except Exception:  # one handler's failure must not keep the others open
            log.exception("Closing socket %s failed", socket.sid)
        socket.queue.put_nowait(None)  # the writer ends: the WebSocket's close frame
        if count % CLOSE_BATCH == 0:
            await asyncio.sleep(0)
    return len(closing)


async def close_sockets(app: Quart, seconds: float) -> None:
    """Close every socket as the server begins to stop, so pages are told at once (and
    reconnect to the next server) instead of being cut when the grace time runs out; sockets
    accepted just before the listener closed are closed too."""
    live = live_of(app)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while loop.time() < deadline:
        await close_websockets(live.sio.eio)
        await asyncio.sleep(0.1)
