"""The editors' live room, the /redaksi namespace: who has which article, event or custom module
form open.

Only staff who may edit connect (the login cookie of the handshake says who; a visitor is
refused with "editors_only"). A form's page sends `open_item` and its socket joins the item's
room; everyone in the room gets `editors_here` when someone arrives or leaves. It is advice,
not a lock: nothing is held but the open sockets, so a closed tab drops out when its socket
closes and a vanished one when Engine.IO's ping goes unanswered (PORTAL_SOCKET_PING_INTERVAL +
PORTAL_SOCKET_PING_TIMEOUT).

Events (client -> server, acknowledged):
  open_item {"kind": "article" | "event" | "custom_module", "id": int}
      -> {"ok": true, "item": "article:12"} or {"ok": false, "error": "bad_item"}
      A socket has one item open at a time (its page); opening another leaves the first.
  close_item {} -> {"ok": true}

Events (server -> client), sent to the item's room only, and only when the list changed:
  editors_here {"item": "article:12",
                "editors": [{"id": int, "name": str, "since": UTC ISO text, "tabs": int}]}
      One entry per person (two tabs of one editor show once; `since` is when the person
      opened it in a tab still open), oldest first. The page leaves its own id out when it
      draws the list.

Adding a channel (a live figure for the editors, e.g. the dashboard's): pick a room name with
`room_name("kind", key)` and an event named for what it carries; give the namespace an
imperative event that subscribes the socket (`watch(sid, room)` below sends the current
snapshot at once); publish the snapshot through the broadcaster with the EDITORIAL namespace
(`self.live.broadcaster.publish(room, "event_name", snapshot, EDITORIAL)`), from a before-tick
hook registered in realtime/__init__.py when it is computed from counters, or at the change
followed by `send_soon(room)` when it is a change someone waits for. The broadcaster emits a
channel only when its snapshot changed, at most once per tick, to its room only. Document the
payload here, as above.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import socketio

from realtime.broadcaster import room_name
from realtime.namespaces import EDITORIAL
from realtime.server import GuardedNamespace, Live

log = logging.getLogger(__name__)

ITEM_KINDS = ("article", "event", "custom_module")
EDITORS_EVENT = "editors_here"


def item_key(kind: str, item_id: int) -> str:
    """How an item is named in payloads: `article:12`."""
    return f"{kind}:{item_id}"


def item_room(kind: str, item_id: int) -> str:
    """The room of the people with one item's form open: `editing:article:12`."""
    return room_name("editing", item_key(kind, item_id))


def parse_item(data: Any) -> tuple[str, int] | None:
    """The (kind, id) of an `open_item` payload, or None when it names no item."""
    if not isinstance(data, dict):
        return None
    kind, item_id = data.get("kind"), data.get("id")
    if kind not in ITEM_KINDS or isinstance(item_id, bool) or not isinstance(item_id, int):
        return None
    if not 0 < item_id < 2**31:
        return None
    return kind, item_id


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Opened:
    """One tab with an item's form open."""

    key: str
    member_id: int
    name: str


class EditingRoster:
    """Which socket has which item open; who is on each item, one entry per person."""

    def __init__(self, now: Callable[[], datetime] = _utc_now) -> None:
        self.now = now
        self._items: dict[str, dict[str, Opened]] = {}  # item key -> sid -> tab
        self._item_of: dict[str, str] = {}  # sid -> item key
        # item key -> member id -> since when the person has had it open in some tab
        self._since: dict[str, dict[int, datetime]] = {}

    def open(self, sid: str, key: str, member_id: int, name: str) -> str | None:
        """The socket now has `key` open; returns the item it left for it, if another."""
        left = self.item_of(sid)
        if left == key:
            return None
        if left is not None:
            self.close(sid)
        self._items.setdefault(key, {})[sid] = Opened(key, member_id, name)
        self._since.setdefault(key, {}).setdefault(member_id, self.now())
        self._item_of[sid] = key
        return left

    def close(self, sid: str) -> str | None:
        """The socket closed its item (or itself); returns the item it left, if any."""
        key = self._item_of.pop(sid, None)
        if key is None:
            return None
        tabs = self._items.get(key, {})
        tab = tabs.pop(sid, None)
        if tab is not None and not any(t.member_id == tab.member_id for t in tabs.values()):
            self._since.get(key, {}).pop(tab.member_id, None)
        if not tabs:
            self._items.pop(key, None)
            self._since.pop(key, None)
        return key

    def item_of(self, sid: str) -> str | None:
        """The item a socket has open."""
        return self._item_of.get(sid)

    def items(self) -> list[str]:
        """The items someone has open."""
        return list(self._items)

    def editors(self, key: str) -> list[dict[str, Any]]:
        """The people on an item, oldest first: [{"id", "name", "since", "tabs"}]."""
        tabs: dict[int, list[Opened]] = {}
        for tab in self._items.get(key, {}).values():
            tabs.setdefault(tab.member_id, []).append(tab)
        since = self._since.get(key, {})
        ordered = sorted(tabs, key=lambda member: (since[member], tabs[member][0].name, member))
        return [
            {
                "id": member,
                "name": tabs[member][0].name,
                "since": since[member].isoformat(timespec="seconds"),
                "tabs": len(tabs[member]),
            }
            for member in ordered
        ]

    def snapshot(self, key: str) -> dict[str, Any]:
        """The `editors_here` payload of an item."""
        return {"item": key, "editors": self.editors(key)}


