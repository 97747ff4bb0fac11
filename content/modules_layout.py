"""Where the modules around the content show: position, order and on/off, kept in `modules`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from content import audit
from content.accounts import User
from content.db import Database
from content.events import ModulesChanged
from content.i18n import N_

POSITIONS = ("top", "left", "right")
POSITION_NAMES = {
    "top": N_("Top row"),
    "left": N_("Left column"),
    "right": N_("Right column"),
}
MAX_ORDERING = 999


@dataclass(frozen=True)
class Module:
    """A module the templates know: its partial and the name editors see."""

    key: str
    template: str
    name: str


# Every module there is; the `modules` table says where each one shows.
MODULES: dict[str, Module] = {
    module.key: module
    for module in (
        Module("banners", "_banners.html", N_("Link banners")),
        Module("categories", "_categories.html", N_("Categories")),
        Module("latest", "_latest.html", N_("Latest")),
        Module("calendar", "_calendar.html", N_("Activity calendar")),
        Module("video", "_video.html", N_("Video")),
        Module("social", "_social.html", N_("Social media")),
        Module("downloads", "_downloads.html", N_("Downloads")),
        Module("online", "_online.html", N_("Online")),
        Module("poll", "_poll.html", N_("Polling")),
        Module("stats", "_stats.html", N_("Statistics")),
        Module("popular", "_popular.html", N_("Most read")),
    )
}


@dataclass(frozen=True)
class Placement:
    """Where one module shows."""

    key: str
    position: str
    ordering: int
    enabled: bool

    @property
    def module(self) -> Module:
        return MODULES[self.key]


async def placements(db: Database) -> list[Placement]:
    """Every known module's placement, by position and order (unknown rows are ignored)."""
    rows = await db.fetchall(
        "SELECT key, position, ordering, enabled FROM modules ORDER BY position, ordering, key"
    )
    found = {
        row["key"]: Placement(row["key"], row["position"], row["ordering"], bool(row["enabled"]))
        for row in rows
        if row["key"] in MODULES
    }
    # A module added to the code after the table was filled shows last on the right until placed.
    for key in MODULES:
        if key not in found:
            found[key] = Placement(key, "right", MAX_ORDERING, True)
    return sorted(found.values(), key=lambda p: (POSITIONS.index(p.position), p.ordering, p.key))


def layout(placed: list[Placement], skip: frozenset[str] = frozenset()) -> dict[str, list[Module]]:
    """The enabled modules per position, in order, leaving out those in `skip` (nothing to show)."""
    result: dict[str, list[Module]] = {position: [] for position in POSITIONS}
    for placement in sorted(placed, key=lambda p: (p.ordering, p.key)):
        if placement.enabled and placement.key not in skip:
            result[placement.position].append(placement.module)
    return result


def parse_layout_form(
    form: Mapping[str, str], current: list[Placement]
) -> tuple[list[Placement], dict[str, str]]:
    """New placements from the editors' form: position-<key>, ordering-<key>, enabled-<key>."""
    errors: dict[str, str] = {}
    chosen = []
    for placement in current:
        key = placement.key
        position = form.get(f"position-{key}", "")
        if position not in POSITIONS:
            errors[f"position-{key}"] = N_("Choose a position from the list.")
            position = placement.position
        raw = form.get(f"ordering-{key}", "").strip()
        ordering = placement.ordering
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 3:
            errors[f"ordering-{key}"] = N_("Enter a whole number from 0 to 999.")
        else:
            ordering = int(raw)
        enabled = form.get(f"enabled-{key}") == "1"
        chosen.append(Placement(key, position, ordering, enabled))
    return chosen, errors


def _describe(placement: Placement) -> str:
    state = "on" if placement.enabled else "off"
    return f"{placement.position} {placement.ordering} {state}"


async def save_layout(db: Database, chosen: list[Placement], user: User) -> int:
    """Store the placements that changed, each with an audit entry; how many changed."""
    before = {p.key: p for p in await placements(db)}
    changed = 0
    async with db.transaction() as conn:
        for placement in chosen:
            old = before.get(placement.key)
            if old == placement:
                continue
            await conn.execute(
                "INSERT INTO modules (key, position, ordering, enabled) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (key) DO UPDATE SET position = excluded.position, "
                "ordering = excluded.ordering, enabled = excluded.enabled",
                (placement.key, placement.position, placement.ordering, int(placement.enabled)),
            )
            detail = f"{placement.key}: {_describe(old) if old else '-'} -> {_describe(placement)}"
            await audit.record(conn, user, "update", "module", None, detail)
            changed += 1
        if changed:
            db.announce(ModulesChanged())
    return changed
