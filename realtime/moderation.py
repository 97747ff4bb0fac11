"""The moderators' live room: the /moderasi namespace and its presence table channel."""

from __future__ import annotations

from typing import Any

import socketio

from content.live import moderation_snapshot
from realtime.namespaces import MODERATION
from realtime.polls import ALERTS_ROOM
from realtime.server import GuardedNamespace
from realtime.stats import STATISTICS_ROOM

ROOM = "moderation"


class ModerationNamespace(GuardedNamespace):
    """Only moderators and admins may connect; they get the presence table, live."""

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        identity = await self.identify(sid, environ)
        if not identity.can_moderate:
            self.forget(sid)
            raise socketio.exceptions.ConnectionRefusedError("moderators_only")
        if self.live.broadcaster.snapshot(ROOM, MODERATION) is None:
            self.publish()
        await self.live.broadcaster.subscribe(sid, ROOM, MODERATION)
        await self.live.broadcaster.subscribe(sid, STATISTICS_ROOM, MODERATION)
        await self.live.broadcaster.subscribe(sid, ALERTS_ROOM, MODERATION)

    async def on_disconnect(self, sid: str, reason: Any = None) -> None:
        self.forget(sid)

    def publish(self) -> None:
        """Store the current table as the channel's snapshot (sent at the next tick)."""
        self.live.broadcaster.publish(
            ROOM, "presence_table", moderation_snapshot(self.live.tracker), MODERATION
        )

    def before_tick(self) -> None:
        """Recompute the table once per tick, only while a moderator watches and it changed
        (a departure whose grace ran out is a change too)."""
        self.live.tracker.expire_departures()
        if self.identities and self.live.tracker.changed:
            self.live.tracker.changed = False
            self.publish()
