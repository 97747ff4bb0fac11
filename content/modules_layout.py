"""Where the modules around the content show: position, order, on/off and on which pages, kept
in `modules` and `module_categories`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

import aiosqlite

from content import audit
from content.accounts import User
from content.db import Database
from content.events import ModulesChanged
from content.i18n import N_

AUDIT_WORDS = audit.Words(kinds={"module": N_("Module")})
POSITIONS = ("top", "left", "right")
POSITION_NAMES = {
    "top": N_("Top row"),
    "left": N_("Left column"),
    "right": N_("Right column"),
}
MAX_ORDERING = 999

# The pages a module shows on.
EVERYWHERE, HOME_ONLY, IN_CATEGORIES = "all", "home", "categories"
PAGES = {
    EVERYWHERE: N_("Every page"),
    HOME_ONLY: N_("The home page only"),
    IN_CATEGORIES: N_("Chosen categories and their articles"),
}


@dataclass(frozen=True)
class Module:
    """A module the templates know: its partial and the name editors see."""

    key: str
    template: str
    name: str

    is_custom = False  # the name is a msgid to translate; a custom module's is the editor's


@dataclass(frozen=True)
class CustomModule(Module):
    """An editor's own module: a title (shown or not) and HTML cleaned when it was saved."""

    id: int = 0
    show_title: bool = True
    body_html: str = ""

    is_custom = True

    @property
    def label(self) -> str:
        """The module's name in the editors' lists (its title, or its number when it has none)."""
        return self.name or f"#{self.id}"


CUSTOM_TEMPLATE = "_custom_module.html"


def custom_key(module_id: int) -> str:
    """The key of a custom module's row in `modules`."""
    return f"custom-{module_id}"


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
class Pages:
    """The pages a module shows on: every page, the home page only, or the chosen categories'
    pages (their subcategories' too) and their articles' pages."""

    mode: str = EVERYWHERE
    categories: frozenset[int] = frozenset()

    def describe(self) -> str:
        """For the audit log: `all`, `home` or `categories 3,5`."""
        if self.mode == IN_CATEGORIES:
            return f"categories {','.join(str(c) for c in sorted(self.categories))}"
        return self.mode


@dataclass(frozen=True)
class Page:
    """The page modules are picked for: the home page, a category's page (an article's page is
    its category's), or any other page (only modules shown on every page show there)."""

    home: bool = False
    category_id: int | None = None


EVERY_PAGE = Pages()
HOME_PAGE = Page(home=True)
OTHER_PAGE = Page()


@dataclass(frozen=True)
class Placement:
    """Where one module shows."""

    key: str
    position: str
    ordering: int
    enabled: bool
    pages: Pages = EVERY_PAGE
    custom: CustomModule | None = None  # the module itself, when it is an editor's own

    @property
    def module(self) -> Module:
        return self.custom or MODULES[self.key]


async def placements(db: Database) -> list[Placement]:
    """Every module's placement, built-in and custom, by position and order (rows for modules
    the code does not know are ignored)."""
    rows = await db.fetchall(
        "SELECT m.key, m.position, m.ordering, m.enabled, m.pages, c.id AS custom_id, c.title, "
        "c.show_title, c.body_html FROM modules m LEFT JOIN custom_modules c ON c.id = m.custom_id "
        "ORDER BY m.position, m.ordering, m.key"
    )
    chosen: dict[str, set[int]] = {}
    for row in await db.fetchall("SELECT module_key, category_id FROM module_categories"):
        chosen.setdefault(row["module_key"], set()).add(row["category_id"])
    found = {}
    for row in rows:
        key = row["key"]
        custom = None
        if row["custom_id"] is not None:
            custom = CustomModule(
                key,
                CUSTOM_TEMPLATE,
                row["title"],
                id=row["custom_id"],
                show_title=bool(row["show_title"]),
                body_html=row["body_html"],
            )
        elif key not in MODULES:
            continue
        pages = Pages(row["pages"], frozenset(chosen.get(key, ())))
        found[key] = Placement(
            key, row["position"], row["ordering"], bool(row["enabled"]), pages, custom
        )
    # A module added to the code after the table was filled shows last on the right until placed.
    for key in MODULES:
        if key not in found:
            found[key] = Placement(key, "right", MAX_ORDERING, True)
    return sorted(found.values(), key=lambda p: (POSITIONS.index(p.position), p.ordering, p.key))


def layout(
    placed: list[Placement],
    skip: frozenset[str] = frozenset(),
    shown_on: Callable[[Placement], bool] | None = None,
) -> dict[str, list[Module]]:
    """The enabled modules per position, in order, leaving out those in `skip` (nothing to show)
    and those `shown_on` refuses (not on this page)."""
    result: dict[str, list[Module]] = {position: [] for position in POSITIONS}
    for placement in sorted(placed, key=lambda p: (p.ordering, p.key)):
        if not placement.enabled or placement.key in skip:
            continue
        if shown_on is None or shown_on(placement):
            result[placement.position].append(placement.module)
    return result