class EditingNamespace(GuardedNamespace):
    """Staff who may edit; each form page's socket says which item it shows."""

    def __init__(
        self, namespace: str, live: Live, *, now: Callable[[], datetime] = _utc_now
    ) -> None:
        super().__init__(namespace, live)
        self.roster = EditingRoster(now)

    async def on_connect(self, sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        identity = await self.identify(sid, environ)
        if not identity.can_edit:
            self.forget(sid)
            raise socketio.exceptions.ConnectionRefusedError("editors_only")

    async def on_disconnect(self, sid: str, reason: Any = None) -> None:
        self.forget(sid)
        left = self.roster.close(sid)
        if left is not None:
            self._changed(left)

    async def on_open_item(self, sid: str, data: Any) -> dict[str, Any]:
        """{"kind": "article" | "event" | "custom_module", "id": int}: join the item's room (see
        the module)."""
        identity = self.identities.get(sid)
        if identity is None or identity.member_id is None:
            return {"ok": False, "error": "not_connected"}
        item = parse_item(data)
        if item is None:
            return {"ok": False, "error": "bad_item"}
        key = item_key(*item)
        left = self.roster.open(sid, key, identity.member_id, identity.member or "")
        if left is not None:
            await self.leave_room(sid, _room_of(left))
            self._changed(left)
        self._publish(key)
        await self.watch(sid, _room_of(key))
        self.send_soon(_room_of(key))
        return {"ok": True, "item": key}

    async def on_close_item(self, sid: str, data: Any = None) -> dict[str, Any]:
        """The page no longer shows its item (it is leaving): leave the room now."""
        left = self.roster.close(sid)
        if left is not None:
            await self.leave_room(sid, _room_of(left))
            self._changed(left)
        return {"ok": True}

    async def on_watch_dashboard(self, sid: str, data: Any = None) -> dict[str, Any]:
        """The dashboard's page: its live panels (`dashboard_live`, realtime/dashboard.py)."""
        if sid not in self.identities:
            return {"ok": False, "error": "not_connected"}
        await self.live.dashboard.watch(sid)
        return {"ok": True}

    async def watch(self, sid: str, room: str) -> None:
        """Put a socket in a channel's room; it gets the channel's snapshot at once."""
        await self.live.broadcaster.subscribe(sid, room, EDITORIAL)

    def send_soon(self, room: str) -> None:
        """Send a room's changed snapshot now if it was quiet for a tick, else at the next."""

        async def rooms() -> list[str]:
            return [room]

        self.live.broadcaster.prompt(rooms, EDITORIAL)

    def _publish(self, key: str) -> None:
        self.live.broadcaster.publish(
            _room_of(key), EDITORS_EVENT, self.roster.snapshot(key), EDITORIAL
        )

    def _changed(self, key: str) -> None:
        """Someone arrived at or left an item: tell the others, or drop an empty channel."""
        if self.roster.editors(key):
            self._publish(key)
            self.send_soon(_room_of(key))
        else:
            self.live.broadcaster.forget(_room_of(key), EDITORIAL)


def _room_of(key: str) -> str:
    kind, _, item_id = key.partition(":")
    return item_room(kind, int(item_id))
