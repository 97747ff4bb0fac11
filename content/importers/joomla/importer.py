"""Importing a Joomla site's categories, articles, authors, polls, links and visit offset in one
transaction. Which Joomla row became which row here is kept in `joomla_map`, so a second
import changes nothing and old links can be redirected.
"""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import aiosqlite

from content import audit
from content.accounts import EMAIL
from content.articles import ALIAS, record_revision, slugify
from content.db import TIMESTAMP_FORMAT, Database, utcnow
from content.importers.joomla import plugins
from content.importers.joomla.dump import Dump, Row, Value
from content.importers.joomla.encoding import repair_text
from content.importers.joomla.errors import JoomlaError
from content.importers.joomla.media import MediaImport
from content.importers.joomla.menus import menu_items
from content.importers.joomla.plugins import Tags, images_of, site_modules
from content.importers.joomla.progress import Progress
from content.polls import State as PollState
from content.sanitize import HtmlCleaner, plain_text
from content.site import VISIT_OFFSET, put_setting

_ZERO_DATES = ("0000-00-00 00:00:00", "0000-00-00", "")
_DATE_FORMATS = (TIMESTAMP_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d")
# 1.5's -1 (archived) becomes our 2; the others are the same numbers (see articles.State).
_STATES_15 = {1: 1, 0: 0, -1: 2, -2: -2}
_STATES_3 = {1: 1, 0: 0, 2: 2, -2: -2}
# Access levels visitors without an account could read: 1.5's Public; 3.x's Public and Guest.
_PUBLIC_ACCESS_15 = frozenset({0})
_PUBLIC_ACCESS_3 = frozenset({1, 5})
_ADMIN_TYPES_15 = frozenset({"super administrator", "administrator"})
_ADMIN_GIDS_15 = frozenset({24, 25})
_ADMIN_GROUPS_3 = frozenset({"super users", "administrator"})
_ADMIN_GROUP_IDS_3 = frozenset({7, 8})  # the stock ids, when the dump has no usergroups rows
_PLACED_MODULES = ("mod_whosonline", "mod_poll", "mod_stats")
_TARGET_TABLES = {
    "article": "articles",
    "category": "categories",
    "section": "categories",
    "user": "users",
    "poll": "polls",
    "poll_option": "poll_options",
    "poll_vote": "poll_ballots",
    "banner": "banners",
    "weblink": "banners",
}
_UNCATEGORISED = 0  # the joomla_map old_id of the category made for articles without one
SITE_KEY = "joomla_site"  # the setting naming the Joomla site imported here


@dataclass
class Summary:
    """What an import did: counts, what it skipped and why, and what it noticed."""

    sources: list[str]
    version: str
    prefix: str
    dry_run: bool = False
    imported: Counter[str] = field(default_factory=Counter)
    already: Counter[str] = field(default_factory=Counter)
    skipped: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    modules: list[str] = field(default_factory=list)
    visit_offset: int | None = None
    old_total: int | None = None  # what the old site's Statistik module showed
    increase: int = 0  # its `increase`
    had_stats: bool = False  # whether the old site had a Statistik module at all
    new_total: int | None = None  # the portal's site total after the import
    menu_mapped: int = 0  # menu items whose address leads to a page here
    menu_unmapped: list[str] = field(default_factory=list)  # the others, and why
    tags: list[tuple[int, str, list[str]]] = field(default_factory=list)  # article, title, done
    changes: dict[str, list[str]] = field(default_factory=dict)  # kind -> what, one each
    media: list[str] = field(default_factory=list)  # what --media did with the images

    def change(self, kind: str, item: str) -> None:
        """Record one silent change of a kind ("changed on the way in")."""
        self.changes.setdefault(kind, []).append(item)

    def skip(self, kind: str, old_id: int, reason: str) -> None:
        """Record that a row was left out, and why."""
        self.skipped.setdefault((kind, reason), []).append(old_id)

    def skipped_count(self, kind: str) -> int:
        """How many rows of a kind were left out, for any reason."""
        return sum(len(ids) for (k, _), ids in self.skipped.items() if k == kind)

    def lines(self) -> list[str]:
        """The summary as lines for the terminal."""
        lines = [
            f"Joomla {self.version} dump, table prefix {self.prefix!r}, "
            f"read from {', '.join(self.sources)}."
        ]
        lines.append("Imported: " + (_counts(self.imported) or "nothing new") + ".")
        if self.already:
            lines.append(f"Already imported earlier, left as they are: {_counts(self.already)}.")
        if self.skipped:
            lines.append("Skipped:")
            for (kind, reason), ids in sorted(self.skipped.items()):
                shown = ", ".join(str(i) for i in sorted(ids)[:12])
                more = f" and {len(ids) - 12} more" if len(ids) > 12 else ""
                lines.append(f"  {kind} {len(ids)}: {reason} (Joomla ids {shown}{more})")
        if self.visit_offset is not None:
            lines.append(f"Visit offset ({VISIT_OFFSET}) set to {self.visit_offset}.")
        if self.old_total is not None and self.new_total is not None and self.had_stats:
            lines.append(
                f"Visit total: the old site showed {self.old_total:,} (hits of published "
                f"articles plus the Statistik module's increase, {self.increase:,}); the "
                f"portal shows {self.new_total:,}."
            )
        elif self.old_total is not None and self.new_total is not None:
            lines.append(
                f"Visit total: the old site had no Statistik module; its published articles "
                f"had {self.old_total:,} hits; the portal shows {self.new_total:,}."
            )
        if self.menu_mapped or self.menu_unmapped:
            lines.append(
                f"Menu items: {self.menu_mapped} mapped to pages here (their old addresses "
                f"redirect), {len(self.menu_unmapped)} not:"
            )
            lines.extend(f"  {line}" for line in self.menu_unmapped)
        if self.tags:
            lines.append(
                f"Module and plugin tags in {len(self.tags)} articles "
                "({loadposition}, {loadmodule}, {mosimage}, {mospagebreak} ...):"
            )
            for old_id, title, done in self.tags:
                lines.append(f'  article {old_id} "{title}": ' + "; ".join(done))
        if self.modules:
            lines.append(
                "Modules found (the portal does not store module positions yet, so these are "
                "only reported):"
            )
            lines.extend(f"  {module}" for module in self.modules)
        lines.extend(self.media)
        if self.changes:
            lines.append("Changed on the way in:")
            for kind, items in self.changes.items():
                shown = ", ".join(items[:8])
                more = f" and {len(items) - 8} more" if len(items) > 8 else ""
                lines.append(f"  {len(items)} {kind}: {shown}{more}")
        if self.notes:
            lines.append("Notes:")
            lines.extend(f"  {note}" for note in self.notes)
        if self.dry_run:
            lines.append("Dry run: everything was rolled back; nothing was written.")
        return lines


def _counts(counter: Counter[str]) -> str:
    return ", ".join(f"{kind} {count}" for kind, count in counter.items() if count)


class _DryRun(Exception):
    """Raised at the end of a dry run so the transaction rolls back."""


async def import_dump(
    db: Database,
    dump: Dump,
    cleaner: HtmlCleaner,
    dry_run: bool = False,
    progress: Progress | None = None,
    media: MediaImport | None = None,
) -> Summary:
    """Import the site in one transaction (rolled back for a dry run); returns the summary.
    With `media`, the images the articles show are brought into the media library."""
    summary = Summary(list(dump.sources), dump.version, dump.prefix, dry_run)
    try:
        async with db.transaction() as conn:
            await _Importer(conn, dump, cleaner, summary, progress, media).run()
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    except BaseException:
        if media is not None:
            media.discard()  # the images' rows were rolled back with the rest
        raise
    if media is not None:
        summary.media = media.lines()
    return summary


def _int(value: Value, default: int = 0) -> int:
    """A number from the dump (numbers are sometimes quoted); the default when there is none."""
    if value is None:
        return default
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    text = value.strip()
    if text.lstrip("-").isdigit():
        return int(text)
    return default


def _text(value: Value) -> str:
    """A text value, repaired if it was double-encoded."""
    if value is None:
        return ""
    return repair_text(str(value))


def _date(value: Value) -> str | None:
    """A Joomla UTC date in our format; None for zero dates, NULL and what is not a date."""
    if value is None:
        return None
    text = str(value).strip()
    if text in _ZERO_DATES or text.startswith("0000-00-00"):
        return None
    for pattern in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(text[:19], pattern)
        except ValueError:
            continue
        return parsed.strftime(TIMESTAMP_FORMAT)
    return None


def _alias(raw: Value, title: str) -> str:
    """A URL alias that fits ours: Joomla's when it does, else one made from it or the title."""
    alias = _text(raw).strip().lower()
    if ALIAS.match(alias) and len(alias) <= 120:
        return alias
    return slugify(alias) if slugify(alias) != "artikel" else slugify(title)


_ADDRESS = re.compile(r'\b(src|href)="([^"]*)"')
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def _absolute_paths(html: str, outside: list[str]) -> str:
    """Joomla's relative addresses (images/..., index.php?..., administrator/...) made absolute
    to the site's root, where Joomla's pages resolved them, so they work under /artikel/...;
    the ones outside images/ and index.php (files the portal does not serve) go to `outside`."""

    def absolute(match: re.Match[str]) -> str:
        attribute, address = match.group(1), match.group(2)
        if not address or address.startswith(("/", "#", "?")) or _SCHEME.match(address):
            return match.group(0)
        path = address
        while path.startswith(("./", "../")):
            path = path.split("/", 1)[1]
        if not path.startswith(("images/", "index.php")):
            outside.append(path.split("?")[0])
        return f'{attribute}="/{path}"'

    return _ADDRESS.sub(absolute, html)


def _old_alias(row: Row) -> str | None:
    """The alias Joomla's addresses used, lower case (None when there was none)."""
    alias = _text(row.get("alias")).strip().lower()
    return alias or None


def _module_params(raw: Value) -> dict[str, str]:
    """A module's parameters: 3.x keeps JSON, 1.5 keeps `key=value` lines."""
    text = _text(raw).strip()
    if text.startswith("{"):
        try:
            loaded = json.loads(text)
        except ValueError:
            return {}
        if isinstance(loaded, dict):
            return {str(key): str(value) for key, value in loaded.items()}
        return {}
    params: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if sep:
            params[key.strip()] = value.strip()
    return params


def _safe_link(raw: Value) -> str | None:
    """A link address a banner may point to (http, https, mailto or on this site), or None."""
    url = _text(raw).strip()
    if not url or any(char.isspace() or ord(char) < 32 for char in url):
        return None
    lower = url.lower()
    if lower.startswith(("http://", "https://", "mailto:")) or (
        url.startswith("/") and not url.startswith("//")
    ):
        return url
    if lower.startswith("index.php"):
        return "/" + url  # a link inside the old site: the old-link redirects take it from there
    if _HOST.match(url):
        return "http://" + url  # "www.example.go.id": Joomla let editors leave out the scheme
    return None


_HOST = re.compile(r"[a-z0-9-]+(\.[a-z0-9-]+)+(:\d+)?([/?#]|$)", re.IGNORECASE)


def _ordering_key(key: str) -> Callable[[Row], tuple[int, int]]:
    def ordering(row: Row) -> tuple[int, int]:
        return _int(row.get("ordering")), _int(row.get(key))

    return ordering


class _Importer:
    """One import run inside the caller's transaction."""

    def __init__(
        self,
        conn: aiosqlite.Connection,
        dump: Dump,
        cleaner: HtmlCleaner,
        summary: Summary,
        progress: Progress | None,
        media: MediaImport | None = None,
    ) -> None:
        self.conn = conn
        self.media = media
        self.dump = dump
        self.cleaner = cleaner
        self.summary = summary
        self.progress = progress
        self.now = utcnow()
        self.joomla_users: dict[int, Row] = {}
        self.article_categories: set[int] = set()  # 3.x: the ids of article categories
        self.hidden_hits = 0  # hits of articles this run brought that Joomla did not count
        self.tags = Tags(site_modules(dump.rows("modules")))

    async def run(self) -> None:
        """Every part, in the order their references need."""
        self._check_unique_ids()
        await self._check_same_site()
        await self.users()
        await self.categories()
        await self.articles()
        await self.polls()
        await self.links()
        await self.visit_offset()
        await self.menus()
        self.modules()
        if self.summary.imported:
            detail = f"Joomla {self.dump.version}: {_counts(self.summary.imported)}"
            await audit.record(self.conn, None, "import", "joomla", None, detail)

    # Helpers

    async def _check_same_site(self) -> None:
        """One Joomla site per portal: the ids of two sites would mix in joomla_map."""
        site = f"Joomla {self.dump.version}, table prefix {self.dump.prefix!r}"
        sql = "SELECT value FROM settings WHERE key = ?"
        async with self.conn.execute(sql, (SITE_KEY,)) as cursor:
            found = await cursor.fetchone()
        if found is None:
            await put_setting(self.conn, SITE_KEY, site)
        elif found[0] != site:
            raise JoomlaError(
                f"This portal already holds an import of another Joomla site ({found[0]}); "
                f"the ids of this one ({site}) would mix with its ids, so nothing was imported."
            )

    def _report(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None and total:
            self.progress(stage, done, total)

    def _where(self, base: str, row: Row, key: str = "id") -> str:
        return (
            f"row {key} {row.values.get(key)} of table {self.dump.full_name(base)} "
            f"(INSERT on line {row.line})"
        )

    def _bad_row(self, base: str, row: Row, problem: str, key: str = "id") -> JoomlaError:
        where = self._where(base, row, key)
        return JoomlaError(f"The {where} {problem}.")

    def _check_unique_ids(self) -> None:
        keys = {
            "content": "id",
            "categories": "id",
            "sections": "id",
            "users": "id",
            "polls": "id",
            "poll_data": "id",
            "poll_date": "id",
            "banner": "bid",
            "banners": "id",
            "weblinks": "id",
            "modules": "id",
        }
        for base, key in keys.items():
            seen: dict[int, Row] = {}
            for row in self.dump.rows(base):
                if row.values.get(key) is None:
                    raise self._bad_row(base, row, f"has no {key}", key)
                old_id = _int(row.values[key], -1)
                if old_id in seen:
                    raise self._bad_row(
                        base,
                        row,
                        f"repeats the {key} of the row on line {seen[old_id].line}",
                        key,
                    )
                seen[old_id] = row

    async def _mapped(self, kind: str, old_id: int) -> int | None:
        """What a Joomla row became in an earlier run (even if it was deleted since)."""
        async with self.conn.execute(
            "SELECT new_id FROM joomla_map WHERE kind = ? AND old_id = ?", (kind, old_id)
        ) as cursor:
            row = await cursor.fetchone()
        return None if row is None else int(row[0])

    async def _target(self, kind: str, old_id: int) -> int | None:
        """What a Joomla row became, if that row is still here."""
        table = _TARGET_TABLES[kind]
        async with self.conn.execute(
            f"SELECT t.id FROM joomla_map m JOIN {table} t ON t.id = m.new_id "
            "WHERE m.kind = ? AND m.old_id = ?",
            (kind, old_id),
        ) as cursor:
            row = await cursor.fetchone()
        return None if row is None else int(row[0])

    async def _remember(
        self,
        kind: str,
        old_id: int,
        new_id: int,
        alias: str | None = None,
        parent: int | None = None,
    ) -> None:
        await self.conn.execute(
            "INSERT INTO joomla_map (kind, old_id, new_id, imported_at, old_alias, old_parent) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (kind, old_id, new_id, self.now, alias, parent),
        )

    async def _remember_address(
        self, kind: str, old_id: int, alias: str | None, parent: int | None
    ) -> None:
        """The Joomla alias and parent of a row imported by a run before they were kept."""
        await self.conn.execute(
            "UPDATE joomla_map SET old_alias = ?, old_parent = ? "
            "WHERE kind = ? AND old_id = ? AND old_alias IS NULL",
            (alias, parent, kind, old_id),
        )

    async def _insert(
        self, base: str, row: Row, sql: str, params: Sequence[object], key: str = "id"
    ) -> int:
        """Run one INSERT for a Joomla row; a broken constraint names the row."""
        try:
            cursor = await self.conn.execute(sql, params)
        except sqlite3.IntegrityError as error:
            problem = f"breaks a rule of the portal's database ({error})"
            raise self._bad_row(base, row, problem, key) from None
        new_id = cursor.lastrowid
        assert new_id is not None
        return new_id

    async def _free_alias(self, alias: str) -> str:
        candidate, number = alias, 1
        while True:
            async with self.conn.execute(
                "SELECT 1 FROM categories WHERE alias = ?", (candidate,)
            ) as cursor:
                if await cursor.fetchone() is None:
                    return candidate
            number += 1
            candidate = f"{alias[:110]}-{number}"

    # Users

    def _is_admin(self, row: Row, admin_users: set[int]) -> bool:
        if self.dump.version == "1.5":
            return (
                _text(row.get("usertype", "")).strip().lower() in _ADMIN_TYPES_15
                or _int(row.get("gid")) in _ADMIN_GIDS_15
            )
        return _int(row.get("id")) in admin_users

    def _admin_users_3(self) -> set[int]:
        groups = {
            _int(g.get("id"))
            for g in self.dump.rows("usergroups")
            if _text(g.get("title")).strip().lower() in _ADMIN_GROUPS_3
        } or set(_ADMIN_GROUP_IDS_3)
        return {
            _int(m.get("user_id"))
            for m in self.dump.rows("user_usergroup_map")
            if _int(m.get("group_id")) in groups
        }

    async def users(self) -> None:
        """Authors of articles as editors and administrators as admins, without passwords."""
        rows = self.dump.rows("users")
        authors = {_int(r.get("created_by")) for r in self.dump.rows("content")}
        admins = self._admin_users_3() if self.dump.version == "3.x" else set()
        for done, row in enumerate(rows, 1):
            self._report("Users", done, len(rows))
            old_id = _int(row.get("id"))
            self.joomla_users[old_id] = row
            if await self._mapped("user", old_id) is not None:
                self.summary.already["users"] += 1
                continue
            if self._is_admin(row, admins):
                role = "admin"
            elif old_id in authors:
                role = "editor"
            else:
                self.summary.skip("users", old_id, "no articles and not an administrator")
                continue
            email = _text(row.get("email")).strip()
            if not EMAIL.match(email):
                self.summary.skip("users", old_id, "no valid e-mail address")
                continue
            async with self.conn.execute("SELECT id FROM users WHERE email = ?", (email,)) as cur:
                existing = await cur.fetchone()
            if existing is not None:
                await self._remember("user", old_id, int(existing[0]))
                self.summary.imported["users matched to existing accounts"] += 1
                continue
            name = _text(row.get("name")).strip() or _text(row.get("username")).strip() or email
            # No usable password: '!' is never an argon2 hash, so login fails until set-password.
            unusable = "!" + secrets.token_hex(16)
            new_id = await self._insert(
                "users",
                row,
                "INSERT INTO users (email, name, role, password_hash, active, created) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    email,
                    name[:200],
                    role,
                    unusable,
                    0 if _int(row.get("block")) else 1,
                    _date(row.get("registerDate")) or self.now,
                ),
            )
            await self._remember("user", old_id, new_id)
            self.summary.imported["users"] += 1

    # Categories

    async def _add_category(
        self,
        kind: str,
        base: str,
        row: Row,
        parent_id: int | None,
        ordering: int,
        old_parent: int | None,
    ) -> None:
        old_id = _int(row.get("id"))
        raw_title = _text(row.get("title")) or _text(row.get("name"))
        title = raw_title.strip()
        wanted = _alias(row.get("alias"), title)
        alias = await self._free_alias(wanted)
        if raw_title != title:
            self.summary.change("category titles trimmed of spaces at their ends", f"{old_id}")
        if alias != wanted:
            self.summary.change(
                "category aliases already taken here, given a number", f"{wanted}→{alias}"
            )
        published = 1 if _int(row.get("published")) == 1 else 0
        new_id = await self._insert(
            base,
            row,
            "INSERT INTO categories (parent_id, title, alias, description, ordering, published) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (
                parent_id,
                title or None,
                alias,
                plain_text(_text(row.get("description")))[:1000],
                ordering,
                published,
            ),
        )
        await self._remember(kind, old_id, new_id, _old_alias(row), old_parent)
        self.summary.imported["categories"] += 1
        if kind == "section":
            self.summary.change("1.5 sections now top-level categories", f"{old_id}→{new_id}")
        elif new_id != old_id:
            self.summary.change(
                "categories with a new number (old addresses redirect)", f"{old_id}→{new_id}"
            )

    async def categories(self) -> None:
        """1.5: sections as top-level categories with their categories; 3.x: the article tree."""
        if self.dump.version == "1.5":
            await self._categories_15()
        else:
            await self._categories_3()

    async def _categories_15(self) -> None:
        sections = self.dump.rows("sections")
        for row in sections:
            old_id = _int(row.get("id"))
            if await self._mapped("section", old_id) is not None:
                await self._remember_address("section", old_id, _old_alias(row), None)
                self.summary.already["categories"] += 1
                continue
            scope = _text(row.get("scope", "content"))
            if scope not in ("content", ""):
                self.summary.skip("sections", old_id, f"not an article section ({scope})")
                continue
            ordering = _int(row.get("ordering"))
            await self._add_category("section", "sections", row, None, ordering, None)
        rows = self.dump.rows("categories")
        for done, row in enumerate(rows, 1):
            self._report("Categories", done, len(rows))
            old_id = _int(row.get("id"))
            section = _text(row.get("section")).strip()
            if await self._mapped("category", old_id) is not None:
                section_id = int(section) if section.isdigit() else None
                await self._remember_address("category", old_id, _old_alias(row), section_id)
                self.summary.already["categories"] += 1
                continue
            if not section.isdigit():
                reason = f"not in an article section ({section or 'none'})"
                self.summary.skip("categories", old_id, reason)
                continue
            parent = await self._target("section", int(section))
            if parent is None:
                self.summary.skip("categories", old_id, f"its section {section} is not in the dump")
                continue
            await self._add_category(
                "category", "categories", row, parent, _int(row.get("ordering")), int(section)
            )

    async def _categories_3(self) -> None:
        rows = sorted(self.dump.rows("categories"), key=lambda r: _int(r.get("lft")))
        self.article_categories = {
            _int(r.get("id"))
            for r in rows
            if _text(r.get("extension")) == "com_content" and _int(r.get("level"), 1) > 0
        }
        for done, row in enumerate(rows, 1):
            self._report("Categories", done, len(rows))
            old_id = _int(row.get("id"))
            extension = _text(row.get("extension"))
            if extension == "system" or _int(row.get("level"), 1) == 0:
                continue  # ROOT, the tree's invisible top
            if extension != "com_content":
                self.summary.skip("categories", old_id, f"not an article category ({extension})")
                continue
            old_parent = _int(row.get("parent_id"))
            joomla_parent = old_parent if old_parent in self.article_categories else None
            if await self._mapped("category", old_id) is not None:
                await self._remember_address("category", old_id, _old_alias(row), joomla_parent)
                self.summary.already["categories"] += 1
                continue
            if _int(row.get("published")) == -2:
                self.summary.skip("categories", old_id, "trashed")
                continue
            parent = await self._target("category", old_parent)
            ordering = _int(row.get("lft"))
            await self._add_category("category", "categories", row, parent, ordering, joomla_parent)

    async def _uncategorised(self) -> int:
        """The category for articles whose Joomla category did not come along; made once."""
        found = await self._target("category", _UNCATEGORISED)
        if found is not None:
            return found
        alias = await self._free_alias("uncategorised")
        cursor = await self.conn.execute(
            "INSERT INTO categories (title, alias, ordering) VALUES ('Uncategorised', ?, 9999)",
            (alias,),
        )
        new_id = cursor.lastrowid
        assert new_id is not None
        await self.conn.execute(
            "DELETE FROM joomla_map WHERE kind = 'category' AND old_id = ?", (_UNCATEGORISED,)
        )
        await self._remember("category", _UNCATEGORISED, new_id)
        self.summary.imported["categories"] += 1
        self.summary.notes.append(
            "Articles without a category (or whose category was not imported) are in the new "
            f"category 'Uncategorised' (/kategori/{new_id}-{alias})."
        )
        return new_id

    async def _article_category(self, row: Row) -> int:
        category = await self._target("category", _int(row.get("catid")))
        if category is None and self.dump.version == "1.5":
            category = await self._target("section", _int(row.get("sectionid")))
        return category if category is not None else await self._uncategorised()

    # Articles

    def _featured(self) -> dict[int, int]:
        """Featured article ids and their order on the home page."""
        ordering = {
            _int(r.get("content_id")): _int(r.get("ordering"))
            for r in self.dump.rows("content_frontpage")
        }
        if self.dump.version == "3.x":
            return {
                _int(r.get("id")): ordering.get(_int(r.get("id")), 0)
                for r in self.dump.rows("content")
                if _int(r.get("featured"))
            }
        return ordering

    async def articles(self) -> None:
        """Articles with cleaned HTML, their dates, author, hits and meta description."""
        rows = self.dump.rows("content")
        featured = self._featured()
        states = _STATES_15 if self.dump.version == "1.5" else _STATES_3
        public = _PUBLIC_ACCESS_15 if self.dump.version == "1.5" else _PUBLIC_ACCESS_3
        restricted: list[int] = []
        for done, row in enumerate(rows, 1):
            self._report("Articles", done, len(rows))
            old_id = _int(row.get("id"))
            old_category = _int(row.get("catid")) or None
            if await self._mapped("article", old_id) is not None:
                await self._remember_address("article", old_id, _old_alias(row), old_category)
                await self._hidden_hits(row, old_id)  # an import before the rule was kept
                self.summary.already["articles"] += 1
                continue
            joomla_state = _int(row.get("state"), -99)
            if joomla_state not in states:
                raise self._bad_row(
                    "content", row, f"has state {row.get('state')}, which is not a Joomla state"
                )
            state = states[joomla_state]
            if state == 1 and _int(row.get("access"), min(public)) not in public:
                state = 0  # only for members in Joomla: kept from visitors until an editor decides
                restricted.append(old_id)
            title = row.values.get("title")
            title_text = None if title is None else _text(title).strip()
            images = images_of(_text(row.get("images"))) if self.dump.version == "1.5" else []
            intro = self.tags.replace(old_id, _text(row.get("introtext")), images)
            full = self.tags.replace(old_id, _text(row.get("fulltext")), images)
            if old_id in self.tags.done:
                self.summary.tags.append((old_id, title_text or "", self.tags.done[old_id]))
            intro_image = self._intro_image(row)
            outside: list[str] = []
            if self.media is not None:
                intro = await self.media.rewrite(self.conn, intro, old_id)
                full = await self.media.rewrite(self.conn, full, old_id)
                intro_image = await self._library_intro_image(intro_image, old_id)
            modified = _date(row.get("modified"))
            created = _date(row.get("created")) or modified or self.now
            author_id, author_name = await self._author(row)
            new_id = await self._insert(
                "content",
                row,
                "INSERT INTO articles (category_id, title, alias, intro_html, full_html, "
                "author_id, author_name, created, modified, publish_up, publish_down, state, "
                "featured, featured_ordering, ordering, hits, meta_description, intro_image, "
                "version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    await self._article_category(row),
                    title_text,
                    _alias(row.get("alias"), title_text or ""),
                    _absolute_paths(self.cleaner.clean(intro), outside),
                    _absolute_paths(self.cleaner.clean(full), outside),
                    author_id,
                    author_name,
                    created,
                    modified or created,
                    _date(row.get("publish_up")),
                    _date(row.get("publish_down")),
                    state,
                    int(old_id in featured),
                    featured.get(old_id, 0),
                    _int(row.get("ordering")),
                    _int(row.get("hits")),
                    plain_text(_text(row.get("metadesc"))),
                    intro_image,
                    max(1, _int(row.get("version"), 1)),
                ),
            )
            await self._remember("article", old_id, new_id, _old_alias(row), old_category)
            await record_revision(self.conn, new_id, None, origin="import")
            self.summary.imported["articles"] += 1
            self._note_changes(row, old_id, new_id, title, outside)
            await self._hidden_hits(row, old_id)
        if restricted:
            self.summary.notes.append(
                f"{len(restricted)} published articles were only for registered users in Joomla; "
                f"they were imported unpublished (Joomla ids {', '.join(map(str, restricted))})."
            )

    async def _hidden_hits(self, row: Row, old_id: int) -> None:
        """Joomla's Statistik module summed the hits of published articles only: the hits of
        the others are kept apart (once), so the visit offset leaves them out."""
        hits = _int(row.get("hits"))
        if _int(row.get("state"), 1) == 1 or hits <= 0:
            return
        if await self._mapped("hidden_hits", old_id) is None:
            await self._remember("hidden_hits", old_id, hits)
            self.hidden_hits += hits

    def _note_changes(
        self, row: Row, old_id: int, new_id: int, title: Value, outside: list[str]
    ) -> None:
        """What this article lost or changed on the way in, for the summary."""
        change = self.summary.change
        if title is not None and _text(title) != _text(title).strip():
            change("article titles trimmed of spaces at their ends", f"{old_id}")
        joomla_alias = _text(row.get("alias")).strip()
        if joomla_alias and _alias(row.get("alias"), "") != joomla_alias:
            change("article aliases changed to letters, digits and hyphens", f"{old_id}")
        if new_id != old_id:
            change("articles with a new number (old addresses redirect)", f"{old_id}→{new_id}")
        if _date(row.get("modified")) is None:
            change(
                "articles never modified (their creation date is the modification date)",
                str(old_id),
            )
        for path in outside:
            change(
                "addresses of files outside images/ made absolute to the site root (copy "
                "them to the web server, or they will not be found)",
                f"{path} (article {old_id})",
            )

    async def _author(self, row: Row) -> tuple[int | None, str]:
        """The account of the article's author, and the name its byline shows instead."""
        alias = _text(row.get("created_by_alias")).strip()[:120]
        old_author = _int(row.get("created_by"))
        author_id = await self._target("user", old_author)
        if author_id is None and not alias and old_author in self.joomla_users:
            alias = _text(self.joomla_users[old_author].get("name")).strip()[:120]
        return author_id, alias

    async def _library_intro_image(self, address: str, old_id: int) -> str:
        """The library copy of an intro image on the old site (--media), else the address."""
        assert self.media is not None
        site_path = self.media.site_path(address) if address else None
        if site_path is None:
            return address
        return await self.media.address_for(self.conn, site_path, "", old_id) or address

    def _intro_image(self, row: Row) -> str:
        if self.dump.version != "3.x":
            return ""
        try:
            images = json.loads(_text(row.get("images")) or "{}")
        except ValueError:
            return ""
        image = str(images.get("image_intro", "")) if isinstance(images, dict) else ""
        image = image.strip()
        if image.startswith("images/"):
            image = "/" + image
        if re.fullmatch(r"(https://|/)[^\s\"'<>]*", image) and not image.startswith("//"):
            return image
        return ""

    # Polls (Joomla 1.5)

    async def polls(self) -> None:
        """1.5 polls with their answers, counts and one ballot per recorded vote."""
        rows = self.dump.rows("polls")
        options_of: dict[int, list[Row]] = {}
        for option in self.dump.rows("poll_data"):
            options_of.setdefault(_int(option.get("pollid")), []).append(option)
        votes_of: dict[int, list[Row]] = {}
        for vote in self.dump.rows("poll_date"):
            votes_of.setdefault(_int(vote.get("poll_id")), []).append(vote)
        for done, row in enumerate(rows, 1):
            self._report("Polls", done, len(rows))
            old_id = _int(row.get("id"))
            if await self._mapped("poll", old_id) is not None:
                self.summary.already["polls"] += 1
                continue
            await self._poll(row, options_of.get(old_id, []), votes_of.get(old_id, []))

    async def _poll(self, row: Row, options: list[Row], votes: list[Row]) -> None:
        old_id = _int(row.get("id"))
        answers = []
        for option in sorted(options, key=lambda o: _int(o.get("id"))):
            if _text(option.get("text")).strip():
                answers.append(option)
            else:
                self.summary.skip("poll answers", _int(option.get("id")), "empty text")
        if not answers:
            self.summary.skip("polls", old_id, "no answers")
            return
        dates = sorted(d for d in (_date(v.get("date")) for v in votes) if d)
        counts = [max(0, _int(o.get("hits"))) for o in answers]
        poll_id = await self._insert(
            "polls",
            row,
            "INSERT INTO polls (question, state, lag_hours, voters, votes, first_vote, "
            "last_vote, created, modified) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                _text(row.get("title")).strip() or None,
                PollState.OPEN if _int(row.get("published")) == 1 else PollState.CLOSED,
                max(0, _int(row.get("lag"))) // 3600,
                max(0, _int(row.get("voters"), len(votes))),
                sum(counts),
                dates[0] if dates else None,
                dates[-1] if dates else None,
                dates[0] if dates else self.now,
                self.now,
            ),
        )
        await self._remember("poll", old_id, poll_id)
        self.summary.imported["polls"] += 1
        option_ids: dict[int, int] = {}
        for ordering, (option, count) in enumerate(zip(answers, counts, strict=True)):
            option_old = _int(option.get("id"))
            new_option = await self._insert(
                "poll_data",
                option,
                "INSERT INTO poll_options (poll_id, label, ordering, votes) VALUES (?, ?, ?, ?)",
                (poll_id, _text(option.get("text")).strip()[:200], ordering, count),
            )
            option_ids[option_old] = new_option
            await self._remember("poll_option", option_old, new_option)
            self.summary.imported["poll answers"] += 1
        # One ballot per recorded vote, so the vote log and the first and last vote agree;
        # the counts shown stay Joomla's own (poll_data.hits).
        for vote in sorted(votes, key=lambda v: _int(v.get("id"))):
            vote_old = _int(vote.get("id"))
            cast_at = _date(vote.get("date"))
            if cast_at is None:
                self.summary.skip("poll votes", vote_old, "no date")
                continue
            ballot = await self._insert(
                "poll_date",
                vote,
                "INSERT INTO poll_ballots (poll_id, cast_at, voter_hash, address_hash, channel) "
                "VALUES (?, ?, ?, 'joomla', 'form')",
                (poll_id, cast_at, f"joomla-{vote_old}"),
            )
            chosen = option_ids.get(_int(vote.get("vote_id")))
            if chosen is not None:
                await self.conn.execute(
                    "INSERT INTO poll_choices (ballot_id, option_id) VALUES (?, ?)",
                    (ballot, chosen),
                )
            await self._remember("poll_vote", vote_old, ballot)
            self.summary.imported["poll votes"] += 1

    # Banners and web links

    async def links(self) -> None:
        """Banners and web links into the row of link banners, after the ones already there."""
        async with self.conn.execute("SELECT coalesce(max(ordering), -1) FROM banners") as cur:
            found = await cur.fetchone()
        ordering = (int(found[0]) if found else -1) + 1
        sources = [
            ("banner", "banner", "bid", "name", "clickurl"),
            ("banner", "banners", "id", "name", "clickurl"),
            ("weblink", "weblinks", "id", "title", "url"),
        ]
        for kind, base, key, title_column, url_column in sources:
            rows = sorted(self.dump.rows(base), key=_ordering_key(key))
            for done, row in enumerate(rows, 1):
                self._report("Links", done, len(rows))
                old_id = _int(row.get(key))
                if await self._mapped(kind, old_id) is not None:
                    self.summary.already["links"] += 1
                    continue
                state = _int(row.get("state", row.get("showBanner", row.get("published"))))
                if state == -2:
                    self.summary.skip(f"{base}", old_id, "trashed")
                    continue
                url = _safe_link(row.get(url_column))
                if url is None:
                    self.summary.skip(f"{base}", old_id, "no usable link address")
                    continue
                published = state == 1 and _int(row.get("approved"), 1) == 1
                published = published and not _int(row.get("archived"))
                title = _text(row.get(title_column)).strip()
                image = await self._banner_image(base, row, old_id, title)
                new_id = await self._insert(
                    base,
                    row,
                    "INSERT INTO banners (title, url, description, ordering, published, image) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        title or None,
                        url,
                        plain_text(_text(row.get("description")))[:500],
                        ordering,
                        int(published),
                        image,
                    ),
                    key,
                )
                ordering += 1
                await self._remember(kind, old_id, new_id)
                self.summary.imported["links"] += 1

    async def _banner_image(self, base: str, row: Row, old_id: int, title: str) -> str:
        """A banner's image: in the media library with --media, else its address on the site
        (1.5 kept the file name under images/banners/, 3.x the path in its params)."""
        if base == "banner":
            name = _text(row.get("imageurl")).strip()
            address = name if "/" in name or not name else f"images/banners/{name}"
        elif base == "banners":
            address = plugins.params_json(row.get("params")).get("imageurl", "").strip()
        else:
            return ""
        if not address:
            return ""
        if address.lower().startswith("http://"):
            self.summary.change(
                "banner images at http:// addresses left out (pages here are https)",
                f"{address} (banner {old_id})",
            )
            return ""
        if not address.lower().startswith("https://"):
            address = "/" + address.lstrip("/")
        if self.media is not None:
            site_path = self.media.site_path(address)
            if site_path is not None:
                found = await self.media.address_for(
                    self.conn, site_path, title, old_id, owner="banners"
                )
                return found or address
        return address

    # The visit offset and the modules

    def _site_modules(self, name: str) -> list[Row]:
        return [
            row
            for row in self.dump.rows("modules")
            if _text(row.get("module")) == name and _int(row.get("client_id")) == 0
        ]

    async def visit_offset(self) -> None:
        """The site total goes on from the old site's: Joomla's Statistik module (mod_stats)
        showed the hits of published articles plus its `increase`; the portal adds every
        article's hits to its offset, so the offset is the increase less the hits of the
        articles Joomla did not count (unpublished, archived, trashed)."""
        modules = self._site_modules("mod_stats")
        increase: int | None = None
        if modules:
            # The published one if any; of several, the largest increase.
            module = max(
                modules,
                key=lambda m: (
                    _int(m.get("published")) == 1,
                    _int(_module_params(m.get("params")).get("increase")),
                ),
            )
            increase = max(0, _int(_module_params(module.get("params")).get("increase")))
            old_id = _int(module.get("id"))
            if await self._mapped("visit_offset", old_id) is not None:
                self.summary.already["visit offset"] += 1
                increase_now = None
            else:
                await self._remember("visit_offset", old_id, increase)
                self.summary.imported["visit offset"] += 1
                increase_now = increase
        else:
            increase_now = None
        published_hits = sum(
            max(0, _int(r.get("hits")))
            for r in self.dump.rows("content")
            if _int(r.get("state")) == 1
        )
        self.summary.old_total = published_hits + (increase or 0)
        self.summary.increase = increase or 0
        self.summary.had_stats = increase is not None
        if increase_now is not None:
            async with self.conn.execute(
                "SELECT coalesce(sum(new_id), 0) FROM joomla_map WHERE kind = 'hidden_hits'"
            ) as cursor:
                found = await cursor.fetchone()
            hidden = int(found[0]) if found else 0
            offset = increase_now - hidden
        elif self.hidden_hits:
            async with self.conn.execute(
                "SELECT value FROM settings WHERE key = ?", (VISIT_OFFSET,)
            ) as cursor:
                found = await cursor.fetchone()
            offset = _int(found[0] if found else 0) - self.hidden_hits
        else:
            offset = None
        if offset is not None:
            await put_setting(self.conn, VISIT_OFFSET, str(offset))
            self.summary.visit_offset = offset
        async with self.conn.execute(
            "SELECT coalesce(sum(hits), 0) + coalesce((SELECT CAST(value AS INTEGER) FROM "
            "settings WHERE key = ?), 0) FROM articles",
            (VISIT_OFFSET,),
        ) as cursor:
            found = await cursor.fetchone()
        self.summary.new_total = int(found[0]) if found else 0

    async def menus(self) -> None:
        """The menu items' paths and pages, so their old addresses lead to the pages here."""
        items = menu_items(self.dump)
        for done, item in enumerate(items, 1):
            self._report("Menu items", done, len(items))
            async with self.conn.execute(
                "SELECT target FROM joomla_menu WHERE old_id = ?", (item.old_id,)
            ) as cursor:
                known = await cursor.fetchone()
            if known is None:
                await self.conn.execute(
                    "INSERT INTO joomla_menu (old_id, route, title, target, target_id, layout, "
                    "home, why, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        item.old_id,
                        item.route,
                        item.title,
                        item.target,
                        item.target_id,
                        item.layout,
                        int(item.home),
                        item.why,
                        self.now,
                    ),
                )
                self.summary.imported["menu items"] += 1
            else:
                self.summary.already["menu items"] += 1
            why = item.why
            if item.target in ("article", "category", "section", "poll"):
                assert item.target_id is not None
                kind = item.target
                if await self._mapped(kind, item.target_id) is None:
                    why = f"its {kind} {item.target_id} is not in the dump"
            if why and item.target != "none" and not why.startswith("its "):
                why = ""
            if why:
                self.summary.menu_unmapped.append(
                    f'{item.old_id} "{item.title}" (/{item.route}): {why}'
                )
            else:
                self.summary.menu_mapped += 1

    def modules(self) -> None:
        """Who's online, poll and statistics modules: where they were, for the summary only."""
        for name in _PLACED_MODULES:
            for row in self._site_modules(name):
                params = _module_params(row.get("params"))
                state = "published" if _int(row.get("published")) == 1 else "unpublished"
                detail = f"position {_text(row.get('position')) or 'none'}, {state}"
                if name == "mod_poll" and params.get("id"):
                    detail += f", poll {params['id']}"
                if name == "mod_stats" and "increase" in params:
                    detail += f", increase {params['increase']}"
                title = _text(row.get("title"))
                self.summary.modules.append(f'{name} "{title}" (id {row.get("id")}): {detail}')