class Arrangement:
    """Every module's placement with the categories each reaches (the chosen ones and all their
    subcategories), so that picking a page's modules asks nothing of the database."""

    def __init__(self, placed: list[Placement], parents: Mapping[int, int | None]) -> None:
        self.placements = placed
        children: dict[int, list[int]] = {}
        for category, parent in parents.items():
            if parent is not None:
                children.setdefault(parent, []).append(category)
        self._reach: dict[str, frozenset[int]] = {}
        for placement in placed:
            if placement.pages.mode == IN_CATEGORIES:
                self._reach[placement.key] = _subtrees(placement.pages.categories, children)

    def shows(self, placement: Placement, page: Page) -> bool:
        """Whether a module shows on a page."""
        mode = placement.pages.mode
        if mode == HOME_ONLY:
            return page.home
        if mode == IN_CATEGORIES:
            return page.category_id is not None and page.category_id in self._reach[placement.key]
        return True

    def layout(self, page: Page, skip: frozenset[str] = frozenset()) -> dict[str, list[Module]]:
        """The modules a page shows, per position, in order."""
        return layout(self.placements, skip, lambda placement: self.shows(placement, page))


def _subtrees(roots: Iterable[int], children: Mapping[int, list[int]]) -> frozenset[int]:
    found: set[int] = set()
    waiting = list(roots)
    while waiting:
        category = waiting.pop()
        if category not in found:  # a loop in the tree (never written) cannot hang a page
            found.add(category)
            waiting.extend(children.get(category, ()))
    return frozenset(found)


class KeptArrangement:
    """The arrangement, read once and kept until modules or categories change (the listener
    calls `clear`), so no page view reads placements."""

    def __init__(self) -> None:
        self._kept: Arrangement | None = None
        self._generation = 0

    def clear(self, _: object = None) -> None:
        """Forget the arrangement (an editor changed modules or categories)."""
        self._kept = None
        self._generation += 1

    async def get(self, db: Database) -> Arrangement:
        """The arrangement, read now when none is kept."""
        kept = self._kept
        if kept is None:
            generation = self._generation
            placed = await placements(db)
            rows = await db.fetchall("SELECT id, parent_id FROM categories")
            kept = Arrangement(placed, {row["id"]: row["parent_id"] for row in rows})
            # A change announced while this was read leaves it unkept: the next page reads anew.
            if generation == self._generation:
                self._kept = kept
        return kept


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
        chosen.append(replace(placement, position=position, ordering=ordering, enabled=enabled))
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
            await write_place(conn, placement)
            detail = f"{placement.key}: {_describe(old) if old else '-'} -> {_describe(placement)}"
            await audit.record(conn, user, "update", "module", None, detail)
            changed += 1
        if changed:
            db.announce(ModulesChanged())
    return changed


def parse_pages_form(
    mode: str, raw_categories: Iterable[str], known: Iterable[int]
) -> tuple[Pages, dict[str, str]]:
    """The pages a module shows on, from a form's `pages` choice and its ticked `categories`;
    the categories count only for IN_CATEGORIES, and must be ones that exist."""
    errors: dict[str, str] = {}
    if mode not in PAGES:
        errors["pages"] = N_("Choose on which pages the module shows.")
        mode = EVERYWHERE
    known_ids = set(known)
    chosen: set[int] = set()
    for raw in raw_categories:
        raw = raw.strip()
        if not (raw.isascii() and raw.isdigit() and len(raw) <= 12) or int(raw) not in known_ids:
            errors["categories"] = N_("Choose categories from the list.")
            continue
        chosen.add(int(raw))
    if mode != IN_CATEGORIES:
        return Pages(mode), errors
    if not chosen and "categories" not in errors:
        errors["categories"] = N_("Tick at least one category, or choose other pages.")
    return Pages(mode, frozenset(chosen)), errors


async def write_place(conn: aiosqlite.Connection, placement: Placement) -> None:
    """Store a module's position, order and on/off (a new row for a module the table lacks)."""
    await conn.execute(
        "INSERT INTO modules (key, position, ordering, enabled, custom_id) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (key) DO UPDATE SET position = excluded.position, "
        "ordering = excluded.ordering, enabled = excluded.enabled",
        (
            placement.key,
            placement.position,
            placement.ordering,
            int(placement.enabled),
            placement.custom.id if placement.custom else None,
        ),
    )


async def write_pages(
    conn: aiosqlite.Connection, user: User | None, key: str, old: Pages | None, new: Pages
) -> bool:
    """Store the pages a module (whose row exists) shows on, with an audit entry when they
    changed; whether they did. `old` None: a new module, nothing to compare or record."""
    if old == new:
        return False
    await conn.execute("UPDATE modules SET pages = ? WHERE key = ?", (new.mode, key))
    await conn.execute("DELETE FROM module_categories WHERE module_key = ?", (key,))
    await conn.executemany(
        "INSERT INTO module_categories (module_key, category_id) VALUES (?, ?)",
        [(key, category) for category in sorted(new.categories)],
    )
    if old is not None:
        detail = f"{key}: pages {old.describe()} -> {new.describe()}"
        await audit.record(conn, user, "update", "module", None, detail)
    return True


async def save_pages(db: Database, placement: Placement, pages: Pages, user: User) -> bool:
    """Change the pages one module shows on (with an audit entry); whether they changed."""
    async with db.transaction() as conn:
        await write_place(conn, placement)  # the row a module added to the code may still lack
        changed = await write_pages(conn, user, placement.key, placement.pages, pages)
        if changed:
            db.announce(ModulesChanged())
    return changed
